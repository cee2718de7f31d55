// secp256k1 keys, addresses and recoverable signatures. Known answers: the hardhat dev accounts, the
// EIP-155 example transaction signature, and RFC 6979 signatures computed independently with
// ethereum-cryptography 2.x (@noble/curves, lowS) in a scratch folder outside this repository.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/core/secp256k1.hpp"

namespace sluice {
namespace {

template <class T>
concept Streamable = requires(std::ostream& os, const T& value) { os << value; };
static_assert(!Streamable<PrivateKey>, "a PrivateKey must not be printable with operator<<");

constexpr const char* kDevKey0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kDevKey1 = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
constexpr const char* kDevAddress0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
constexpr const char* kDevAddress1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
constexpr const char* kDevPublic0 =
    "0x048318535b54105d4a7aae60c08fc45f9687181b4fdfc625bd1a753fa7397fed753547f11ca8696646f2f3acb08e31016afac23e6"
    "30c5d11f59f61fef57b0d2aa5";

PrivateKey key(const char* hex_text) { return PrivateKey::from_hex(hex_text).value(); }
Bytes32 b32(std::string_view hex_text) { return fixed_from_hex<32>(hex_text).value(); }
Hash digest_of(std::string_view text) { return keccak256(as_bytes(text)); }
Hash known_answer_digest() { return digest_of("Sluice RFC 6979 known answer"); }

// n - s, for building the high-s twin of a signature.
Bytes32 order_minus(const Bytes32& s) {
    Bytes32 out;
    int borrow = 0;
    for (std::size_t i = 32; i-- > 0;) {
        const int d = kSecp256k1Order[i] - s[i] - borrow;
        borrow = d < 0 ? 1 : 0;
        out[i] = static_cast<std::uint8_t>(d + 256 * borrow);
    }
    return out;
}

Signature with_v(Signature sig, std::uint8_t v) {
    sig.v = v;
    return sig;
}

std::array<std::uint8_t, 65> sig_bytes(const Signature& sig, std::uint8_t v_byte) {
    auto bytes = sig.to_bytes();
    bytes[64] = v_byte;
    return bytes;
}

// ---- keys and addresses ---------------------------------------------------------------------------

TEST(Secp256k1Keys, HardhatDevAccounts) {
    EXPECT_EQ(key(kDevKey0).address().to_checksum_hex(), kDevAddress0);
    EXPECT_EQ(key(kDevKey1).address().to_checksum_hex(), kDevAddress1);
    EXPECT_EQ(to_hex(key(kDevKey0).public_key().serialize_uncompressed()), kDevPublic0);
    // The "0x" prefix is optional for keys.
    EXPECT_EQ(key(kDevKey0 + 2).address().to_checksum_hex(), kDevAddress0);
}

TEST(Secp256k1Keys, KeyOneIsTheGenerator) {
    const PrivateKey one = key("0x0000000000000000000000000000000000000000000000000000000000000001");
    EXPECT_EQ(to_hex(one.public_key().serialize_compressed()),
              "0x0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
    EXPECT_EQ(one.address().to_checksum_hex(), "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
}

TEST(Secp256k1Keys, PrivateKeyRange) {
    EXPECT_EQ(PrivateKey::from_bytes(Bytes(32, 0)).error().code, Errc::bad_private_key);
    EXPECT_EQ(PrivateKey::from_bytes(kSecp256k1Order.view()).error().code, Errc::bad_private_key);
    EXPECT_EQ(PrivateKey::from_bytes(Bytes(32, 0xff)).error().code, Errc::bad_private_key);
    Bytes32 n_minus_1 = kSecp256k1Order;
    n_minus_1[31] = 0x40;
    EXPECT_TRUE(PrivateKey::from_bytes(n_minus_1.view()).ok());
}

TEST(Secp256k1Keys, PrivateKeyMalformedInput) {
    EXPECT_EQ(PrivateKey::from_bytes(Bytes(31, 1)).error().code, Errc::bad_length);
    EXPECT_EQ(PrivateKey::from_bytes(Bytes(33, 1)).error().code, Errc::bad_length);
    EXPECT_EQ(PrivateKey::from_hex("0xac0974").error().code, Errc::bad_length);
    EXPECT_EQ(PrivateKey::from_hex("0xzz0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80").error().code,
              Errc::hex_bad_digit);
    EXPECT_EQ(PrivateKey::from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff8").error().code,
              Errc::hex_odd_length);
}

TEST(Secp256k1Keys, GenerateMakesDistinctValidKeys) {
    const PrivateKey a = PrivateKey::generate();
    const PrivateKey b = PrivateKey::generate();
    EXPECT_NE(a.address(), b.address());
    EXPECT_TRUE(PrivateKey::from_bytes(a.secret().reveal()).ok());
    EXPECT_EQ(PrivateKey::from_bytes(a.secret().reveal())->address(), a.address());
}

TEST(Secp256k1Keys, PublicKeyEncodings) {
    const PublicKey pub = key(kDevKey0).public_key();
    const Bytes uncompressed = pub.serialize_uncompressed();
    const Bytes compressed = pub.serialize_compressed();
    ASSERT_EQ(uncompressed.size(), 65U);
    ASSERT_EQ(compressed.size(), 33U);
    EXPECT_EQ(PublicKey::from_bytes(uncompressed).value(), pub);
    EXPECT_EQ(PublicKey::from_bytes(compressed).value(), pub);
    EXPECT_EQ(PublicKey::from_bytes(ByteView(uncompressed).subspan(1)).value(), pub);
    EXPECT_EQ(PublicKey::from_bytes(compressed)->address().to_checksum_hex(), kDevAddress0);
    EXPECT_EQ(address_from_public_key(pub.xy()).to_checksum_hex(), kDevAddress0);
}

TEST(Secp256k1Keys, PublicKeyRejectsBadInput) {
    Bytes off_curve = key(kDevKey0).public_key().serialize_uncompressed();
    off_curve[64] ^= 1;
    EXPECT_EQ(PublicKey::from_bytes(off_curve).error().code, Errc::bad_public_key);
    Bytes bad_prefix = key(kDevKey0).public_key().serialize_compressed();
    bad_prefix[0] = 0x05;
    EXPECT_EQ(PublicKey::from_bytes(bad_prefix).error().code, Errc::bad_public_key);
    Bytes x_not_on_curve(33, 0);
    x_not_on_curve[0] = 0x02;
    x_not_on_curve[32] = 5;  // x = 5: 5^3 + 7 is not a square mod p
    EXPECT_EQ(PublicKey::from_bytes(x_not_on_curve).error().code, Errc::bad_public_key);
    EXPECT_EQ(PublicKey::from_bytes(Bytes(32, 2)).error().code, Errc::bad_length);
    EXPECT_EQ(PublicKey::from_bytes(Bytes(66, 4)).error().code, Errc::bad_length);
    EXPECT_EQ(PublicKey::from_bytes({}).error().code, Errc::bad_length);
}

// ---- known signatures -----------------------------------------------------------------------------

struct KnownSignature {
    const char* key;
    Hash digest;
    const char* r;
    const char* s;
    std::uint8_t v;
};

std::vector<KnownSignature> known_signatures() {
    const Hash eip155 = fixed_from_hex<32>("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53").value();
    return {
        {kDevKey0, known_answer_digest(), "0x972ddf0d1efd3cf00ef1a2b0a2e8d8d097bbcfc5cb08fcdfd0b36654a536c7f4",
         "0x7498e2dfba8e1f2c0d36baee989477b3e1e7dd133dbb792db4857efc74cc06ca", 1},
        {kDevKey1, known_answer_digest(), "0xa9e68027097b426bfe66b61d30d5efc0517e3c66863c61f12cdff4b60cc53725",
         "0x65b205b3f1b955bdf6ab3a2b9ef4aa66e64de72f3d2c932aeebf1e2b6baafc6c", 0},
        // EIP-155's example: r = 18515461264373351373200002665853028612451056578545711640558177340181847433846,
        // s = 46948507304638947509940763649030358759909902576025900602547168820602576006531, v = 37 (id 0).
        {"0x4646464646464646464646464646464646464646464646464646464646464646", eip155,
         "0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276",
         "0x67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83", 0},
    };
}

TEST(Secp256k1Signatures, Rfc6979KnownAnswers) {
    EXPECT_EQ(to_hex(known_answer_digest().view()),
              "0x917d54240f530e1d63f2f118e3d6163088e531cb2f4b77d1ef9b8dcf3ef7bef2");
    for (const KnownSignature& k : known_signatures()) {
        SCOPED_TRACE(k.key);
        const Signature sig = sign(key(k.key), k.digest);
        EXPECT_EQ(to_hex(sig.r.view()), k.r);
        EXPECT_EQ(to_hex(sig.s.view()), k.s);
        EXPECT_EQ(sig.v, k.v);
        EXPECT_TRUE(sig.is_low_s());
        EXPECT_EQ(recover_address(k.digest, sig).value(), key(k.key).address());
    }
    EXPECT_EQ(key("0x4646464646464646464646464646464646464646464646464646464646464646").address().to_checksum_hex(),
              "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
}

TEST(Secp256k1Signatures, Deterministic) {
    const PrivateKey k = key(kDevKey0);
    const Hash digest = digest_of("same input, same signature");
    EXPECT_EQ(sign(k, digest), sign(k, digest));
    EXPECT_NE(sign(k, digest), sign(k, digest_of("other input")));
}

TEST(Secp256k1Signatures, BytesRoundTripWithEthereumV) {
    const Signature sig = sign(key(kDevKey0), known_answer_digest());
    const auto bytes = sig.to_bytes();
    EXPECT_EQ(bytes[64], 28);  // recovery id 1
    EXPECT_EQ(Signature::from_bytes(bytes).value(), sig);
    EXPECT_EQ(Signature::from_bytes(sig_bytes(sig, 1)).value(), sig);
    EXPECT_EQ(recover_address(known_answer_digest(), with_v(sig, 28)).value(), key(kDevKey0).address());
    EXPECT_EQ(with_v(sig, 28).to_bytes(), bytes);
}

TEST(Secp256k1Signatures, SignRecoverVerifyRoundTrips) {
    for (int i = 0; i < 32; ++i) {
        const PrivateKey k = PrivateKey::generate();
        const Hash digest = digest_of("round trip " + std::to_string(i));
        const Signature sig = sign(k, digest);
        ASSERT_TRUE(sig.is_low_s());
        ASSERT_LE(sig.v, 1);
        EXPECT_EQ(recover_public_key(digest, sig).value(), k.public_key());
        EXPECT_TRUE(verify(k.address(), digest, sig));
        EXPECT_EQ(Signature::from_bytes(sig.to_bytes()).value(), sig);
        EXPECT_EQ(ecrecover_unchecked(digest, sig.v, sig.r, sig.s).value(), k.address());
    }
}

TEST(Secp256k1Signatures, WrongSignerOrDigestFailsVerify) {
    const Hash digest = known_answer_digest();
    const Signature sig = sign(key(kDevKey0), digest);
    const Address other = key(kDevKey1).address();
    EXPECT_FALSE(verify(other, digest, sig));
    EXPECT_EQ(check_signature(other, digest, sig).error().code, Errc::bad_signature);
    EXPECT_FALSE(verify(key(kDevKey0).address(), digest_of("another digest"), sig));
    // The wrong recovery id recovers some other key.
    EXPECT_FALSE(verify(key(kDevKey0).address(), digest, with_v(sig, sig.v ^ 1)));
    EXPECT_TRUE(check_signature(key(kDevKey0).address(), digest, sig).ok());
}

// ---- malleability and malformed signatures --------------------------------------------------------

TEST(Secp256k1Signatures, HighSRejectedButRecoverableUnchecked) {
    const Hash digest = known_answer_digest();
    const Signature low = sign(key(kDevKey0), digest);
    Signature high = low;
    high.s = order_minus(low.s);
    high.v = low.v ^ 1;
    // n - s as computed independently (@noble/curves), and the same signer recovers from it.
    EXPECT_EQ(to_hex(high.s.view()), "0x8b671d204571e0d3f2c94511676b884ad8c6ffd3718d270e0b4cdf905b6a3a77");
    EXPECT_FALSE(high.is_low_s());
    EXPECT_EQ(Signature::from_bytes(high.to_bytes()).error().code, Errc::high_s_signature);
    EXPECT_EQ(recover_public_key(digest, high).error().code, Errc::high_s_signature);
    EXPECT_EQ(recover_address(digest, high).error().code, Errc::high_s_signature);
    EXPECT_EQ(check_signature(key(kDevKey0).address(), digest, high).error().code, Errc::high_s_signature);
    EXPECT_FALSE(verify(key(kDevKey0).address(), digest, high));
    EXPECT_EQ(ecrecover_unchecked(digest, high.v, high.r, high.s).value(), key(kDevKey0).address());
}

TEST(Secp256k1Signatures, HalfOrderIsTheLastLowS) {
    Signature sig = sign(key(kDevKey0), known_answer_digest());
    sig.s = kSecp256k1HalfOrder;
    EXPECT_TRUE(sig.is_low_s());
    EXPECT_TRUE(Signature::from_bytes(sig.to_bytes()).ok());
    sig.s[31] += 1;
    EXPECT_FALSE(sig.is_low_s());
    EXPECT_EQ(Signature::from_bytes(sig.to_bytes()).error().code, Errc::high_s_signature);
}

TEST(Secp256k1Signatures, BadV) {
    const Hash digest = known_answer_digest();
    const Signature sig = sign(key(kDevKey0), digest);
    for (const int v_int : {2, 3, 26, 29, 35, 37, 255}) {
        const auto v = static_cast<std::uint8_t>(v_int);
        SCOPED_TRACE(int{v});
        EXPECT_EQ(Signature::from_bytes(sig_bytes(sig, v)).error().code, Errc::bad_signature);
        EXPECT_EQ(recover_public_key(digest, with_v(sig, v)).error().code, Errc::bad_signature);
        EXPECT_FALSE(verify(key(kDevKey0).address(), digest, with_v(sig, v)));
    }
    for (const int v_int : {2, 27, 28}) {
        const auto v = static_cast<std::uint8_t>(v_int);
        EXPECT_EQ(ecrecover_unchecked(digest, v, sig.r, sig.s).error().code, Errc::bad_signature);
    }
}

TEST(Secp256k1Signatures, ROrSOutOfRange) {
    const Hash digest = known_answer_digest();
    const Signature good = sign(key(kDevKey0), digest);
    Bytes32 above_n = kSecp256k1Order;
    above_n[31] = 0x42;
    for (const Bytes32& bad : {Bytes32{}, kSecp256k1Order, above_n, b32("0x" + std::string(64, 'f'))}) {
        SCOPED_TRACE(to_hex(bad.view()));
        Signature bad_r = good;
        bad_r.r = bad;
        Signature bad_s = good;
        bad_s.s = bad;
        for (const Signature& sig : {bad_r, bad_s}) {
            EXPECT_EQ(Signature::from_bytes(sig.to_bytes()).error().code, Errc::bad_signature);
            EXPECT_EQ(recover_public_key(digest, sig).error().code, Errc::bad_signature);
            EXPECT_FALSE(verify(key(kDevKey0).address(), digest, sig));
            EXPECT_EQ(ecrecover_unchecked(digest, sig.v, sig.r, sig.s).error().code, Errc::bad_signature);
        }
    }
}

TEST(Secp256k1Signatures, RThatIsNoCurvePointFailsRecovery) {
    const Hash digest = known_answer_digest();
    Signature sig = sign(key(kDevKey0), digest);
    sig.r = b32("0x0000000000000000000000000000000000000000000000000000000000000005");
    EXPECT_EQ(recover_public_key(digest, sig).error().code, Errc::recovery_failed);
    EXPECT_EQ(ecrecover_unchecked(digest, 0, sig.r, sig.s).error().code, Errc::recovery_failed);
}

TEST(Secp256k1Signatures, MalformedLengths) {
    const auto bytes = sign(key(kDevKey0), known_answer_digest()).to_bytes();
    EXPECT_EQ(Signature::from_bytes(ByteView(bytes).first(64)).error().code, Errc::bad_length);
    Bytes longer(bytes.begin(), bytes.end());
    longer.push_back(0);
    EXPECT_EQ(Signature::from_bytes(longer).error().code, Errc::bad_length);
    EXPECT_EQ(Signature::from_bytes({}).error().code, Errc::bad_length);
}

// ---- secrecy and threads --------------------------------------------------------------------------

TEST(Secp256k1Secrecy, PrivateKeyNeverPrints) {
    const PrivateKey k = key(kDevKey0);
    const std::string secret_hex = std::string(kDevKey0 + 2);
    const std::string printed = ::testing::PrintToString(k);
    EXPECT_EQ(printed, "PrivateKey(0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266, secret redacted)");
    EXPECT_EQ(k.describe(), printed);
    EXPECT_EQ(::testing::PrintToString(k.secret()), "Secret<32>(redacted)");
    for (const std::string& shown : {printed, ::testing::PrintToString(k.secret())}) {
        EXPECT_EQ(shown.find(secret_hex.substr(0, 8)), std::string::npos);
        EXPECT_EQ(shown.find("AC0974"), std::string::npos);
    }
}

TEST(Secp256k1Secrecy, ErrorsDoNotEchoTheKey) {
    const std::string n_hex = to_hex(kSecp256k1Order.view());
    const auto too_big = PrivateKey::from_hex(n_hex);
    ASSERT_FALSE(too_big.ok());
    EXPECT_EQ(too_big.error().describe().find(n_hex.substr(2, 16)), std::string::npos);
    const std::string bad_digit = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ffzz";
    const auto bad = PrivateKey::from_hex(bad_digit);
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().describe().find("zz"), std::string::npos);
    EXPECT_EQ(bad.error().describe().find("ac0974"), std::string::npos);
}

TEST(Secp256k1Threads, ConcurrentSignAndRecoverAgree) {
    const PrivateKey k = key(kDevKey1);
    std::vector<Hash> digests;
    std::vector<Signature> expected;
    for (int i = 0; i < 16; ++i) {
        digests.push_back(digest_of("thread " + std::to_string(i)));
        expected.push_back(sign(k, digests.back()));
    }
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < mismatches.size(); ++t) {
        threads.emplace_back([&, t] {
            for (std::size_t i = 0; i < digests.size(); ++i) {
                if (sign(k, digests[i]) != expected[i]) ++mismatches[t];
                if (recover_address(digests[i], expected[i]).value_or(Address{}) != k.address()) ++mismatches[t];
            }
        });
    }
    for (auto& th : threads) th.join();
    for (const int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace sluice
