// Invariant 4 for payment channels: nobody but the proposer loses, with locks counted as update_rules.hpp
// explains.
#include <algorithm>
#include <string>

#include "sluice/channel/update_rules.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel {
namespace {

bool contains(const std::vector<Lock>& locks, const Lock& lock) {
    return std::find(locks.begin(), locks.end(), lock) != locks.end();
}

bool revealed(std::span<const Bytes32> preimages, const Hash& hashlock) {
    return std::any_of(preimages.begin(), preimages.end(),
                       [&](const Bytes32& p) { return keccak256(p.view()) == hashlock; });
}

std::string lock_name(const Lock& lock) {
    return "lock " + to_hex(lock.hashlock.view());
}

// Who receives a removed lock, or why it may not be removed.
Result<std::size_t> resolve_removed(const UpdateContext& ctx, const Lock& lock, std::size_t proposer,
                                    std::span<const Bytes32> preimages) {
    if (revealed(preimages, lock.hashlock)) {
        if (ctx.now <= lock.expiry || proposer == lock.from) return std::size_t{lock.to};
        return make_error(Errc::channel_bad_lock,
                          lock_name(lock) + " expired before its preimage was revealed");
    }
    if (ctx.now > lock.expiry || proposer == lock.to) return std::size_t{lock.from};
    return make_error(Errc::channel_bad_lock,
                      lock_name(lock) + " is removed without its preimage before expiry");
}

Status check_added(const UpdateContext& ctx, const Lock& lock, std::size_t proposer) {
    if (lock.from != proposer) {
        return make_error(Errc::channel_overspend, lock_name(lock) + " is funded by participant " +
                                                       std::to_string(lock.from) + ", not the proposer");
    }
    if (lock.expiry <= ctx.now || lock.expiry - ctx.now <= ctx.lock_margin) {
        return make_error(Errc::channel_bad_lock, lock_name(lock) + " expires at " +
                                                      std::to_string(lock.expiry) + ", too soon after now " +
                                                      std::to_string(ctx.now));
    }
    return {};
}

Status check_alloc(const UpdateContext& ctx, const Alloc& before, const Alloc& after, std::size_t proposer,
                   std::span<const Bytes32> preimages) {
    for (std::size_t i = 0; i < after.locks.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (after.locks[i].hashlock == after.locks[j].hashlock) {
                return make_error(Errc::channel_bad_lock, lock_name(after.locks[i]) + " appears twice");
            }
        }
        if (!contains(before.locks, after.locks[i]))
            SLUICE_CHECK_OK(check_added(ctx, after.locks[i], proposer));
    }
    std::vector<u256> owed = before.balances;  // old balance plus the locks paid to each participant
    for (const Lock& lock : before.locks) {
        if (contains(after.locks, lock)) continue;
        SLUICE_TRY(const std::size_t receiver, resolve_removed(ctx, lock, proposer, preimages));
        owed[receiver] += lock.amount;  // bounded by the alloc total, which validate_shape checked
    }
    for (std::size_t i = 0; i < owed.size(); ++i) {
        if (i != proposer && after.balances[i] < owed[i]) {
            return make_error(Errc::channel_overspend, "asset " + after.asset.to_hex() + ": participant " +
                                                           std::to_string(i) + " would get " +
                                                           after.balances[i].to_dec() +
                                                           " instead of at least " + owed[i].to_dec());
        }
    }
    return {};
}

}  // namespace

Status check_payment_rules(const UpdateContext& ctx, const State& from, const State& to, std::size_t proposer,
                           std::span<const Bytes32> preimages) {
    if (to.app_data != from.app_data)
        return make_error(Errc::channel_bad_shape, "a payment channel has no app data");
    for (std::size_t a = 0; a < to.outcome.size(); ++a) {
        SLUICE_CHECK_OK(check_alloc(ctx, from.outcome[a], to.outcome[a], proposer, preimages));
    }
    return {};
}

}  // namespace sluice::channel
