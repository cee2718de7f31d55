// A collateralised-loan app channel on the harness, as loan.test.js sets one up: 10 ETH pledged by the
// borrower against a debt of 10,000 (max LTV 50 %, liquidation at 80 %), registered on-chain so that
// `progress` applies, and the states of the force-moves the app knows (release, liquidation, repaid).
#pragma once

#include <vector>

#include "adjudicator_harness.hpp"
#include "loan_data.hpp"

namespace sluice::contracts {

struct LoanChannel {
    std::vector<PrivateKey> members;  // borrower, lender
    LoanTerms terms;
    channel::Params params;
    channel::State registered;  // version 1: the whole pledge locked, no free balances, no price yet
    std::uint64_t finalizes_at = 0;
    channel::adjudicator::Registration registration;  // of `registered`, for progress and withdraw
};

// The repayment preimage (keccak256 of "repayment secret") whose hashlock guards the pledge.
Bytes32 loan_repayment_preimage();

// Deposits the collateral and registers version 1 (challenge 1000 s, maturity in 30 days).
Result<LoanChannel> open_registered_loan(AdjudicatorHarness& harness, const PrivateKey& borrower,
                                         const PrivateKey& lender, const Address& oracle,
                                         std::uint64_t nonce);

// Borrower's release of `amount` from the pledge of `from` into its free balance, priced by `price`.
channel::State loan_release(const LoanChannel& loan, const channel::State& from, const u256& amount,
                            const PriceAttestation& price);
// Lender's liquidation of `from`: the whole pledge to the lender, debt 0, the pledge recorded as seized.
channel::State loan_liquidation(const LoanChannel& loan, const channel::State& from,
                                const PriceAttestation& price);
// Borrower's repaid move from `from`: the pledge (or the `seized` pledge of a liquidated `from`) to the
// borrower, debt 0; `preimage` carried in the move, or zero to rely on an on-chain reveal.
channel::State loan_repaid(const LoanChannel& loan, const channel::State& from, const Bytes32& preimage,
                           const channel::Lock* seized = nullptr);

}  // namespace sluice::contracts
