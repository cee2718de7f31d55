// Shared by the ABI tests: the channel State type of DESIGN.md §3 and a parse-or-fail helper.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "sluice/core/abi_type.hpp"

namespace sluice::abi_test {

inline constexpr const char* kStateType =
    "(bytes32,uint64,(address,uint256[],(bytes32,uint256,uint16,uint16,uint64)[])[],bytes,bool)";

// Parses a type the test expects to be valid; records a failure (and returns bool) otherwise.
inline AbiType parsed(const std::string& text) {
    auto r = AbiType::parse(text);
    if (!r.ok()) ADD_FAILURE() << text << ": " << r.error().describe();
    return r.ok() ? std::move(r).value() : AbiType::boolean();
}

}  // namespace sluice::abi_test
