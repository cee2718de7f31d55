// The node's own keystore file (keystore.hpp, docs/keystore.md): Argon2id13 → XChaCha20-Poly1305 with every
// header field as associated data; strict decoding with the KDF parameters bounded before any work.
#include "sluice/sdk/keystore.hpp"

#include <sodium.h>

#include "keystore_io.hpp"
#include "keystore_json.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/json_text.hpp"

namespace sluice::sdk::keystore {

namespace {

using detail::malformed;

static_assert(kSaltBytes == crypto_pwhash_SALTBYTES);
static_assert(kNonceBytes == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(kCiphertextBytes == 32 + crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kMinOpslimit >= crypto_pwhash_argon2id_OPSLIMIT_MIN);
static_assert(kMinMemlimit >= crypto_pwhash_argon2id_MEMLIMIT_MIN);

Status check_params(const Argon2Params& params) {
    if (params.opslimit < kMinOpslimit || params.opslimit > kMaxOpslimit) {
        return malformed("kdf.opslimit = " + std::to_string(params.opslimit) + " is outside [" +
                         std::to_string(kMinOpslimit) + ", " + std::to_string(kMaxOpslimit) + "]");
    }
    if (params.memlimit < kMinMemlimit || params.memlimit > kMaxMemlimit) {
        return malformed("kdf.memlimit = " + std::to_string(params.memlimit) + " is outside [" +
                         std::to_string(kMinMemlimit) + ", " + std::to_string(kMaxMemlimit) + "]");
    }
    return {};
}

void put_be(Bytes& out, std::uint64_t v, int bytes) {
    for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> shift));
}
void put_name(Bytes& out, std::string_view name) {
    out.push_back(static_cast<std::uint8_t>(name.size()));
    out.insert(out.end(), name.begin(), name.end());
}

// The associated data: every field but the ciphertext, in a fixed binary layout (docs/keystore.md), so
// changing any of them makes decryption fail.
Bytes associated_data(const KeystoreFile& file) {
    Bytes ad;
    ad.reserve(128);
    put_name(ad, kFormatName);
    put_be(ad, kFormatVersion, 4);
    ad.insert(ad.end(), file.address.begin(), file.address.end());
    put_name(ad, kKdfArgon2id);
    put_be(ad, file.kdf.opslimit, 8);
    put_be(ad, file.kdf.memlimit, 8);
    ad.insert(ad.end(), file.salt.begin(), file.salt.end());
    put_name(ad, kCipherXChaCha);
    ad.insert(ad.end(), file.nonce.begin(), file.nonce.end());
    return ad;
}

Result<Secret<32>> derive_key(std::string_view password, const FixedBytes<kSaltBytes>& salt,
                              const Argon2Params& params) {
    SLUICE_CHECK_OK(check_params(params));
    SLUICE_CHECK_OK(detail::ensure_sodium());
    Secret<32> key;
    if (crypto_pwhash(key.mutable_data(), key.size(), password.data(), password.size(), salt.data(),
                      params.opslimit, static_cast<std::size_t>(params.memlimit),
                      crypto_pwhash_ALG_ARGON2ID13) != 0) {
        return make_error(Errc::internal, "keystore: Argon2id failed (out of memory for " +
                                              std::to_string(params.memlimit) + " bytes?)");
    }
    return key;
}

// Checks that a JSON object has exactly `keys`.
Status exact_keys(const nlohmann::json& object, std::initializer_list<std::string_view> keys,
                  std::string_view where) {
    for (const auto& [key, value] : object.items()) {
        bool known = false;
        for (const auto k : keys)
            known = known || key == k;
        if (!known) return malformed(std::string(where) + key + " is not a field of version 1");
    }
    for (const auto k : keys) {
        if (!object.contains(k)) return malformed(std::string(where) + std::string(k) + " is missing");
    }
    return {};
}

Result<KeystoreFile> parse_object(const nlohmann::json& doc) {
    if (!doc.is_object()) return malformed("not a JSON object");
    SLUICE_TRY(const std::string format, detail::string_field(doc, "format", ""));
    if (format != kFormatName) return malformed("format is not \"" + std::string(kFormatName) + "\"");
    SLUICE_TRY(const std::uint64_t version, detail::uint_field(doc, "version", "", 0, UINT64_MAX));
    if (version != kFormatVersion) {
        return make_error(Errc::keystore_unsupported,
                          "keystore: version " + std::to_string(version) + " (this build reads version 1)");
    }
    SLUICE_CHECK_OK(exact_keys(doc, {"format", "version", "address", "kdf", "cipher"}, ""));

    KeystoreFile file;
    SLUICE_TRY(const std::string address, detail::string_field(doc, "address", ""));
    auto parsed_address = Address::from_hex(address);
    if (!parsed_address.ok()) return malformed("address: " + parsed_address.error().message);
    file.address = *parsed_address;

    const nlohmann::json& kdf = doc["kdf"];
    if (!kdf.is_object()) return malformed("kdf is not an object");
    SLUICE_TRY(const std::string kdf_name, detail::string_field(kdf, "name", "kdf."));
    if (kdf_name != kKdfArgon2id) {
        return make_error(Errc::keystore_unsupported,
                          "keystore: kdf " + kdf_name + " (this build has argon2id13)");
    }
    SLUICE_CHECK_OK(exact_keys(kdf, {"name", "opslimit", "memlimit", "salt"}, "kdf."));
    SLUICE_TRY(file.kdf.opslimit, detail::uint_field(kdf, "opslimit", "kdf.", kMinOpslimit, kMaxOpslimit));
    SLUICE_TRY(file.kdf.memlimit, detail::uint_field(kdf, "memlimit", "kdf.", kMinMemlimit, kMaxMemlimit));
    SLUICE_TRY(file.salt, detail::fixed_hex_field<kSaltBytes>(kdf, "salt", "kdf.", HexPrefix::required));

    const nlohmann::json& cipher = doc["cipher"];
    if (!cipher.is_object()) return malformed("cipher is not an object");
    SLUICE_TRY(const std::string cipher_name, detail::string_field(cipher, "name", "cipher."));
    if (cipher_name != kCipherXChaCha) {
        return make_error(Errc::keystore_unsupported,
                          "keystore: cipher " + cipher_name + " (this build has xchacha20poly1305-ietf)");
    }
    SLUICE_CHECK_OK(exact_keys(cipher, {"name", "nonce", "ciphertext"}, "cipher."));
    SLUICE_TRY(file.nonce,
               detail::fixed_hex_field<kNonceBytes>(cipher, "nonce", "cipher.", HexPrefix::required));
    SLUICE_TRY(file.ciphertext, detail::fixed_hex_field<kCiphertextBytes>(cipher, "ciphertext", "cipher.",
                                                                          HexPrefix::required));
    return file;
}

}  // namespace

Result<KeystoreFile> parse(std::string_view json_text) {
    if (json_text.size() > kMaxFileBytes) {
        return malformed("text is above " + std::to_string(kMaxFileBytes) + " bytes");
    }
    auto doc = parse_json_strict(json_text);
    if (!doc.ok()) return malformed(doc.error().message);
    return parse_object(*doc);
}

std::string encode(const KeystoreFile& file) {
    // Written by hand, not by nlohmann::json::dump: the fields stay in the documented order.
    std::string out = "{\n";
    out += "  \"format\": \"" + std::string(kFormatName) + "\",\n";
    out += "  \"version\": " + std::to_string(kFormatVersion) + ",\n";
    out += "  \"address\": \"" + file.address.to_checksum_hex() + "\",\n";
    out += "  \"kdf\": {\"name\": \"" + std::string(kKdfArgon2id) +
           "\", \"opslimit\": " + std::to_string(file.kdf.opslimit) +
           ", \"memlimit\": " + std::to_string(file.kdf.memlimit) + ", \"salt\": \"" +
           to_hex(file.salt.view()) + "\"},\n";
    out += "  \"cipher\": {\"name\": \"" + std::string(kCipherXChaCha) + "\", \"nonce\": \"" +
           to_hex(file.nonce.view()) + "\", \"ciphertext\": \"" + to_hex(file.ciphertext.view()) + "\"}\n";
    out += "}\n";
    return out;
}

Result<KeystoreFile> seal(const PrivateKey& key, std::string_view password, const Argon2Params& params) {
    SLUICE_CHECK_OK(check_params(params));
    KeystoreFile file;
    file.address = key.address();
    file.kdf = params;
    SLUICE_CHECK_OK(detail::ensure_sodium());
    randombytes_buf(file.salt.data(), file.salt.size());
    randombytes_buf(file.nonce.data(), file.nonce.size());
    SLUICE_TRY(const Secret<32> derived, derive_key(password, file.salt, params));
    const Bytes ad = associated_data(file);
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(file.ciphertext.data(), &written, key.secret().data(),
                                               key.secret().size(), ad.data(), ad.size(), nullptr,
                                               file.nonce.data(), derived.data());
    if (written != kCiphertextBytes)
        return make_error(Errc::internal, "keystore: unexpected ciphertext size");
    return file;
}

Result<PrivateKey> unseal(const KeystoreFile& file, std::string_view password) {
    SLUICE_TRY(const Secret<32> derived, derive_key(password, file.salt, file.kdf));
    const Bytes ad = associated_data(file);
    Secret<32> plain;
    unsigned long long length = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.mutable_data(), &length, nullptr,
                                                   file.ciphertext.data(), file.ciphertext.size(), ad.data(),
                                                   ad.size(), file.nonce.data(), derived.data()) != 0 ||
        length != plain.size()) {
        return make_error(Errc::keystore_bad_password,
                          "keystore: does not decrypt (wrong password, or the file was altered)");
    }
    auto key = PrivateKey::from_bytes(plain.reveal());
    if (!key.ok()) return malformed("decrypts to an invalid secp256k1 key");
    if (key->address() != file.address) {
        return make_error(Errc::keystore_wrong_address, "keystore: decrypts to the key of " +
                                                            key->address().to_checksum_hex() + ", not of " +
                                                            file.address.to_checksum_hex());
    }
    return key;
}

Status create(const std::filesystem::path& path, const PrivateKey& key, std::string_view password,
              const Argon2Params& params) {
    SLUICE_TRY(const KeystoreFile file, seal(key, password, params));
    return detail::write_atomically(path, encode(file), detail::WriteMode::create_new);
}

Result<PrivateKey> load(const std::filesystem::path& path, std::string_view password) {
    SLUICE_TRY(const std::string text, detail::read_file(path));
    SLUICE_TRY(const KeystoreFile file, parse(text));
    return unseal(file, password);
}

Status change_password(const std::filesystem::path& path, std::string_view old_password,
                       std::string_view new_password) {
    SLUICE_TRY(const std::string text, detail::read_file(path));
    SLUICE_TRY(const KeystoreFile old_file, parse(text));
    SLUICE_TRY(const PrivateKey key, unseal(old_file, old_password));
    SLUICE_TRY(const KeystoreFile new_file, seal(key, new_password, old_file.kdf));
    return detail::write_atomically(path, encode(new_file), detail::WriteMode::replace);
}

Result<Address> read_address(const std::filesystem::path& path) {
    SLUICE_TRY(const std::string text, detail::read_file(path));
    SLUICE_TRY(const KeystoreFile file, parse(text));
    return file.address;
}

}  // namespace sluice::sdk::keystore
