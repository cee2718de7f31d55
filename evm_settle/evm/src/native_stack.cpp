// Why a handover and not an explicit frame stack: the interpreter, the host and the precompiles all
// recurse through ordinary C++ calls (StateHost::call -> execute -> op_call), so an explicit stack
// would mean turning the host interface inside out. The guard keeps the hot path as it is and
// bounds the native stack any thread needs to what kReserveBytes covers.
#include "native_stack.hpp"

#include <pthread.h>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace sluice::evm {

namespace {

#if defined(__SANITIZE_ADDRESS__)
#define SLUICE_EVM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLUICE_EVM_ASAN 1
#endif
#endif

// What one more frame may use before the next check: the interpreter, the host, and the deepest
// precompile (BLS12-381 pairings keep their tower elements on the stack). ASan's redzones grow frames
// several times over.
#ifdef SLUICE_EVM_ASAN
constexpr std::size_t kReserveBytes = std::size_t{4} << 20;
#else
constexpr std::size_t kReserveBytes = std::size_t{1} << 20;
#endif
// Reserved address space; only the pages a chain touches are committed. 256 MiB holds a whole
// 1024-deep chain even under ASan, so a chain hands over at most once in practice.
constexpr std::size_t kWorkerStackBytes = std::size_t{256} << 20;

// The lowest usable address of this thread's stack, found once per thread.
std::uintptr_t stack_limit() noexcept {
    thread_local const std::uintptr_t limit = [] {
        pthread_attr_t attr;
        void* low = nullptr;
        std::size_t size = 0;
        if (pthread_getattr_np(pthread_self(), &attr) == 0) {
            pthread_attr_getstack(&attr, &low, &size);
            pthread_attr_destroy(&attr);
        }
        return reinterpret_cast<std::uintptr_t>(low);
    }();
    return limit;
}

bool enough_stack_left() noexcept {
    const auto here = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
    const std::uintptr_t limit = stack_limit();
    // An unknown limit (0) counts as too little: handing over is always safe.
    return limit != 0 && here > limit && here - limit > kReserveBytes;
}

struct Job {
    Host* host;
    const Message* msg;
    ExecutionResult result;
};

// One thread with a large stack that runs one job at a time for whoever holds it.
class Worker {
  public:
    bool start() noexcept {
        pthread_attr_t attr;
        if (pthread_attr_init(&attr) != 0) return false;
        pthread_t thread;
        const bool ok = pthread_attr_setstacksize(&attr, kWorkerStackBytes) == 0 &&
                        pthread_create(&thread, &attr, &Worker::main, this) == 0;
        pthread_attr_destroy(&attr);
        if (ok) pthread_detach(thread);
        return ok;
    }

    // Runs the job on the worker and waits for it.
    void run(Job& job) noexcept {
        std::unique_lock lock(mutex_);
        job_ = &job;
        done_ = false;
        wake_.notify_one();
        finished_.wait(lock, [this] { return done_; });
    }

  private:
    static void* main(void* self) {
        static_cast<Worker*>(self)->loop();
        return nullptr;
    }

    [[noreturn]] void loop() noexcept {
        std::unique_lock lock(mutex_);
        for (;;) {
            wake_.wait(lock, [this] { return job_ != nullptr; });
            Job* job = job_;
            lock.unlock();
            job->result = job->host->call(*job->msg);
            lock.lock();
            job_ = nullptr;
            done_ = true;
            finished_.notify_one();
        }
    }

    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable finished_;
    Job* job_ = nullptr;
    bool done_ = false;
};

// Idle workers. Workers live as long as the process (detached, never destroyed): a chain may
// still be running on one while static destructors run.
class WorkerPool {
  public:
    Worker* acquire() noexcept {
        {
            const std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                Worker* w = idle_.back();
                idle_.pop_back();
                return w;
            }
        }
        auto* w = new (std::nothrow) Worker;
        if (w == nullptr) return nullptr;
        if (!w->start()) {
            delete w;
            return nullptr;
        }
        return w;
    }

    void release(Worker* w) noexcept {
        const std::lock_guard lock(mutex_);
        try {
            idle_.push_back(w);
        } catch (...) {
            // Out of memory: the worker stays parked and unused; nothing is lost but a thread.
        }
    }

  private:
    std::mutex mutex_;
    std::vector<Worker*> idle_;
};

WorkerPool& pool() noexcept {
    static auto* const p = new WorkerPool;  // never destroyed, see WorkerPool
    return *p;
}

ExecutionResult call_on_worker(Host& host, const Message& msg) noexcept {
    Worker* w = pool().acquire();
    if (w == nullptr) {
        ExecutionResult failed;
        failed.status = StatusCode::failure;
        return failed;
    }
    Job job{&host, &msg, {}};
    w->run(job);
    pool().release(w);
    return std::move(job.result);
}

}  // namespace

ExecutionResult call_with_enough_stack(Host& host, const Message& msg) noexcept {
    if (enough_stack_left()) [[likely]]
        return host.call(msg);
    return call_on_worker(host, msg);
}

}  // namespace sluice::evm
