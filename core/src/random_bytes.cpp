// Cryptographically secure random bytes through libsodium (linked privately to sluice_core).
#include "random_bytes.hpp"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace sluice {

void random_bytes(std::span<std::uint8_t> out) noexcept {
    // sodium_init is thread-safe and idempotent; the static runs it once.
    static const bool started = sodium_init() >= 0;
    if (!started) {
        std::fputs("sluice: libsodium failed to initialise; refusing to make keys\n", stderr);
        std::abort();
    }
    randombytes_buf(out.data(), out.size());
}

}  // namespace sluice
