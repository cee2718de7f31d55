// Web3 Secret Storage v3 (keystore.hpp, docs/keystore.md §v3): the JSON key files of geth, ethers and
// MyCrypto. Key derivation by scrypt (libsodium) or PBKDF2-HMAC-SHA256 (OpenSSL), AES-128-CTR by OpenSSL's
// EVP: libsodium has no AES-CTR and the format mandates it. MAC = keccak256(derived_key[16..32] ‖
// ciphertext).
#include <openssl/evp.h>
#include <sodium.h>

#include <climits>
#include <memory>

#include "keystore_json.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/json_text.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/sdk/keystore.hpp"

namespace sluice::sdk::keystore {

namespace {

using detail::malformed;

constexpr std::string_view kV3Cipher = "aes-128-ctr";
constexpr std::size_t kDerivedKeyBytes = 32;  // dklen: [0..16) the AES key, [16..32) the MAC key

Error unsupported(std::string message) {
    return make_error(Errc::keystore_unsupported, "keystore v3: " + std::move(message));
}

Status check_scrypt(const ScryptParams& params) {
    const auto& [n, r, p] = params;
    if (n < 2 || n > kMaxScryptN || (n & (n - 1)) != 0) {
        return malformed("v3 scrypt n = " + std::to_string(n) + " is not a power of two in [2, 2^20]");
    }
    if (r < 1 || r > kMaxScryptR)
        return malformed("v3 scrypt r = " + std::to_string(r) + " is outside [1, 32]");
    if (p < 1 || p > kMaxScryptP)
        return malformed("v3 scrypt p = " + std::to_string(p) + " is outside [1, 16]");
    // n ≤ 2^20 and r ≤ 32: neither product overflows.
    if (128 * std::uint64_t{r} * n > kMaxScryptMemory) {
        return malformed("v3 scrypt needs 128·r·n = " + std::to_string(128 * std::uint64_t{r} * n) +
                         " bytes, above 1 GiB");
    }
    if (n * r * p > kMaxScryptWork) {
        return malformed("v3 scrypt n·r·p = " + std::to_string(n * r * p) + " is above 2^23");
    }
    return {};
}

Status check_password_length(std::string_view password) {
    if (password.size() > static_cast<std::size_t>(INT_MAX)) return malformed("password is above 2 GiB");
    return {};
}

Result<Secret<kDerivedKeyBytes>> derive(const V3File& file, std::string_view password) {
    SLUICE_CHECK_OK(check_password_length(password));
    Secret<kDerivedKeyBytes> dk;
    if (file.scrypt) {
        SLUICE_CHECK_OK(check_scrypt(*file.scrypt));
        SLUICE_CHECK_OK(detail::ensure_sodium());
        if (crypto_pwhash_scryptsalsa208sha256_ll(reinterpret_cast<const std::uint8_t*>(password.data()),
                                                  password.size(), file.salt.data(), file.salt.size(),
                                                  file.scrypt->n, file.scrypt->r, file.scrypt->p,
                                                  dk.mutable_data(), dk.size()) != 0) {
            return make_error(Errc::internal, "keystore v3: scrypt failed (out of memory?)");
        }
        return dk;
    }
    if (file.pbkdf2) {
        if (file.pbkdf2->c < 1 || file.pbkdf2->c > kMaxPbkdf2Iterations) {
            return malformed("v3 pbkdf2 c = " + std::to_string(file.pbkdf2->c) + " is outside [1, 2^24]");
        }
        if (file.salt.size() > kMaxV3SaltBytes) return malformed("v3 salt is above 1024 bytes");
        if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), file.salt.data(),
                              static_cast<int>(file.salt.size()), static_cast<int>(file.pbkdf2->c),
                              EVP_sha256(), static_cast<int>(dk.size()), dk.mutable_data()) != 1) {
            return make_error(Errc::internal, "keystore v3: PBKDF2 failed");
        }
        return dk;
    }
    return malformed("v3 file without a kdf");
}

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};

// AES-128-CTR with the 16-byte iv as the initial big-endian counter; encryption and decryption are the same.
Status aes_128_ctr(const std::uint8_t* key16, const FixedBytes<16>& iv, const std::uint8_t* in,
                   std::size_t size, std::uint8_t* out) {
    const std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree> ctx(EVP_CIPHER_CTX_new());
    int written = 0;
    int final_written = 0;
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_128_ctr(), nullptr, key16, iv.data()) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out, &written, in, static_cast<int>(size)) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out + written, &final_written) != 1 ||
        static_cast<std::size_t>(written + final_written) != size) {
        return make_error(Errc::internal, "keystore v3: AES-128-CTR failed");
    }
    return {};
}

Hash v3_mac(const Secret<kDerivedKeyBytes>& dk, const FixedBytes<32>& ciphertext) {
    Keccak256 hash;
    hash.update(dk.reveal().subspan(16, 16));
    hash.update(ciphertext.view());
    return hash.finalize();
}

Result<Address> v3_address(const std::string& text) {
    const bool prefixed = text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    auto address = Address::from_hex(prefixed ? "0x" + text.substr(2) : "0x" + text);
    if (!address.ok()) return malformed("v3 address: " + address.error().message);
    return *address;
}

std::string uuid_v4() {
    std::array<std::uint8_t, 16> b{};
    randombytes_buf(b.data(), b.size());
    b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
    const std::string hex = to_hex(ByteView(b.data(), b.size()), false);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) +
           "-" + hex.substr(20);
}

Result<V3File> parse_v3_object(const nlohmann::json& doc) {
    if (!doc.is_object()) return malformed("v3: not a JSON object");
    SLUICE_TRY(const std::uint64_t version, detail::uint_field(doc, "version", "v3 ", 0, UINT64_MAX));
    if (version != 3)
        return unsupported("version " + std::to_string(version) + " (this build reads version 3)");
    const bool lower = doc.contains("crypto");
    const bool upper = doc.contains("Crypto");
    if (lower == upper) return malformed("v3: needs exactly one of crypto and Crypto");
    const nlohmann::json& crypto = doc[lower ? "crypto" : "Crypto"];
    if (!crypto.is_object()) return malformed("v3 crypto is not an object");

    V3File file;
    SLUICE_TRY(const std::string cipher, detail::string_field(crypto, "cipher", "v3 crypto."));
    if (cipher != kV3Cipher) return unsupported("cipher " + cipher + " (this build has aes-128-ctr)");
    SLUICE_TRY(const nlohmann::json* cipherparams, detail::field(crypto, "cipherparams", "v3 crypto."));
    if (!cipherparams->is_object()) return malformed("v3 crypto.cipherparams is not an object");
    SLUICE_TRY(file.iv, detail::fixed_hex_field<16>(*cipherparams, "iv", "v3 crypto.cipherparams.",
                                                    HexPrefix::optional));
    SLUICE_TRY(file.ciphertext,
               detail::fixed_hex_field<32>(crypto, "ciphertext", "v3 crypto.", HexPrefix::optional));
    SLUICE_TRY(file.mac, detail::fixed_hex_field<32>(crypto, "mac", "v3 crypto.", HexPrefix::optional));

    SLUICE_TRY(const std::string kdf, detail::string_field(crypto, "kdf", "v3 crypto."));
    SLUICE_TRY(const nlohmann::json* kdfparams, detail::field(crypto, "kdfparams", "v3 crypto."));
    if (!kdfparams->is_object()) return malformed("v3 crypto.kdfparams is not an object");
    constexpr std::string_view where = "v3 crypto.kdfparams.";
    if (kdf == "scrypt") {
        ScryptParams params;
        SLUICE_TRY(params.n, detail::uint_field(*kdfparams, "n", where, 2, kMaxScryptN));
        SLUICE_TRY(const std::uint64_t r, detail::uint_field(*kdfparams, "r", where, 1, kMaxScryptR));
        SLUICE_TRY(const std::uint64_t p, detail::uint_field(*kdfparams, "p", where, 1, kMaxScryptP));
        params.r = static_cast<std::uint32_t>(r);
        params.p = static_cast<std::uint32_t>(p);
        SLUICE_CHECK_OK(check_scrypt(params));
        file.scrypt = params;
    } else if (kdf == "pbkdf2") {
        SLUICE_TRY(const std::string prf, detail::string_field(*kdfparams, "prf", where));
        if (prf != "hmac-sha256") return unsupported("pbkdf2 prf " + prf + " (this build has hmac-sha256)");
        Pbkdf2Params params;
        SLUICE_TRY(params.c, detail::uint_field(*kdfparams, "c", where, 1, kMaxPbkdf2Iterations));
        file.pbkdf2 = params;
    } else {
        return unsupported("kdf " + kdf + " (this build has scrypt and pbkdf2)");
    }
    SLUICE_TRY(const std::uint64_t dklen,
               detail::uint_field(*kdfparams, "dklen", where, kDerivedKeyBytes, kDerivedKeyBytes));
    (void)dklen;
    SLUICE_TRY(file.salt, detail::hex_field(*kdfparams, "salt", where, HexPrefix::optional));
    if (file.salt.empty() || file.salt.size() > kMaxV3SaltBytes) {
        return malformed("v3 crypto.kdfparams.salt is " + std::to_string(file.salt.size()) +
                         " bytes, outside [1, 1024]");
    }

    if (doc.contains("address")) {
        SLUICE_TRY(const std::string address, detail::string_field(doc, "address", "v3 "));
        SLUICE_TRY(file.address, v3_address(address));
    }
    if (doc.contains("id")) {
        SLUICE_TRY(file.id, detail::string_field(doc, "id", "v3 "));
    }
    return file;
}

}  // namespace

Result<V3File> parse_v3(std::string_view json_text) {
    if (json_text.size() > kMaxFileBytes) {
        return malformed("v3 text is above " + std::to_string(kMaxFileBytes) + " bytes");
    }
    auto doc = parse_json_strict(json_text);
    if (!doc.ok()) return malformed("v3: " + doc.error().message);
    return parse_v3_object(*doc);
}

Result<PrivateKey> import_v3(std::string_view json_text, std::string_view password) {
    SLUICE_TRY(const V3File file, parse_v3(json_text));
    SLUICE_TRY(const Secret<kDerivedKeyBytes> dk, derive(file, password));
    const Hash mac = v3_mac(dk, file.ciphertext);
    if (sodium_memcmp(mac.data(), file.mac.data(), mac.size()) != 0) {
        return make_error(Errc::keystore_bad_password,
                          "keystore v3: MAC mismatch (wrong password, or the file was altered)");
    }
    Secret<32> plain;
    SLUICE_CHECK_OK(aes_128_ctr(dk.data(), file.iv, file.ciphertext.data(), file.ciphertext.size(),
                                plain.mutable_data()));
    auto key = PrivateKey::from_bytes(plain.reveal());
    if (!key.ok()) return malformed("v3 file decrypts to an invalid secp256k1 key");
    if (file.address && key->address() != *file.address) {
        return make_error(Errc::keystore_wrong_address, "keystore v3: decrypts to the key of " +
                                                            key->address().to_checksum_hex() + ", not of " +
                                                            file.address->to_checksum_hex());
    }
    return key;
}

Result<std::string> export_v3(const PrivateKey& key, std::string_view password, const ScryptParams& params) {
    SLUICE_CHECK_OK(check_scrypt(params));
    SLUICE_CHECK_OK(detail::ensure_sodium());
    V3File file;
    file.scrypt = params;
    file.salt.resize(32);
    randombytes_buf(file.salt.data(), file.salt.size());
    randombytes_buf(file.iv.data(), file.iv.size());
    SLUICE_TRY(const Secret<kDerivedKeyBytes> dk, derive(file, password));
    SLUICE_CHECK_OK(
        aes_128_ctr(dk.data(), file.iv, key.secret().data(), key.secret().size(), file.ciphertext.data()));
    const Hash mac = v3_mac(dk, file.ciphertext);
    const std::string address = key.address().to_hex();
    nlohmann::json doc = {
        {"version", 3},
        {"id", uuid_v4()},
        {"address", address.substr(2)},
        {"crypto",
         {{"cipher", kV3Cipher},
          {"cipherparams", {{"iv", to_hex(file.iv.view(), false)}}},
          {"ciphertext", to_hex(file.ciphertext.view(), false)},
          {"kdf", "scrypt"},
          {"kdfparams",
           {{"dklen", kDerivedKeyBytes},
            {"n", params.n},
            {"r", params.r},
            {"p", params.p},
            {"salt", to_hex(file.salt, false)}}},
          {"mac", to_hex(mac.view(), false)}}},
    };
    return doc.dump();
}

}  // namespace sluice::sdk::keystore
