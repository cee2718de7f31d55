// keccak-f[1600] and the keccak-256 sponge (rate 136 bytes, Keccak padding 0x01 ... 0x80).
#include "sluice/core/keccak.hpp"

#include <bit>
#include <cstring>
#include <utility>

namespace sluice {
namespace {

constexpr std::array<std::uint64_t, 24> kRoundConstants = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

// Rotation offset of lane (x, y) at index x + 5y (the rho step), from the Keccak reference.
constexpr std::array<int, 25> kRho = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                                      25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};

// The pi step moves lane (x, y) to (y, 2x + 3y mod 5).
constexpr std::size_t pi_target(std::size_t i) noexcept {
    const std::size_t x = i % 5;
    const std::size_t y = i / 5;
    return y + 5 * ((2 * x + 3 * y) % 5);
}

// The permutation is written as folds over index sequences so that every lane index is a
// compile-time constant: the 25 lanes then live in registers instead of a memory array, which is
// what makes the unrolled rounds several times faster than the loop form.
template <std::size_t... X>
inline void theta(std::uint64_t* a, std::index_sequence<X...>) noexcept {
    const std::uint64_t c[5] = {(a[X] ^ a[X + 5] ^ a[X + 10] ^ a[X + 15] ^ a[X + 20])...};
    const std::uint64_t d[5] = {(c[(X + 4) % 5] ^ std::rotl(c[(X + 1) % 5], 1))...};
    ((a[X] ^= d[X], a[X + 5] ^= d[X], a[X + 10] ^= d[X], a[X + 15] ^= d[X], a[X + 20] ^= d[X]), ...);
}

template <std::size_t... I>
inline void rho_pi(const std::uint64_t* a, std::uint64_t* b, std::index_sequence<I...>) noexcept {
    ((b[pi_target(I)] = std::rotl(a[I], kRho[I])), ...);
}

template <std::size_t... I>
inline void chi(std::uint64_t* a, const std::uint64_t* b, std::index_sequence<I...>) noexcept {
    ((a[I] = b[I] ^ (~b[(I / 5) * 5 + (I + 1) % 5] & b[(I / 5) * 5 + (I + 2) % 5])), ...);
}

constexpr std::size_t kRate = 136;

inline std::uint64_t load_le64(const std::uint8_t* p) noexcept {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    if constexpr (std::endian::native == std::endian::big) v = __builtin_bswap64(v);
    return v;
}

inline void absorb_block(std::array<std::uint64_t, 25>& state, const std::uint8_t* block) noexcept {
    for (std::size_t i = 0; i < kRate / 8; ++i) state[i] ^= load_le64(block + 8 * i);
    keccak_f1600(state);
}

}  // namespace

void keccak_f1600(std::array<std::uint64_t, 25>& state) noexcept {
    std::uint64_t a[25];
    std::uint64_t b[25];
    std::memcpy(a, state.data(), sizeof a);
    for (const std::uint64_t rc : kRoundConstants) {
        theta(a, std::make_index_sequence<5>{});
        rho_pi(a, b, std::make_index_sequence<25>{});
        chi(a, b, std::make_index_sequence<25>{});
        a[0] ^= rc;
    }
    std::memcpy(state.data(), a, sizeof a);
}

Keccak256::Keccak256() noexcept = default;

void Keccak256::update(ByteView data) noexcept {
    const std::uint8_t* p = data.data();
    std::size_t n = data.size();
    if (buffered_ > 0) {
        const std::size_t take = std::min(n, kRate - buffered_);
        std::memcpy(buffer_.data() + buffered_, p, take);
        buffered_ += take;
        p += take;
        n -= take;
        if (buffered_ < kRate) return;
        absorb_block(state_, buffer_.data());
        buffered_ = 0;
    }
    for (; n >= kRate; p += kRate, n -= kRate) absorb_block(state_, p);
    if (n > 0) std::memcpy(buffer_.data(), p, n);
    buffered_ = n;
}

Hash Keccak256::finalize() noexcept {
    std::memset(buffer_.data() + buffered_, 0, kRate - buffered_);
    buffer_[buffered_] ^= 0x01;
    buffer_[kRate - 1] ^= 0x80;
    absorb_block(state_, buffer_.data());
    Hash out;
    for (std::size_t i = 0; i < 4; ++i) {
        std::uint64_t lane = state_[i];
        if constexpr (std::endian::native == std::endian::big) lane = __builtin_bswap64(lane);
        std::memcpy(out.data() + 8 * i, &lane, 8);
    }
    return out;
}

Hash keccak256(ByteView data) noexcept {
    Keccak256 k;
    k.update(data);
    return k.finalize();
}

}  // namespace sluice
