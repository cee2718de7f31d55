// The LoanApp's appData (contracts/src/LoanApp.sol): loan terms, an oracle's EIP-712 price attestation, the
// repayment preimage of a repaid move and the pledge a liquidation seized, as loan.test.js builds them, for
// scenarios and tests that drive the loan app through the adjudicator's progress or the channel machine.
#pragma once

#include <cstdint>

#include "sluice/channel/types.hpp"
#include "sluice/core/bytes.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::contracts {

struct LoanTerms {
    Address oracle;
    Hash feed;  // the oracle's feed id: names the collateral/quote pair and the price unit
    u256 debt;
    std::uint16_t max_ltv_bps = 0;
    std::uint16_t liquidation_ltv_bps = 0;
    std::uint32_t max_price_age = 0;
};

// The feed loan.test.js uses: keccak256("ETH/USD, 18 decimals").
Hash loan_test_feed();

// price: value in debt units of 1e18 base units of collateral.
struct PriceAttestation {
    u256 price;
    std::uint64_t timestamp = 0;
    Bytes signature;  // 65 bytes r ‖ s ‖ v, or empty for "no price yet"
};

struct LoanData {
    LoanTerms terms;
    PriceAttestation attestation;
    Bytes32 preimage;      // zero but in a repaid move that carries it
    channel::Lock seized;  // amount 0 but after a liquidation
};

// abi.encode(LoanData).
Bytes encode_loan_data(const LoanData& data);

// EIP-712 Price(bytes32 feed,address asset,uint256 price,uint64 timestamp) in the domain
// {name: "SluiceLoanOracle", version: "1", chainId} (no verifying contract) — LoanApp.priceDigest.
Hash price_digest(const Hash& feed, const Address& asset, const u256& price, std::uint64_t timestamp,
                  const u256& chain_id);
PriceAttestation attest(const PrivateKey& oracle, const Hash& feed, const Address& asset, const u256& price,
                        std::uint64_t timestamp, const u256& chain_id);

}  // namespace sluice::contracts
