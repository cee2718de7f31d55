// Benchmarks of the core primitives: keccak-256 throughput, and u256 mul/div/mulmod/exp against
// GMP's mpz on the very same pre-generated operands in the same run. The summary printed at the end
// gives each u256/<op> CPU time divided by its gmp/<op> CPU time (below 1 means u256 is faster); CPU
// time rather than wall time because the build machine is shared and wall time includes waiting.
#include <benchmark/benchmark.h>
#include <gmp.h>

#include <cstdint>
#include <random>
#include <vector>

#include "ratio_reporter.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/core/u256.hpp"

namespace sluice {
namespace {

// --- keccak-256 ---

void keccak(benchmark::State& state) {
    const Bytes data(static_cast<std::size_t>(state.range(0)), 0xa5);
    for (auto _ : state) {
        Hash h = keccak256(data);
        benchmark::DoNotOptimize(h);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(keccak)->Name("keccak256")->Arg(1024)->Arg(1024 * 1024);

// --- u256 vs GMP ---

constexpr std::size_t kOperands = 1024;  // a power of two: the index wraps with a mask

struct Operands {
    std::vector<u256> a, b, divisor, exponent;
};

// Full-width a and b; divisors and moduli of random bit length 1..256 (so both the one-limb fast
// path and Knuth's general case are timed); full-width exponents (the EVM's worst case).
const Operands& operands() {
    static const Operands ops = [] {
        std::mt19937_64 rng(0xbe7c4ULL);
        Operands o;
        for (std::size_t i = 0; i < kOperands; ++i) {
            o.a.push_back({rng(), rng(), rng(), rng()});
            o.b.push_back({rng(), rng(), rng(), rng()});
            const u256 d = u256{rng(), rng(), rng(), rng()} >> (rng() % 256);
            o.divisor.push_back(d.is_zero() ? u256{1} : d);
            o.exponent.push_back({rng(), rng(), rng(), rng() | (1ULL << 63)});
        }
        return o;
    }();
    return ops;
}

// The same operands as mpz values, allocated once.
struct MpzOperands {
    std::vector<__mpz_struct> a, b, divisor, exponent;  // mpz_t is an array type, so hold the struct
    mpz_t two256, result;

    MpzOperands() : a(kOperands), b(kOperands), divisor(kOperands), exponent(kOperands) {
        const Operands& o = operands();
        for (std::size_t i = 0; i < kOperands; ++i) {
            import(&a[i], o.a[i]);
            import(&b[i], o.b[i]);
            import(&divisor[i], o.divisor[i]);
            import(&exponent[i], o.exponent[i]);
        }
        mpz_init_set_ui(two256, 1);
        mpz_mul_2exp(two256, two256, 256);
        mpz_init2(result, 1024);
    }
    ~MpzOperands() {
        for (auto* v : {&a, &b, &divisor, &exponent}) {
            for (auto& z : *v) mpz_clear(&z);
        }
        mpz_clear(two256);
        mpz_clear(result);
    }
    MpzOperands(const MpzOperands&) = delete;
    MpzOperands& operator=(const MpzOperands&) = delete;

    static void import(mpz_ptr z, const u256& x) {
        mpz_init(z);
        mpz_import(z, 4, -1, sizeof(std::uint64_t), 0, 0, x.w.data());
    }
};

MpzOperands& mpz_operands() {
    static MpzOperands ops;
    return ops;
}

template <class Op>
void run_u256(benchmark::State& state, Op op) {
    const Operands& o = operands();
    std::size_t i = 0;
    for (auto _ : state) {
        u256 r = op(o, i & (kOperands - 1));
        benchmark::DoNotOptimize(r);
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

template <class Op>
void run_gmp(benchmark::State& state, Op op) {
    MpzOperands& z = mpz_operands();
    std::size_t i = 0;
    for (auto _ : state) {
        op(z, i & (kOperands - 1));
        benchmark::DoNotOptimize(z.result);
        benchmark::ClobberMemory();
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

// mul: the EVM's MUL is the product mod 2^256, so GMP pays for the reduction too.
void u256_mul(benchmark::State& s) {
    run_u256(s, [](const Operands& o, std::size_t i) { return o.a[i] * o.b[i]; });
}
void gmp_mul(benchmark::State& s) {
    run_gmp(s, [](MpzOperands& z, std::size_t i) {
        mpz_mul(z.result, &z.a[i], &z.b[i]);
        mpz_fdiv_r_2exp(z.result, z.result, 256);
    });
}
void u256_div(benchmark::State& s) {
    run_u256(s, [](const Operands& o, std::size_t i) { return o.a[i] / o.divisor[i]; });
}
void gmp_div(benchmark::State& s) {
    run_gmp(s, [](MpzOperands& z, std::size_t i) { mpz_tdiv_q(z.result, &z.a[i], &z.divisor[i]); });
}
void u256_mulmod(benchmark::State& s) {
    run_u256(s, [](const Operands& o, std::size_t i) { return mulmod(o.a[i], o.b[i], o.divisor[i]); });
}
void gmp_mulmod(benchmark::State& s) {
    run_gmp(s, [](MpzOperands& z, std::size_t i) {
        mpz_mul(z.result, &z.a[i], &z.b[i]);
        mpz_tdiv_r(z.result, z.result, &z.divisor[i]);
    });
}
void u256_exp(benchmark::State& s) {
    run_u256(s, [](const Operands& o, std::size_t i) { return exp(o.a[i], o.exponent[i]); });
}
void gmp_exp(benchmark::State& s) {
    run_gmp(s, [](MpzOperands& z, std::size_t i) { mpz_powm(z.result, &z.a[i], &z.exponent[i], z.two256); });
}

BENCHMARK(u256_mul)->Name("u256/mul");
BENCHMARK(gmp_mul)->Name("gmp/mul");
BENCHMARK(u256_div)->Name("u256/div");
BENCHMARK(gmp_div)->Name("gmp/div");
BENCHMARK(u256_mulmod)->Name("u256/mulmod");
BENCHMARK(gmp_mulmod)->Name("gmp/mulmod");
BENCHMARK(u256_exp)->Name("u256/exp");
BENCHMARK(gmp_exp)->Name("gmp/exp");

}  // namespace
}  // namespace sluice

int main(int argc, char** argv) {
    sluice::bench::RatioReporter reporter(
        "u256/", "gmp/", "u256 CPU time / gmp CPU time on the same operands (below 1: u256 is faster)");
    return sluice::bench::run_with_ratios(argc, argv, reporter);
}
