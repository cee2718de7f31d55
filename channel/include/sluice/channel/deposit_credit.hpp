// A deposit credit (the Deposit operation, issue #14): the one update that raises a per-asset total. A
// participant that added `amount` of an asset to the channel's L1 holdings claims it as its own balance.
//
// The adjudicator keeps no per-depositor record (sweep splits an unclaimed surplus equally), so the only
// thing a receiver can check on L1 is that the holdings cover the new total; whose money the surplus is, only
// its depositor knows. Hence the rule, as the receivers check it on the state alone:
//  * exactly one asset changes, and in it only the proposer's balance, which grows; every other balance,
//    every lock, the app data and the final flag stay as they are (a credit never moves anyone's money,
//    so it can be judged without the payment rules, and a final state never carries one);
//  * only payment channels (an app's validTransition and the adjudicator's progress assume conservation);
//  * the new total is within the recorded confirmed deposits (check_within_deposits): no state is signed
//    that the holdings do not cover, so withdraw pays it in full and a credit can never inflate;
//  * a peer's credit must leave, on top of the new total, what we reserved for our own deposits not yet
//    credited (`ours`, Machine::reserve_deposit): else a peer watching L1 could claim our deposit first.
// A credit counted once is in the total, so the same deposit cannot be credited twice.
#pragma once

#include <cstddef>
#include <optional>

#include "sluice/channel/update_rules.hpp"

namespace sluice::channel {

struct DepositCredit {
    std::size_t asset = 0;  // index into the outcome
    u256 amount;            // the growth of that asset's total
};

// The credit `to` makes over `from` when some per-asset total grows; nullopt when none does (the ordinary
// update rules apply then). Only shapes check_value_rules accepts are compared (same assets, in order).
Result<std::optional<DepositCredit>> find_deposit_credit(const State& from, const State& to);

// The rule above for a state `to` proposed by `proposer` on `from`. `ours` is what we reserved for our own
// uncredited deposits; the caller passes an empty map when the proposal is its own.
Status check_deposit_credit(const UpdateContext& ctx, const State& from, const State& to,
                            std::size_t proposer, const Deposits& ours);

}  // namespace sluice::channel
