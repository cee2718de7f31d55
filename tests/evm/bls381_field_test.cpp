// BLS12-381 base field Fp (EIP-2537) checked against GMP's mpz arithmetic mod p: the constants,
// add/sub/neg/mul/square/inverse/sqrt on a fixed-seed stream of random elements mixed with edge values
// (0, 1, 2, p-1, p-2, (p-1)/2, values with all-ones or all-zero limbs), and the 48-byte big-endian
// encoding, which must reject anything not below p and any other length. Any mismatch prints the
// operands.
#include "bls381_field.hpp"

#include <gmp.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace sluice::evm::bls381 {
namespace {

constexpr const char* kModulusHex =
    "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";
constexpr std::size_t kRandom = 4000;
constexpr std::uint64_t kSeed = 0x5eed'2026'0000'0b15ULL;

struct Mpz {
    mpz_t z;
    Mpz() { mpz_init(z); }
    explicit Mpz(const char* hex) { mpz_init_set_str(z, hex, 16); }
    ~Mpz() { mpz_clear(z); }
    Mpz(const Mpz&) = delete;
    Mpz& operator=(const Mpz&) = delete;
    operator mpz_ptr() { return z; }           // NOLINT(google-explicit-constructor): reads like the C API
    operator mpz_srcptr() const { return z; }  // NOLINT(google-explicit-constructor)
};

void to_mpz(mpz_ptr out, const Limbs& v) {
    mpz_import(out, kLimbs, -1, sizeof(std::uint64_t), 0, 0, v.data());
}

Limbs to_limbs(mpz_srcptr v) {
    EXPECT_LE(mpz_sizeinbase(v, 2), 384u);
    Limbs out{};
    mpz_export(out.data(), nullptr, -1, sizeof(std::uint64_t), 0, 0, v);
    return out;
}

std::string hex(const Limbs& v) {
    Mpz z;
    to_mpz(z, v);
    char* s = mpz_get_str(nullptr, 16, z);
    std::string out(s);
    void (*free_fn)(void*, std::size_t) = nullptr;
    mp_get_memory_functions(nullptr, nullptr, &free_fn);
    free_fn(s, out.size() + 1);
    return out;
}

Fp fp(const Limbs& v) {
    const auto r = Fp::from_limbs(v);
    EXPECT_TRUE(r.has_value()) << hex(v);
    return r.value_or(Fp::zero());
}

// Canonical integers below p: edge values first, then uniform draws of 384 bits reduced mod p, and
// some with limbs drawn from {0, 1, 2^63, 2^64-1} to exercise carries.
std::vector<Limbs> sample_values() {
    const Mpz p(kModulusHex);
    std::vector<Limbs> out;
    Mpz t;
    auto push_mod = [&](mpz_srcptr v) {
        mpz_mod(t, v, p);
        out.push_back(to_limbs(t));
    };
    for (unsigned long small : {0ul, 1ul, 2ul, 3ul}) {
        mpz_set_ui(t, small);
        out.push_back(to_limbs(t));
    }
    for (unsigned long k : {1ul, 2ul, 3ul}) {
        mpz_sub_ui(t, p, k);
        out.push_back(to_limbs(t));
    }
    mpz_sub_ui(t, p, 1);
    mpz_fdiv_q_2exp(t, t, 1);
    out.push_back(to_limbs(t));  // (p-1)/2
    mpz_add_ui(t, t, 1);
    out.push_back(to_limbs(t));  // (p+1)/2
    for (unsigned bits : {63u, 64u, 127u, 128u, 255u, 256u, 320u, 380u}) {
        mpz_set_ui(t, 0);
        mpz_setbit(t, bits);
        out.push_back(to_limbs(t));
        mpz_sub_ui(t, t, 1);
        out.push_back(to_limbs(t));
    }
    std::mt19937_64 rng(kSeed);
    const std::array<std::uint64_t, 4> special = {0, 1, 0x8000000000000000ULL, ~0ULL};
    Mpz v;
    for (std::size_t i = 0; i < kRandom; ++i) {
        Limbs raw{};
        const bool structured = i % 8 == 7;
        for (auto& limb : raw)
            limb = structured ? special[rng() % special.size()] : rng();
        to_mpz(v, raw);
        push_mod(v);
    }
    return out;
}

class Bls381FieldTest : public ::testing::Test {
  protected:
    Mpz p{kModulusHex};
    std::vector<Limbs> values = sample_values();
    Mpz a, b, r;
};

TEST_F(Bls381FieldTest, Constants) {
    EXPECT_EQ(hex(kModulus), kModulusHex);
    EXPECT_EQ(mpz_sizeinbase(p, 2), 381u);
    EXPECT_EQ(mpz_fdiv_ui(p, 4), 3u);
    EXPECT_NE(mpz_probab_prime_p(p, 30), 0);
    EXPECT_EQ(kMontInv * kModulus[0], ~0ULL);  // -p^-1 mod 2^64
    mpz_set_ui(r, 0);
    mpz_setbit(r, 384);
    mpz_mod(a, r, p);
    EXPECT_EQ(kMontOne, to_limbs(a));  // R mod p
    mpz_mul(b, a, a);
    mpz_mod(b, b, p);
    EXPECT_EQ(kR2, to_limbs(b));  // R^2 mod p
    EXPECT_EQ(Fp::one().to_limbs(), (Limbs{1, 0, 0, 0, 0, 0}));
    EXPECT_EQ(Fp::zero().to_limbs(), Limbs{});
}

TEST_F(Bls381FieldTest, FromLimbsRoundTripsAndRejectsNonCanonical) {
    for (const Limbs& v : values) {
        const auto x = Fp::from_limbs(v);
        ASSERT_TRUE(x.has_value()) << hex(v);
        EXPECT_EQ(x->to_limbs(), v) << hex(v);
        EXPECT_TRUE(limbs_less(x->m, kModulus));
        EXPECT_EQ(x->is_zero(), v == Limbs{}) << hex(v);
    }
    EXPECT_FALSE(Fp::from_limbs(kModulus).has_value());
    Limbs p_plus_1 = kModulus;
    limbs_add(p_plus_1, Limbs{1, 0, 0, 0, 0, 0});
    EXPECT_FALSE(Fp::from_limbs(p_plus_1).has_value());
    Limbs all_ones{};
    all_ones.fill(~0ULL);
    EXPECT_FALSE(Fp::from_limbs(all_ones).has_value());
}

TEST_F(Bls381FieldTest, EqualityAndZero) {
    EXPECT_TRUE(Fp::zero().is_zero());
    EXPECT_FALSE(Fp::one().is_zero());
    EXPECT_NE(Fp::zero(), Fp::one());
    const Fp x = fp(values[100]);
    const Fp y = fp(values[101]);
    ASSERT_NE(values[100], values[101]);
    EXPECT_EQ(x, fp(values[100]));
    EXPECT_NE(x, y);
    EXPECT_TRUE((x - x).is_zero());
    EXPECT_TRUE((x + (-x)).is_zero());
    EXPECT_FALSE(x.is_zero());
}

// Every operation on pairs (values[i], values[j]) for all edge pairs and a sweep over the random ones.
TEST_F(Bls381FieldTest, AddSubNegMulSquareMatchGmp) {
    std::size_t pairs = 0;
    std::mt19937_64 rng(kSeed + 1);
    auto check = [&](const Limbs& va, const Limbs& vb) {
        const Fp x = fp(va), y = fp(vb);
        to_mpz(a, va);
        to_mpz(b, vb);

        mpz_add(r, a, b);
        mpz_mod(r, r, p);
        ASSERT_EQ((x + y).to_limbs(), to_limbs(r)) << "add " << hex(va) << " " << hex(vb);
        Fp acc = x;
        acc += y;
        ASSERT_EQ(acc, x + y);

        mpz_sub(r, a, b);
        mpz_mod(r, r, p);
        ASSERT_EQ((x - y).to_limbs(), to_limbs(r)) << "sub " << hex(va) << " " << hex(vb);
        acc = x;
        acc -= y;
        ASSERT_EQ(acc, x - y);

        mpz_mul(r, a, b);
        mpz_mod(r, r, p);
        ASSERT_EQ((x * y).to_limbs(), to_limbs(r)) << "mul " << hex(va) << " " << hex(vb);
        acc = x;
        acc *= y;
        ASSERT_EQ(acc, x * y);

        mpz_neg(r, a);
        mpz_mod(r, r, p);
        ASSERT_EQ((-x).to_limbs(), to_limbs(r)) << "neg " << hex(va);

        mpz_mul(r, a, a);
        mpz_mod(r, r, p);
        ASSERT_EQ(x.square().to_limbs(), to_limbs(r)) << "square " << hex(va);
        ++pairs;
    };
    constexpr std::size_t kEdges = 25;  // the edge values at the front of `values`
    for (std::size_t i = 0; i < kEdges; ++i) {
        for (std::size_t j = 0; j < kEdges; ++j) {
            check(values[i], values[j]);
            if (HasFatalFailure()) return;
        }
    }
    for (std::size_t i = 0; i < values.size(); ++i) {
        check(values[i], values[rng() % values.size()]);
        if (HasFatalFailure()) return;
    }
    EXPECT_GT(pairs, kRandom);
}

TEST_F(Bls381FieldTest, InverseMatchesGmp) {
    EXPECT_TRUE(Fp::zero().inverse().is_zero());
    EXPECT_EQ(Fp::one().inverse(), Fp::one());
    std::size_t inverted = 0;
    for (const Limbs& v : values) {
        if (v == Limbs{}) continue;
        const Fp x = fp(v);
        to_mpz(a, v);
        ASSERT_NE(mpz_invert(r, a, p), 0);
        const Fp inv = x.inverse();
        ASSERT_EQ(inv.to_limbs(), to_limbs(r)) << "inverse " << hex(v);
        ASSERT_EQ(x * inv, Fp::one()) << hex(v);
        ASSERT_EQ(x.inverse_by_fermat(), inv) << hex(v);
        ++inverted;
    }
    EXPECT_GT(inverted, kRandom);
}

TEST_F(Bls381FieldTest, SqrtMatchesLegendreAndSquares) {
    EXPECT_EQ(Fp::zero().sqrt(), Fp::zero());
    ASSERT_TRUE(Fp::one().sqrt().has_value());
    EXPECT_EQ(Fp::one().sqrt()->square(), Fp::one());
    // -1 is not a square mod p = 3 mod 4.
    EXPECT_FALSE((-Fp::one()).sqrt().has_value());

    std::size_t squares = 0, non_squares = 0;
    for (const Limbs& v : values) {
        const Fp x = fp(v);
        to_mpz(a, v);
        const int legendre = mpz_legendre(a, p);
        const auto root = x.sqrt();
        if (legendre >= 0) {
            ASSERT_TRUE(root.has_value()) << "sqrt of a square " << hex(v);
            to_mpz(r, root->to_limbs());
            mpz_mul(r, r, r);
            mpz_mod(r, r, p);
            ASSERT_EQ(mpz_cmp(r, a), 0) << "sqrt " << hex(v);
            ++squares;
        } else {
            ASSERT_FALSE(root.has_value()) << "sqrt of a non-square " << hex(v);
            ++non_squares;
        }
        // x^2 always has a root, and it is x or -x.
        const auto root2 = x.square().sqrt();
        ASSERT_TRUE(root2.has_value()) << hex(v);
        ASSERT_TRUE(*root2 == x || *root2 == -x) << hex(v);
    }
    // About half of the random elements are squares.
    EXPECT_GT(squares, kRandom / 3);
    EXPECT_GT(non_squares, kRandom / 3);
}

TEST_F(Bls381FieldTest, BytesRoundTripBigEndian) {
    for (const Limbs& v : values) {
        const Fp x = fp(v);
        const auto bytes = x.to_bytes();
        std::array<std::uint8_t, kFieldBytes> expected{};
        to_mpz(a, v);
        std::size_t count = 0;
        std::array<std::uint8_t, kFieldBytes> tight{};
        mpz_export(tight.data(), &count, 1, 1, 1, 0, a);  // big-endian, no leading zeros
        std::copy(tight.begin(), tight.begin() + static_cast<std::ptrdiff_t>(count),
                  expected.end() - static_cast<std::ptrdiff_t>(count));
        ASSERT_EQ(bytes, expected) << hex(v);
        std::array<std::uint8_t, kFieldBytes> via_ptr{};
        x.to_be(via_ptr.data());
        ASSERT_EQ(via_ptr, expected);
        const auto back = Fp::from_bytes(bytes);
        ASSERT_TRUE(back.has_value()) << hex(v);
        ASSERT_EQ(*back, x);
        ASSERT_EQ(Fp::from_be(bytes.data()), x);
    }
}

TEST_F(Bls381FieldTest, FromBytesRejectsOutOfRangeAndWrongLength) {
    auto encode = [&](mpz_srcptr v) {
        std::array<std::uint8_t, kFieldBytes> out{};
        std::array<std::uint8_t, kFieldBytes> tight{};
        std::size_t count = 0;
        mpz_export(tight.data(), &count, 1, 1, 1, 0, v);
        std::copy(tight.begin(), tight.begin() + static_cast<std::ptrdiff_t>(count),
                  out.end() - static_cast<std::ptrdiff_t>(count));
        return out;
    };
    const auto p_bytes = encode(p);
    EXPECT_EQ(p_bytes[0], 0x1a);
    EXPECT_EQ(p_bytes[47], 0xab);
    EXPECT_FALSE(Fp::from_bytes(p_bytes).has_value());
    EXPECT_FALSE(Fp::from_be(p_bytes.data()).has_value());

    mpz_add_ui(r, p, 1);
    EXPECT_FALSE(Fp::from_bytes(encode(r)).has_value());
    mpz_mul_2exp(r, p, 1);  // 2p < 2^382
    EXPECT_FALSE(Fp::from_bytes(encode(r)).has_value());
    std::array<std::uint8_t, kFieldBytes> all_ones{};
    all_ones.fill(0xff);
    EXPECT_FALSE(Fp::from_bytes(all_ones).has_value());

    mpz_sub_ui(r, p, 1);
    const auto p_minus_1 = Fp::from_bytes(encode(r));
    ASSERT_TRUE(p_minus_1.has_value());
    EXPECT_EQ(*p_minus_1, -Fp::one());
    EXPECT_EQ(p_minus_1->to_bytes(), encode(r));

    const std::array<std::uint8_t, kFieldBytes> zero{};
    ASSERT_TRUE(Fp::from_bytes(zero).has_value());
    EXPECT_TRUE(Fp::from_bytes(zero)->is_zero());
    std::array<std::uint8_t, kFieldBytes> one{};
    one[47] = 1;
    EXPECT_EQ(Fp::from_bytes(one), Fp::one());

    // Only exactly 48 bytes are an element, even when the value would fit.
    const std::vector<std::uint8_t> short47(47, 0), long49(49, 0), empty;
    std::vector<std::uint8_t> one49(49, 0);
    one49[48] = 1;
    EXPECT_FALSE(Fp::from_bytes(short47).has_value());
    EXPECT_FALSE(Fp::from_bytes(long49).has_value());
    EXPECT_FALSE(Fp::from_bytes(one49).has_value());
    EXPECT_FALSE(Fp::from_bytes(empty).has_value());
    EXPECT_FALSE(Fp::from_bytes(std::span<const std::uint8_t>(one49).first(47)).has_value());
}

TEST_F(Bls381FieldTest, FieldLaws) {
    std::mt19937_64 rng(kSeed + 2);
    for (std::size_t n = 0; n < 500; ++n) {
        const Fp x = fp(values[rng() % values.size()]);
        const Fp y = fp(values[rng() % values.size()]);
        const Fp z = fp(values[rng() % values.size()]);
        ASSERT_EQ(x * (y + z), x * y + x * z);
        ASSERT_EQ((x * y) * z, x * (y * z));
        ASSERT_EQ(x * y, y * x);
        ASSERT_EQ(x * Fp::one(), x);
        ASSERT_EQ(x - y, x + (-y));
    }
}

}  // namespace
}  // namespace sluice::evm::bls381
