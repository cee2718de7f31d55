// The channel protocol's data types (DESIGN.md §3), field for field the structs of
// contracts/src/ChannelTypes.sol. Plain values: encoding lives in encoding.hpp, signatures in signing.hpp,
// JSON in json.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::channel {

inline constexpr std::size_t kMinParticipants = 2;
inline constexpr std::size_t kMaxParticipants = 16;
inline constexpr std::uint64_t kMaxUint48 = (std::uint64_t{1} << 48) - 1;

struct Params {
    u256 chain_id;
    Address adjudicator;
    std::vector<Address> participants;
    std::uint64_t nonce = 0;
    std::uint64_t challenge_duration = 0;  // uint48 on-chain, seconds
    Address app;                           // zero: a payment-only channel

    bool is_app_channel() const noexcept { return app != Address{}; }
    friend bool operator==(const Params&, const Params&) = default;
};

// hashlock = keccak256(preimage) of a 32-byte preimage; expiry is a unix time in seconds.
struct Lock {
    Hash hashlock;
    u256 amount;
    std::uint16_t from = 0;  // participant index paying
    std::uint16_t to = 0;    // participant index paid on reveal
    std::uint64_t expiry = 0;

    friend bool operator==(const Lock&, const Lock&) = default;
};

// asset zero = ETH, otherwise an ERC-20 token; balances[i] belongs to participant i.
struct Alloc {
    Address asset;
    std::vector<u256> balances;
    std::vector<Lock> locks;

    friend bool operator==(const Alloc&, const Alloc&) = default;
};

struct State {
    Hash channel_id;
    std::uint64_t version = 0;
    std::vector<Alloc> outcome;
    Bytes app_data;
    bool is_final = false;

    friend bool operator==(const State&, const State&) = default;
};

// A state with the signatures collected so far, one slot per participant in participant order.
struct SignedState {
    State state;
    std::vector<std::optional<Signature>> sigs;

    bool fully_signed() const noexcept;
    friend bool operator==(const SignedState&, const SignedState&) = default;
};

// Params a channel may be opened with: 2..16 distinct non-zero participants, non-zero chain id (the
// adjudicator disputes only on its own chain), 0 < challenge_duration <= kMaxChallengeDuration (limits.hpp;
// zero would leave no time to answer a stale state), non-zero adjudicator (channel_bad_params, with which
// rule failed).
Status validate(const Params& params);

// A state fits its channel: channel id, one balance per participant in every alloc, distinct assets,
// lock indices in range and from != to, lock amounts non-zero, no u256 overflow in any per-asset total
// (channel_wrong_channel_id, channel_bad_shape).
Status validate_shape(const Params& params, const State& state);

// Per-asset total of balances plus locked amounts; fails (channel_bad_shape) on overflow.
Result<u256> total_of(const Alloc& alloc);

}  // namespace sluice::channel
