#include "sluice/l1/system_contracts.hpp"

#include <vector>

#include "sluice/core/hex.hpp"

namespace sluice::l1 {
namespace {

// EIP-4788: BEACON_ROOTS_ADDRESS and the runtime code the EIP specifies (what hardhat 2.29.1 holds there).
const SystemContract& beacon_roots() {
    static const SystemContract contract{
        Address::from_hex("0x000f3df6d732807ef1319fb7b8bb8522d0beac02").value(),
        from_hex(
            "0x3373fffffffffffffffffffffffffffffffffffffffe14604d57602036146024575f5ffd5b5f358015604957"
            "62001fff810690815414603c575f5ffd5b62001fff01545f5260205ff35b5f5ffd5b62001fff42064281555f3590"
            "62001fff015500")
            .value()};
    return contract;
}

}  // namespace

std::span<const SystemContract> system_contracts(evm::Revision rev) {
    static const std::vector<SystemContract> from_cancun{beacon_roots()};
    if (rev >= evm::Revision::cancun) return from_cancun;
    return {};
}

}  // namespace sluice::l1
