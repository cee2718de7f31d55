// The per-frame state the interpreter threads through its instructions: EVM memory with incremental
// expansion cost, the return data buffer, the refund counter, and the frame's inputs.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

#include "sluice/evm/host.hpp"
#include "sluice/evm/interpreter.hpp"

namespace sluice::evm {

// Memory beyond this many bytes costs more gas than any int64 budget can pay (~3.6e13 at 4 GiB),
// so larger offsets/sizes are out-of-gas without computing their cost.
inline constexpr std::uint64_t kMaxMemorySize = std::uint64_t{1} << 32;

constexpr std::int64_t num_words(std::uint64_t size) noexcept {
    return static_cast<std::int64_t>((size + 31) / 32);
}

// Yellow paper C_mem: 3 per word plus words^2/512.
constexpr std::int64_t memory_cost(std::int64_t words) noexcept {
    return 3 * words + words * words / 512;
}

class Memory {
  public:
    Memory() = default;
    Memory(const Memory&) = delete;
    Memory& operator=(const Memory&) = delete;

    std::uint8_t* data() noexcept { return buf_.get(); }
    std::uint64_t size() const noexcept { return size_; }
    std::uint64_t capacity() const noexcept { return capacity_; }

    // Grows to `new_size` bytes (a multiple of 32, > size()), zero-filled. False if allocation fails.
    bool grow(std::uint64_t new_size) noexcept;

    // Empties the memory for the next frame but keeps the buffer (its bytes are zeroed again as they
    // are grown into), unless it is bigger than a frame usually needs.
    void clear_for_reuse(std::uint64_t max_kept_capacity) noexcept;

  private:
    struct Free {
        void operator()(std::uint8_t* p) const noexcept { std::free(p); }
    };
    std::unique_ptr<std::uint8_t, Free> buf_;
    std::uint64_t size_ = 0;
    std::uint64_t capacity_ = 0;
};

inline constexpr int kStackLimit = 1024;

// What a frame needs that is too big for the native stack (1024 u256 is 32 KiB) or worth keeping
// between frames (the memory buffer): frame_buffers.hpp pools them per thread, so a call pays no
// allocation once its thread has run one of the same depth. The stack is raw storage, not u256[]
// (whose constructor would zero 32 KiB per call): u256 is an implicit-lifetime type and every slot
// is written before it is read.
struct FrameBuffers {
    // Slot 0 stays unused so that "empty" (top == bottom - 1) is a valid pointer.
    u256* stack_bottom() noexcept { return std::launder(reinterpret_cast<u256*>(stack_storage)) + 1; }

    Memory memory;
    alignas(32) std::byte stack_storage[sizeof(u256) * (kStackLimit + 1)];
};

// The frame itself is small and lives on the native stack of `execute`; the recursion of nested
// calls through the host costs a few hundred bytes of native stack per depth.
struct ExecutionState {
    ExecutionState(Host& h, Revision r, const Message& m, const CodeAnalysis& a, FrameBuffers& b) noexcept
        : host(h), rev(r), msg(m), analysis(a), code(a.padded_code()), memory(b.memory), buffers_(b) {}
    ExecutionState(const ExecutionState&) = delete;
    ExecutionState& operator=(const ExecutionState&) = delete;

    u256* stack_bottom() noexcept { return buffers_.stack_bottom(); }

    Host& host;
    Revision rev;
    const Message& msg;
    const CodeAnalysis& analysis;
    const std::uint8_t* code;  // padded
    Memory& memory;
    Bytes return_data;
    std::int64_t gas_refund = 0;
    std::uint64_t output_offset = 0;
    std::uint64_t output_size = 0;

    const TxContext& tx_context() noexcept {
        if (tx_ == nullptr) tx_ = &host.get_tx_context();
        return *tx_;
    }

  private:
    FrameBuffers& buffers_;
    const TxContext* tx_ = nullptr;
};

// Charges expansion to cover [0, end) (end <= 2 * kMaxMemorySize) and grows. Returns the gas left,
// negative when out of gas. Gas travels by value so the interpreter can keep it in a register.
std::int64_t grow_memory(std::int64_t gas, Memory& memory, std::uint64_t end) noexcept;

// Charges and grows memory to cover [offset, offset+size); size == 0 never touches memory. On
// success (result >= 0) offset and size are known to fit kMaxMemorySize.
inline std::int64_t check_memory(std::int64_t gas, Memory& memory, const u256& offset,
                                 const u256& size) noexcept {
    if (size.is_zero()) return gas;
    if (!offset.fits_u64() || !size.fits_u64() || offset.low64() > kMaxMemorySize ||
        size.low64() > kMaxMemorySize)
        return -1;
    const std::uint64_t end = offset.low64() + size.low64();
    return end <= memory.size() ? gas : grow_memory(gas, memory, end);
}

// Fixed-size access (MLOAD/MSTORE/MSTORE8).
template <std::uint64_t Size>
inline std::int64_t check_memory(std::int64_t gas, Memory& memory, const u256& offset) noexcept {
    if (!offset.fits_u64() || offset.low64() > kMaxMemorySize) return -1;
    const std::uint64_t end = offset.low64() + Size;
    return end <= memory.size() ? gas : grow_memory(gas, memory, end);
}

inline Address to_address(const u256& v) noexcept {
    std::uint8_t buf[32];
    v.store_be(buf);
    Address a;
    std::memcpy(a.data(), buf + 12, 20);
    return a;
}

inline u256 to_u256(const Address& a) noexcept {
    return u256::from_be(a.view());
}
inline u256 to_u256(const Bytes32& b) noexcept {
    return u256::load_be(b.data());
}
inline Bytes32 to_bytes32(const u256& v) noexcept {
    Bytes32 b;
    v.store_be(b.data());
    return b;
}

}  // namespace sluice::evm
