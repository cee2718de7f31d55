// Shared helper of the BLS12-381 tests: field elements from a seeded generator.
#pragma once

#include <random>

#include "bls381_field.hpp"

namespace sluice::evm::bls381::testing {

// Uniform below 2^381 with rejection above p.
inline Fp random_fp(std::mt19937_64& gen) {
    for (;;) {
        const Limbs v{gen(), gen(), gen(), gen(), gen(), gen() & 0x1fffffffffffffffULL};
        if (const auto f = Fp::from_limbs(v)) return *f;
    }
}

}  // namespace sluice::evm::bls381::testing
