// Signing and checking channel states: recoverable low-s secp256k1 over state_digest(), and the packed
// r‖s‖v (v = 27/28) signature bytes the adjudicator takes, 65 × participants in participant order.
#pragma once

#include <span>

#include "sluice/channel/types.hpp"

namespace sluice::channel {

Signature sign_state(const PrivateKey& key, const Params& params, const State& state);

// Ok when `sig` is a low-s signature of the state by participants[index]
// (channel_not_participant for a bad index, channel_bad_signature otherwise, with the recovered signer).
Status check_state_signature(const Params& params, const State& state, std::size_t index, const Signature& sig);

// Index of `address` among the participants, if it is one.
std::optional<std::size_t> participant_index(const Params& params, const Address& address);

// All slots filled and every one valid (first failure returned).
Status check_fully_signed(const Params& params, const SignedState& signed_state);

// The `sigs` argument of conclude/register: 65 bytes per signature, v as 27/28.
Bytes pack_signatures(std::span<const Signature> sigs);
// Fails (channel_bad_shape) unless every slot is filled.
Result<Bytes> pack_signatures(const SignedState& signed_state);

}  // namespace sluice::channel
