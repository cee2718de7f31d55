// The deposit credit rule (deposit_credit.hpp).
#include "sluice/channel/deposit_credit.hpp"

#include <string>

namespace sluice::channel {
namespace {

Error not_a_credit(const std::string& why) {
    return make_error(Errc::channel_value_not_conserved, "a deposit credit " + why);
}

}  // namespace

Result<std::optional<DepositCredit>> find_deposit_credit(const State& from, const State& to) {
    if (from.outcome.size() != to.outcome.size()) return std::optional<DepositCredit>{};
    std::optional<DepositCredit> credit;
    for (std::size_t a = 0; a < to.outcome.size(); ++a) {
        SLUICE_TRY(const u256 before, total_of(from.outcome[a]));
        SLUICE_TRY(const u256 after, total_of(to.outcome[a]));
        if (after <= before) continue;
        if (credit) return not_a_credit("raises more than one asset");
        credit = DepositCredit{a, after - before};
    }
    return credit;
}

Status check_deposit_credit(const UpdateContext& ctx, const State& from, const State& to,
                            std::size_t proposer, const Deposits& ours) {
    SLUICE_CHECK_OK(validate_shape(ctx.params, to));
    SLUICE_CHECK_OK(check_limits(to));
    if (ctx.params.is_app_channel())
        return make_error(Errc::channel_bad_params, "deposit credits are for payment channels only");
    if (to.outcome.size() != from.outcome.size())
        return make_error(Errc::channel_bad_shape, "an update may not add or remove assets");
    SLUICE_TRY(const std::optional<DepositCredit> credit, find_deposit_credit(from, to));
    if (!credit) return not_a_credit("raises no total");
    if (to.is_final != from.is_final) return not_a_credit("may not change the final flag");
    if (to.app_data != from.app_data) return not_a_credit("may not change the app data");
    for (std::size_t a = 0; a < to.outcome.size(); ++a) {
        const Alloc& before = from.outcome[a];
        const Alloc& after = to.outcome[a];
        if (a != credit->asset) {
            if (after != before) return not_a_credit("may change one asset only");
            continue;
        }
        if (after.asset != before.asset || after.locks != before.locks)
            return not_a_credit("may not change the asset or its locks");
        for (std::size_t i = 0; i < after.balances.size(); ++i) {
            if (i == proposer) continue;
            if (after.balances[i] != before.balances[i])
                return not_a_credit("may credit its proposer only; participant " + std::to_string(i) +
                                    "'s balance changes");
        }
    }
    // The proposer's balance grew by exactly the growth of the total (the others are unchanged), and the
    // holdings must cover the new total, plus what we keep back for our own uncredited deposits.
    SLUICE_CHECK_OK(check_within_deposits(ctx.deposits, to));
    const Alloc& alloc = to.outcome[credit->asset];
    const auto reserved = ours.find(alloc.asset);
    if (reserved == ours.end() || reserved->second.is_zero()) return {};
    SLUICE_TRY(const u256 total, total_of(alloc));
    const auto held = ctx.deposits.find(alloc.asset);
    const u256 deposits = held == ctx.deposits.end() ? u256{} : held->second;
    if (total + reserved->second < total || total + reserved->second > deposits) {
        return make_error(Errc::channel_exceeds_deposits,
                          "asset " + alloc.asset.to_hex() + ": a credit to " + std::to_string(proposer) +
                              " up to " + total.to_dec() + " would take part of our own deposit of " +
                              reserved->second.to_dec() + " (the deposits are " + deposits.to_dec() + ")");
    }
    return {};
}

}  // namespace sluice::channel
