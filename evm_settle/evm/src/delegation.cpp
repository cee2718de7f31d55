// EIP-7702 delegation designator parsing and construction.
#include "sluice/evm/delegation.hpp"

#include <cstring>

namespace sluice::evm {

std::optional<Address> delegation_target(ByteView code) noexcept {
    if (code.size() != kDelegationDesignatorSize || code[0] != 0xef || code[1] != 0x01 || code[2] != 0x00) {
        return std::nullopt;
    }
    Address a;
    std::memcpy(a.data(), code.data() + 3, 20);
    return a;
}

Bytes make_delegation_designator(const Address& delegate) {
    Bytes out(kDelegationDesignatorSize);
    out[0] = 0xef;
    out[1] = 0x01;
    std::memcpy(out.data() + 3, delegate.data(), delegate.size());
    return out;
}

}  // namespace sluice::evm
