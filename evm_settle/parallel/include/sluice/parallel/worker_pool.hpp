// WorkerPool: threads that stay alive across batches and run one job at a time together with the
// calling thread, so a persistent executor does not spawn and join threads for every batch.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sluice::parallel {

class WorkerPool {
public:
    // `threads` workers in all: the caller of run() plus threads - 1 pool threads (none for 0 or 1).
    explicit WorkerPool(unsigned threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    unsigned size() const noexcept { return static_cast<unsigned>(threads_.size()) + 1; }

    // Runs job(w) for w = 0 .. size() - 1 at once (w = 0 on the calling thread) and returns when
    // every call has returned. The job must not throw. One run at a time.
    void run(const std::function<void(unsigned)>& job);

private:
    void loop(unsigned worker);

    std::mutex mutex_;
    std::condition_variable start_;
    std::condition_variable finished_;
    const std::function<void(unsigned)>* job_ = nullptr;
    std::uint64_t generation_ = 0;
    unsigned running_ = 0;
    bool stop_ = false;
    std::vector<std::jthread> threads_;
};

}  // namespace sluice::parallel
