// Spin-then-yield waiting and a tiny spin lock for critical sections of a few dozen instructions.
//
// The machine this runs on is often oversubscribed (more runnable threads than cores), so a waiter
// spins only briefly before yielding its core; a pure spin would starve the thread it waits for.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

namespace sluice::parallel {

inline void cpu_relax() noexcept {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

class Backoff {
public:
    void pause() noexcept {
        if (spins_ < kSpinLimit) {
            ++spins_;
            cpu_relax();
        } else {
            std::this_thread::yield();
        }
    }
    void reset() noexcept { spins_ = 0; }

private:
    static constexpr std::uint32_t kSpinLimit = 64;
    std::uint32_t spins_ = 0;
};

// Test-and-test-and-set lock; satisfies BasicLockable so std::lock_guard works.
class SpinLock {
public:
    void lock() noexcept {
        Backoff backoff;
        while (locked_.exchange(true, std::memory_order_acquire)) {
            while (locked_.load(std::memory_order_relaxed)) backoff.pause();
        }
    }
    void unlock() noexcept { locked_.store(false, std::memory_order_release); }

private:
    std::atomic<bool> locked_{false};
};

// Keeps independently updated hot fields on their own cache lines (avoids false sharing).
inline constexpr std::size_t kCacheLine = 64;

}  // namespace sluice::parallel
