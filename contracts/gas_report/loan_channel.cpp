// Loan channels set up on-chain the way loan.test.js does it.
#include "loan_channel.hpp"

#include <variant>

#include "sluice/channel/encoding.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::contracts {
namespace {

namespace adj = channel::adjudicator;

Status require_success(const Result<l1::TxReceipt>& receipt, const char* what) {
    if (!receipt) return receipt.error();
    if (!receipt->status) {
        return make_error(Errc::invalid_argument,
                          std::string(what) + " reverted: " + adj::decode_revert(receipt->output).describe());
    }
    return {};
}

}  // namespace

Bytes32 loan_repayment_preimage() {
    return keccak256(as_bytes("repayment secret"));
}

Result<LoanChannel> open_registered_loan(AdjudicatorHarness& harness, const PrivateKey& borrower,
                                         const PrivateKey& lender, const Address& oracle,
                                         std::uint64_t nonce) {
    LoanChannel loan;
    loan.members = {borrower, lender};
    loan.terms = LoanTerms{oracle, loan_test_feed(), 10'000 * kEther, 5000, 8000, 3600};
    loan.params = harness.params(loan.members, nonce, 1000, harness.loan_app());
    const Hash id = channel::channel_id(loan.params);
    SLUICE_TRY(const Bytes deposit, adj::deposit_call(loan.params, Address{}, u256{}, 10 * kEther));
    SLUICE_CHECK_OK(require_success(harness.send(harness.deployer(), deposit, 10 * kEther), "deposit"));

    const auto maturity = static_cast<std::uint64_t>(harness.chain().latest_block().timestamp + 30 * 86'400);
    const channel::Lock pledge{keccak256(loan_repayment_preimage()), 10 * kEther, 1, 0, maturity};
    loan.registered.channel_id = id;
    loan.registered.version = 1;
    loan.registered.outcome = {channel::Alloc{Address{}, {u256{}, u256{}}, {pledge}}};
    loan.registered.app_data = encode_loan_data(LoanData{loan.terms, {}, {}, {}});

    const Bytes sigs = AdjudicatorHarness::sign_all(loan.members, loan.params, loan.registered);
    SLUICE_TRY(const Bytes call, adj::register_call(loan.params, loan.registered, sigs, adj::Registration{}));
    const auto receipt = harness.send(harness.deployer(), call);
    SLUICE_CHECK_OK(require_success(receipt, "register"));
    SLUICE_TRY(const auto events, adjudicator_events(*receipt, harness.adjudicator()));
    for (const auto& event : events) {
        if (const auto* registered = std::get_if<adj::Registered>(&event)) {
            loan.finalizes_at = registered->registration.finalizes_at;
            loan.registration = registered->registration;
            return loan;
        }
    }
    return make_error(Errc::internal, "register emitted no Registered event");
}

channel::State loan_release(const LoanChannel& loan, const channel::State& from, const u256& amount,
                            const PriceAttestation& price) {
    channel::State to = from;
    to.version = from.version + 1;
    auto& alloc = to.outcome.at(0);
    alloc.locks.at(0).amount -= amount;
    alloc.balances.at(0) += amount;
    to.app_data = encode_loan_data(LoanData{loan.terms, price, {}, {}});
    return to;
}

channel::State loan_liquidation(const LoanChannel& loan, const channel::State& from,
                                const PriceAttestation& price) {
    channel::State to = from;
    to.version = from.version + 1;
    auto& alloc = to.outcome.at(0);
    const channel::Lock pledge = alloc.locks.at(0);
    alloc.balances.at(1) += pledge.amount;
    alloc.locks.clear();
    LoanTerms settled = loan.terms;
    settled.debt = u256{};
    to.app_data = encode_loan_data(LoanData{settled, price, {}, pledge});
    return to;
}

channel::State loan_repaid(const LoanChannel& loan, const channel::State& from, const Bytes32& preimage,
                           const channel::Lock* seized) {
    channel::State to = from;
    to.version = from.version + 1;
    auto& alloc = to.outcome.at(0);
    if (seized != nullptr) {
        alloc.balances.at(0) += seized->amount;
        alloc.balances.at(1) -= seized->amount;
    } else {
        alloc.balances.at(0) += alloc.locks.at(0).amount;
        alloc.locks.clear();
    }
    LoanTerms settled = loan.terms;
    settled.debt = u256{};
    to.app_data = encode_loan_data(LoanData{settled, {}, preimage, {}});
    return to;
}

}  // namespace sluice::contracts
