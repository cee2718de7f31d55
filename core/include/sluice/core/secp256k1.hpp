// secp256k1 keys, addresses and recoverable ECDSA signatures via libsecp256k1 (recovery module).
//
// API CONTRACT (implementation pending; other modules code against these names):
//   class PrivateKey  { static Result<PrivateKey> from_bytes(ByteView 32); static Result<PrivateKey> from_hex(sv);
//                       static PrivateKey generate();  // libsodium randombytes
//                       PublicKey public_key() const; Address address() const;
//                       const Secret<32>& secret() const; }   // never prints
//   class PublicKey   { static Result<PublicKey> from_bytes(ByteView 33 or 65); std::array<uint8_t,64> xy() const;
//                       Bytes serialize_uncompressed() const (65, 0x04..); Address address() const; }
//   struct Signature  { Bytes32 r; Bytes32 s; std::uint8_t v; /* 0 or 1 (recovery id) */
//                       static Result<Signature> from_bytes(ByteView 65) // r||s||v, v in {0,1,27,28}; rejects high-s
//                       std::array<uint8_t,65> to_bytes() const;  // v as 27/28 (Ethereum convention)
//                       bool is_low_s() const; }
//   Signature sign(const PrivateKey&, const Hash& digest)                 // RFC 6979, low-s
//   Result<PublicKey> recover_public_key(const Hash& digest, const Signature&) // low-s enforced
//   Result<Address> recover_address(const Hash& digest, const Signature&)
//   bool verify(const Address& signer, const Hash& digest, const Signature&)
//   Result<Address> ecrecover_unchecked(const Hash& digest, uint8_t v01, const Bytes32& r, const Bytes32& s)
//       // for the EVM precompile: accepts high-s (pre-Homestead rules are the caller's business)
//   Address address_from_public_key(std::span<const uint8_t,64> xy)  // keccak(x||y)[12:]
#pragma once
