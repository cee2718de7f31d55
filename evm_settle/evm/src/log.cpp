// RLP of logs and the logs hash the state tests compare.
#include "sluice/evm/log.hpp"

#include "sluice/core/keccak.hpp"
#include "sluice/core/rlp.hpp"

namespace sluice::evm {

Bytes rlp_encode_log(const Log& log) {
    Bytes topics;
    for (const Bytes32& t : log.topics) rlp::append_bytes(topics, t.view());
    Bytes payload;
    rlp::append_bytes(payload, log.address.view());
    rlp::append_list_header(payload, topics.size());
    payload.insert(payload.end(), topics.begin(), topics.end());
    rlp::append_bytes(payload, log.data);
    Bytes out;
    rlp::append_list_header(out, payload.size());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

Hash logs_hash(std::span<const Log> logs) {
    Bytes payload;
    for (const Log& log : logs) {
        const Bytes item = rlp_encode_log(log);
        payload.insert(payload.end(), item.begin(), item.end());
    }
    Bytes out;
    rlp::append_list_header(out, payload.size());
    out.insert(out.end(), payload.begin(), payload.end());
    return keccak256(out);
}

}  // namespace sluice::evm
