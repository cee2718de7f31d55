// Invariant 3 and the shape rules every update obeys, payment or app channel (update_rules.hpp).
#include <string>

#include "sluice/channel/update_rules.hpp"

namespace sluice::channel {

Status check_value_rules(const UpdateContext& ctx, const State& from, const State& to) {
    SLUICE_CHECK_OK(validate_shape(ctx.params, to));
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
        const auto deposit = ctx.deposits.find(after.asset);
        const u256 held = deposit == ctx.deposits.end() ? u256{} : deposit->second;
        if (total_after > held) {
            return make_error(Errc::channel_exceeds_deposits, "asset " + after.asset.to_hex() + ": total " +
                                                                  total_after.to_dec() +
                                                                  " exceeds the deposits " + held.to_dec());
        }
        // The adjudicator's withdraw waits while a lock is unresolved; a final state must pay out at once.
        if (to.is_final && !after.locks.empty()) {
            return make_error(Errc::channel_bad_lock, "a final state may not hold locks");
        }
    }
    return {};
}

}  // namespace sluice::channel
