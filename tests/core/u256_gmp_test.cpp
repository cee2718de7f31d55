// Differential test of every u256 operation against GMP's mpz arithmetic reduced mod 2^256, on a
// fixed-seed stream of operand pairs of mixed magnitudes: edge values, powers of two +-1, random limb
// counts and bit lengths, limbs drawn from {0, 1, 2^63, 2^64-1, ...} (they drive Knuth's division
// into its rare add-back step), negatives for the signed operations, and divisors close to the
// dividend. Any mismatch prints the seed, the pair index and the operands.
#include <gmp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

#include "sluice/core/u256.hpp"

namespace sluice {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SLUICE_U256_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define SLUICE_U256_SANITIZED 1
#endif
#endif

#ifdef SLUICE_U256_SANITIZED
// Sanitized builds run at -O1 and instrumented, about 20x slower; 5% of the pairs keeps the ASan
// run short while the release run below carries the full count.
constexpr std::size_t kPairs = 50'000;
#else
constexpr std::size_t kPairs = 1'000'000;
#endif
constexpr std::uint64_t kSeed = 0x5eed'2026'0000'0002ULL;

// RAII wrapper so temporaries are allocated once for the whole run.
struct Mpz {
    mpz_t z;
    Mpz() { mpz_init(z); }
    ~Mpz() { mpz_clear(z); }
    Mpz(const Mpz&) = delete;
    Mpz& operator=(const Mpz&) = delete;
    operator mpz_ptr() { return z; }  // NOLINT(google-explicit-constructor): reads like the C API
};

void to_mpz(mpz_ptr out, const u256& x) { mpz_import(out, 4, -1, sizeof(std::uint64_t), 0, 0, x.w.data()); }

// Two's complement reading of x.
void to_signed_mpz(mpz_ptr out, const u256& x) {
    to_mpz(out, x);
    if (is_negative(x)) {
        mpz_t two256;
        mpz_init_set_ui(two256, 1);
        mpz_mul_2exp(two256, two256, 256);
        mpz_sub(out, out, two256);
        mpz_clear(two256);
    }
}

// z mod 2^256 (also for negative z) as a u256.
u256 from_mpz(mpz_srcptr z) {
    mpz_t r;
    mpz_init(r);
    mpz_fdiv_r_2exp(r, z, 256);
    u256 out;
    std::size_t count = 0;
    mpz_export(out.w.data(), &count, -1, sizeof(std::uint64_t), 0, 0, r);
    mpz_clear(r);
    return out;
}

std::string hex(const u256& x) { return x.to_hex(); }

class Generator {
public:
    explicit Generator(std::uint64_t seed) : rng_(seed) {}

    std::uint64_t next() { return rng_(); }

    u256 operand() {
        switch (rng_() % 9) {
            case 0: return kEdges[rng_() % kEdges.size()];
            case 1: {  // power of two -1, +0 or +1
                const u256 p = u256{1} << (rng_() % 256);
                return p + (rng_() % 3) - 1;
            }
            case 2: {  // random limb count
                u256 x;
                const std::size_t limbs = 1 + rng_() % 4;
                for (std::size_t i = 0; i < limbs; ++i) x.w[i] = rng_();
                return x;
            }
            case 3: return random_full() >> (rng_() % 257);  // random bit length
            case 4: {  // limbs from a set of special values: all ones, top bit only, ...
                u256 x;
                const std::size_t limbs = 1 + rng_() % 4;
                for (std::size_t i = 0; i < limbs; ++i) x.w[i] = kSpecialLimbs[rng_() % kSpecialLimbs.size()];
                return x;
            }
            case 5: return u256{rng_() % 300};  // shift amounts, byte indices, SIGNEXTEND sizes
            case 6: return -(random_full() >> (rng_() % 257));  // negative of a random magnitude
            case 7: return -u256{rng_() % 300};
            default: return random_full();
        }
    }

    // A second operand, sometimes tied to the first so that equal, adjacent and close divisors appear.
    u256 partner(const u256& a) {
        switch (rng_() % 12) {
            case 0: return a;
            case 1: return a + 1;
            case 2: return a - 1;
            case 3: return (a >> (rng_() % 256)) + (rng_() % 3);
            default: return operand();
        }
    }

private:
    u256 random_full() { return {rng_(), rng_(), rng_(), rng_()}; }

    static constexpr std::array<std::uint64_t, 12> kSpecialLimbs = {
        0, 1, 2, ~0ULL, ~0ULL - 1, 1ULL << 63, (1ULL << 63) - 1, (1ULL << 63) + 1, 1ULL << 32, (1ULL << 32) - 1,
        1ULL << 62, 0x8000'0000'0000'0001ULL};
    static constexpr std::array<u256, 14> kEdges = {
        u256{0},
        u256{1},
        u256{2},
        u256{3},
        u256{~0ULL},
        u256{0, 1},
        u256{~0ULL, ~0ULL},
        u256{0, 0, 0, 1ULL << 63},
        u256{~0ULL, ~0ULL, ~0ULL, (1ULL << 63) - 1},
        u256{1, 0, 0, 1ULL << 63},
        u256::max(),
        u256::max() - 1,
        u256{0, 0, 1},
        u256{1'000'000'000'000'000'000ULL}};

    std::mt19937_64 rng_;
};

class Differential : public ::testing::Test {
protected:
    // Compares and reports; stops reporting after a few failures so one bug does not flood the log.
    void expect(const char* op, const u256& got, const u256& want) {
        ++checks_;
        if (got == want) return;
        if (++failures_ > 20) return;
        ADD_FAILURE() << op << " mismatch (seed 0x" << std::hex << kSeed << std::dec << ", pair " << index_
                      << ")\n  a = " << hex(a_) << "\n  b = " << hex(b_) << "\n  c = " << hex(c_)
                      << "\n  s = " << s_ << "\n  got  " << hex(got) << "\n  want " << hex(want);
    }
    void expect_mpz(const char* op, const u256& got, mpz_srcptr want) { expect(op, got, from_mpz(want)); }
    void expect_bool(const char* op, bool got, bool want) { expect(op, u256{got}, u256{want}); }

    void check_pair();
    void check_strings();

    std::size_t index_ = 0;
    std::size_t checks_ = 0;
    std::size_t failures_ = 0;
    u256 a_, b_, c_;
    std::uint64_t s_ = 0;  // a small shift / index derived from the stream
    Mpz za_, zb_, zc_, sa_, sb_, r_, t_, two256_;
};

void Differential::check_pair() {
    const u256& a = a_;
    const u256& b = b_;
    const u256& c = c_;
    to_mpz(za_, a);
    to_mpz(zb_, b);
    to_mpz(zc_, c);
    to_signed_mpz(sa_, a);
    to_signed_mpz(sb_, b);

    mpz_add(r_, za_, zb_);
    expect_mpz("add", a + b, r_);
    mpz_sub(r_, za_, zb_);
    expect_mpz("sub", a - b, r_);
    mpz_mul(r_, za_, zb_);
    expect_mpz("mul", a * b, r_);
    mpz_mul(t_, za_, za_);
    expect_mpz("sqr", sqr(a), t_);
    {
        const auto full = mul_full(a, b);
        mpz_import(t_, 8, -1, sizeof(std::uint64_t), 0, 0, full.data());
        expect_bool("mul_full", mpz_cmp(t_, r_) == 0, true);
    }

    const bool b_zero = mpz_sgn(zb_.z) == 0;
    if (b_zero) {
        mpz_set_ui(r_, 0);
        mpz_set_ui(t_, 0);
    } else {
        mpz_tdiv_qr(r_, t_, za_, zb_);
    }
    expect_mpz("div", a / b, r_);
    expect_mpz("mod", a % b, t_);
    const auto dr = udivrem(a, b);
    expect_mpz("udivrem.quot", dr.quot, r_);
    expect_mpz("udivrem.rem", dr.rem, t_);
    if (b_zero) {
        mpz_set_ui(r_, 0);
        mpz_set_ui(t_, 0);
    } else {
        mpz_tdiv_qr(r_, t_, sa_, sb_);  // truncating division, remainder has the dividend's sign
    }
    expect_mpz("sdiv", sdiv(a, b), r_);
    expect_mpz("smod", smod(a, b), t_);

    if (mpz_sgn(zc_.z) == 0) {
        mpz_set_ui(r_, 0);
        mpz_set_ui(t_, 0);
    } else {
        mpz_add(r_, za_, zb_);
        mpz_mod(r_, r_, zc_);
        mpz_mul(t_, za_, zb_);
        mpz_mod(t_, t_, zc_);
    }
    expect_mpz("addmod", addmod(a, b, c), r_);
    expect_mpz("mulmod", mulmod(a, b, c), t_);

    // GMP's powm modulo 2^256 with a long exponent costs microseconds (as does ours), the largest
    // share of the run: long exponents are checked on every fourth pair, short ones on all.
    if (b.bit_length() <= 64 || index_ % 4 == 0) {
        mpz_powm(r_, za_, zb_, two256_);
        expect_mpz("exp", exp(a, b), r_);
    }
    // Small exponents are the common case in contracts (10**decimals); check them too.
    mpz_powm_ui(r_, za_, s_, two256_);
    expect_mpz("exp_small", exp(a, u256{s_}), r_);

    // Shifts by the full operand b (mostly >= 256) and by the small s.
    for (const u256& shift : {b, u256{s_}}) {
        const bool big = !shift.fits_u64() || shift.w[0] >= 256;
        const auto n = static_cast<mp_bitcnt_t>(big ? 256 : shift.w[0]);
        mpz_mul_2exp(r_, za_, n);
        expect_mpz("shl", a << shift, r_);
        if (!big) expect_mpz("shl_u64", a << shift.w[0], r_);
        mpz_fdiv_q_2exp(r_, za_, n);
        expect_mpz("shr", a >> shift, r_);
        mpz_fdiv_q_2exp(r_, sa_, n);  // floor division: the arithmetic shift of a negative value
        expect_mpz("sar", sar(shift, a), r_);

        // BYTE: the shift operand is the index from the most significant byte.
        if (shift.fits_u64() && shift.w[0] < 32) {
            mpz_fdiv_q_2exp(r_, za_, 8 * (31 - shift.w[0]));
            mpz_fdiv_r_2exp(r_, r_, 8);
        } else {
            mpz_set_ui(r_, 0);
        }
        expect_mpz("byte", byte(shift, a), r_);

        // SIGNEXTEND from byte `shift`.
        if (shift.fits_u64() && shift.w[0] < 31) {
            const auto bit = static_cast<mp_bitcnt_t>(8 * shift.w[0] + 7);
            mpz_fdiv_r_2exp(r_, za_, bit + 1);
            if (mpz_tstbit(r_, bit) != 0) {
                mpz_set_ui(t_, 1);
                mpz_mul_2exp(t_, t_, bit + 1);
                mpz_sub(r_, r_, t_);
            }
        } else {
            mpz_set(r_, za_);
        }
        expect_mpz("signextend", signextend(shift, a), r_);
    }

    const int cmp = mpz_cmp(za_, zb_);
    const int scmp = mpz_cmp(sa_, sb_);
    expect_bool("lt", a < b, cmp < 0);
    expect_bool("gt", a > b, cmp > 0);
    expect_bool("le", a <= b, cmp <= 0);
    expect_bool("ge", a >= b, cmp >= 0);
    expect_bool("eq", a == b, cmp == 0);
    expect_bool("ne", a != b, cmp != 0);
    expect_bool("<=>", (a <=> b) < 0, cmp < 0);
    expect_bool("slt", slt(a, b), scmp < 0);
    expect_bool("sgt", sgt(a, b), scmp > 0);
    expect_bool("is_negative", is_negative(a), mpz_sgn(sa_.z) < 0);
    expect_bool("bit_length", a.bit_length() == (mpz_sgn(za_.z) == 0 ? 0 : mpz_sizeinbase(za_, 2)), true);

    // Big-endian bytes against mpz_export's most-significant-first order.
    {
        std::uint8_t want[32]{};
        std::size_t count = 0;
        std::uint8_t raw[32]{};
        mpz_export(raw, &count, 1, 1, 1, 0, za_);
        for (std::size_t i = 0; i < count; ++i) want[32 - count + i] = raw[i];
        const Hash got = a.to_be();
        expect_bool("to_be", std::equal(got.begin(), got.end(), want), true);
        expect("load_be", u256::load_be(want), a);
        expect("from_be", u256::from_be(ByteView{raw, count}), a);
    }
}

void Differential::check_strings() {
    char buf[100];
    mpz_get_str(buf, 10, za_);
    const std::string dec = a_.to_dec();
    expect_bool("to_dec", dec == buf, true);
    const auto parsed_dec = u256::from_dec(buf);
    expect_bool("from_dec.ok", parsed_dec.ok(), true);
    if (parsed_dec.ok()) expect("from_dec", *parsed_dec, a_);

    mpz_get_str(buf, 16, za_);
    const std::string want_hex = std::string("0x") + buf;
    expect_bool("to_hex", a_.to_hex() == want_hex, true);
    const auto parsed_hex = u256::from_string(want_hex);
    expect_bool("from_hex.ok", parsed_hex.ok(), true);
    if (parsed_hex.ok()) expect("from_hex", *parsed_hex, a_);

    // a + 2^256 must be rejected as overflow, in both bases.
    mpz_add(r_, za_, two256_);
    mpz_get_str(buf, 10, r_);
    const auto over_dec = u256::from_string(buf);
    expect_bool("from_dec.overflow", !over_dec.ok() && over_dec.error().code == Errc::overflow, true);
    mpz_get_str(buf + 2, 16, r_);
    buf[0] = '0';
    buf[1] = 'x';
    const auto over_hex = u256::from_string(buf);
    expect_bool("from_hex.overflow", !over_hex.ok() && over_hex.error().code == Errc::overflow, true);
}

TEST_F(Differential, EveryOperationAgainstGmp) {
    mpz_set_ui(two256_, 1);
    mpz_mul_2exp(two256_, two256_, 256);
    Generator gen(kSeed);
    for (index_ = 0; index_ < kPairs && failures_ <= 20; ++index_) {
        a_ = gen.operand();
        b_ = gen.partner(a_);
        c_ = gen.next() % 4 == 0 ? gen.partner(a_) : gen.operand();
        s_ = gen.next() % 300;
        check_pair();
        check_strings();
    }
    EXPECT_EQ(failures_, 0U);
    EXPECT_EQ(index_, kPairs);
    std::printf("u256 vs GMP: %zu operand pairs, %zu checks, seed 0x%llx\n", index_, checks_,
                static_cast<unsigned long long>(kSeed));
}

}  // namespace
}  // namespace sluice
