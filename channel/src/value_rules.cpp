// Invariant 3, the dispute limits and the shape rules every update obeys, payment or app channel
// (update_rules.hpp).
#include <algorithm>
#include <limits>
#include <string>

#include "sluice/channel/limits.hpp"
#include "sluice/channel/update_rules.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::channel {
namespace {

Error over_limit(const std::string& what, std::size_t count, std::size_t limit) {
    return make_error(Errc::channel_limit_exceeded, what + " " + std::to_string(count) +
                                                        " exceeds the limit " + std::to_string(limit) +
                                                        " a dispute can carry");
}

// The base already froze the channel at least as long with this hashlock: the proposal extends nothing.
bool already_held(const Alloc& before, const Lock& lock) {
    return std::any_of(before.locks.begin(), before.locks.end(), [&](const Lock& old) {
        return old.hashlock == lock.hashlock && old.expiry >= lock.expiry;
    });
}

}  // namespace

Status check_limits(const State& state) {
    if (state.outcome.size() > kMaxAssets) return over_limit("asset count", state.outcome.size(), kMaxAssets);
    std::size_t locks = 0;
    for (const Alloc& alloc : state.outcome)
        locks += alloc.locks.size();
    if (locks > kMaxLocks) return over_limit("lock count", locks, kMaxLocks);
    if (state.app_data.size() > kMaxAppDataBytes)
        return over_limit("app data size", state.app_data.size(), kMaxAppDataBytes);
    return {};
}

Status check_within_deposits(const Deposits& deposits, const State& state) {
    for (const Alloc& alloc : state.outcome) {
        SLUICE_TRY(const u256 total, total_of(alloc));
        const auto deposit = deposits.find(alloc.asset);
        const u256 held = deposit == deposits.end() ? u256{} : deposit->second;
        if (total > held) {
            return make_error(Errc::channel_exceeds_deposits, "asset " + alloc.asset.to_hex() + ": total " +
                                                                  total.to_dec() + " exceeds the deposits " +
                                                                  held.to_dec());
        }
    }
    return {};
}

Status check_value_rules(const UpdateContext& ctx, const State& from, const State& to) {
    SLUICE_CHECK_OK(validate_shape(ctx.params, to));
    SLUICE_CHECK_OK(check_limits(to));
    if (to.outcome.size() != from.outcome.size()) {
        return make_error(Errc::channel_bad_shape, "an update may not add or remove assets");
    }
    for (std::size_t a = 0; a < to.outcome.size(); ++a) {
        const Alloc& before = from.outcome[a];
        const Alloc& after = to.outcome[a];
        if (after.asset != before.asset) {
            return make_error(Errc::channel_bad_shape,
                              "outcome[" + std::to_string(a) + "] changes its asset");
        }
        SLUICE_TRY(const u256 total_before, total_of(before));
        SLUICE_TRY(const u256 total_after, total_of(after));
        if (total_after != total_before) {
            return make_error(Errc::channel_value_not_conserved, "asset " + after.asset.to_hex() +
                                                                     ": total " + total_before.to_dec() +
                                                                     " becomes " + total_after.to_dec());
        }
        // The adjudicator's withdraw waits while a lock is unresolved; a final state must pay out at once.
        if (to.is_final && !after.locks.empty()) {
            return make_error(Errc::channel_bad_lock, "a final state may not hold locks");
        }
    }
    return check_within_deposits(ctx.deposits, to);
}

Status check_lock_lifetimes(const State& from, const State& to, std::uint64_t now,
                            std::uint64_t max_lifetime) {
    constexpr std::uint64_t kMax = std::numeric_limits<std::uint64_t>::max();
    const std::uint64_t latest_allowed = now > kMax - max_lifetime ? kMax : now + max_lifetime;
    for (std::size_t a = 0; a < to.outcome.size(); ++a) {
        for (const Lock& lock : to.outcome[a].locks) {
            if (lock.expiry <= latest_allowed) continue;
            if (a < from.outcome.size() && already_held(from.outcome[a], lock)) continue;
            return make_error(Errc::channel_lock_too_long,
                              "lock " + to_hex(lock.hashlock.view()) + " expires at " +
                                  std::to_string(lock.expiry) + ", later than " +
                                  std::to_string(max_lifetime) + " s from now " + std::to_string(now));
        }
    }
    return {};
}

}  // namespace sluice::channel
