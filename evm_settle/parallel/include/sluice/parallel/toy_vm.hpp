// A toy VM over a key-value store, used by the tests and benchmarks of the Block-STM machinery
// without depending on the EVM. A transaction is a tiny program: read keys into an accumulator,
// write keys from it, add deltas (the coinbase-credit pattern), burn CPU, and branch on data so
// that re-executions can write different locations than earlier incarnations.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "sluice/parallel/tx_version.hpp"

namespace sluice::parallel {

struct ToyTraits {
    using Key = std::uint64_t;
    using Value = std::uint64_t;
    using Delta = std::uint64_t;
    using KeyHash = std::hash<std::uint64_t>;
    static Value apply_delta(Value base, Delta d) noexcept { return base + d; }
    static Delta merge_deltas(Delta older, Delta newer) noexcept { return older + newer; }
};

enum class ToyOp : std::uint8_t {
    kRead,       // acc = mix(acc, store[key])
    kWrite,      // store[key] = mix(acc, arg)
    kAddDelta,   // store[key] += arg, without reading it
    kWork,       // acc = mix(acc, ...) `arg` times
    kSkipIfOdd,  // skip the next instruction when acc is odd
};

struct ToyInstr {
    ToyOp op = ToyOp::kRead;
    std::uint64_t key = 0;
    std::uint64_t arg = 0;
};

struct ToyTx {
    std::vector<ToyInstr> program;
};

struct ToyOutput {
    std::uint64_t acc = 0;
    std::uint32_t steps = 0;
    friend bool operator==(const ToyOutput&, const ToyOutput&) = default;
};

// SplitMix64 finaliser over a combination of both inputs: cheap, and every input bit matters.
constexpr std::uint64_t toy_mix(std::uint64_t a, std::uint64_t b) noexcept {
    std::uint64_t z = a ^ (b + 0x9E3779B97F4A7C15ULL + (a << 6) + (a >> 2));
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// The base store: every key has a value before the batch, derived from the key.
struct ToyBase {
    std::uint64_t operator()(std::uint64_t key) const noexcept { return toy_mix(key, 0x5EED); }
};

// Runs one transaction against any view offering read (optional result), write and add_delta.
template <class View>
ToyOutput run_toy_tx(const ToyTx& tx, TxIndex index, View& view) {
    ToyOutput out;
    out.acc = toy_mix(index, 1);
    const auto& program = tx.program;
    for (std::size_t pc = 0; pc < program.size(); ++pc) {
        const ToyInstr& in = program[pc];
        ++out.steps;
        switch (in.op) {
            case ToyOp::kRead: {
                auto v = view.read(in.key);
                if (!v) return out;  // suspended: the output is discarded
                out.acc = toy_mix(out.acc, *v);
                break;
            }
            case ToyOp::kWrite:
                view.write(in.key, toy_mix(out.acc, in.arg));
                break;
            case ToyOp::kAddDelta:
                view.add_delta(in.key, in.arg);
                break;
            case ToyOp::kWork:
                for (std::uint64_t n = 0; n < in.arg; ++n) out.acc = toy_mix(out.acc, n);
                break;
            case ToyOp::kSkipIfOdd:
                if ((out.acc & 1U) != 0) ++pc;
                break;
        }
    }
    return out;
}

}  // namespace sluice::parallel
