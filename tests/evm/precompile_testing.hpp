// Shared helpers of the precompile tests: run a precompile on hex input and read back hex output.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "sluice/core/hex.hpp"
#include "sluice/evm/precompiles.hpp"

namespace sluice::evm::testing {

inline Bytes unhex(std::string_view hex) {
    auto b = from_hex(hex, HexPrefix::optional);
    EXPECT_TRUE(b.ok()) << hex;
    return b.ok() ? *b : Bytes{};
}

inline std::string hex(const Bytes& b) { return to_hex(b, false); }

inline PrecompileResult run(PrecompileId id, std::string_view input_hex, std::int64_t gas = 100'000'000,
                            Revision rev = Revision::prague) {
    const Bytes input = unhex(input_hex);
    return run_precompile(id, input, gas, rev);
}

// A known answer: the call succeeds, costs `gas` and returns `expected_hex`.
inline void expect_answer(PrecompileId id, std::string_view input_hex, std::string_view expected_hex,
                          std::int64_t gas, Revision rev = Revision::prague) {
    const PrecompileResult r = run(id, input_hex, 100'000'000, rev);
    EXPECT_EQ(r.status, PrecompileStatus::success) << input_hex;
    EXPECT_EQ(r.gas_used, gas) << input_hex;
    EXPECT_EQ(hex(r.output), expected_hex) << input_hex;
}

// Invalid input: the call fails and consumes the whole gas limit.
inline void expect_failure(PrecompileId id, std::string_view input_hex, Revision rev = Revision::prague) {
    const PrecompileResult r = run(id, input_hex, 1'000'000, rev);
    EXPECT_EQ(r.status, PrecompileStatus::failure) << input_hex;
    EXPECT_EQ(r.gas_used, 1'000'000) << input_hex;
    EXPECT_TRUE(r.output.empty());
}

}  // namespace sluice::evm::testing
