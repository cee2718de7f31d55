// ABI encoding and hashing of the channel types, byte-identical to the adjudicator (contracts/README.md,
// "Protocol details C++ must match"); contracts/vectors/channel_vectors.json holds the known answers.
#pragma once

#include "sluice/channel/types.hpp"
#include "sluice/core/abi_type.hpp"
#include "sluice/core/abi_value.hpp"

namespace sluice::channel {

// The tuple types: Params (uint256,address,address[],uint64,uint48,address), State
// (bytes32,uint64,(address,uint256[],(bytes32,uint256,uint16,uint16,uint64)[])[],bytes,bool).
const AbiType& params_abi_type();
const AbiType& state_abi_type();

AbiValue to_abi(const Params& params);
AbiValue to_abi(const State& state);
// From values decoded against params_abi_type()/state_abi_type() (e.g. a Progressed event's state);
// range checks on uint16/uint48/uint64 fields give abi_bad_value.
Result<Params> params_from_abi(const AbiValue& value);
Result<State> state_from_abi(const AbiValue& value);

// abi.encode(params): the struct as one dynamic tuple argument (leading 0x20 offset word).
Bytes encode(const Params& params);
Bytes encode(const State& state);
// Strict inverses of encode() (canonical encoding only, no trailing bytes).
Result<Params> decode_params(ByteView data);
Result<State> decode_state(ByteView data);

// keccak256(abi.encode(params)) — the adjudicator's channelId(params).
Hash channel_id(const Params& params);
// EIP-712 hashStruct(state) — the adjudicator's hashState(state).
Hash state_hash(const State& state);
// The domain {name "Sluice", version "1", chainId, verifyingContract adjudicator}.
Hash domain_separator(const u256& chain_id, const Address& adjudicator);
// The digest every participant signs — the adjudicator's stateDigest(state).
Hash state_digest(const Params& params, const State& state);

}  // namespace sluice::channel
