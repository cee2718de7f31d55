// Signing and checking channel states. Every failure of a participant's signature is channel_bad_signature
// (the core reason kept in the message), so callers branch on one code while logs still say why.
#include "sluice/channel/signing.hpp"

#include <string>

#include "sluice/channel/encoding.hpp"

namespace sluice::channel {
namespace {

std::string slot(std::size_t index) {
    return "signature of participant " + std::to_string(index);
}

Status check_index(const Params& params, std::size_t index) {
    if (index < params.participants.size()) return {};
    return make_error(Errc::channel_not_participant, "participant index " + std::to_string(index) + " of " +
                                                         std::to_string(params.participants.size()));
}

// core's check_signature says why (malformed, high s, or whom it recovers to); here that becomes one code.
Status check_digest_signature(const Params& params, const Hash& digest, std::size_t index,
                              const Signature& sig) {
    const Status checked = check_signature(params.participants[index], digest, sig);
    if (!checked.ok())
        return make_error(Errc::channel_bad_signature, slot(index) + ": " + checked.error().describe());
    return {};
}

}  // namespace

Signature sign_state(const PrivateKey& key, const Params& params, const State& state) {
    return sign(key, state_digest(params, state));
}

Status check_state_signature(const Params& params, const State& state, std::size_t index,
                             const Signature& sig) {
    SLUICE_CHECK_OK(check_index(params, index));
    return check_digest_signature(params, state_digest(params, state), index, sig);
}

std::optional<std::size_t> participant_index(const Params& params, const Address& address) {
    for (std::size_t i = 0; i < params.participants.size(); ++i) {
        if (params.participants[i] == address) return i;
    }
    return std::nullopt;
}

Status check_fully_signed(const Params& params, const SignedState& signed_state) {
    const std::size_t n = params.participants.size();
    if (signed_state.sigs.size() != n) {
        return make_error(Errc::channel_bad_shape, std::to_string(signed_state.sigs.size()) +
                                                       " signature slots for " + std::to_string(n) +
                                                       " participants");
    }
    const Hash digest = state_digest(params, signed_state.state);  // once for all participants
    for (std::size_t i = 0; i < n; ++i) {
        const std::optional<Signature>& sig = signed_state.sigs[i];
        if (!sig) return make_error(Errc::channel_bad_signature, slot(i) + " is missing");
        SLUICE_CHECK_OK(check_digest_signature(params, digest, i, *sig));
    }
    return {};
}

Bytes pack_signatures(std::span<const Signature> sigs) {
    Bytes out;
    out.reserve(65 * sigs.size());
    for (const Signature& sig : sigs) {
        const auto bytes = sig.to_bytes();
        out.insert(out.end(), bytes.begin(), bytes.end());
    }
    return out;
}

Result<Bytes> pack_signatures(const SignedState& signed_state) {
    std::vector<Signature> sigs;
    sigs.reserve(signed_state.sigs.size());
    for (std::size_t i = 0; i < signed_state.sigs.size(); ++i) {
        if (!signed_state.sigs[i]) return make_error(Errc::channel_bad_shape, slot(i) + " is missing");
        sigs.push_back(*signed_state.sigs[i]);
    }
    return pack_signatures(sigs);
}

}  // namespace sluice::channel
