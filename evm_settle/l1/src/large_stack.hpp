// Runs one function on a thread with a large stack, and waits for it.
//
// The EVM recurses on the native stack per call frame: a 1024-deep CALL chain overflows the 8 MiB of an
// ordinary thread under ASan (found by Dispatcher.CallIntoASelfCallingChainAnswersNormally), and the
// devchain serves whatever bytecode a client sends. Until the interpreter keeps an explicit frame stack
// (issue #17), every devchain execution runs here. The stack is reserved address space; only the pages a
// call touches are committed. Costs one thread start per execution (tens of microseconds).
#pragma once

#include <pthread.h>

#include <cstddef>
#include <optional>
#include <utility>

namespace sluice::l1 {

inline constexpr std::size_t kExecutionStackBytes = std::size_t{512} << 20;

// Returns nullopt when no such thread could be started (the caller reports it as an error).
template <typename F>
auto run_on_large_stack(F&& work) -> std::optional<decltype(work())> {
    using R = decltype(work());
    struct Job {
        F* work;
        std::optional<R> result;
    } job{&work, std::nullopt};
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) return std::nullopt;
    pthread_t thread;
    const bool started = pthread_attr_setstacksize(&attr, kExecutionStackBytes) == 0 &&
                         pthread_create(
                             &thread, &attr,
                             [](void* arg) -> void* {
                                 auto* j = static_cast<Job*>(arg);
                                 j->result.emplace((*j->work)());
                                 return nullptr;
                             },
                             &job) == 0;
    pthread_attr_destroy(&attr);
    if (!started) return std::nullopt;
    pthread_join(thread, nullptr);
    return std::move(job.result);
}

}  // namespace sluice::l1
