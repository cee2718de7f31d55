// Signing, encoding and decoding of every transaction type, and the refusals of malformed raw bytes.
#include "sluice/l1/signed_transaction.hpp"

#include <gtest/gtest.h>

#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/core/rlp.hpp"

namespace sluice::l1 {
namespace {

using evm::TxType;

PrivateKey test_key() {
    return PrivateKey::from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80").value();
}

evm::Transaction sample(TxType type) {
    evm::Transaction tx;
    tx.type = type;
    tx.nonce = 7;
    tx.gas_limit = 100'000;
    tx.to = Address::from_hex("0x5fbdb2315678afecb367f032d93f642f64180aa3").value();
    tx.value = u256{12345};
    tx.data = {0xde, 0xad, 0xbe, 0xef};
    tx.gas_price = u256{1'000'000'000};
    tx.max_fee_per_gas = u256{2'000'000'000};
    tx.max_priority_fee_per_gas = u256{1'000'000};
    if (type != TxType::legacy) {
        Bytes32 key;
        key[31] = 1;
        tx.access_list.push_back({*tx.to, {key}});
    }
    if (type == TxType::blob) {
        Bytes32 h;
        h[0] = 0x01;
        tx.blob_hashes.push_back(h);
        tx.max_fee_per_blob_gas = u256{3};
    }
    if (type == TxType::set_code)
        tx.authorizations.push_back({u256{31337}, *tx.to, u256{1}, u256{0}, u256{5}, u256{6}});
    return tx;
}

TEST(SignedTransaction, EveryTypeRoundTripsAndRecoversItsSender) {
    for (const TxType type :
         {TxType::legacy, TxType::access_list, TxType::dynamic_fee, TxType::blob, TxType::set_code}) {
        SCOPED_TRACE(static_cast<int>(type));
        const evm::Transaction tx = sample(type);
        const Bytes raw = sign_transaction(tx, u256{31337}, test_key()).value();
        if (type != TxType::legacy) {
            EXPECT_EQ(raw[0], static_cast<std::uint8_t>(type));
        }
        const auto decoded = decode_transaction(raw);
        ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
        EXPECT_EQ(decoded->tx.sender, test_key().address());
        EXPECT_EQ(decoded->chain_id, u256{31337});
        EXPECT_EQ(decoded->hash, keccak256(raw));
        EXPECT_EQ(decoded->tx.nonce, tx.nonce);
        EXPECT_EQ(decoded->tx.to, tx.to);
        EXPECT_EQ(decoded->tx.data, tx.data);
        EXPECT_EQ(decoded->tx.access_list.size(), tx.access_list.size());
        EXPECT_EQ(decoded->tx.blob_hashes, tx.blob_hashes);
        EXPECT_EQ(decoded->tx.authorizations.size(), tx.authorizations.size());
        EXPECT_EQ(encode_transaction(*decoded).value(), raw);
        EXPECT_TRUE(check_transaction(*decoded, evm::Revision::prague, u256{31337}).ok());
        EXPECT_EQ(check_transaction(*decoded, evm::Revision::prague, u256{1}).error().code,
                  Errc::tx_wrong_chain_id);
    }
}

// The same fields signed by ethers v6.17 (Wallet.signTransaction, hardhat's first key, chain 31337): both
// sides sign deterministically (RFC 6979), so the raw bytes must be identical.
TEST(SignedTransaction, SameBytesAsEthers) {
    const std::pair<TxType, const char*> vectors[] = {
        {TxType::legacy,
         "0xf86c07843b9aca00830186a0945fbdb2315678afecb367f032d93f642f64180aa382303984deadbeef82f4f6a08ae7bc0"
         "d7e19b216"
         "2f93e00d0c981429f5a410242c7a4346a0af7df1cc1f64eea0796b93eaab2420338522c0b726b08b9429e20c04305d62f2a"
         "73d5c1650"
         "10a01f"},
        {TxType::access_list,
         "0x01f8a7827a6907843b9aca00830186a0945fbdb2315678afecb367f032d93f642f64180aa382303984deadbeeff838f79"
         "45fbdb231"
         "5678afecb367f032d93f642f64180aa3e1a0000000000000000000000000000000000000000000000000000000000000000"
         "180a02bb6"
         "28f11d60fd2012822b063d9c13b4e42828e528bf777b825666366e945d1da04f092e1da26c91704a0e2f34386f9065964e7"
         "bcce2ab1b"
         "5cad301fc0ea1cdd39"},
        {TxType::dynamic_fee,
         "0x02f8ab827a6907830f42408477359400830186a0945fbdb2315678afecb367f032d93f642f64180aa382303984deadbee"
         "ff838f794"
         "5fbdb2315678afecb367f032d93f642f64180aa3e1a00000000000000000000000000000000000000000000000000000000"
         "0000000"
         "0101a05933eb19475a86b1609f611647eb5255234a5e6a73376575f1c3a2c6b8095987a02a1497934311d89f7a0f5cd6c02"
         "cc60742"
         "58a92e4cb914330b5fdaa93f2a4ce4"},
    };
    for (const auto& [type, hex] : vectors) {
        SCOPED_TRACE(static_cast<int>(type));
        EXPECT_EQ(to_hex(sign_transaction(sample(type), u256{31337}, test_key()).value()), hex);
    }
    const auto t2 = decode_transaction(from_hex(vectors[2].second).value()).value();
    EXPECT_EQ(to_hex(t2.hash.view()), "0xd131e465f1620395f7444f743c854831ef9cf39e866956ddebbc0b30dc04f928");
}

TEST(SignedTransaction, LegacyWithoutChainIdUses27And28) {
    evm::Transaction tx = sample(TxType::legacy);
    const Bytes raw = sign_transaction(tx, std::nullopt, test_key()).value();
    const auto decoded = decode_transaction(raw).value();
    EXPECT_FALSE(decoded.chain_id.has_value());
    EXPECT_EQ(decoded.tx.sender, test_key().address());
    EXPECT_TRUE(
        check_transaction(decoded, evm::Revision::prague, u256{31337}).ok());  // nodes still take them
    EXPECT_EQ(sign_transaction(sample(TxType::dynamic_fee), std::nullopt, test_key()).error().code,
              Errc::tx_malformed);
}

TEST(SignedTransaction, MalformedBytesAreRefusedWithAReason) {
    const Bytes good = sign_transaction(sample(TxType::dynamic_fee), u256{31337}, test_key()).value();
    EXPECT_EQ(decode_transaction({}).error().code, Errc::tx_malformed);
    EXPECT_EQ(decode_transaction(Bytes{0x05, 0xc0}).error().code, Errc::tx_type_not_supported);
    EXPECT_EQ(decode_transaction(Bytes{0x82, 0x01, 0x02}).error().code, Errc::tx_malformed);
    Bytes truncated(good.begin(), good.end() - 1);
    EXPECT_EQ(decode_transaction(truncated).error().code, Errc::rlp_truncated);
    Bytes trailing = good;
    trailing.push_back(0);
    EXPECT_EQ(decode_transaction(trailing).error().code, Errc::rlp_trailing_bytes);
    // A dynamic-fee body under the access-list type byte has the wrong field count.
    Bytes retyped = good;
    retyped[0] = 0x01;
    EXPECT_EQ(decode_transaction(retyped).error().code, Errc::tx_malformed);
    // A blob transaction cannot create a contract.
    evm::Transaction create = sample(TxType::blob);
    create.to.reset();
    EXPECT_EQ(sign_transaction(create, u256{1}, test_key()).error().code, Errc::tx_malformed);
}

// s replaced by n - s (same r, other parity) still recovers on secp256k1, but EIP-2 refuses high s.
TEST(SignedTransaction, HighSAndBadParityAreRefused) {
    const auto decoded =
        decode_transaction(sign_transaction(sample(TxType::dynamic_fee), u256{1}, test_key()).value())
            .value();
    SignedTransaction high = decoded;
    high.s = (u256::from_be(kSecp256k1Order.view()) - u256::from_be(decoded.s.view())).to_be();
    high.y_parity ^= 1;
    EXPECT_EQ(decode_transaction(encode_transaction(high).value()).error().code, Errc::tx_bad_signature);
    SignedTransaction parity = decoded;
    parity.y_parity = 2;
    EXPECT_EQ(decode_transaction(encode_transaction(parity).value()).error().code, Errc::tx_bad_signature);
    SignedTransaction zero_r = decoded;
    zero_r.r = Bytes32{};
    EXPECT_EQ(decode_transaction(encode_transaction(zero_r).value()).error().code, Errc::tx_bad_signature);
}

TEST(SignedTransaction, AdmissionRules) {
    auto decoded =
        decode_transaction(sign_transaction(sample(TxType::dynamic_fee), u256{1}, test_key()).value())
            .value();
    EXPECT_EQ(check_transaction(decoded, evm::Revision::berlin, u256{1}).error().code,
              Errc::tx_type_not_supported);
    SignedTransaction tip = decoded;
    tip.tx.max_priority_fee_per_gas = tip.tx.max_fee_per_gas + u256{1};
    EXPECT_EQ(check_transaction(tip, evm::Revision::prague, u256{1}).error().code,
              Errc::tx_priority_fee_above_fee_cap);
    SignedTransaction low = decoded;
    low.tx.gas_limit = 21'000;  // calldata and the access list cost more
    EXPECT_EQ(check_transaction(low, evm::Revision::prague, u256{1}).error().code,
              Errc::tx_intrinsic_gas_too_low);
    SignedTransaction nonce = decoded;
    nonce.tx.nonce = ~std::uint64_t{0};
    EXPECT_EQ(check_transaction(nonce, evm::Revision::prague, u256{1}).error().code, Errc::tx_nonce_max);
    SignedTransaction product = decoded;
    product.tx.max_fee_per_gas = u256::max();
    product.tx.max_priority_fee_per_gas = u256{};
    EXPECT_EQ(check_transaction(product, evm::Revision::prague, u256{1}).error().code, Errc::overflow);
}

}  // namespace
}  // namespace sluice::l1
