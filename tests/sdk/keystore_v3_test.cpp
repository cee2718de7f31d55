// Web3 Secret Storage v3 (keystore.hpp): every case of ethereum/tests KeyStoreTests/basic_tests.json imports
// to its `priv`; tampering, unsupported schemes and out-of-bound KDF parameters are typed errors; export
// round trips.
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sluice/core/hex.hpp"
#include "sluice/sdk/keystore.hpp"

namespace sluice::sdk::keystore {
namespace {

constexpr ScryptParams kCheapScrypt{1024, 8, 1};

nlohmann::json fixture_cases() {
    std::ifstream in(std::string(SLUICE_FIXTURES_DIR) + "/ethereum_tests/KeyStoreTests/basic_tests.json");
    std::stringstream ss;
    ss << in.rdbuf();
    return nlohmann::json::parse(ss.str());
}

Errc code_of(const Result<PrivateKey>& result) {
    EXPECT_FALSE(result.ok());
    return result.ok() ? static_cast<Errc>(0) : result.error().code;
}

TEST(KeystoreV3, EveryFixtureCaseImportsToItsKey) {
    const nlohmann::json cases = fixture_cases();
    ASSERT_EQ(cases.size(), 5u);  // test1, test2, python_generated_test_with_odd_iv, evilnonce, mycrypto
    for (const auto& [name, c] : cases.items()) {
        const auto start = std::chrono::steady_clock::now();
        const auto key = import_v3(c["json"].dump(), c["password"].get<std::string>());
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        ASSERT_TRUE(key.ok()) << name << ": " << key.error().describe();
        EXPECT_EQ(to_hex(key->secret().reveal(), false), c["priv"].get<std::string>()) << name;
        std::printf("  %-36s %.2f s\n", name.c_str(), seconds);
        RecordProperty(name + "_seconds", std::to_string(seconds));
    }
}

TEST(KeystoreV3, EveryFixtureCaseRefusesAWrongPassword) {
    const nlohmann::json cases = fixture_cases();  // items() of a temporary would outlive it
    for (const auto& [name, c] : cases.items()) {
        EXPECT_EQ(code_of(import_v3(c["json"].dump(), c["password"].get<std::string>() + "x")),
                  Errc::keystore_bad_password)
            << name;
    }
}

nlohmann::json fixture(const char* name) {
    return fixture_cases()[name];
}

std::string flip_last(std::string hex) {
    hex.back() = hex.back() == '0' ? '1' : '0';
    return hex;
}

TEST(KeystoreV3, TamperedFilesAreTypedErrors) {
    const nlohmann::json c = fixture("mycrypto");  // scrypt n = 8192, with an address
    const std::string password = c["password"];
    nlohmann::json doc = c["json"];
    doc["crypto"]["mac"] = flip_last(doc["crypto"]["mac"]);
    EXPECT_EQ(code_of(import_v3(doc.dump(), password)), Errc::keystore_bad_password);
    doc = c["json"];
    doc["crypto"]["ciphertext"] = flip_last(doc["crypto"]["ciphertext"]);
    EXPECT_EQ(code_of(import_v3(doc.dump(), password)), Errc::keystore_bad_password);
    doc = c["json"];
    doc["crypto"]["kdfparams"]["salt"] = flip_last(doc["crypto"]["kdfparams"]["salt"]);
    EXPECT_EQ(code_of(import_v3(doc.dump(), password)), Errc::keystore_bad_password);
    // v3's MAC does not cover the iv: another iv decrypts to another key, which only the address catches.
    doc = c["json"];
    doc["crypto"]["cipherparams"]["iv"] = flip_last(doc["crypto"]["cipherparams"]["iv"]);
    EXPECT_EQ(code_of(import_v3(doc.dump(), password)), Errc::keystore_wrong_address);
    doc = c["json"];
    doc["address"] = "0x" + flip_last(doc["address"]);
    EXPECT_EQ(code_of(import_v3(doc.dump(), password)), Errc::keystore_wrong_address);
    // The address with a 0x prefix and in upper case is the same address.
    doc = c["json"];
    std::string upper = doc["address"];
    for (char& ch : upper)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    doc["address"] = "0x" + upper;
    EXPECT_TRUE(import_v3(doc.dump(), password).ok());
}

TEST(KeystoreV3, GethsCapitalisedCryptoKeyIsRead) {
    const nlohmann::json c = fixture("mycrypto");
    nlohmann::json doc = c["json"];
    doc["Crypto"] = doc["crypto"];
    EXPECT_EQ(code_of(import_v3(doc.dump(), c["password"].get<std::string>())), Errc::keystore_malformed);
    doc.erase("crypto");
    const auto key = import_v3(doc.dump(), c["password"].get<std::string>());
    ASSERT_TRUE(key.ok()) << key.error().describe();
    EXPECT_EQ(to_hex(key->secret().reveal(), false), c["priv"].get<std::string>());
}

// Decoding only (no KDF runs): each edit of a valid file gives its code.
Errc parse_code(const nlohmann::json& base, const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json doc = base;
    edit(doc);
    const auto parsed = parse_v3(doc.dump());
    return parsed.ok() ? static_cast<Errc>(0) : parsed.error().code;
}

TEST(KeystoreV3, UnsupportedSchemesAndBoundsAreRefusedBeforeAnyWork) {
    const nlohmann::json scrypt = fixture("test2")["json"];
    const nlohmann::json pbkdf2 = fixture("test1")["json"];
    ASSERT_TRUE(parse_v3(scrypt.dump()).ok());
    ASSERT_TRUE(parse_v3(pbkdf2.dump()).ok());
    const Errc bad = Errc::keystore_malformed;
    const Errc unsupported = Errc::keystore_unsupported;
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["version"] = 2; }), unsupported);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["version"] = "3"; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d.erase("version"); }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["cipher"] = "aes-128-cbc"; }), unsupported);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["kdf"] = "argon2"; }), unsupported);
    EXPECT_EQ(parse_code(pbkdf2, [](auto& d) { d["crypto"]["kdfparams"]["prf"] = "hmac-sha512"; }),
              unsupported);
    // scrypt: n a power of two up to 2^20, r ≤ 32, p ≤ 16, 128·r·n ≤ 1 GiB, n·r·p ≤ 2^23.
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["kdfparams"]["n"] = 1 << 21; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["kdfparams"]["n"] = 1000; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["kdfparams"]["n"] = 1; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["kdfparams"]["n"] = -262144; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["kdfparams"]["n"] = 1e300; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["kdfparams"]["r"] = 0; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["kdfparams"]["r"] = 33; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["kdfparams"]["p"] = 17; }), bad);
    EXPECT_EQ(parse_code(scrypt,
                         [](auto& d) {
                             d["crypto"]["kdfparams"]["n"] = 1 << 20;
                             d["crypto"]["kdfparams"]["r"] = 16;  // 2 GiB
                             d["crypto"]["kdfparams"]["p"] = 1;
                         }),
              bad);
    EXPECT_EQ(parse_code(scrypt,
                         [](auto& d) {
                             d["crypto"]["kdfparams"]["n"] = 1 << 20;
                             d["crypto"]["kdfparams"]["r"] = 8;  // 1 GiB, but n·r·p = 2^25
                             d["crypto"]["kdfparams"]["p"] = 4;
                         }),
              bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["kdfparams"]["dklen"] = 64; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["kdfparams"]["salt"] = ""; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["kdfparams"]["salt"] = std::string(2050, 'a'); }),
              bad);
    EXPECT_EQ(parse_code(pbkdf2, [](auto& d) { d["crypto"]["kdfparams"]["c"] = (1 << 24) + 1; }), bad);
    EXPECT_EQ(parse_code(pbkdf2, [](auto& d) { d["crypto"]["kdfparams"]["c"] = 0; }), bad);
    EXPECT_EQ(parse_code(pbkdf2, [](auto& d) { d["crypto"]["kdfparams"].erase("prf"); }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["cipherparams"]["iv"] = "00"; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["ciphertext"] = "00"; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"]["mac"] = "xyz"; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["crypto"] = "scrypt"; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["address"] = 5; }), bad);
    EXPECT_EQ(parse_code(scrypt, [](auto& d) { d["id"] = 5; }), bad);
    // Keys other wallets add are ignored.
    EXPECT_EQ(parse_code(scrypt,
                         [](auto& d) {
                             d["x-ethers"] = {{"client", "ethers.js"}};
                         }),
              static_cast<Errc>(0));
    std::string dup = scrypt.dump();
    dup.insert(1, "\"version\":3,");
    EXPECT_EQ(parse_v3(dup).error().code, bad);
    EXPECT_EQ(parse_v3("{").error().code, bad);
    EXPECT_EQ(parse_v3(std::string(kMaxFileBytes + 1, ' ')).error().code, bad);
}

TEST(KeystoreV3, ExportImportRoundTrip) {
    const PrivateKey key = PrivateKey::generate();
    const auto text = export_v3(key, "hunter2", kCheapScrypt);
    ASSERT_TRUE(text.ok()) << text.error().describe();
    const auto parsed = parse_v3(*text);
    ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
    ASSERT_TRUE(parsed->scrypt.has_value());
    EXPECT_EQ(*parsed->scrypt, kCheapScrypt);
    EXPECT_FALSE(parsed->pbkdf2.has_value());
    EXPECT_EQ(parsed->salt.size(), 32u);
    ASSERT_TRUE(parsed->address.has_value());
    EXPECT_EQ(*parsed->address, key.address());
    ASSERT_TRUE(parsed->id.has_value());
    EXPECT_EQ(parsed->id->size(), 36u);
    EXPECT_EQ((*parsed->id)[14], '4');  // UUID version 4
    const nlohmann::json doc = nlohmann::json::parse(*text);
    EXPECT_EQ(doc["address"], key.address().to_hex().substr(2));  // geth's form: lower case, no 0x
    const auto back = import_v3(*text, "hunter2");
    ASSERT_TRUE(back.ok()) << back.error().describe();
    EXPECT_EQ(to_hex(back->secret().reveal()), to_hex(key.secret().reveal()));
    EXPECT_EQ(code_of(import_v3(*text, "hunter3")), Errc::keystore_bad_password);
    // Two exports of one key share nothing random.
    const auto again = export_v3(key, "hunter2", kCheapScrypt);
    ASSERT_TRUE(again.ok());
    const auto parsed_again = parse_v3(*again).value();
    EXPECT_NE(parsed_again.salt, parsed->salt);
    EXPECT_NE(parsed_again.iv, parsed->iv);
    EXPECT_NE(parsed_again.ciphertext, parsed->ciphertext);
}

TEST(KeystoreV3, ExportRefusesParametersOutOfBounds) {
    const PrivateKey key = PrivateKey::generate();
    for (const ScryptParams bad : {ScryptParams{1000, 8, 1}, ScryptParams{std::uint64_t{1} << 21, 1, 1},
                                   ScryptParams{1024, 0, 1}, ScryptParams{1024, 8, 0}}) {
        const auto text = export_v3(key, "pw", bad);
        ASSERT_FALSE(text.ok());
        EXPECT_EQ(text.error().code, Errc::keystore_malformed);
    }
}

}  // namespace
}  // namespace sluice::sdk::keystore
