// EVM memory growth: word-granular, zero-filled, gas charged for the increment only.
#include <algorithm>

#include "execution_state.hpp"

namespace sluice::evm {

// Only [size_, new_size) is zeroed: a reused buffer holds the previous frame's bytes beyond size_,
// and zeroing the whole capacity up front would cost a fresh frame more than it uses.
bool Memory::grow(std::uint64_t new_size) noexcept {
    if (new_size > capacity_) {
        const std::uint64_t cap = std::max<std::uint64_t>({new_size, capacity_ * 2, 4096});
        auto* p = static_cast<std::uint8_t*>(std::realloc(buf_.get(), cap));
        if (p == nullptr) return false;
        static_cast<void>(buf_.release());
        buf_.reset(p);
        capacity_ = cap;
    }
    std::memset(buf_.get() + size_, 0, new_size - size_);
    size_ = new_size;
    return true;
}

void Memory::clear_for_reuse(std::uint64_t max_kept_capacity) noexcept {
    size_ = 0;
    if (capacity_ > max_kept_capacity) {
        buf_.reset();
        capacity_ = 0;
    }
}

std::int64_t grow_memory(std::int64_t gas, Memory& memory, std::uint64_t end) noexcept {
    const std::int64_t new_words = num_words(end);
    const std::int64_t old_words = static_cast<std::int64_t>(memory.size() / 32);
    gas -= memory_cost(new_words) - memory_cost(old_words);
    if (gas < 0 || !memory.grow(static_cast<std::uint64_t>(new_words) * 32)) return -1;
    return gas;
}

}  // namespace sluice::evm
