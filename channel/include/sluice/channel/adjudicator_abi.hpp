// The adjudicator's ABI (contracts/src/Adjudicator.sol) in C++: calldata for every entry point and view,
// decoders for return values and events, and the names of its custom errors in revert data. Pure encoding:
// sending the bytes is the caller's business (l1, dispute, settle), so channel/ never depends on an L1.
// tests/channel/adjudicator_abi_test.cpp checks every signature here against the committed artifact's ABI.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "sluice/channel/types.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/abi_value.hpp"
#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::channel::adjudicator {

// statusOf(channelId) values; anything else is the fingerprint of a registered or concluded state.
inline constexpr Bytes32 kStatusNone{};
inline constexpr Bytes32 kStatusOpen{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
inline constexpr Bytes32 kStatusSettled{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};

// The Registration struct: what a caller states about the channel's registration (from the last
// Registered/Progressed event). finalizes_at 0 means concluded; it and ends_by are uint48 on-chain.
// signed_version: the latest fully signed version of the dispute (== version unless a unilateral move put the
// registered state there); a fully signed state replaces the registration iff its version is above it.
// ends_by: no move sets finalizes_at past it (first registration + DISPUTE_SPAN challenge durations).
struct Registration {
    std::uint64_t version = 0;
    std::uint64_t finalizes_at = 0;
    Hash state_hash;
    std::uint64_t signed_version = 0;
    std::uint64_t ends_by = 0;

    friend bool operator==(const Registration&, const Registration&) = default;
};

// A dispute ends at most this many challenge durations after its first registration
// (Adjudicator.DISPUTE_SPAN).
inline constexpr std::uint64_t kDisputeSpan = 4;

// The Registration of a concluded state (conclude, concludeBatch, a final register): what withdraw takes.
Registration concluded(const State& state);

// keccak256(abi.encode(uint64 version, uint48 finalizesAt, bytes32 stateHash, uint64 signedVersion,
// uint48 endsBy)): the status word the adjudicator stores for a registered or concluded state
// (fingerprint()).
Hash fingerprint(const Registration& registration);
// keccak256(abi.encode(bytes32 stateHash, uint256 pending)): the status word once withdraw has paid all but
// the unresolved locks in `pending` (bit j: the j-th lock over all allocations in order;
// pendingFingerprint()).
Hash pending_fingerprint(const Hash& state_hash, const u256& pending);

// One channel of concludeBatch; sigs as pack_signatures() makes them.
struct Conclusion {
    Params params;
    State state;
    Bytes sigs;
};

// ---- calldata (selector ‖ arguments). Builders taking params or states fail with abi_bad_value when a
// field is out of its on-chain range (challenge duration or finalizes_at above uint48). ----
// Credits the channel up to expected_held + amount, refused while it holds less than expected_held (so
// participant i passes what 0..i-1 deposit and funds after them); ETH above the missing part is refunded.
Result<Bytes> deposit_call(const Params& params, const Address& asset, const u256& expected_held,
                           const u256& amount);
Result<Bytes> conclude_call(const Params& params, const State& state, ByteView sigs);
Result<Bytes> conclude_batch_call(std::span<const Conclusion> items);
// `current` is ignored by the contract on an open channel; pass Registration{} there.
Result<Bytes> register_call(const Params& params, const State& state, ByteView sigs, const Registration& current);
// `current`: the registration of `from`.
Result<Bytes> progress_call(const Params& params, const State& from, const Registration& current,
                            const State& to, std::size_t actor_idx, ByteView sig);
Bytes reveal_preimage_call(const Bytes32& preimage);
// `current`: the registration of `state` (concluded(state) after a conclusion).
Result<Bytes> withdraw_call(const Params& params, const State& state, const Registration& current);
// The second payout stage: the locks of `pending` (from LocksPending) that have resolved since.
Result<Bytes> withdraw_locks_call(const Params& params, const State& state, const u256& pending);
// Splits what a settled channel still holds of `asset` equally among the participants.
Result<Bytes> sweep_call(const Params& params, const Address& asset);
// Pays the caller's deferred payouts of `asset` to `to`.
Bytes claim_call(const Address& asset, const Address& to);

// Views.
Result<Bytes> channel_id_call(const Params& params);
Result<Bytes> hash_state_call(const State& state);
Result<Bytes> state_digest_call(const State& state);
Bytes domain_separator_call();
Result<Bytes> fingerprint_call(const Registration& registration);
Bytes pending_fingerprint_call(const Hash& state_hash, const u256& pending);
Bytes status_of_call(const Hash& channel_id);
Bytes holdings_call(const Hash& channel_id, const Address& asset);
Bytes revealed_at_call(const Hash& hashlock);
Bytes unclaimed_call(const Address& recipient, const Address& asset);

// ---- return values: one canonical 32-byte word (abi_* errors otherwise). ----
// channelId, hashState, stateDigest, domainSeparator, fingerprint, statusOf.
Result<Hash> decode_bytes32_return(ByteView output);
// holdings, revealedAt, unclaimed, and the number of channels concludeBatch concluded.
Result<u256> decode_uint256_return(ByteView output);

// ---- events ----
struct Deposited {
    Hash channel_id;
    Address asset;
    Address depositor;
    u256 amount;
    u256 held;  // the channel's holdings of the asset after the deposit
};
struct Registered {
    Hash channel_id;
    Registration registration;
};
struct Progressed {
    Hash channel_id;
    Registration registration;
    std::uint64_t actor_idx = 0;
    State state;  // the whole new state: a single mover's state may be new to the others
};
struct Concluded {
    Hash channel_id;
    std::uint64_t version = 0;
};
// concludeBatch skipped item `index`; reason: the selector of the custom error conclude would revert with.
struct ConclusionSkipped {
    std::uint64_t index = 0;
    Selector reason;
};
// withdraw paid all but these unresolved locks; withdraw_locks_call pays them once they resolve.
struct LocksPending {
    Hash channel_id;
    u256 pending;
};
struct PreimageRevealed {
    Hash hashlock;
    Bytes32 preimage;
};
struct Withdrawn {
    Hash channel_id;
    Address participant;
    Address asset;
    u256 amount;
};
struct PayoutDeferred {
    Address recipient;
    Address asset;
    u256 amount;
};
struct Claimed {
    Address recipient;
    Address asset;
    Address to;  // where the payout went
    u256 amount;
};

using Event = std::variant<Deposited, Registered, Progressed, Concluded, ConclusionSkipped, PreimageRevealed,
                           Withdrawn, LocksPending, PayoutDeferred, Claimed>;

// The adjudicator's event in one log (topics as emitted, data as emitted). nullopt for a log whose first topic
// is no adjudicator event (e.g. an ERC-20 Transfer in the same receipt); an error for a log that claims to be
// one but does not decode (abi_*, bad_length for a wrong topic count).
Result<std::optional<Event>> decode_event(std::span<const Bytes32> topics, ByteView data);

// The topic0 of each event, e.g. for log filters.
Hash event_topic(std::string_view event_name);

// ---- revert data ----
// A decoded revert: a custom error of the adjudicator (WrongSigner, LockPending, ...) with its arguments, or
// Solidity's Error(string) / Panic(uint256). name is empty when the revert data is empty (out of gas, a plain
// revert) and "unknown" when the selector is none of these.
struct RevertReason {
    std::string name;
    AbiValue args;  // tuple of the error's arguments; empty when it has none or could not be decoded

    // "WrongSigner(1)", "ChannelNotOpen()", "Error(\"...\")", "<empty>", "unknown(0x12345678)".
    std::string describe() const;
};
RevertReason decode_revert(ByteView revert_data);

// Every custom error the adjudicator declares, as "Name(type,...)", for cross-checking against the artifact.
std::span<const std::string_view> error_signatures();
// Every function and event signature the builders and decoders above use.
std::span<const std::string_view> function_signatures();
std::span<const std::string_view> event_signatures();

}  // namespace sluice::channel::adjudicator
