// Naming the reason in a revert: the adjudicator's custom errors by selector, plus Solidity's Error(string) and
// Panic(uint256), so callers and tests can tell WrongSigner(1) from ChannelNotOpen() without string matching.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "sluice/channel/adjudicator_abi.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::channel::adjudicator {
namespace {

// As declared in contracts/src/Adjudicator.sol (adjudicator_abi_test checks the list against the artifact).
constexpr std::array<std::string_view, 36> kErrors = {
    "Reentrancy()",
    "ZeroAmount()",
    "WrongValue()",
    "NotAToken(address)",
    "TokenTransferFailed(address)",
    "WrongChain()",
    "WrongAdjudicator()",
    "WrongParticipantCount(uint256)",
    "WrongChannel()",
    "ChannelSettled()",
    "ChannelNotOpen()",
    "NotFinal()",
    "WrongSignatureCount()",
    "BadSignature(uint256)",
    "HighS(uint256)",
    "WrongSigner(uint256)",
    "WrongCurrent()",
    "ChallengeOver()",
    "ChallengeRunning()",
    "StaleVersion()",
    "NotAppChannel()",
    "WrongVersion()",
    "WrongActor()",
    "FinalState()",
    "OutcomeMismatch()",
    "BadOutcome()",
    "InvalidTransition()",
    "LockPending(bytes32)",
    "InsufficientGas()",
    "NothingToClaim()",
    "ClaimFailed()",
    "ChallengeTooLong(uint256)",
    "HeldBelowExpected(uint256)",
    "AlreadyFunded(uint256)",
    "RefundFailed()",
    "NotSettled()",
};

// Solidity's built-in reasons: require(cond, "message") and assert/arithmetic panics.
constexpr std::array<std::string_view, 2> kBuiltinErrors = {"Error(string)", "Panic(uint256)"};

const std::vector<AbiFunction>& known_errors() {
    static const auto parsed = [] {
        std::vector<AbiFunction> out;
        for (const auto sig : kErrors) out.push_back(AbiFunction::parse(sig).value());
        for (const auto sig : kBuiltinErrors) out.push_back(AbiFunction::parse(sig).value());
        return out;
    }();
    return parsed;
}

}  // namespace

std::span<const std::string_view> error_signatures() { return kErrors; }

RevertReason decode_revert(ByteView revert_data) {
    if (revert_data.empty()) return {};
    if (revert_data.size() >= 4) {
        for (const auto& error : known_errors()) {
            if (!std::equal(error.selector.begin(), error.selector.end(), revert_data.begin())) continue;
            auto args = decode_params(error.params, revert_data.subspan(4));
            // Right selector, wrong arguments: still the error it names, so keep the name.
            return RevertReason{error.name, args ? std::move(*args) : AbiValue{}};
        }
    }
    const ByteView selector = revert_data.first(std::min<std::size_t>(4, revert_data.size()));
    return RevertReason{"unknown", AbiValue::list({AbiValue::bytes(selector)})};
}

std::string RevertReason::describe() const {
    if (name.empty()) return "<empty>";
    const std::string inner = args.describe();  // "[a,b]"
    return name + "(" + inner.substr(1, inner.size() - 2) + ")";
}

}  // namespace sluice::channel::adjudicator
