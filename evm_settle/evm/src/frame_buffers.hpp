// The per-thread pool of FrameBuffers (execution_state.hpp). A short call would otherwise pay a 33 KiB
// allocation and a fresh zeroed memory page every time, which is most of what a short call costs.
#pragma once

#include "execution_state.hpp"

namespace sluice::evm {

// Holds one FrameBuffers for the lifetime of a frame and gives it back to this thread's pool.
class FrameBuffersLease {
  public:
    FrameBuffersLease() noexcept;
    ~FrameBuffersLease();
    FrameBuffersLease(const FrameBuffersLease&) = delete;
    FrameBuffersLease& operator=(const FrameBuffersLease&) = delete;

    // Null when the allocation failed.
    FrameBuffers* get() const noexcept { return buffers_; }

  private:
    FrameBuffers* buffers_;
};

}  // namespace sluice::evm
