// LoanApp appData encoding and oracle attestations.
#include "loan_data.hpp"

#include "sluice/core/abi.hpp"
#include "sluice/core/eip712.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::contracts {
namespace {

AbiValue uint(std::uint64_t v) { return AbiValue::uint(u256{v}); }

Hash keccak_of(std::string_view text) { return keccak256(as_bytes(text)); }

}  // namespace

Bytes encode_loan_data(const LoanTerms& terms, const PriceAttestation& attestation) {
    static const AbiType type =
        AbiType::parse("(((address,uint256,uint16,uint16,uint32),(uint256,uint64,bytes)))").value();
    const AbiValue loan = AbiValue::list(
        {AbiValue::list({AbiValue::address(terms.oracle), AbiValue::uint(terms.debt), uint(terms.max_ltv_bps),
                         uint(terms.liquidation_ltv_bps), uint(terms.max_price_age)}),
         AbiValue::list({AbiValue::uint(attestation.price), uint(attestation.timestamp),
                         AbiValue::bytes(attestation.signature)})});
    return encode_params(type, AbiValue::list({loan})).value();
}

Hash price_digest(const Address& asset, const u256& price, std::uint64_t timestamp, const u256& chain_id) {
    static const AbiType domain_type = AbiType::parse("(bytes32,bytes32,bytes32,uint256)").value();
    static const AbiType price_type = AbiType::parse("(bytes32,address,uint256,uint64)").value();
    const Bytes domain = encode_params(domain_type, AbiValue::list({
                                                        AbiValue::bytes(keccak_of("EIP712Domain(string name,string version,uint256 chainId)")),
                                                        AbiValue::bytes(keccak_of("SluiceLoanOracle")),
                                                        AbiValue::bytes(keccak_of("1")),
                                                        AbiValue::uint(chain_id),
                                                    }))
                             .value();
    const Bytes fields = encode_params(price_type, AbiValue::list({
                                                       AbiValue::bytes(keccak_of("Price(address asset,uint256 price,uint64 timestamp)")),
                                                       AbiValue::address(asset),
                                                       AbiValue::uint(price),
                                                       uint(timestamp),
                                                   }))
                             .value();
    return typed_data_digest(keccak256(domain), keccak256(fields));
}

PriceAttestation attest(const PrivateKey& oracle, const Address& asset, const u256& price, std::uint64_t timestamp,
                        const u256& chain_id) {
    const auto sig = sign(oracle, price_digest(asset, price, timestamp, chain_id)).to_bytes();
    return PriceAttestation{price, timestamp, Bytes(sig.begin(), sig.end())};
}

}  // namespace sluice::contracts
