// u256 known answers: edge values, EVM opcode semantics (Yellow Paper, appendix H), Knuth division
// corner cases (add-back step) and text conversions with their error codes. Expected values were
// computed with Python's arbitrary-precision integers reduced mod 2^256.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "sluice/core/hex.hpp"
#include "sluice/core/u256.hpp"

namespace sluice {
namespace {

u256 H(std::string_view hex) {
    auto r = u256::from_hex(hex);
    EXPECT_TRUE(r.ok()) << hex;
    return r.value_or(u256{});
}

constexpr u256 kMax = u256::max();
constexpr u256 kTop = u256{0, 0, 0, 1ULL << 63};  // 2^255, the most negative value
constexpr u256 kMinusOne = kMax;

u256 neg(std::uint64_t v) { return -u256{v}; }
u256 pow2(unsigned n) { return u256{1} << n; }

// --- layout and constexpr ---

static_assert(sizeof(u256) == 32);
static_assert(std::is_trivially_copyable_v<u256>);
static_assert(u256{5} + u256{7} == u256{12});
static_assert(u256::max() + 1 == u256{});
static_assert(u256{0, 0, 0, 1} / u256{0, 1} == u256{0, 0, 1});
static_assert(u256::max() % u256{10} == u256{5});
static_assert(mulmod(u256::max(), u256::max(), u256{12}) == u256{9});
static_assert(exp(u256{3}, u256{4}) == u256{81});
static_assert(u256::load_be(u256{0x0102030405060708ULL, 9, 10, 11}.to_be().data()) ==
              u256{0x0102030405060708ULL, 9, 10, 11});

TEST(U256, DefaultIsZeroAndLimbOrder) {
    const u256 z;
    EXPECT_TRUE(z.is_zero());
    EXPECT_FALSE(static_cast<bool>(z));
    const u256 x{1, 2, 3, 4};
    EXPECT_EQ(x.w[0], 1U);
    EXPECT_EQ(x.w[3], 4U);
    EXPECT_EQ(x.low64(), 1U);
    EXPECT_FALSE(x.fits_u64());
    EXPECT_TRUE(u256{~0ULL}.fits_u64());
    EXPECT_TRUE(static_cast<bool>(x));
}

TEST(U256, BitLengthAndLeadingZeros) {
    EXPECT_EQ(u256{}.bit_length(), 0U);
    EXPECT_EQ(u256{}.count_leading_zeros(), 256U);
    EXPECT_EQ(u256{1}.bit_length(), 1U);
    EXPECT_EQ(u256{1}.count_leading_zeros(), 255U);
    EXPECT_EQ(kTop.bit_length(), 256U);
    EXPECT_EQ(kMax.count_leading_zeros(), 0U);
    EXPECT_EQ(pow2(64).bit_length(), 65U);
    EXPECT_EQ((pow2(64) - 1).bit_length(), 64U);
    EXPECT_EQ(pow2(200).count_leading_zeros(), 55U);
}

// --- add, sub, mul ---

TEST(U256, AddSubWrap) {
    EXPECT_EQ(kMax + 1, u256{});
    EXPECT_EQ(u256{} - 1, kMax);
    EXPECT_EQ(kTop + kTop, u256{});
    EXPECT_EQ(u256{~0ULL} + 1, pow2(64));                                // carry into limb 1
    EXPECT_EQ(pow2(192) - 1, (u256{~0ULL, ~0ULL, ~0ULL, 0}));            // borrow through three limbs
    EXPECT_EQ(-u256{1}, kMax);
    EXPECT_EQ(-u256{}, u256{});
    EXPECT_EQ(-kTop, kTop);
    u256 x = kMax;
    EXPECT_EQ(x++, kMax);
    EXPECT_EQ(x, u256{});
    EXPECT_EQ(--x, kMax);
    x += 2;
    EXPECT_EQ(x, u256{1});
    x -= 3;
    EXPECT_EQ(x, kMax - 1);
}

TEST(U256, MulKnownAnswers) {
    EXPECT_EQ(kMax * kMax, u256{1});  // (-1)^2
    EXPECT_EQ(kMax * 2, kMax - 1);
    EXPECT_EQ(kTop * 2, u256{});
    EXPECT_EQ(pow2(128) * pow2(128), u256{});
    EXPECT_EQ(pow2(127) * pow2(128), kTop);
    EXPECT_EQ((pow2(128) - 1) * (pow2(128) - 1),
              H("0xfffffffffffffffffffffffffffffffe00000000000000000000000000000001"));
    EXPECT_EQ(u256{0} * kMax, u256{});
    u256 x{3};
    x *= kMinusOne;
    EXPECT_EQ(x, neg(3));
}

TEST(U256, SquareMatchesMul) {
    EXPECT_EQ(sqr(kMax), u256{1});
    EXPECT_EQ(sqr(pow2(128)), u256{});
    EXPECT_EQ(sqr(pow2(127)), pow2(254));
    const u256 a = H("0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef");
    EXPECT_EQ(sqr(a), a * a);
    const u256 b{~0ULL, ~0ULL, 0, 0};
    EXPECT_EQ(sqr(b), H("0xfffffffffffffffffffffffffffffffe00000000000000000000000000000001"));
}

TEST(U256, MulFull512) {
    const auto p = mul_full(kMax, kMax);  // (2^256-1)^2 = 2^512 - 2^257 + 1
    EXPECT_EQ(p[0], 1U);
    EXPECT_EQ(p[1], 0U);
    EXPECT_EQ(p[3], 0U);
    EXPECT_EQ(p[4], ~0ULL - 1);
    EXPECT_EQ(p[7], ~0ULL);
    const auto q = mul_full(kTop, u256{2});
    EXPECT_EQ(q[4], 1U);
    EXPECT_EQ(q[3], 0U);
}

// --- unsigned division ---

TEST(U256, DivisionByZeroIsZero) {
    EXPECT_EQ(kMax / 0, u256{});
    EXPECT_EQ(kMax % 0, u256{});
    EXPECT_EQ(u256{} / 0, u256{});
    const auto dr = udivrem(u256{7}, u256{});
    EXPECT_EQ(dr.quot, u256{});
    EXPECT_EQ(dr.rem, u256{});
}

TEST(U256, DivisionEdgeValues) {
    EXPECT_EQ(kMax / 1, kMax);
    EXPECT_EQ(kMax / kMax, u256{1});
    EXPECT_EQ(kMax % kMax, u256{});
    EXPECT_EQ(kMax / kTop, u256{1});
    EXPECT_EQ(kMax % kTop, kTop - 1);
    EXPECT_EQ(u256{5} / kMax, u256{});
    EXPECT_EQ(u256{5} % kMax, u256{5});
    EXPECT_EQ(kMax / 2, kTop - 1);
    EXPECT_EQ(kMax / (pow2(64) + 1), H("0xffffffffffffffff0000000000000000ffffffffffffffff"));
    EXPECT_EQ(kMax % (pow2(64) + 1), u256{});
    EXPECT_EQ(u256{100} / 7, u256{14});
    EXPECT_EQ(u256{100} % 7, u256{2});
    EXPECT_EQ(kMax % 10, u256{5});
    EXPECT_EQ(kMax / 10, H("0x1999999999999999999999999999999999999999999999999999999999999999"));
}

TEST(U256, DivisionMultiLimb) {
    const u256 a = H("0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef");
    const u256 b = H("0xfedcba9876543210fedcba98765432");
    EXPECT_EQ(a / b, H("0x124924923f07fffeeb43eb1a2011b6dcb9"));
    EXPECT_EQ(a % b, H("0xa4362574a68fef00509ea38541fdcd"));
    const u256 c = H("0xfffffffffffffffffffffffffffffffe00000000000000000000000000000001");
    const u256 d = pow2(128) - 1;
    EXPECT_EQ(c / d, d);
    EXPECT_EQ(c % d, u256{});
}

// Operands crafted so Knuth's quotient estimate is one too large and step D6 (add back) runs.
TEST(U256, DivisionAddBackStep) {
    struct Case {
        const char *u, *v, *q, *r;
    };
    const Case cases[] = {
        {"0xffffffffffffffff000000010000000000000000000000007fffffffffffffff",
         "0xffffffffffffffff00000001000000008000000000000001", "0xffffffffffffffff",
         "0xfffffffffffffffe80000001000000000000000000000000"},
        {"0x4000000000000000400000000000000000000000000000010000000000000000",
         "0x800000000000000080000000000000004000000000000000", "0x7fffffffffffffff",
         "0x800000000000000060000000000000014000000000000000"},
        {"0x7fffffffffffffff00000000000000017fffffffffffffff0000000100000000",
         "0x80000000000000000000000000000001ffffffffffffffff", "0xfffffffffffffffd",
         "0x7fffffffffffffff800000000000000600000000fffffffd"},
    };
    for (const Case& c : cases) {
        const auto dr = udivrem(H(c.u), H(c.v));
        EXPECT_EQ(dr.quot, H(c.q)) << c.u << " / " << c.v;
        EXPECT_EQ(dr.rem, H(c.r)) << c.u << " % " << c.v;
    }
}

// --- signed division (SDIV, SMOD) ---

TEST(U256, SignedDivision) {
    EXPECT_EQ(sdiv(kTop, kMinusOne), kTop);  // the one overflowing case wraps
    EXPECT_EQ(sdiv(neg(7), u256{2}), neg(3));  // truncates toward zero
    EXPECT_EQ(sdiv(u256{7}, neg(2)), neg(3));
    EXPECT_EQ(sdiv(neg(7), neg(2)), u256{3});
    EXPECT_EQ(sdiv(neg(7), u256{}), u256{});
    EXPECT_EQ(sdiv(kTop, u256{1}), kTop);
    EXPECT_EQ(sdiv(kTop, kTop), u256{1});
    EXPECT_EQ(sdiv(kTop + 1, kTop), u256{});
}

TEST(U256, SignedModulo) {
    EXPECT_EQ(smod(neg(7), u256{2}), neg(1));  // sign of the dividend
    EXPECT_EQ(smod(u256{7}, neg(2)), u256{1});
    EXPECT_EQ(smod(neg(7), neg(2)), neg(1));
    EXPECT_EQ(smod(neg(8), neg(3)), neg(2));  // the Yellow Paper's example
    EXPECT_EQ(smod(u256{7}, u256{}), u256{});
    EXPECT_EQ(smod(kTop, kMinusOne), u256{});
    EXPECT_EQ(smod(kTop, u256{3}), neg(2));
}

// --- modular arithmetic with wide intermediates ---

TEST(U256, AddModUsesTheCarryBit) {
    EXPECT_EQ(addmod(kMax, u256{2}, u256{10}), u256{7});  // (2^256 + 1) mod 10
    EXPECT_EQ(addmod(kMax, u256{1}, u256{2}), u256{});  // 2^256 mod 2
    EXPECT_EQ(addmod(kMax, kMax, kMax), u256{});
    EXPECT_EQ(addmod(kMax, kMax, kMax - 1), u256{2});
    EXPECT_EQ(addmod(u256{1}, u256{2}, u256{}), u256{});
    EXPECT_EQ(addmod(u256{3}, u256{4}, u256{5}), u256{2});
    EXPECT_EQ(addmod(u256{3}, u256{4}, u256{1}), u256{});
}

TEST(U256, MulModUses512BitProduct) {
    EXPECT_EQ(mulmod(kMax, kMax, u256{12}), u256{9});
    EXPECT_EQ(mulmod(kMax, kMax, kMax), u256{});
    EXPECT_EQ(mulmod(kMax, kMax - 1, H("0xfedcba9876543210fedcba98765432100123456789abcdef")),
              H("0x5f6e5241951e54c0e550275d1367a81e527378ad28f17ac2"));
    const u256 a = H("0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef");
    EXPECT_EQ(mulmod(a, a, kMax), H("0x9e4b179755eb37769e4b179755eb37769e4b179755eb37769e4b179755eb3776"));
    EXPECT_EQ(mulmod(kTop, u256{2}, kMax), u256{1});  // 2^256 mod (2^256 - 1)
    EXPECT_EQ(mulmod(u256{5}, u256{6}, u256{}), u256{});
    EXPECT_EQ(mulmod(u256{5}, u256{6}, u256{7}), u256{2});
}

TEST(U256, Exp) {
    EXPECT_EQ(exp(u256{}, u256{}), u256{1});
    EXPECT_EQ(exp(u256{}, u256{5}), u256{});
    EXPECT_EQ(exp(u256{3}, u256{}), u256{1});
    EXPECT_EQ(exp(u256{2}, u256{255}), kTop);
    EXPECT_EQ(exp(u256{2}, u256{256}), u256{});
    EXPECT_EQ(exp(u256{2}, kMax), u256{});
    EXPECT_EQ(exp(u256{3}, u256{160}), H("0x304d37f120d696c834550e63d9bb9c14b4f9165c9ede434e4644e3998d6db881"));
    EXPECT_EQ(exp(u256{7}, H("0x1234567890abcdef1234567890abcdef")),
              H("0x4cb26f5476de5d728530df079f1841809905d3aa76678a1a4529313a7220a737"));
    EXPECT_EQ(exp(kMinusOne, kMax), kMinusOne);  // odd power of -1
    EXPECT_EQ(exp(kMinusOne, kMax - 1), u256{1});
    EXPECT_EQ(exp(u256{10}, u256{18}), u256{1'000'000'000'000'000'000ULL});
}

// --- shifts, BYTE, SIGNEXTEND ---

TEST(U256, LogicalShifts) {
    EXPECT_EQ(u256{1} << 255, kTop);
    EXPECT_EQ(u256{1} << 256, u256{});
    EXPECT_EQ(kMax << 1, kMax - 1);
    EXPECT_EQ(kMax << 64, (u256{0, ~0ULL, ~0ULL, ~0ULL}));
    EXPECT_EQ(kMax << 65, (u256{0, ~0ULL - 1, ~0ULL, ~0ULL}));
    EXPECT_EQ(kTop >> 255, u256{1});
    EXPECT_EQ(kTop >> 256, u256{});
    EXPECT_EQ(kMax >> 192, u256{~0ULL});
    EXPECT_EQ(kMax >> 0, kMax);
    EXPECT_EQ(kMax << (u256{0, 1}), u256{});  // shift amount >= 2^64
    EXPECT_EQ(kMax >> (u256{0, 0, 0, 1}), u256{});
    EXPECT_EQ(kMax >> u256{255}, u256{1});
    EXPECT_EQ(u256{1} << ~0ULL, u256{});
    u256 x{1};
    x <<= 100;
    x >>= 99;
    EXPECT_EQ(x, u256{2});
}

TEST(U256, ArithmeticShiftRight) {
    EXPECT_EQ(sar(u256{1}, neg(2)), kMinusOne);
    EXPECT_EQ(sar(u256{4}, neg(16)), kMinusOne);
    EXPECT_EQ(sar(u256{2}, neg(17)), neg(5));  // floor(-17 / 4)
    EXPECT_EQ(sar(u256{255}, kMinusOne), kMinusOne);
    EXPECT_EQ(sar(u256{1}, kTop), H("0xc000000000000000000000000000000000000000000000000000000000000000"));
    EXPECT_EQ(sar(u256{255}, kTop), kMinusOne);
    EXPECT_EQ(sar(u256{256}, kTop), kMinusOne);
    EXPECT_EQ(sar(kMax, kTop), kMinusOne);
    EXPECT_EQ(sar(u256{256}, kTop - 1), u256{});
    EXPECT_EQ(sar(u256{254}, kTop - 1), u256{1});
    EXPECT_EQ(sar(u256{}, neg(3)), neg(3));
    EXPECT_EQ(sar(u256{0, 1}, u256{1}), u256{});
}

TEST(U256, Byte) {
    const u256 x = H("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
    for (unsigned i = 0; i < 32; ++i) EXPECT_EQ(byte(u256{i}, x), u256{i + 1}) << i;
    EXPECT_EQ(byte(u256{32}, x), u256{});
    EXPECT_EQ(byte(u256{0, 1}, x), u256{});
    EXPECT_EQ(byte(u256{0}, kTop), u256{0x80});
}

TEST(U256, SignExtend) {
    EXPECT_EQ(signextend(u256{0}, u256{0xff}), kMinusOne);
    EXPECT_EQ(signextend(u256{0}, u256{0x7f}), u256{0x7f});
    EXPECT_EQ(signextend(u256{0}, u256{0x17f}), u256{0x7f});  // higher bytes are replaced
    EXPECT_EQ(signextend(u256{1}, u256{0x80ff}), neg(0x7f01));
    EXPECT_EQ(signextend(u256{1}, u256{0x7fff}), u256{0x7fff});
    EXPECT_EQ(signextend(u256{7}, u256{0x80ULL << 56}), (u256{0x80ULL << 56, ~0ULL, ~0ULL, ~0ULL}));
    EXPECT_EQ(signextend(u256{30}, kTop >> 8), H("0xff80000000000000000000000000000000000000000000000000000000000000"));
    EXPECT_EQ(signextend(u256{30}, kMax >> 9), kMax >> 9);
    EXPECT_EQ(signextend(u256{31}, u256{0xff}), u256{0xff});
    EXPECT_EQ(signextend(u256{32}, u256{0xff}), u256{0xff});
    EXPECT_EQ(signextend(u256{0, 1}, u256{0xff}), u256{0xff});
}

// --- comparisons ---

TEST(U256, UnsignedComparisons) {
    EXPECT_LT(u256{}, u256{1});
    EXPECT_LT(u256{~0ULL}, pow2(64));
    EXPECT_GT(kMax, kTop);
    EXPECT_LE(kTop, kTop);
    EXPECT_GE(kTop, kTop);
    EXPECT_FALSE(kTop < kTop);
    EXPECT_LT((u256{~0ULL, ~0ULL, ~0ULL, 0}), (u256{0, 0, 0, 1}));
    EXPECT_EQ(u256{1} <=> u256{2}, std::strong_ordering::less);
    EXPECT_EQ(kMax <=> kMax, std::strong_ordering::equal);
    EXPECT_EQ((u256{0, 0, 0, 1} <=> u256{~0ULL, ~0ULL, ~0ULL}), std::strong_ordering::greater);
    EXPECT_NE(u256{1}, (u256{1, 0, 0, 1}));
}

TEST(U256, SignedComparisons) {
    EXPECT_TRUE(slt(kMinusOne, u256{}));
    EXPECT_TRUE(slt(kTop, kMinusOne));
    EXPECT_TRUE(slt(kTop, kTop - 1));  // most negative < most positive
    EXPECT_FALSE(slt(u256{}, kMinusOne));
    EXPECT_FALSE(slt(u256{5}, u256{5}));
    EXPECT_TRUE(slt(u256{4}, u256{5}));
    EXPECT_TRUE(slt(neg(5), neg(4)));
    EXPECT_TRUE(sgt(u256{}, kMinusOne));
    EXPECT_TRUE(sgt(kTop - 1, kTop));
    EXPECT_FALSE(sgt(kTop, kTop));
    EXPECT_TRUE(is_negative(kTop));
    EXPECT_FALSE(is_negative(kTop - 1));
}

TEST(U256, Bitwise) {
    const u256 a{0xf0f0, 1, 2, 3};
    const u256 b{0x0ff0, 3, 2, 1};
    EXPECT_EQ(a & b, (u256{0x00f0, 1, 2, 1}));
    EXPECT_EQ(a | b, (u256{0xfff0, 3, 2, 3}));
    EXPECT_EQ(a ^ b, (u256{0xff00, 2, 0, 2}));
    EXPECT_EQ(~u256{}, kMax);
}

// --- bytes ---

TEST(U256, BigEndianBytes) {
    const u256 x = H("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
    const Hash be = x.to_be();
    for (std::size_t i = 0; i < 32; ++i) EXPECT_EQ(be[i], i + 1);
    EXPECT_EQ(u256::load_be(be.data()), x);
    std::uint8_t buf[32];
    kTop.store_be(buf);
    EXPECT_EQ(buf[0], 0x80);
    EXPECT_EQ(buf[31], 0x00);
    const std::uint8_t short_bytes[] = {0x01, 0x00};
    EXPECT_EQ(u256::from_be(short_bytes), u256{256});
    EXPECT_EQ(u256::from_be(ByteView{}), u256{});
}

TEST(U256, FromBeLongerThan32Bytes) {
    Bytes b(33, 0);
    b[0] = 0xff;  // dropped: the value is taken mod 2^256
    b[32] = 0x07;
    EXPECT_EQ(u256::from_be(b), u256{7});
    auto r = u256::from_be_checked(b);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::overflow);
    auto ok = u256::from_be_checked(ByteView{b}.subspan(1));
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(*ok, u256{7});
}

// --- text ---

TEST(U256, DecimalRoundTrip) {
    EXPECT_EQ(u256{}.to_dec(), "0");
    EXPECT_EQ(u256{7}.to_dec(), "7");
    EXPECT_EQ(kMax.to_dec(), "115792089237316195423570985008687907853269984665640564039457584007913129639935");
    EXPECT_EQ(kTop.to_dec(), "57896044618658097711785492504343953926634992332820282019728792003956564819968");
    EXPECT_EQ(u256{10'000'000'000'000'000'000ULL}.to_dec(), "10000000000000000000");  // zero-padded chunk
    EXPECT_EQ(exp(u256{10}, u256{38}).to_dec(), "1" + std::string(38, '0'));
    EXPECT_EQ(*u256::from_dec("115792089237316195423570985008687907853269984665640564039457584007913129639935"),
              kMax);
    EXPECT_EQ(*u256::from_dec("0"), u256{});
    EXPECT_EQ(*u256::from_dec("000000000000000000000000000000000000000000000000000000000000000000000000000000000042"),
              u256{42});
    EXPECT_EQ(*u256::from_dec("18446744073709551616"), pow2(64));
}

TEST(U256, HexRoundTrip) {
    EXPECT_EQ(u256{}.to_hex(), "0x0");
    EXPECT_EQ(u256{255}.to_hex(), "0xff");
    EXPECT_EQ(kTop.to_hex(), "0x8" + std::string(63, '0'));
    EXPECT_EQ(kMax.to_hex(), "0x" + std::string(64, 'f'));
    EXPECT_EQ(*u256::from_hex("0x" + std::string(64, 'f')), kMax);
    EXPECT_EQ(*u256::from_hex("0XfF"), u256{255});
    EXPECT_EQ(*u256::from_hex("0x0"), u256{});
    EXPECT_EQ(*u256::from_hex("0x" + std::string(100, '0') + "1"), u256{1});  // leading zeros do not overflow
    EXPECT_EQ(*u256::from_hex("0x10000000000000000"), pow2(64));
}

TEST(U256, FromStringPicksTheBase) {
    EXPECT_EQ(*u256::from_string("0x10"), u256{16});
    EXPECT_EQ(*u256::from_string("10"), u256{10});
    EXPECT_EQ(*u256::from_string("0"), u256{});
    EXPECT_EQ(*u256::from_string("010"), u256{10});  // decimal, not octal
}

TEST(U256, OverflowIsTyped) {
    EXPECT_EQ(u256::from_dec("115792089237316195423570985008687907853269984665640564039457584007913129639936")
                  .error()
                  .code,
              Errc::overflow);  // 2^256
    EXPECT_EQ(u256::from_dec(std::string(200, '9')).error().code, Errc::overflow);
    EXPECT_EQ(u256::from_hex("0x1" + std::string(64, '0')).error().code, Errc::overflow);
    EXPECT_EQ(u256::from_string("0x1" + std::string(64, '0')).error().code, Errc::overflow);
}

TEST(U256, BadNumbersAreTyped) {
    for (const char* bad : {"", "0x", "0X", "-1", "+1", " 1", "1 ", "12a", "1_000", "0x12g", "0xx1", "0x-1", "0b1",
                            "1e3", "0x 1"}) {
        auto r = u256::from_string(bad);
        ASSERT_FALSE(r.ok()) << '"' << bad << '"';
        EXPECT_EQ(r.error().code, Errc::bad_number) << '"' << bad << '"';
    }
    EXPECT_EQ(u256::from_hex("ff").error().code, Errc::bad_number);  // prefix required
    EXPECT_EQ(u256::from_dec("0x1").error().code, Errc::bad_number);
    // A bad digit is reported even when the number would also overflow.
    EXPECT_EQ(u256::from_dec(std::string(100, '9') + "z").error().code, Errc::bad_number);
    EXPECT_NE(u256::from_dec("12a").error().message.find("position 2"), std::string::npos);
}

TEST(U256, StreamsAsDecimal) {
    std::ostringstream os;
    os << u256{12345};
    EXPECT_EQ(os.str(), "12345");
}

}  // namespace
}  // namespace sluice
