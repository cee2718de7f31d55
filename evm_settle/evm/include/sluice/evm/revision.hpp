// EVM revisions (hard forks), in activation order. Gas tables and opcode availability key on these.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sluice::evm {

enum class Revision : std::uint8_t {
    frontier = 0,
    homestead = 1,
    tangerine_whistle = 2,
    spurious_dragon = 3,
    byzantium = 4,
    constantinople = 5,
    petersburg = 6,
    istanbul = 7,
    berlin = 8,
    london = 9,
    paris = 10,
    shanghai = 11,
    cancun = 12,
    prague = 13,
    osaka = 14,
};

inline constexpr Revision kLatestRevision = Revision::osaka;
inline constexpr std::size_t kNumRevisions = 15;

// The names the state-test fixtures use ("London", "Cancun", "Prague", ...); nullopt if unknown.
std::optional<Revision> revision_from_name(std::string_view name) noexcept;
std::string_view revision_name(Revision rev) noexcept;

}  // namespace sluice::evm
