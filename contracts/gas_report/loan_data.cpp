// LoanApp appData encoding and oracle attestations.
#include "loan_data.hpp"

#include "sluice/core/abi.hpp"
#include "sluice/core/eip712.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::contracts {
namespace {

AbiValue uint(std::uint64_t v) {
    return AbiValue::uint(u256{v});
}

Hash keccak_of(std::string_view text) {
    return keccak256(as_bytes(text));
}

}  // namespace

Hash loan_test_feed() {
    return keccak_of("ETH/USD, 18 decimals");
}

Bytes encode_loan_data(const LoanData& data) {
    static const AbiType type =
        AbiType::parse(
            "(((address,bytes32,uint256,uint16,uint16,uint32),(uint256,uint64,bytes),bytes32,"
            "(bytes32,uint256,uint16,uint16,uint64)))")
            .value();
    const LoanTerms& terms = data.terms;
    const channel::Lock& seized = data.seized;
    const AbiValue loan = AbiValue::list(
        {AbiValue::list({AbiValue::address(terms.oracle), AbiValue::bytes(terms.feed),
                         AbiValue::uint(terms.debt), uint(terms.max_ltv_bps), uint(terms.liquidation_ltv_bps),
                         uint(terms.max_price_age)}),
         AbiValue::list({AbiValue::uint(data.attestation.price), uint(data.attestation.timestamp),
                         AbiValue::bytes(data.attestation.signature)}),
         AbiValue::bytes(data.preimage),
         AbiValue::list({AbiValue::bytes(seized.hashlock), AbiValue::uint(seized.amount), uint(seized.from),
                         uint(seized.to), uint(seized.expiry)})});
    return encode_params(type, AbiValue::list({loan})).value();
}

Hash price_digest(const Hash& feed, const Address& asset, const u256& price, std::uint64_t timestamp,
                  const u256& chain_id) {
    static const AbiType domain_type = AbiType::parse("(bytes32,bytes32,bytes32,uint256)").value();
    static const AbiType price_type = AbiType::parse("(bytes32,bytes32,address,uint256,uint64)").value();
    const Bytes domain =
        encode_params(
            domain_type,
            AbiValue::list({
                AbiValue::bytes(keccak_of("EIP712Domain(string name,string version,uint256 chainId)")),
                AbiValue::bytes(keccak_of("SluiceLoanOracle")),
                AbiValue::bytes(keccak_of("1")),
                AbiValue::uint(chain_id),
            }))
            .value();
    const Bytes fields =
        encode_params(price_type,
                      AbiValue::list({
                          AbiValue::bytes(
                              keccak_of("Price(bytes32 feed,address asset,uint256 price,uint64 timestamp)")),
                          AbiValue::bytes(feed),
                          AbiValue::address(asset),
                          AbiValue::uint(price),
                          uint(timestamp),
                      }))
            .value();
    return typed_data_digest(keccak256(domain), keccak256(fields));
}

PriceAttestation attest(const PrivateKey& oracle, const Hash& feed, const Address& asset, const u256& price,
                        std::uint64_t timestamp, const u256& chain_id) {
    const auto sig = sign(oracle, price_digest(feed, asset, price, timestamp, chain_id)).to_bytes();
    return PriceAttestation{price, timestamp, Bytes(sig.begin(), sig.end())};
}

}  // namespace sluice::contracts
