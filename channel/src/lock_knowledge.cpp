// What a participant knows about hashlocks besides what proposals reveal (update_rules.hpp).
#include <algorithm>

#include "sluice/channel/update_rules.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel {

void LockKnowledge::add_preimage(const Bytes32& preimage) {
    preimages[keccak256(preimage.view())] = preimage;
}

void LockKnowledge::add_reveal(const Hash& hashlock, std::uint64_t at) {
    auto [it, inserted] = revealed_at.emplace(hashlock, at);
    if (!inserted) it->second = std::min(it->second, at);
}

}  // namespace sluice::channel
