// CryptoCost: what one signature and one recovery cost on this machine, measured in the benchmark's own run
// (one thread) with the channel layer's own functions on a two-party payment state holding one lock: a
// sign_state (state digest + secp256k1 recoverable sign) and a check_state_signature (digest + recovery +
// compare). With the counts of signatures and recoveries a payment needs, this gives the crypto bound.
#pragma once

#include <cstddef>

namespace sluice::bench {

struct CryptoCost {
    double sign_us = 0;
    double recover_us = 0;
};

// Times `iterations` of each (after a short warm-up); the mean per call.
CryptoCost measure_crypto_cost(std::size_t iterations);

// The signatures and recoveries of one completed two-party update round (channel::Machine): the proposer
// signs the proposal digest and, last, the state; the other signs the state. The other recovers the
// proposal's signer, the proposer the countersignature, and the other both signatures of the Completion.
inline constexpr double kSignsPerRound = 3;
inline constexpr double kRecoversPerRound = 4;
// A payment A -> hub -> B without batching: the lock A -> hub, the lock hub -> B, B settles with the
// preimage, the hub settles upstream.
inline constexpr double kRoundsPerPaymentUnbatched = 4;

}  // namespace sluice::bench
