// Secret<N>: fixed-size secret bytes (private keys, preimages) that are wiped with sodium_memzero when
// destroyed, when moved from and on request, and that never print: there is no operator<< and no
// to_string; describe() and gtest's PrintTo show "Secret<N>(redacted)". Reading the bytes takes an
// explicit reveal() (or data()), so every place that touches secret material is easy to find.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"

namespace sluice {

// Overwrites `size` bytes at `data` with zeros; the compiler may not drop the writes as dead stores
// (sodium_memzero). Declared here so that headers need not include sodium.h.
void secure_zero(void* data, std::size_t size) noexcept;

template <std::size_t N>
class Secret {
    static_assert(N > 0, "an empty secret protects nothing");

public:
    // All zero.
    Secret() noexcept = default;

    // Exactly N bytes, or bad_length. The message never contains the bytes.
    static Result<Secret> from_view(ByteView bytes) {
        if (bytes.size() != N) {
            return make_error(Errc::bad_length, "secret must be " + std::to_string(N) + " bytes, got " +
                                                    std::to_string(bytes.size()));
        }
        Secret out;
        std::memcpy(out.bytes_.data(), bytes.data(), N);
        return out;
    }

    // Copies are Secrets too, so each one wipes itself.
    Secret(const Secret& other) noexcept : bytes_(other.bytes_) {}
    Secret& operator=(const Secret& other) noexcept {
        bytes_ = other.bytes_;
        return *this;
    }
    // A move leaves the source zeroed, so no second live copy of the secret remains behind.
    Secret(Secret&& other) noexcept : bytes_(other.bytes_) { other.wipe(); }
    Secret& operator=(Secret&& other) noexcept {
        if (this != &other) {
            bytes_ = other.bytes_;
            other.wipe();
        }
        return *this;
    }
    ~Secret() { wipe(); }

    static constexpr std::size_t size() noexcept { return N; }
    const std::uint8_t* data() const noexcept { return bytes_.data(); }
    // For filling a secret in place (random generation, key derivation) without a temporary copy.
    std::uint8_t* mutable_data() noexcept { return bytes_.data(); }
    // Explicit access to the secret bytes.
    ByteView reveal() const noexcept { return {bytes_.data(), N}; }

    void wipe() noexcept { secure_zero(bytes_.data(), N); }

    std::string describe() const { return "Secret<" + std::to_string(N) + ">(redacted)"; }

private:
    std::array<std::uint8_t, N> bytes_{};
};

// GoogleTest prints values without operator<< as raw bytes; this hook makes failure messages and
// PrintToString show the redacted description instead.
template <std::size_t N>
void PrintTo(const Secret<N>& secret, std::ostream* os) {
    *os << secret.describe();
}

}  // namespace sluice
