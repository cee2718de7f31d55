// Private: the process-wide libsecp256k1 context and the bridge from its point type to PublicKey.
#pragma once

#include <secp256k1.h>

#include "sluice/core/secp256k1.hpp"

namespace sluice {

// Created and randomized on first use (a function-local static, so thread-safe), then only passed
// to libsecp256k1 functions that take a const context; destroyed at exit.
const secp256k1_context* secp256k1_context_handle() noexcept;

namespace detail {
struct PublicKeyFactory {
    // `point` must come from libsecp256k1 (parsed, derived or recovered), which guarantees it is valid.
    static PublicKey from_point(const secp256k1_pubkey& point) noexcept;
};
}  // namespace detail

}  // namespace sluice
