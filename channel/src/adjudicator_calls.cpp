// Calldata for the adjudicator's entry points and views, and decoding of their one-word return values.
#include <array>
#include <string_view>

#include "adjudicator_signatures.hpp"
#include "sluice/channel/adjudicator_abi.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel::adjudicator {
namespace {

enum class Fn : std::uint8_t {
    deposit,
    conclude,
    conclude_batch,
    register_,
    progress,
    reveal_preimage,
    withdraw,
    withdraw_locks,
    sweep,
    claim,
    channel_id,
    hash_state,
    state_digest,
    domain_separator,
    fingerprint,
    pending_fingerprint,
    status_of,
    holdings,
    revealed_at,
    unclaimed,
};

// In Fn order.
#define SLUICE_ABI_REGISTRATION "(uint64,uint48,bytes32,uint64,uint48)"
constexpr std::array<std::string_view, 20> kFunctions = {
    "deposit(" SLUICE_ABI_PARAMS ",address,uint256,uint256)",
    "conclude(" SLUICE_ABI_PARAMS "," SLUICE_ABI_STATE ",bytes)",
    "concludeBatch((" SLUICE_ABI_PARAMS "," SLUICE_ABI_STATE ",bytes)[])",
    "register(" SLUICE_ABI_PARAMS "," SLUICE_ABI_STATE ",bytes," SLUICE_ABI_REGISTRATION ")",
    "progress(" SLUICE_ABI_PARAMS "," SLUICE_ABI_STATE "," SLUICE_ABI_REGISTRATION "," SLUICE_ABI_STATE
    ",uint256,bytes)",
    "revealPreimage(bytes32)",
    "withdraw(" SLUICE_ABI_PARAMS "," SLUICE_ABI_STATE "," SLUICE_ABI_REGISTRATION ")",
    "withdrawLocks(" SLUICE_ABI_PARAMS "," SLUICE_ABI_STATE ",uint256)",
    "sweep(" SLUICE_ABI_PARAMS ",address)",
    "claim(address,address)",
    "channelId(" SLUICE_ABI_PARAMS ")",
    "hashState(" SLUICE_ABI_STATE ")",
    "stateDigest(" SLUICE_ABI_STATE ")",
    "domainSeparator()",
    "fingerprint(uint64,uint48,bytes32,uint64,uint48)",
    "pendingFingerprint(bytes32,uint256)",
    "statusOf(bytes32)",
    "holdings(bytes32,address)",
    "revealedAt(bytes32)",
    "unclaimed(address,address)",
};

const AbiFunction& function(Fn fn) {
    static const auto parsed = [] {
        std::array<AbiFunction, kFunctions.size()> out;
        for (std::size_t i = 0; i < kFunctions.size(); ++i) out[i] = AbiFunction::parse(kFunctions[i]).value();
        return out;
    }();
    return parsed[static_cast<std::size_t>(fn)];
}

Result<Bytes> call(Fn fn, AbiValue::List args) { return function(fn).encode_call(AbiValue::list(std::move(args))); }

// For argument shapes that are fixed and always in range: failing here is a bug, not an input error.
Bytes fixed_call(Fn fn, AbiValue::List args) { return call(fn, std::move(args)).value(); }

AbiValue uint(std::uint64_t v) { return AbiValue::uint(u256{v}); }

AbiValue::List registration_fields(const Registration& r) {
    return {uint(r.version), uint(r.finalizes_at), AbiValue::bytes(r.state_hash), uint(r.signed_version),
            uint(r.ends_by)};
}

AbiValue registration_abi(const Registration& r) {
    return AbiValue::list(registration_fields(r));
}

Result<Bytes32> one_word(ByteView output) {
    if (output.size() != 32) {
        return make_error(Errc::abi_bad_length, "a one-word return value is 32 bytes, got " +
                                                    std::to_string(output.size()));
    }
    return Bytes32::from_view(output);
}

}  // namespace

std::span<const std::string_view> function_signatures() { return kFunctions; }

Registration concluded(const State& state) {
    return Registration{state.version, 0, state_hash(state), state.version, 0};
}

Hash fingerprint(const Registration& r) {
    // abi.encode of five static words; an over-range finalizes_at or ends_by would never match on-chain.
    Bytes words;
    words.reserve(5 * 32);
    for (const u256& word : {u256{r.version}, u256{r.finalizes_at}, u256::from_be(r.state_hash.view()),
                             u256{r.signed_version}, u256{r.ends_by}}) {
        const auto be = word.to_be();
        words.insert(words.end(), be.begin(), be.end());
    }
    return keccak256(words);
}

Hash pending_fingerprint(const Hash& state_hash, const u256& pending) {
    Bytes words(state_hash.begin(), state_hash.end());
    const auto be = pending.to_be();
    words.insert(words.end(), be.begin(), be.end());
    return keccak256(words);
}

Result<Bytes> deposit_call(const Params& params, const Address& asset, const u256& expected_held,
                           const u256& amount) {
    return call(Fn::deposit, {to_abi(params), AbiValue::address(asset), AbiValue::uint(expected_held),
                              AbiValue::uint(amount)});
}

Result<Bytes> conclude_call(const Params& params, const State& state, ByteView sigs) {
    return call(Fn::conclude, {to_abi(params), to_abi(state), AbiValue::bytes(sigs)});
}

Result<Bytes> conclude_batch_call(std::span<const Conclusion> items) {
    AbiValue::List list;
    list.reserve(items.size());
    for (const auto& item : items) {
        list.push_back(AbiValue::list({to_abi(item.params), to_abi(item.state), AbiValue::bytes(item.sigs)}));
    }
    return call(Fn::conclude_batch, {AbiValue::list(std::move(list))});
}

Result<Bytes> register_call(const Params& params, const State& state, ByteView sigs, const Registration& current) {
    return call(Fn::register_, {to_abi(params), to_abi(state), AbiValue::bytes(sigs), registration_abi(current)});
}

Result<Bytes> progress_call(const Params& params, const State& from, const Registration& current,
                            const State& to, std::size_t actor_idx, ByteView sig) {
    return call(Fn::progress, {to_abi(params), to_abi(from), registration_abi(current), to_abi(to),
                               uint(actor_idx), AbiValue::bytes(sig)});
}

Bytes reveal_preimage_call(const Bytes32& preimage) { return fixed_call(Fn::reveal_preimage, {AbiValue::bytes(preimage)}); }

Result<Bytes> withdraw_call(const Params& params, const State& state, const Registration& current) {
    return call(Fn::withdraw, {to_abi(params), to_abi(state), registration_abi(current)});
}

Result<Bytes> withdraw_locks_call(const Params& params, const State& state, const u256& pending) {
    return call(Fn::withdraw_locks, {to_abi(params), to_abi(state), AbiValue::uint(pending)});
}

Result<Bytes> sweep_call(const Params& params, const Address& asset) {
    return call(Fn::sweep, {to_abi(params), AbiValue::address(asset)});
}

Bytes claim_call(const Address& asset, const Address& to) {
    return fixed_call(Fn::claim, {AbiValue::address(asset), AbiValue::address(to)});
}

Result<Bytes> channel_id_call(const Params& params) { return call(Fn::channel_id, {to_abi(params)}); }
Result<Bytes> hash_state_call(const State& state) { return call(Fn::hash_state, {to_abi(state)}); }
Result<Bytes> state_digest_call(const State& state) { return call(Fn::state_digest, {to_abi(state)}); }
Bytes domain_separator_call() { return fixed_call(Fn::domain_separator, {}); }

Result<Bytes> fingerprint_call(const Registration& r) {
    return call(Fn::fingerprint, registration_fields(r));
}

Bytes pending_fingerprint_call(const Hash& state_hash, const u256& pending) {
    return fixed_call(Fn::pending_fingerprint, {AbiValue::bytes(state_hash), AbiValue::uint(pending)});
}

Bytes status_of_call(const Hash& channel_id) { return fixed_call(Fn::status_of, {AbiValue::bytes(channel_id)}); }

Bytes holdings_call(const Hash& channel_id, const Address& asset) {
    return fixed_call(Fn::holdings, {AbiValue::bytes(channel_id), AbiValue::address(asset)});
}

Bytes revealed_at_call(const Hash& hashlock) { return fixed_call(Fn::revealed_at, {AbiValue::bytes(hashlock)}); }

Bytes unclaimed_call(const Address& recipient, const Address& asset) {
    return fixed_call(Fn::unclaimed, {AbiValue::address(recipient), AbiValue::address(asset)});
}

Result<Hash> decode_bytes32_return(ByteView output) { return one_word(output); }

Result<u256> decode_uint256_return(ByteView output) {
    SLUICE_TRY(const auto word, one_word(output));
    return u256::from_be(word.view());
}

}  // namespace sluice::channel::adjudicator
