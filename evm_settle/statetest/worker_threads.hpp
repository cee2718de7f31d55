// Runs a function on N threads whose stacks are large enough for the EVM's call recursion.
//
// A CALL at depth d runs the interpreter again on the same native stack, so a 1024-deep call chain
// needs far more than the 8 MiB a std::thread gets by default once frames grow under ASan. The
// stack is reserved address space; only the pages a case actually touches are committed.
#pragma once

#include <pthread.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

namespace sluice::statetest {

inline constexpr std::size_t kWorkerStackBytes = std::size_t{1} << 30;  // 1 GiB reserved per worker

inline void run_on_worker_threads(unsigned n_threads, const std::function<void()>& work) {
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (pthread_attr_setstacksize(&attr, kWorkerStackBytes) != 0) {
        std::fputs("sluice-statetest: cannot set the worker stack size\n", stderr);
        std::exit(2);
    }
    auto trampoline = [](void* arg) -> void* {
        (*static_cast<const std::function<void()>*>(arg))();
        return nullptr;
    };
    std::vector<pthread_t> threads;
    for (unsigned t = 0; t < n_threads; ++t) {
        pthread_t th;
        if (pthread_create(&th, &attr, trampoline, const_cast<std::function<void()>*>(&work)) != 0) {
            std::fputs("sluice-statetest: cannot start a worker thread\n", stderr);
            std::exit(2);
        }
        threads.push_back(th);
    }
    for (const pthread_t th : threads) pthread_join(th, nullptr);
    pthread_attr_destroy(&attr);
}

}  // namespace sluice::statetest
