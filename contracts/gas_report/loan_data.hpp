// The LoanApp's appData (contracts/src/LoanApp.sol): loan terms and an oracle's EIP-712 price attestation, as
// loan.test.js builds them, for scenarios that drive the loan app through the adjudicator's progress.
#pragma once

#include <cstdint>

#include "sluice/core/bytes.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::contracts {

struct LoanTerms {
    Address oracle;
    u256 debt;
    std::uint16_t max_ltv_bps = 0;
    std::uint16_t liquidation_ltv_bps = 0;
    std::uint32_t max_price_age = 0;
};

// price: value in debt units of 1e18 base units of collateral.
struct PriceAttestation {
    u256 price;
    std::uint64_t timestamp = 0;
    Bytes signature;  // 65 bytes r ‖ s ‖ v, or empty for "no price yet"
};

// abi.encode(LoanData{terms, attestation}).
Bytes encode_loan_data(const LoanTerms& terms, const PriceAttestation& attestation);

// EIP-712 Price(address asset,uint256 price,uint64 timestamp) in the domain
// {name: "SluiceLoanOracle", version: "1", chainId} (no verifying contract) — LoanApp.priceDigest.
Hash price_digest(const Address& asset, const u256& price, std::uint64_t timestamp, const u256& chain_id);
PriceAttestation attest(const PrivateKey& oracle, const Address& asset, const u256& price, std::uint64_t timestamp,
                        const u256& chain_id);

}  // namespace sluice::contracts
