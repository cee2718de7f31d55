// AdjudicatorHarness: the committed Adjudicator, TestToken and LoanApp artifacts deployed on a Devchain the way
// contracts/test/helpers.js deploys them on hardhat (same deployer, so the same contract addresses; same
// participant keys), plus the few helpers every on-chain scenario needs. Shared by the gas report and the
// adjudicator tests, so both run the contracts exactly the same way.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "sluice/channel/adjudicator_abi.hpp"
#include "sluice/channel/types.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/l1/devchain.hpp"

namespace sluice::contracts {

// Hardhat's first default account: the deployer and "hub" of the hardhat tests.
Address hardhat_deployer();
// helpers.js wallets(count, tag): private key keccak256("sluice-<tag>-<index>").
PrivateKey hardhat_wallet(std::string_view tag, std::size_t index);
std::vector<PrivateKey> hardhat_wallets(std::string_view tag, std::size_t count);

inline const u256 kEther = u256{1'000'000'000'000'000'000ULL};

struct HarnessOptions {
    evm::Revision revision = evm::Revision::prague;
    std::int64_t genesis_timestamp = 1'760'000'001;
    // Funded at genesis besides the deployer (hardhat funds its test wallets with 1 ETH, so that payouts land
    // on existing accounts: a value transfer to a new account costs 25,000 gas more).
    std::vector<Address> funded;
    u256 funding = kEther;
};

class AdjudicatorHarness {
public:
    // Deploys Adjudicator (deployer nonce 0), TestToken("Test", "TST") (nonce 1) and LoanApp (nonce 2).
    static Result<AdjudicatorHarness> create(const HarnessOptions& options = {});

    l1::Devchain& chain() noexcept { return chain_; }
    const l1::Devchain& chain() const noexcept { return chain_; }
    const Address& deployer() const noexcept { return deployer_; }
    const Address& adjudicator() const noexcept { return adjudicator_; }
    const Address& token() const noexcept { return token_; }
    const Address& loan_app() const noexcept { return loan_app_; }

    // Params on this chain and adjudicator.
    channel::Params params(std::span<const PrivateKey> members, std::uint64_t nonce,
                           std::uint64_t challenge_duration = 3600, const Address& app = {}) const;
    // Every member's signature, packed in participant order.
    static Bytes sign_all(std::span<const PrivateKey> members, const channel::Params& params,
                          const channel::State& state);

    // A transaction to the adjudicator; a revert is a receipt with status false.
    Result<l1::TxReceipt> send(const Address& from, ByteView calldata, const u256& value = {},
                               std::uint64_t gas_limit = l1::Devchain::kDefaultGasLimit);
    // eth_call of an adjudicator view; a revert is an error naming the reason.
    Result<Bytes> view(ByteView calldata) const;
    Result<Bytes32> status_of(const Hash& channel_id) const;
    Result<u256> holdings(const Hash& channel_id, const Address& asset) const;

    // TestToken.mint(holder, amount) and holder's approve(adjudicator, amount).
    Status mint_and_approve(const Address& holder, const u256& amount);
    Result<u256> token_balance(const Address& owner) const;

private:
    AdjudicatorHarness(l1::Devchain chain, const Address& deployer) : chain_(std::move(chain)), deployer_(deployer) {}

    l1::Devchain chain_;
    Address deployer_;
    Address adjudicator_;
    Address token_;
    Address loan_app_;
};

// The receipt's decoded adjudicator events (other contracts' logs skipped); an undecodable one is an error.
Result<std::vector<channel::adjudicator::Event>> adjudicator_events(const l1::TxReceipt& receipt,
                                                                    const Address& adjudicator);

}  // namespace sluice::contracts
