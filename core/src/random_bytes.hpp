// Private: cryptographically secure random bytes from libsodium, for keys and context blinding.
#pragma once

#include <cstdint>
#include <span>

namespace sluice {

// Fills `out` from the OS CSPRNG (libsodium randombytes_buf). Aborts if libsodium cannot start,
// since no key may be made without a working random source.
void random_bytes(std::span<std::uint8_t> out) noexcept;

}  // namespace sluice
