// CREATE and CREATE2 contract addresses.
#include "sluice/evm/create_address.hpp"

#include <cstring>

#include "sluice/core/keccak.hpp"
#include "sluice/core/rlp.hpp"

namespace sluice::evm {
namespace {

Address last20(const Hash& h) {
    Address a;
    std::memcpy(a.data(), h.data() + 12, 20);
    return a;
}

}  // namespace

Address create_address(const Address& sender, std::uint64_t sender_nonce) {
    Bytes payload;
    rlp::append_bytes(payload, sender.view());
    rlp::append_uint(payload, sender_nonce);
    Bytes encoded;
    rlp::append_list_header(encoded, payload.size());
    encoded.insert(encoded.end(), payload.begin(), payload.end());
    return last20(keccak256(encoded));
}

Address create2_address(const Address& sender, const Bytes32& salt, const Hash& initcode_hash) {
    Bytes buf;
    buf.reserve(1 + 20 + 32 + 32);
    buf.push_back(0xff);
    buf.insert(buf.end(), sender.begin(), sender.end());
    buf.insert(buf.end(), salt.begin(), salt.end());
    buf.insert(buf.end(), initcode_hash.begin(), initcode_hash.end());
    return last20(keccak256(buf));
}

}  // namespace sluice::evm
