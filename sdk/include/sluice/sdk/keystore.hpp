// Keys at rest (issue #13): the node's secp256k1 identity key in a password-encrypted file, and import/export
// of Ethereum's Web3 Secret Storage v3 files (the wallet's, issue #16). The formats are in docs/keystore.md.
//
// Our file, `"format": "sluice-keystore"`, version 1: Argon2id13 (libsodium crypto_pwhash; salt, opslimit and
// memlimit in the file) derives a 32-byte key for XChaCha20-Poly1305 (crypto_aead_xchacha20poly1305_ietf;
// nonce in the file). Every header field (format, version, address, KDF name and parameters, salt, cipher
// name, nonce) is authenticated as associated data, so a tampered field fails like a wrong password. The
// address is stored in clear, so read_address() needs no password, and is checked again after decryption.
//
// Writes are atomic: a temp file in the same folder (mode 0600), fsync, rename (or link, for create, which
// never replaces a file), fsync of the folder. A failed write leaves the old file as it was.
//
// Decoders are strict and bounded before any key derivation: a hostile file cannot make the process allocate
// more than kMaxMemlimit / kMaxScryptMemory or run an absurd number of iterations (keystore_malformed).
// Derived keys and decrypted bytes live in wiping Secret<N>s; passwords are borrowed, never copied.
//
// Errors (no exceptions cross this API): keystore_bad_password (wrong password or tampered authenticated
// bytes), keystore_malformed (does not parse, a field out of range), keystore_unsupported (a format version,
// KDF or cipher we do not implement), keystore_wrong_address (decrypts to a key of another address),
// keystore_io, keystore_not_found, keystore_exists (create never overwrites).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/secp256k1.hpp"

namespace sluice::sdk::keystore {

// ---- our format ----

inline constexpr std::string_view kFormatName = "sluice-keystore";
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::string_view kKdfArgon2id = "argon2id13";
inline constexpr std::string_view kCipherXChaCha = "xchacha20poly1305-ietf";
inline constexpr std::size_t kSaltBytes = 16;        // crypto_pwhash_SALTBYTES
inline constexpr std::size_t kNonceBytes = 24;       // crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
inline constexpr std::size_t kCiphertextBytes = 48;  // the 32-byte key and the 16-byte Poly1305 tag

// Bounds the parser enforces (keystore_malformed outside them). opslimit 1 and 8 KiB are libsodium's
// minimums; 1 GiB is libsodium's SENSITIVE memlimit, the most any file may ask us to allocate.
inline constexpr std::uint64_t kMinOpslimit = 1;
inline constexpr std::uint64_t kMaxOpslimit = 16;
inline constexpr std::uint64_t kMinMemlimit = 8192;
inline constexpr std::uint64_t kMaxMemlimit = std::uint64_t{1} << 30;
// Files above this are refused before they are parsed (a keystore is about 600 bytes).
inline constexpr std::size_t kMaxFileBytes = 64 * 1024;

struct Argon2Params {
    std::uint64_t opslimit = 2;                        // crypto_pwhash_OPSLIMIT_INTERACTIVE
    std::uint64_t memlimit = std::uint64_t{64} << 20;  // crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB)

    friend bool operator==(const Argon2Params&, const Argon2Params&) = default;
};

// A decoded file of our format, before any key derivation. Holds nothing secret.
struct KeystoreFile {
    Address address;
    Argon2Params kdf;
    FixedBytes<kSaltBytes> salt;
    FixedBytes<kNonceBytes> nonce;
    FixedBytes<kCiphertextBytes> ciphertext;

    friend bool operator==(const KeystoreFile&, const KeystoreFile&) = default;
};

// Strict decoding (no KDF run): exactly the fields of version 1, each of its type and in range.
Result<KeystoreFile> parse(std::string_view json_text);
// The canonical JSON text of a file (what create writes); parse(encode(f)) == f.
std::string encode(const KeystoreFile& file);

// Encrypts `key` under `password` (fresh salt and nonce). keystore_malformed if `params` is out of bounds.
Result<KeystoreFile> seal(const PrivateKey& key, std::string_view password, const Argon2Params& params = {});
// Derives, decrypts, checks the address: keystore_bad_password, keystore_wrong_address, keystore_malformed.
Result<PrivateKey> unseal(const KeystoreFile& file, std::string_view password);

// Writes a new keystore at `path` (atomic, mode 0600); keystore_exists if `path` exists.
Status create(const std::filesystem::path& path, const PrivateKey& key, std::string_view password,
              const Argon2Params& params = {});
Result<PrivateKey> load(const std::filesystem::path& path, std::string_view password);
// Re-encrypts under `new_password` with the file's KDF parameters, fresh salt and nonce, replacing the file
// atomically. The old password fails afterwards.
Status change_password(const std::filesystem::path& path, std::string_view old_password,
                       std::string_view new_password);
// The address in the file (the whole file is checked, nothing is decrypted).
Result<Address> read_address(const std::filesystem::path& path);

// ---- Web3 Secret Storage v3 ----

// Bounds on what an imported file may ask for (keystore_malformed outside them). geth's "standard" scrypt is
// n = 2^18, r = 8, p = 1 (256 MiB); its pbkdf2 is c = 2^18.
inline constexpr std::uint64_t kMaxScryptN = std::uint64_t{1} << 20;
inline constexpr std::uint64_t kMaxScryptMemory = std::uint64_t{1} << 30;  // 128 · r · n bytes
inline constexpr std::uint64_t kMaxScryptWork = std::uint64_t{1} << 23;    // n · r · p
inline constexpr std::uint32_t kMaxScryptR = 32;
inline constexpr std::uint32_t kMaxScryptP = 16;
inline constexpr std::uint64_t kMaxPbkdf2Iterations = std::uint64_t{1} << 24;
inline constexpr std::size_t kMaxV3SaltBytes = 1024;

struct ScryptParams {
    std::uint64_t n = std::uint64_t{1} << 18;
    std::uint32_t r = 8;
    std::uint32_t p = 1;

    friend bool operator==(const ScryptParams&, const ScryptParams&) = default;
};
struct Pbkdf2Params {
    std::uint64_t c = std::uint64_t{1} << 18;  // iterations of HMAC-SHA256

    friend bool operator==(const Pbkdf2Params&, const Pbkdf2Params&) = default;
};

// A decoded v3 file, before any key derivation (kdf: exactly one of scrypt, pbkdf2).
struct V3File {
    std::optional<ScryptParams> scrypt;
    std::optional<Pbkdf2Params> pbkdf2;
    Bytes salt;
    FixedBytes<16> iv;
    FixedBytes<32> ciphertext;
    FixedBytes<32> mac;              // keccak256(derived_key[16..32] ‖ ciphertext)
    std::optional<Address> address;  // checked after decryption when present
    std::optional<std::string> id;   // the UUID, kept as text

    friend bool operator==(const V3File&, const V3File&) = default;
};

// Decodes a v3 file (version 3, "crypto" or geth's older "Crypto"; cipher aes-128-ctr; kdf scrypt or pbkdf2
// with prf hmac-sha256; dklen 32). Keys other wallets add (x-ethers, name, crypto.version, …) are ignored;
// the keys we read must have their type and be in range.
Result<V3File> parse_v3(std::string_view json_text);
// Checks the MAC (keystore_bad_password), decrypts, checks the address if the file has one.
Result<PrivateKey> import_v3(std::string_view json_text, std::string_view password);
// A v3 file with scrypt (fresh salt, iv and UUID v4), the address in lower-case hex as geth writes it.
// keystore_malformed if `params` is out of the bounds above.
Result<std::string> export_v3(const PrivateKey& key, std::string_view password,
                              const ScryptParams& params = {});

}  // namespace sluice::sdk::keystore
