// Invariant 4 for payment channels: nobody but the proposer loses, with locks counted as update_rules.hpp
// explains.
#include <algorithm>
#include <optional>
#include <string>

#include "sluice/channel/update_rules.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel {
namespace {

// A peer's proposal may carry thousands of locks and preimages (bounded only by the message size and
// kMaxPreimages): every check below is O(n log n), so one message cannot cost the receiver seconds.
// Earlier, each removed lock hashed every preimage again and the duplicate and membership checks
// compared every pair of locks.

// The hashes of the revealed preimages, sorted: each preimage is hashed once.
std::vector<Hash> hash_preimages(std::span<const Bytes32> preimages) {
    std::vector<Hash> hashes;
    hashes.reserve(preimages.size());
    for (const Bytes32& p : preimages)
        hashes.push_back(keccak256(p.view()));
    std::sort(hashes.begin(), hashes.end());
    return hashes;
}

bool revealed(const std::vector<Hash>& sorted_hashes, const Hash& hashlock) {
    return std::binary_search(sorted_hashes.begin(), sorted_hashes.end(), hashlock);
}

// The locks of one alloc ordered by hashlock, for lookups.
std::vector<const Lock*> by_hashlock(const std::vector<Lock>& locks) {
    std::vector<const Lock*> sorted;
    sorted.reserve(locks.size());
    for (const Lock& lock : locks)
        sorted.push_back(&lock);
    std::sort(sorted.begin(), sorted.end(),
              [](const Lock* a, const Lock* b) { return a->hashlock < b->hashlock; });
    return sorted;
}

bool contains(const std::vector<const Lock*>& sorted, const Lock& lock) {
    auto it = std::lower_bound(sorted.begin(), sorted.end(), lock.hashlock,
                               [](const Lock* l, const Hash& h) { return l->hashlock < h; });
    for (; it != sorted.end() && (*it)->hashlock == lock.hashlock; ++it) {
        if (**it == lock) return true;
    }
    return false;
}

std::string lock_name(const Lock& lock) {
    return "lock " + to_hex(lock.hashlock.view());
}

// The first reveal of `lock`'s preimage recorded on L1, if any.
std::optional<std::uint64_t> l1_reveal(const UpdateContext& ctx, const Lock& lock) {
    if (ctx.known == nullptr) return std::nullopt;
    const auto it = ctx.known->revealed_at.find(lock.hashlock);
    if (it == ctx.known->revealed_at.end()) return std::nullopt;
    return it->second;
}

// Issue #18 §6: whether refunding `lock` to its payer takes what the adjudicator would pay its receiver.
// A recorded L1 reveal decides (the adjudicator keeps the first one: at or before expiry pays `to`, later
// refunds `from`); without one, a preimage we know means `to` can still be paid (our view of L1 may lag a
// reveal mined in time, or one can still be made), so a refund is refused and the payer, if nobody
// revealed in time, gets it back through a dispute.
Status check_refund(const UpdateContext& ctx, const Lock& lock) {
    if (const auto at = l1_reveal(ctx, lock)) {
        if (*at <= lock.expiry) {
            return make_error(Errc::channel_lock_revealed, lock_name(lock) + " was revealed on L1 at " +
                                                               std::to_string(*at) +
                                                               ", by its expiry: it pays its receiver");
        }
        return {};
    }
    if (ctx.known != nullptr && ctx.known->preimages.contains(lock.hashlock)) {
        return make_error(Errc::channel_lock_revealed,
                          lock_name(lock) + " is refunded to its payer, but we know its preimage");
    }
    return {};
}

// Who receives a removed lock, or why it may not be removed.
Result<std::size_t> resolve_removed(const UpdateContext& ctx, const Lock& lock, std::size_t proposer,
                                    const std::vector<Hash>& revealed_hashes) {
    if (revealed(revealed_hashes, lock.hashlock)) {
        const auto at = l1_reveal(ctx, lock);
        if (ctx.now <= lock.expiry || proposer == lock.from || (at && *at <= lock.expiry))
            return std::size_t{lock.to};
        return make_error(Errc::channel_bad_lock,
                          lock_name(lock) + " expired before its preimage was revealed");
    }
    if (proposer == lock.to) return std::size_t{lock.from};  // the receiver gives it up
    SLUICE_CHECK_OK(check_refund(ctx, lock));
    if (ctx.now > lock.expiry) return std::size_t{lock.from};
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
                   const std::vector<Hash>& revealed_hashes) {
    const std::vector<const Lock*> after_sorted = by_hashlock(after.locks);
    const auto twice =
        std::adjacent_find(after_sorted.begin(), after_sorted.end(),
                           [](const Lock* a, const Lock* b) { return a->hashlock == b->hashlock; });
    if (twice != after_sorted.end()) {
        return make_error(Errc::channel_bad_lock, lock_name(**twice) + " appears twice");
    }
    const std::vector<const Lock*> before_sorted = by_hashlock(before.locks);
    for (const Lock& lock : after.locks) {
        if (!contains(before_sorted, lock)) SLUICE_CHECK_OK(check_added(ctx, lock, proposer));
    }
    std::vector<u256> owed = before.balances;  // old balance plus the locks paid to each participant
    for (const Lock& lock : before.locks) {
        if (contains(after_sorted, lock)) continue;
        SLUICE_TRY(const std::size_t receiver, resolve_removed(ctx, lock, proposer, revealed_hashes));
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
    const std::vector<Hash> revealed_hashes = hash_preimages(preimages);
    for (std::size_t a = 0; a < to.outcome.size(); ++a) {
        SLUICE_CHECK_OK(check_alloc(ctx, from.outcome[a], to.outcome[a], proposer, revealed_hashes));
    }
    return {};
}

}  // namespace sluice::channel
