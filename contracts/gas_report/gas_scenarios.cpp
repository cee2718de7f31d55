// Replays the hardhat tests' gas-recording scenarios on the embedded EVM. Channel nonces follow the hardhat
// suite's counter (1001, 1002, ... in the order its tests run, loans 2 and 4), because the nonce is hashed into
// the channel id and every zero byte of calldata costs 12 gas less than a non-zero one.
#include "gas_scenarios.hpp"

#include <nlohmann/json.hpp>
#include <span>
#include <variant>
#include <vector>

#include "adjudicator_harness.hpp"
#include "loan_channel.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::contracts {
namespace {

namespace adj = channel::adjudicator;

const u256 kCentiEther = kEther / u256{100};
const u256 kMilliEther = kEther / u256{1000};

Result<l1::TxReceipt> succeeded(Result<l1::TxReceipt> receipt, const char* what) {
    if (!receipt) return std::move(receipt).error();
    if (!receipt->status) {
        return make_error(Errc::invalid_argument,
                          std::string(what) + " reverted: " + adj::decode_revert(receipt->output).describe());
    }
    return receipt;
}

Status require(Result<l1::TxReceipt> receipt, const char* what) {
    auto ok = succeeded(std::move(receipt), what);
    if (!ok) return std::move(ok).error();
    return {};
}

template <class EventT>
Result<adj::Registration> registration_from(const l1::TxReceipt& receipt, const Address& adjudicator) {
    SLUICE_TRY(const auto events, adjudicator_events(receipt, adjudicator));
    for (const auto& event : events) {
        if (const auto* e = std::get_if<EventT>(&event)) return e->registration;
    }
    return make_error(Errc::internal, "the transaction emitted no registration event");
}

channel::Alloc eth_alloc(std::vector<u256> balances) { return channel::Alloc{Address{}, std::move(balances), {}}; }

channel::State make_state(const channel::Params& params, std::uint64_t version, std::vector<channel::Alloc> outcome,
                          bool is_final) {
    channel::State state;
    state.channel_id = channel::channel_id(params);
    state.version = version;
    state.outcome = std::move(outcome);
    state.is_final = is_final;
    return state;
}

class Scenarios {
public:
    explicit Scenarios(AdjudicatorHarness harness) : h_(std::move(harness)) {}

    Result<GasTable> run() {
        SLUICE_CHECK_OK(deposits());
        SLUICE_CHECK_OK(conclude(2, 1002));
        SLUICE_CHECK_OK(conclude(16, 1003));
        SLUICE_CHECK_OK(withdraw_erc20(1006));  // 1004 and 1005 are failure-path tests in hardhat
        SLUICE_CHECK_OK(conclude_batch(1, 1007));
        SLUICE_CHECK_OK(conclude_batch(10, 1008));
        SLUICE_CHECK_OK(conclude_batch(100, 1018));
        SLUICE_CHECK_OK(dispute(1122));  // 1118-1121: the batch that skips malformed items
        SLUICE_CHECK_OK(reveal_preimage());
        SLUICE_CHECK_OK(progress_release(2));
        SLUICE_CHECK_OK(progress_liquidation(4));
        table_["dispute_total"] = table_.at("register") + table_.at("withdraw");
        return table_;
    }

private:
    const Address& hub() const { return h_.deployer(); }

    Status record(const std::string& key, Result<l1::TxReceipt> receipt) {
        SLUICE_TRY(const auto ok, succeeded(std::move(receipt), key.c_str()));
        table_[key] = ok.gas_used;
        return {};
    }

    // Params over the first n hardhat wallets, funded by the hub with the sum of `amounts`.
    Result<channel::Params> funded_channel(std::size_t n, const std::vector<u256>& amounts, std::uint64_t nonce,
                                           std::uint64_t challenge_duration = 3600) {
        const auto params = h_.params(std::span(parts_).first(n), nonce, challenge_duration);
        u256 total;
        for (const auto& a : amounts) total += a;
        SLUICE_TRY(const Bytes call, adj::deposit_call(params, Address{}, u256{}, total));
        SLUICE_CHECK_OK(require(h_.send(hub(), call, total), "deposit"));
        return params;
    }

    Status deposits() {
        const auto params = h_.params(std::span(parts_).first(2), 1001);
        SLUICE_TRY(const Bytes first, adj::deposit_call(params, Address{}, u256{}, kEther));
        SLUICE_CHECK_OK(record("deposit_eth", h_.send(hub(), first, kEther)));
        SLUICE_TRY(const Bytes second, adj::deposit_call(params, Address{}, kEther, kEther));
        SLUICE_CHECK_OK(record("deposit_eth_second", h_.send(hub(), second, kEther)));
        SLUICE_CHECK_OK(h_.mint_and_approve(hub(), 100 * kEther));
        SLUICE_TRY(const Bytes token, adj::deposit_call(params, h_.token(), u256{}, 3 * kEther));
        return record("deposit_erc20", h_.send(hub(), token));
    }

    Status conclude(std::size_t n, std::uint64_t nonce) {
        std::vector<u256> amounts;
        for (std::size_t i = 0; i < n; ++i) amounts.push_back(kCentiEther * u256{i + 1});
        SLUICE_TRY(const auto params, funded_channel(n, amounts, nonce));
        const auto state = make_state(params, 5, {eth_alloc(amounts)}, true);
        const auto members = std::span(parts_).first(n);
        SLUICE_TRY(const Bytes call, adj::conclude_call(params, state, AdjudicatorHarness::sign_all(members, params, state)));
        const std::string suffix = std::to_string(n);
        SLUICE_CHECK_OK(record("conclude_" + suffix, h_.send(hub(), call)));
        SLUICE_TRY(const Bytes withdraw, adj::withdraw_call(params, state, adj::concluded(state)));
        return record("withdraw_after_conclude_" + suffix, h_.send(hub(), withdraw));
    }

    Status withdraw_erc20(std::uint64_t nonce) {
        const auto members = std::span(parts_).first(2);
        const auto params = h_.params(members, nonce);
        SLUICE_CHECK_OK(h_.mint_and_approve(hub(), 10 * kEther));
        SLUICE_TRY(const Bytes deposit, adj::deposit_call(params, h_.token(), u256{}, 10 * kEther));
        SLUICE_CHECK_OK(require(h_.send(hub(), deposit), "token deposit"));
        const auto state =
            make_state(params, 3, {channel::Alloc{h_.token(), {7 * kEther, 3 * kEther}, {}}}, true);
        SLUICE_TRY(const Bytes call, adj::conclude_call(params, state, AdjudicatorHarness::sign_all(members, params, state)));
        SLUICE_CHECK_OK(require(h_.send(hub(), call), "conclude"));
        SLUICE_TRY(const Bytes withdraw, adj::withdraw_call(params, state, adj::concluded(state)));
        return record("withdraw_erc20_2", h_.send(hub(), withdraw));
    }

    // Two-party channels between wallet 0 (the hub side) and clients 2..11 in turn, like the hardhat test.
    Status conclude_batch(std::size_t count, std::uint64_t first_nonce) {
        std::vector<adj::Conclusion> items;
        for (std::size_t i = 0; i < count; ++i) {
            const std::vector<PrivateKey> members = {parts_[0], parts_[2 + i % 10]};
            const auto params = h_.params(members, first_nonce + i);
            SLUICE_TRY(const Bytes deposit, adj::deposit_call(params, Address{}, u256{}, kCentiEther));
            SLUICE_CHECK_OK(require(h_.send(hub(), deposit, kCentiEther), "deposit"));
            auto state = make_state(params, 1000 + i, {eth_alloc({4 * kMilliEther, 6 * kMilliEther})}, true);
            Bytes sigs = AdjudicatorHarness::sign_all(members, params, state);
            items.push_back(adj::Conclusion{params, std::move(state), std::move(sigs)});
        }
        SLUICE_TRY(const Bytes call, adj::conclude_batch_call(items));
        SLUICE_TRY(const auto receipt, succeeded(h_.send(hub(), call), "concludeBatch"));
        const auto n = static_cast<std::int64_t>(count);
        // Math.round(total / count), as the hardhat test reports it.
        table_["conclude_batch_per_channel_" + std::to_string(count)] = (2 * receipt.gas_used + n) / (2 * n);
        return {};
    }

    Status dispute(std::uint64_t nonce) {
        const auto members = std::span(parts_).first(2);
        SLUICE_TRY(const auto params, funded_channel(2, {kEther, kEther}, nonce, 1000));
        const auto v5 = make_state(params, 5, {eth_alloc({kEther + kEther / u256{2}, kEther / u256{2}})}, false);
        const auto v7 = make_state(params, 7, {eth_alloc({8 * kEther / u256{10}, 12 * kEther / u256{10}})}, false);

        SLUICE_TRY(const Bytes reg5_call,
                   adj::register_call(params, v5, AdjudicatorHarness::sign_all(members, params, v5), {}));
        SLUICE_TRY(const auto reg5_receipt, succeeded(h_.send(parts_[0].address(), reg5_call), "register"));
        table_["register"] = reg5_receipt.gas_used;
        SLUICE_TRY(const auto reg5, registration_from<adj::Registered>(reg5_receipt, h_.adjudicator()));

        SLUICE_CHECK_OK(h_.chain().increase_time(300));  // hardhat's time.increase(300) mines a block
        h_.chain().mine();
        SLUICE_TRY(const Bytes reg7_call,
                   adj::register_call(params, v7, AdjudicatorHarness::sign_all(members, params, v7), reg5));
        SLUICE_TRY(const auto reg7_receipt, succeeded(h_.send(parts_[1].address(), reg7_call), "refute"));
        table_["refute"] = reg7_receipt.gas_used;
        SLUICE_TRY(const auto reg7, registration_from<adj::Registered>(reg7_receipt, h_.adjudicator()));

        SLUICE_CHECK_OK(h_.chain().set_next_block_timestamp(static_cast<std::int64_t>(reg5.finalizes_at)));
        h_.chain().mine();
        SLUICE_TRY(const Bytes withdraw, adj::withdraw_call(params, v7, reg7));
        return record("withdraw", h_.send(hub(), withdraw));
    }

    Status reveal_preimage() {
        return record("reveal_preimage", h_.send(hub(), adj::reveal_preimage_call(keccak256(as_bytes("the secret")))));
    }

    std::uint64_t latest_time() const { return static_cast<std::uint64_t>(h_.chain().latest_block().timestamp); }

    Result<std::pair<channel::State, adj::Registration>> release(const LoanChannel& loan, const Address& sender,
                                                                  const char* key) {
        const auto price =
            attest(loan_wallets_[2], loan.terms.feed, Address{}, 3000 * kEther, latest_time(), h_.chain().chain_id());
        auto released = loan_release(loan, loan.registered, 3 * kEther, price);
        const auto sig = channel::sign_state(loan.members[0], loan.params, released).to_bytes();
        SLUICE_TRY(const Bytes call,
                   adj::progress_call(loan.params, loan.registered, loan.registration, released, 0, sig));
        SLUICE_TRY(const auto receipt, succeeded(h_.send(sender, call), "progress (release)"));
        if (key != nullptr) table_[key] = receipt.gas_used;
        SLUICE_TRY(const auto registration, registration_from<adj::Progressed>(receipt, h_.adjudicator()));
        return std::pair{std::move(released), registration};
    }

    Status progress_release(std::uint64_t nonce) {
        SLUICE_TRY(const auto loan, open_registered_loan(h_, loan_wallets_[0], loan_wallets_[1],
                                                         loan_wallets_[2].address(), nonce));
        auto released = release(loan, loan_wallets_[0].address(), "progress");
        if (!released) return std::move(released).error();
        return {};
    }

    Status progress_liquidation(std::uint64_t nonce) {
        SLUICE_TRY(const auto loan, open_registered_loan(h_, loan_wallets_[0], loan_wallets_[1],
                                                         loan_wallets_[2].address(), nonce));
        SLUICE_TRY(const auto released, release(loan, hub(), nullptr));
        const auto price =
            attest(loan_wallets_[2], loan.terms.feed, Address{}, 1700 * kEther, latest_time(), h_.chain().chain_id());
        const auto liquidated = loan_liquidation(loan, released.first, price);
        const auto sig = channel::sign_state(loan.members[1], loan.params, liquidated).to_bytes();
        SLUICE_TRY(const Bytes call,
                   adj::progress_call(loan.params, released.first, released.second, liquidated, 1, sig));
        return record("progress_liquidation", h_.send(loan_wallets_[1].address(), call));
    }

    AdjudicatorHarness h_;
    std::vector<PrivateKey> parts_ = hardhat_wallets("p", 16);
    std::vector<PrivateKey> loan_wallets_ = hardhat_wallets("loan", 4);  // borrower, lender, oracle, forger
    GasTable table_;
};

}  // namespace

Result<GasTable> measure_gas(evm::Revision revision) {
    HarnessOptions options;
    options.revision = revision;
    for (const auto& key : hardhat_wallets("p", 16)) options.funded.push_back(key.address());
    for (const auto& key : hardhat_wallets("loan", 4)) options.funded.push_back(key.address());
    SLUICE_TRY(auto harness, AdjudicatorHarness::create(options));
    return Scenarios(std::move(harness)).run();
}

std::string gas_table_json(const GasTable& table) {
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    for (const auto& [key, gas] : table) json[key] = gas;
    return json.dump(2) + "\n";
}

}  // namespace sluice::contracts
