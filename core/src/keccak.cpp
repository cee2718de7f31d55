// keccak-f[1600] and the keccak-256 sponge (rate 136 bytes, Keccak padding 0x01 ... 0x80).
#include "sluice/core/keccak.hpp"

#include <bit>
#include <cstring>

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

// Rotation offsets and the pi lane permutation, in the order the combined rho-pi step walks them.
constexpr std::array<int, 24> kRho = {1,  3,  6,  10, 15, 21, 28, 36, 45, 55, 2,  14,
                                      27, 41, 56, 8,  25, 43, 62, 18, 39, 61, 20, 44};
constexpr std::array<int, 24> kPi = {10, 7,  11, 17, 18, 3, 5,  16, 8,  21, 24, 4,
                                     15, 23, 19, 13, 12, 2, 20, 14, 22, 9,  6,  1};

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

void keccak_f1600(std::array<std::uint64_t, 25>& a) noexcept {
    for (const std::uint64_t rc : kRoundConstants) {
        std::uint64_t c[5];
        for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        for (int x = 0; x < 5; ++x) {
            const std::uint64_t d = c[(x + 4) % 5] ^ std::rotl(c[(x + 1) % 5], 1);
            for (int y = 0; y < 25; y += 5) a[y + x] ^= d;
        }
        std::uint64_t t = a[1];
        for (int i = 0; i < 24; ++i) {
            const int j = kPi[i];
            const std::uint64_t next = a[j];
            a[j] = std::rotl(t, kRho[i]);
            t = next;
        }
        for (int y = 0; y < 25; y += 5) {
            std::uint64_t row[5];
            for (int x = 0; x < 5; ++x) row[x] = a[y + x];
            for (int x = 0; x < 5; ++x) a[y + x] = row[x] ^ (~row[(x + 1) % 5] & row[(x + 2) % 5]);
        }
        a[0] ^= rc;
    }
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
