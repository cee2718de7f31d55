// EVM memory growth: word-granular, zero-filled, gas charged for the increment only.
#include <algorithm>

#include "execution_state.hpp"

namespace sluice::evm {

// The whole capacity is kept zeroed beyond size_, so growing within it is just a new size.
bool Memory::grow(std::uint64_t new_size) noexcept {
    if (new_size > capacity_) {
        const std::uint64_t cap = std::max<std::uint64_t>({new_size, capacity_ * 2, 4096});
        auto* p = static_cast<std::uint8_t*>(std::realloc(buf_.get(), cap));
        if (p == nullptr) return false;
        static_cast<void>(buf_.release());
        buf_.reset(p);
        std::memset(p + capacity_, 0, cap - capacity_);
        capacity_ = cap;
    }
    size_ = new_size;
    return true;
}

std::int64_t grow_memory(std::int64_t gas, Memory& memory, std::uint64_t end) noexcept {
    const std::int64_t new_words = num_words(end);
    const std::int64_t old_words = static_cast<std::int64_t>(memory.size() / 32);
    gas -= memory_cost(new_words) - memory_cost(old_words);
    if (gas < 0 || !memory.grow(static_cast<std::uint64_t>(new_words) * 32)) return -1;
    return gas;
}

}  // namespace sluice::evm
