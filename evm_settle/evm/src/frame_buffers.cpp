// A fixed array per thread, not a vector: giving a buffer back must not allocate. Only the shallow
// depths are kept; a deep call chain frees the rest as it unwinds, so an idle thread holds at most
// kPooledFrames * (33 KiB + kKeptMemoryBytes).
#include "frame_buffers.hpp"

#include <array>
#include <cstddef>
#include <new>

namespace sluice::evm {

namespace {

constexpr std::size_t kPooledFrames = 8;
constexpr std::uint64_t kKeptMemoryBytes = std::uint64_t{1} << 20;

class FramePool {
  public:
    FramePool() = default;
    FramePool(const FramePool&) = delete;
    FramePool& operator=(const FramePool&) = delete;
    ~FramePool() {
        for (std::size_t i = 0; i < count_; ++i)
            delete free_[i];
    }

    FrameBuffers* take() noexcept {
        if (count_ != 0) return free_[--count_];
        return new (std::nothrow) FrameBuffers;  // default-initialised: the stack storage is not zeroed
    }

    void give_back(FrameBuffers* b) noexcept {
        b->memory.clear_for_reuse(kKeptMemoryBytes);
        if (count_ < kPooledFrames) {
            free_[count_++] = b;
        } else {
            delete b;
        }
    }

  private:
    std::array<FrameBuffers*, kPooledFrames> free_{};
    std::size_t count_ = 0;
};

thread_local FramePool pool;

}  // namespace

FrameBuffersLease::FrameBuffersLease() noexcept : buffers_(pool.take()) {}

FrameBuffersLease::~FrameBuffersLease() {
    if (buffers_ != nullptr) pool.give_back(buffers_);
}

}  // namespace sluice::evm
