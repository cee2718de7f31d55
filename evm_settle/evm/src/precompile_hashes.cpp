// Precompiles 0x02 (SHA-256, via libsodium) and 0x03 (RIPEMD-160, our own implementation of the
// Dobbertin/Bosselaers/Preneel specification; no Debian library we link provides it).
#include <sodium.h>

#include <array>
#include <bit>
#include <cstring>

#include "precompile_impl.hpp"

namespace sluice::evm::detail {
namespace {

// Message word selection, rotation amounts and constants of the left and right lines, per step.
constexpr std::array<std::uint8_t, 80> kWordLeft = {
    0, 1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 7,  4,  13, 1,  10, 6,  15, 3,  12, 0, 9,
    5, 2,  14, 11, 8,  3,  10, 14, 4,  9,  15, 8,  1,  2,  7,  0,  6,  13, 11, 5,  12, 1,  9,  11, 10, 0, 8,
    12, 4, 13, 3,  7,  15, 14, 5,  6,  2,  4,  0,  5,  9,  7,  12, 2,  10, 14, 1,  3,  8,  11, 6,  15, 13};
constexpr std::array<std::uint8_t, 80> kWordRight = {
    5,  14, 7,  0,  9, 2,  11, 4,  13, 6,  15, 8,  1,  10, 3,  12, 6,  11, 3,  7,  0,  13, 5,  10, 14, 15, 8,
    12, 4,  9,  1,  2, 15, 5,  1,  3,  7,  14, 6,  9,  11, 8,  12, 2,  10, 0,  4,  13, 8,  6,  4,  1,  3,  11,
    15, 0,  5,  12, 2, 13, 9,  7,  10, 14, 12, 15, 10, 4,  1,  5,  8,  7,  6,  2,  13, 14, 0,  3,  9,  11};
constexpr std::array<std::uint8_t, 80> kRotLeft = {
    11, 14, 15, 12, 5,  8,  7,  9,  11, 13, 14, 15, 6,  7,  9,  8,  7,  6,  8,  13, 11, 9,  7,  15, 7,  12, 15,
    9,  11, 7,  13, 12, 11, 13, 6,  7,  14, 9,  13, 15, 14, 8,  13, 6,  5,  12, 7,  5,  11, 12, 14, 15, 14, 15,
    9,  8,  9,  14, 5,  6,  8,  6,  5,  12, 9,  15, 5,  11, 6,  8,  13, 12, 5,  12, 13, 14, 11, 8,  5,  6};
constexpr std::array<std::uint8_t, 80> kRotRight = {
    8,  9,  9,  11, 13, 15, 15, 5,  7,  7,  8,  11, 14, 14, 12, 6,  9,  13, 15, 7,  12, 8,  9,  11, 7,  7,  12,
    7,  6,  15, 13, 11, 9,  7,  15, 11, 8,  6,  6,  14, 12, 13, 5,  14, 13, 13, 7,  5,  15, 5,  8,  11, 14, 14,
    6,  14, 6,  9,  12, 9,  12, 5,  15, 8,  8,  5,  12, 9,  12, 5,  14, 6,  8,  13, 6,  5,  15, 13, 11, 11};
constexpr std::array<std::uint32_t, 5> kConstLeft = {0x00000000, 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xa953fd4e};
constexpr std::array<std::uint32_t, 5> kConstRight = {0x50a28be6, 0x5c4dd124, 0x6d703ef3, 0x7a6d76e9, 0x00000000};

// The five boolean functions; `round` is step / 16.
constexpr std::uint32_t ripemd_f(unsigned round, std::uint32_t x, std::uint32_t y, std::uint32_t z) noexcept {
    switch (round) {
        case 0:
            return x ^ y ^ z;
        case 1:
            return (x & y) | (~x & z);
        case 2:
            return (x | ~y) ^ z;
        case 3:
            return (x & z) | (y & ~z);
        default:
            return x ^ (y | ~z);
    }
}

void ripemd160_compress(std::array<std::uint32_t, 5>& h, const std::uint8_t* block) noexcept {
    std::array<std::uint32_t, 16> x{};
    for (std::size_t i = 0; i < 16; ++i) {
        x[i] = std::uint32_t{block[4 * i]} | (std::uint32_t{block[4 * i + 1]} << 8) |
               (std::uint32_t{block[4 * i + 2]} << 16) | (std::uint32_t{block[4 * i + 3]} << 24);
    }
    std::uint32_t al = h[0], bl = h[1], cl = h[2], dl = h[3], el = h[4];
    std::uint32_t ar = al, br = bl, cr = cl, dr = dl, er = el;
    for (unsigned j = 0; j < 80; ++j) {
        const unsigned round = j / 16;
        std::uint32_t t = std::rotl(al + ripemd_f(round, bl, cl, dl) + x[kWordLeft[j]] + kConstLeft[round],
                                    kRotLeft[j]) + el;
        al = el;
        el = dl;
        dl = std::rotl(cl, 10);
        cl = bl;
        bl = t;
        t = std::rotl(ar + ripemd_f(4 - round, br, cr, dr) + x[kWordRight[j]] + kConstRight[round], kRotRight[j]) +
            er;
        ar = er;
        er = dr;
        dr = std::rotl(cr, 10);
        cr = br;
        br = t;
    }
    const std::uint32_t t = h[1] + cl + dr;
    h[1] = h[2] + dl + er;
    h[2] = h[3] + el + ar;
    h[3] = h[4] + al + br;
    h[4] = h[0] + bl + cr;
    h[0] = t;
}

}  // namespace

std::optional<Bytes> sha256_run(ByteView input) {
    Bytes out(crypto_hash_sha256_BYTES);
    crypto_hash_sha256(out.data(), input.data(), input.size());
    return out;
}

// The 20-byte digest, left-padded to a 32-byte word as the precompile returns it.
std::optional<Bytes> ripemd160_run(ByteView input) {
    std::array<std::uint32_t, 5> h = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    const std::size_t full = input.size() / 64;
    for (std::size_t i = 0; i < full; ++i) ripemd160_compress(h, input.data() + 64 * i);
    // MD4-style padding: 0x80, zeros, then the bit length as a little-endian 64-bit number.
    std::array<std::uint8_t, 128> tail{};
    const std::size_t rest = input.size() - 64 * full;
    if (rest != 0) std::memcpy(tail.data(), input.data() + 64 * full, rest);
    tail[rest] = 0x80;
    const std::size_t tail_len = rest < 56 ? 64 : 128;
    const std::uint64_t bits = static_cast<std::uint64_t>(input.size()) * 8;
    for (std::size_t i = 0; i < 8; ++i) tail[tail_len - 8 + i] = static_cast<std::uint8_t>(bits >> (8 * i));
    for (std::size_t off = 0; off < tail_len; off += 64) ripemd160_compress(h, tail.data() + off);
    Bytes out(32, 0);
    for (std::size_t i = 0; i < 5; ++i) {
        for (std::size_t b = 0; b < 4; ++b) out[12 + 4 * i + b] = static_cast<std::uint8_t>(h[i] >> (8 * b));
    }
    return out;
}

}  // namespace sluice::evm::detail
