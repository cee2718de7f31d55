// WorkerPool: a generation counter under a mutex starts a job on every pool thread; the caller
// runs its share and waits until the last thread reports back.
#include "sluice/parallel/worker_pool.hpp"

namespace sluice::parallel {

WorkerPool::WorkerPool(unsigned threads) {
    for (unsigned w = 1; w < threads; ++w) threads_.emplace_back([this, w] { loop(w); });
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    start_.notify_all();
    threads_.clear();  // joins
}

void WorkerPool::run(const std::function<void(unsigned)>& job) {
    if (threads_.empty()) {
        job(0);
        return;
    }
    {
        std::lock_guard lock(mutex_);
        job_ = &job;
        running_ = static_cast<unsigned>(threads_.size());
        ++generation_;
    }
    start_.notify_all();
    job(0);
    std::unique_lock lock(mutex_);
    finished_.wait(lock, [this] { return running_ == 0; });
    job_ = nullptr;
}

void WorkerPool::loop(unsigned worker) {
    std::uint64_t seen = 0;
    for (;;) {
        const std::function<void(unsigned)>* job = nullptr;
        {
            std::unique_lock lock(mutex_);
            start_.wait(lock, [&] { return stop_ || generation_ != seen; });
            if (stop_) return;
            seen = generation_;
            job = job_;
        }
        (*job)(worker);
        bool last = false;
        {
            std::lock_guard lock(mutex_);
            last = --running_ == 0;
        }
        if (last) finished_.notify_one();
    }
}

}  // namespace sluice::parallel
