#include "sluice/l1/revert_reason.hpp"

#include <gtest/gtest.h>

#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::l1 {
namespace {

Bytes with_selector(std::string_view signature, const std::string& params, const AbiValue& args) {
    const Selector s = function_selector(signature);
    Bytes out(s.begin(), s.end());
    const Bytes encoded = encode_params(AbiType::parse(params).value(), args).value();
    out.insert(out.end(), encoded.begin(), encoded.end());
    return out;
}

TEST(RevertReason, ErrorStringAndPanic) {
    const auto reason = decode_revert(
        with_selector("Error(string)", "(string)", AbiValue::list({AbiValue::string("no funds")})));
    EXPECT_EQ(reason.kind, RevertReason::Kind::error_string);
    EXPECT_EQ(reason.message, "no funds");
    EXPECT_EQ(reason.describe(), "Error(\"no funds\")");
    const auto panic = decode_revert(
        with_selector("Panic(uint256)", "(uint256)", AbiValue::list({AbiValue::uint(u256{0x11})})));
    EXPECT_EQ(panic.kind, RevertReason::Kind::panic);
    EXPECT_EQ(panic.panic_code, u256{0x11});
    EXPECT_EQ(panic.describe(), "Panic(0x11: arithmetic overflow)");
}

TEST(RevertReason, CustomErrorsByTheirSignatureWithArguments) {
    const std::vector<std::string> known{"StaleVersion()", "ChallengeTooLong(uint256)"};
    const auto reason = decode_revert(
        with_selector("ChallengeTooLong(uint256)", "(uint256)", AbiValue::list({AbiValue::uint(u256{99})})),
        known);
    EXPECT_EQ(reason.kind, RevertReason::Kind::custom);
    EXPECT_EQ(reason.custom, "ChallengeTooLong(uint256)");
    EXPECT_NE(reason.describe().find("99"), std::string::npos) << reason.describe();
    const Selector stale = function_selector("StaleVersion()");
    const auto bare = decode_revert(Bytes(stale.begin(), stale.end()), known);
    EXPECT_EQ(bare.describe(), "StaleVersion()");
}

TEST(RevertReason, WhatFitsNothingIsUnknownNeverAnError) {
    EXPECT_EQ(decode_revert({}).kind, RevertReason::Kind::empty);
    EXPECT_EQ(decode_revert({}).describe(), "revert without data");
    const Bytes odd{0xde, 0xad};
    EXPECT_EQ(decode_revert(odd).kind, RevertReason::Kind::unknown);
    // Error(string)'s selector with a truncated body.
    const Selector s = function_selector("Error(string)");
    Bytes truncated(s.begin(), s.end());
    truncated.push_back(0x00);
    const auto reason = decode_revert(truncated);
    EXPECT_EQ(reason.kind, RevertReason::Kind::unknown);
    EXPECT_EQ(reason.describe().rfind("unknown revert 0x08c379a000", 0), 0u) << reason.describe();
    // Long data is shortened in the description.
    EXPECT_NE(decode_revert(Bytes(100, 0x11)).describe().find("…"), std::string::npos);
}

}  // namespace
}  // namespace sluice::l1
