// Byte containers: growable Bytes, borrowed ByteView and fixed-size FixedBytes<N> (Hash = 32 bytes).
#pragma once

#include <algorithm>
#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/core/result.hpp"

namespace sluice {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView as_bytes(std::string_view s) noexcept {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

template <std::size_t N>
struct FixedBytes {
    std::array<std::uint8_t, N> bytes{};

    static constexpr std::size_t size() noexcept { return N; }
    constexpr std::uint8_t* data() noexcept { return bytes.data(); }
    constexpr const std::uint8_t* data() const noexcept { return bytes.data(); }
    constexpr std::uint8_t& operator[](std::size_t i) noexcept { return bytes[i]; }
    constexpr const std::uint8_t& operator[](std::size_t i) const noexcept { return bytes[i]; }
    constexpr auto begin() const noexcept { return bytes.begin(); }
    constexpr auto end() const noexcept { return bytes.end(); }
    constexpr auto begin() noexcept { return bytes.begin(); }
    constexpr auto end() noexcept { return bytes.end(); }
    ByteView view() const noexcept { return {bytes.data(), N}; }
    bool is_zero() const noexcept {
        return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
    }

    // Exactly N bytes or bad_length.
    static Result<FixedBytes> from_view(ByteView v) {
        if (v.size() != N) {
            return make_error(Errc::bad_length,
                              "expected " + std::to_string(N) + " bytes, got " + std::to_string(v.size()));
        }
        FixedBytes out;
        std::memcpy(out.bytes.data(), v.data(), N);
        return out;
    }

    friend constexpr bool operator==(const FixedBytes&, const FixedBytes&) = default;
    friend constexpr auto operator<=>(const FixedBytes&, const FixedBytes&) = default;
};

using Hash = FixedBytes<32>;
using Bytes32 = FixedBytes<32>;

// A 20-byte Ethereum account address. Formats with the EIP-55 mixed-case checksum.
struct Address : FixedBytes<20> {
    // Accepts "0x" + 40 hex digits. All-lower or all-upper input is accepted as is; mixed case
    // must carry a valid EIP-55 checksum (bad_checksum otherwise).
    static Result<Address> from_hex(std::string_view text);
    static Result<Address> from_view(ByteView v);
    // "0x" + EIP-55 checksummed hex.
    std::string to_checksum_hex() const;
    std::string to_hex() const;  // lower-case, "0x"-prefixed

    friend constexpr bool operator==(const Address&, const Address&) = default;
    friend constexpr auto operator<=>(const Address&, const Address&) = default;
};

struct FixedBytesHasher {
    template <std::size_t N>
    std::size_t operator()(const FixedBytes<N>& b) const noexcept {
        std::size_t h = 0;
        std::memcpy(&h, b.data() + (N >= 8 ? N - 8 : 0), std::min<std::size_t>(8, N));
        return h ^ (h >> 29) ^ std::size_t{b[0]};
    }
};

}  // namespace sluice

template <>
struct std::hash<sluice::Address> {
    std::size_t operator()(const sluice::Address& a) const noexcept { return sluice::FixedBytesHasher{}(a); }
};
template <std::size_t N>
struct std::hash<sluice::FixedBytes<N>> {
    std::size_t operator()(const sluice::FixedBytes<N>& b) const noexcept { return sluice::FixedBytesHasher{}(b); }
};
