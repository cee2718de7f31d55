// Precompile 0x05: arbitrary-precision modular exponentiation (EIP-198), with GMP doing the work.
// Input: len(B) || len(E) || len(M) (32-byte words) || B || E || M, zero-padded past its end.
// Pricing: EIP-198 until Istanbul, EIP-2565 from Berlin, EIP-7883 (and EIP-7823's 1024-byte limit
// on each length) from Osaka. The lengths are attacker-chosen 256-bit numbers, so the price is
// computed in saturating 128-bit arithmetic before anything is allocated.
#include <gmp.h>

#include <algorithm>
#include <bit>
#include <memory>

#include "precompile_impl.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::evm::detail {
namespace {

// Any length at or above this is "huge": no price that includes it (times a non-zero factor) is payable.
constexpr uint128_t kHugeLength = uint128_t{1} << 80;
constexpr uint128_t kSaturated = ~uint128_t{0};
constexpr std::uint64_t kOsakaMaxLength = 1024;

uint128_t sat_mul(uint128_t a, uint128_t b) noexcept {
    if (a == 0 || b == 0) return 0;
    return b > kSaturated / a ? kSaturated : a * b;
}

uint128_t sat_add(uint128_t a, uint128_t b) noexcept { return a > kSaturated - b ? kSaturated : a + b; }

// Byte `i` of the zero-extended input.
std::uint8_t byte_at(ByteView input, uint128_t i) noexcept {
    return i < input.size() ? input[static_cast<std::size_t>(i)] : 0;
}

// A 32-byte big-endian length field, clamped to kHugeLength.
uint128_t length_field(ByteView input, std::size_t offset) noexcept {
    uint128_t v = 0;
    for (std::size_t i = 0; i < 32; ++i) {
        v = (v << 8) | byte_at(input, offset + i);
        if (v >= kHugeLength) return kHugeLength;
    }
    return v;
}

struct Lengths {
    uint128_t base;
    uint128_t exp;
    uint128_t mod;
};

Lengths lengths_of(ByteView input) noexcept {
    return {length_field(input, 0), length_field(input, 32), length_field(input, 64)};
}

// Bit length of the first min(len(E), 32) bytes of E, taken as a big-endian number.
unsigned exponent_head_bits(ByteView input, const Lengths& len) noexcept {
    const uint128_t start = sat_add(96, len.base);
    const uint128_t head_len = std::min<uint128_t>(len.exp, 32);
    for (uint128_t i = 0; i < head_len; ++i) {
        const std::uint8_t b = byte_at(input, sat_add(start, i));
        if (b != 0) return static_cast<unsigned>(8 * (head_len - i - 1)) + static_cast<unsigned>(std::bit_width(b));
    }
    return 0;
}

// EIP-198's "adjusted exponent length" (bits_per_byte 8), EIP-7883's iteration count (16).
uint128_t iteration_count(ByteView input, const Lengths& len, unsigned bits_per_byte) noexcept {
    const unsigned head_bits = exponent_head_bits(input, len);
    uint128_t count = head_bits > 0 ? head_bits - 1 : 0;
    if (len.exp > 32) count = sat_add(count, sat_mul(bits_per_byte, len.exp - 32));
    return count;
}

uint128_t complexity_eip198(uint128_t x) noexcept {
    const uint128_t sq = sat_mul(x, x);
    if (x <= 64) return sq;
    if (x <= 1024) return sq / 4 + 96 * x - 3072;
    return sat_add(sq / 16, 480 * x) - 199680;
}

std::uint64_t clamp_gas(uint128_t gas) noexcept {
    return gas >= kUnpayableGas ? kUnpayableGas : static_cast<std::uint64_t>(gas);
}

// Reads `len` bytes at `offset` of the zero-extended input into `out` (len is payable, so bounded).
void import_number(mpz_t out, ByteView input, uint128_t offset, std::size_t len) {
    mpz_set_ui(out, 0);
    if (len == 0) return;
    Bytes buf(len, 0);
    for (std::size_t i = 0; i < len; ++i) {
        const uint128_t at = sat_add(offset, i);
        if (at >= input.size()) break;
        buf[i] = input[static_cast<std::size_t>(at)];
    }
    mpz_import(out, len, 1, 1, 1, 0, buf.data());
}

struct Mpz {
    mpz_t v;
    Mpz() { mpz_init(v); }
    ~Mpz() { mpz_clear(v); }
    Mpz(const Mpz&) = delete;
    Mpz& operator=(const Mpz&) = delete;
};

}  // namespace

std::uint64_t modexp_gas(ByteView input, Revision rev) noexcept {
    const Lengths len = lengths_of(input);
    const uint128_t max_len = std::max(len.base, len.mod);
    if (rev >= Revision::osaka) {
        const uint128_t words = (max_len + 7) / 8;
        const uint128_t complexity = max_len > 32 ? sat_mul(2, sat_mul(words, words)) : 16;
        const uint128_t iterations = std::max<uint128_t>(iteration_count(input, len, 16), 1);
        return clamp_gas(std::max<uint128_t>(500, sat_mul(complexity, iterations)));
    }
    if (rev >= Revision::berlin) {
        const uint128_t words = (max_len + 7) / 8;
        const uint128_t complexity = sat_mul(words, words);
        const uint128_t iterations = std::max<uint128_t>(iteration_count(input, len, 8), 1);
        return clamp_gas(std::max<uint128_t>(200, sat_mul(complexity, iterations) / 3));
    }
    const uint128_t iterations = std::max<uint128_t>(iteration_count(input, len, 8), 1);
    return clamp_gas(sat_mul(complexity_eip198(max_len), iterations) / 20);
}

std::optional<Bytes> modexp_run(ByteView input, Revision rev) {
    const Lengths len = lengths_of(input);
    if (rev >= Revision::osaka &&
        (len.base > kOsakaMaxLength || len.exp > kOsakaMaxLength || len.mod > kOsakaMaxLength)) {
        return std::nullopt;
    }
    // A zero-length modulus returns nothing, whatever the (possibly huge, unpriced) other lengths.
    if (len.mod == 0) return Bytes{};
    // The price was paid, so every length is bounded well below kHugeLength here.
    const auto base_len = static_cast<std::size_t>(len.base);
    const auto exp_len = static_cast<std::size_t>(len.exp);
    const auto mod_len = static_cast<std::size_t>(len.mod);
    Mpz base, exp, mod, result;
    import_number(base.v, input, 96, base_len);
    import_number(mod.v, input, sat_add(sat_add(96, len.base), len.exp), mod_len);
    Bytes out(mod_len, 0);
    if (mpz_cmp_ui(mod.v, 1) <= 0) return out;  // x mod 0 is defined as 0 here; x mod 1 is 0
    // Exponent bytes past the end of the input are zeros: import what exists, then shift.
    const uint128_t exp_start = sat_add(96, len.base);
    const std::size_t present =
        exp_start >= input.size() ? 0
                                  : std::min<std::size_t>(exp_len, input.size() - static_cast<std::size_t>(exp_start));
    import_number(exp.v, input, exp_start, present);
    if (mpz_sgn(exp.v) != 0 && exp_len > present) mpz_mul_2exp(exp.v, exp.v, 8 * (exp_len - present));
    mpz_powm(result.v, base.v, exp.v, mod.v);
    std::size_t count = 0;
    const std::size_t size = (mpz_sizeinbase(result.v, 2) + 7) / 8;
    if (mpz_sgn(result.v) != 0) mpz_export(out.data() + (mod_len - size), &count, 1, 1, 1, 0, result.v);
    return out;
}

}  // namespace sluice::evm::detail
