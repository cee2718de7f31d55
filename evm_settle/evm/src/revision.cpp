// Names of EVM revisions as the Ethereum test fixtures spell them.
#include "sluice/evm/revision.hpp"

#include <array>

namespace sluice::evm {
namespace {
constexpr std::array<std::string_view, kNumRevisions> kNames = {
    "Frontier", "Homestead", "EIP150",   "EIP158", "Byzantium", "Constantinople", "ConstantinopleFix", "Istanbul",
    "Berlin",   "London",    "Paris",    "Shanghai", "Cancun",  "Prague",          "Osaka",
};
}  // namespace

std::optional<Revision> revision_from_name(std::string_view name) noexcept {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (kNames[i] == name) return static_cast<Revision>(i);
    }
    if (name == "Merge") return Revision::paris;
    if (name == "Petersburg") return Revision::petersburg;
    return std::nullopt;
}

std::string_view revision_name(Revision rev) noexcept { return kNames[static_cast<std::size_t>(rev)]; }

}  // namespace sluice::evm
