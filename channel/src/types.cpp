// The structural rules of DESIGN.md §3 that need no signature and no history: which params the adjudicator
// accepts and whether a state fits its channel. The update rules (versions, conservation) live in the FSM.
#include "sluice/channel/types.hpp"

#include <algorithm>
#include <string>

#include "sluice/channel/encoding.hpp"
#include "sluice/channel/limits.hpp"

namespace sluice::channel {
namespace {

Error bad_params(std::string message) {
    return make_error(Errc::channel_bad_params, std::move(message));
}
Error bad_shape(std::string message) {
    return make_error(Errc::channel_bad_shape, std::move(message));
}

std::string at_alloc(std::size_t a) {
    return "outcome[" + std::to_string(a) + "]";
}
std::string at_lock(std::size_t a, std::size_t l) {
    return at_alloc(a) + ".locks[" + std::to_string(l) + "]";
}

Status validate_lock(const Lock& lock, std::size_t participants, std::size_t a, std::size_t l) {
    if (lock.from >= participants || lock.to >= participants) {
        return bad_shape(at_lock(a, l) + ": participant index out of range (from " +
                         std::to_string(lock.from) + ", to " + std::to_string(lock.to) + ", " +
                         std::to_string(participants) + " participants)");
    }
    // A lock from a participant to itself moves nothing and only hides funds from the balances.
    if (lock.from == lock.to) return bad_shape(at_lock(a, l) + ": from == to");
    if (lock.amount.is_zero()) return bad_shape(at_lock(a, l) + ": zero amount");
    return {};
}

}  // namespace

bool SignedState::fully_signed() const noexcept {
    return !sigs.empty() &&
           std::all_of(sigs.begin(), sigs.end(), [](const auto& s) { return s.has_value(); });
}

Status validate(const Params& params) {
    const std::size_t n = params.participants.size();
    if (n < kMinParticipants || n > kMaxParticipants) {
        return bad_params("participant count " + std::to_string(n) + " outside 2..16");
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (params.participants[i] == Address{}) {
            return bad_params("participants[" + std::to_string(i) + "] is the zero address");
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (params.participants[j] == params.participants[i]) {
                return bad_params("participants[" + std::to_string(j) + "] and [" + std::to_string(i) +
                                  "] are the same address");
            }
        }
    }
    // A zero chain id can never match block.chainid, so the adjudicator would refuse every dispute
    // (WrongChain) and the deposits could only leave by a cooperative close.
    if (params.chain_id.is_zero()) return bad_params("chain_id is zero");
    // With no challenge period a registered state is final at once: nobody could answer a stale one.
    if (params.challenge_duration == 0) return bad_params("challenge_duration is zero");
    // Issue #18 §7: near 2^48 the adjudicator's uint48(now) + duration overflows and register always
    // reverts, so nobody could exit without the others; a year is more than any dispute needs.
    if (params.challenge_duration > kMaxChallengeDuration) {
        return bad_params("challenge_duration " + std::to_string(params.challenge_duration) +
                          " exceeds the limit " + std::to_string(kMaxChallengeDuration));
    }
    if (params.adjudicator == Address{}) return bad_params("adjudicator is the zero address");
    return {};
}

Result<u256> total_of(const Alloc& alloc) {
    u256 total;
    const auto add = [&total](const u256& amount) {
        total += amount;
        return total >= amount;  // wrapped iff the sum is smaller than an addend
    };
    for (const u256& b : alloc.balances) {
        if (!add(b)) return bad_shape("asset " + alloc.asset.to_hex() + ": total overflows uint256");
    }
    for (const Lock& lock : alloc.locks) {
        if (!add(lock.amount))
            return bad_shape("asset " + alloc.asset.to_hex() + ": total overflows uint256");
    }
    return total;
}

Status validate_shape(const Params& params, const State& state) {
    if (state.channel_id != channel_id(params)) {
        return make_error(Errc::channel_wrong_channel_id, "state.channel_id does not match the params");
    }
    const std::size_t n = params.participants.size();
    for (std::size_t a = 0; a < state.outcome.size(); ++a) {
        const Alloc& alloc = state.outcome[a];
        if (alloc.balances.size() != n) {
            return bad_shape(at_alloc(a) + ": " + std::to_string(alloc.balances.size()) + " balances for " +
                             std::to_string(n) + " participants");
        }
        for (std::size_t b = 0; b < a; ++b) {
            if (state.outcome[b].asset == alloc.asset) {
                return bad_shape(at_alloc(a) + ": asset " + alloc.asset.to_hex() + " repeats outcome[" +
                                 std::to_string(b) + "]");
            }
        }
        for (std::size_t l = 0; l < alloc.locks.size(); ++l)
            SLUICE_CHECK_OK(validate_lock(alloc.locks[l], n, a, l));
        SLUICE_CHECK_OK(total_of(alloc));
    }
    return {};
}

}  // namespace sluice::channel
