// The opcode table: stack traits, availability by revision, and base prices from the EIPs that set them.
#include <gtest/gtest.h>

#include "sluice/evm/instructions_table.hpp"

namespace sluice::evm {
namespace {

std::int16_t cost(Revision r, Opcode op) { return gas_costs(r)[static_cast<std::size_t>(op)]; }

TEST(InstructionsTable, EveryDefinedOpcodeHasTraits) {
    for (std::size_t op = 0; op < 256; ++op) {
        const bool named = !kInstructionTraits[op].name.empty();
        EXPECT_EQ(named, is_defined(Revision::osaka, static_cast<std::uint8_t>(op))) << op;
    }
    EXPECT_EQ(kInstructionTraits[0x60].name, "PUSH1");
    EXPECT_EQ(kInstructionTraits[0x7f].name, "PUSH32");
    EXPECT_EQ(kInstructionTraits[0x8f].stack_required, 16);
    EXPECT_EQ(kInstructionTraits[0x9f].stack_required, 17);
    EXPECT_EQ(kInstructionTraits[0xa4].stack_change, -6);
    EXPECT_EQ(kInstructionTraits[0xf1].stack_required, 7);
    EXPECT_EQ(kInstructionTraits[0xfa].stack_required, 6);
}

TEST(InstructionsTable, RevisionsOnlyAddOpcodes) {
    for (std::size_t r = 1; r < kNumRevisions; ++r) {
        for (std::size_t op = 0; op < 256; ++op) {
            if (kGasCosts[r - 1][op] != kUndefined) {
                EXPECT_NE(kGasCosts[r][op], kUndefined) << r << " " << op;
            }
        }
    }
}

TEST(InstructionsTable, IntroducedBy) {
    const std::pair<Opcode, Revision> intro[] = {
        {Opcode::DELEGATECALL, Revision::homestead}, {Opcode::STATICCALL, Revision::byzantium},
        {Opcode::REVERT, Revision::byzantium},       {Opcode::RETURNDATACOPY, Revision::byzantium},
        {Opcode::SHL, Revision::constantinople},     {Opcode::CREATE2, Revision::constantinople},
        {Opcode::EXTCODEHASH, Revision::constantinople}, {Opcode::CHAINID, Revision::istanbul},
        {Opcode::SELFBALANCE, Revision::istanbul},   {Opcode::BASEFEE, Revision::london},
        {Opcode::PUSH0, Revision::shanghai},         {Opcode::TSTORE, Revision::cancun},
        {Opcode::MCOPY, Revision::cancun},           {Opcode::BLOBHASH, Revision::cancun},
        {Opcode::BLOBBASEFEE, Revision::cancun},     {Opcode::CLZ, Revision::osaka},
    };
    for (const auto& [op, since] : intro) {
        const auto code = static_cast<std::uint8_t>(op);
        EXPECT_TRUE(is_defined(since, code)) << kInstructionTraits[code].name;
        EXPECT_FALSE(is_defined(static_cast<Revision>(static_cast<int>(since) - 1), code))
            << kInstructionTraits[code].name;
    }
    EXPECT_TRUE(is_defined(Revision::frontier, 0xfe));  // INVALID is designated, not undefined
    EXPECT_FALSE(is_defined(Revision::osaka, 0x0c));
    EXPECT_FALSE(is_defined(Revision::osaka, 0xef));
}

TEST(InstructionsTable, RepricingEips) {
    EXPECT_EQ(cost(Revision::frontier, Opcode::SLOAD), 50);
    EXPECT_EQ(cost(Revision::tangerine_whistle, Opcode::SLOAD), 200);  // EIP-150
    EXPECT_EQ(cost(Revision::istanbul, Opcode::SLOAD), 800);            // EIP-1884
    EXPECT_EQ(cost(Revision::berlin, Opcode::SLOAD), 100);              // EIP-2929 warm
    EXPECT_EQ(cost(Revision::frontier, Opcode::BALANCE), 20);
    EXPECT_EQ(cost(Revision::tangerine_whistle, Opcode::BALANCE), 400);
    EXPECT_EQ(cost(Revision::istanbul, Opcode::BALANCE), 700);
    EXPECT_EQ(cost(Revision::london, Opcode::BALANCE), 100);
    EXPECT_EQ(cost(Revision::constantinople, Opcode::EXTCODEHASH), 400);
    EXPECT_EQ(cost(Revision::istanbul, Opcode::EXTCODEHASH), 700);
    EXPECT_EQ(cost(Revision::frontier, Opcode::CALL), 40);
    EXPECT_EQ(cost(Revision::tangerine_whistle, Opcode::CALL), 700);
    EXPECT_EQ(cost(Revision::prague, Opcode::STATICCALL), 100);
    EXPECT_EQ(cost(Revision::frontier, Opcode::SELFDESTRUCT), 0);
    EXPECT_EQ(cost(Revision::tangerine_whistle, Opcode::SELFDESTRUCT), 5000);
    EXPECT_EQ(cost(Revision::tangerine_whistle, Opcode::EXTCODECOPY), 700);
    EXPECT_EQ(cost(Revision::cancun, Opcode::TLOAD), 100);
    EXPECT_EQ(cost(Revision::osaka, Opcode::CLZ), 5);
    EXPECT_EQ(cost(Revision::prague, Opcode::LOG4), 375 * 5);
    EXPECT_EQ(cost(Revision::prague, Opcode::JUMPDEST), 1);
    EXPECT_EQ(cost(Revision::prague, Opcode::CREATE2), 32000);
    EXPECT_EQ(cost(Revision::shanghai, Opcode::PUSH0), 2);
}

TEST(InstructionsTable, FixedCostsAreSameInEveryRevision) {
    EXPECT_EQ(kFixedGasCosts[static_cast<std::size_t>(Opcode::ADD)], 3);
    EXPECT_EQ(kFixedGasCosts[static_cast<std::size_t>(Opcode::SLOAD)], kUndefined);
    EXPECT_EQ(kFixedGasCosts[static_cast<std::size_t>(Opcode::CLZ)], 5);
}

}  // namespace
}  // namespace sluice::evm
