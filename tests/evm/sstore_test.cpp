// SSTORE gas and refunds per revision: the test-case tables of EIP-1283 (Constantinople), EIP-2200
// (Istanbul) and EIP-3529 (London, slot already warm), the original rule before and at Petersburg,
// the EIP-2929 cold surcharge, the EIP-2200 2300-gas sentry and static mode.
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

struct SstoreCase {
    const char* code;
    std::int64_t gas_used;
    std::int64_t refund;
    std::uint64_t original;
};

class SstoreTest : public EvmTest {
protected:
    void check(const SstoreCase& c, bool prewarm) {
        host = TestHost{};
        host.accounts[kSelf];
        if (c.original != 0) host.set_slot(kSelf, 0, c.original);
        if (prewarm) host.warm_slots.insert({kSelf, u256{0}.to_be()});
        run(hex(c.code));
        EXPECT_EQ(result.status, StatusCode::success) << c.code;
        EXPECT_EQ(gas_used(), c.gas_used) << c.code << " original " << c.original;
        EXPECT_EQ(result.gas_refund, c.refund) << c.code << " original " << c.original;
    }
};

// EIP-3529 "Test Cases" (the storage slot is warm).
TEST_F(SstoreTest, Eip3529LondonTable) {
    const SstoreCase cases[] = {
        {"60006000556000600055", 212, 0, 0},
        {"60006000556001600055", 20112, 0, 0},
        {"60016000556000600055", 20112, 19900, 0},
        {"60016000556002600055", 20112, 0, 0},
        {"60016000556001600055", 20112, 0, 0},
        {"60006000556000600055", 3012, 4800, 1},
        {"60006000556001600055", 3012, 2800, 1},
        {"60006000556002600055", 3012, 0, 1},
        {"60026000556000600055", 3012, 4800, 1},
        {"60026000556003600055", 3012, 0, 1},
        {"60026000556001600055", 3012, 2800, 1},
        {"60026000556002600055", 3012, 0, 1},
        {"60016000556000600055", 3012, 4800, 1},
        {"60016000556002600055", 3012, 0, 1},
        {"60016000556001600055", 212, 0, 1},
        {"600160005560006000556001600055", 40118, 19900, 0},
        {"600060005560016000556000600055", 5918, 7600, 1},
    };
    for (const Revision r : {Revision::london, Revision::cancun, Revision::prague}) {
        rev = r;
        for (const auto& c : cases) check(c, true);
    }
}

// EIP-2200 "Test Cases" (Istanbul).
TEST_F(SstoreTest, Eip2200IstanbulTable) {
    rev = Revision::istanbul;
    const SstoreCase cases[] = {
        {"60006000556000600055", 1612, 0, 0},
        {"60006000556001600055", 20812, 0, 0},
        {"60016000556000600055", 20812, 19200, 0},
        {"60016000556002600055", 20812, 0, 0},
        {"60016000556001600055", 20812, 0, 0},
        {"60006000556000600055", 5812, 15000, 1},
        {"60006000556001600055", 5812, 4200, 1},
        {"60006000556002600055", 5812, 0, 1},
        {"60026000556000600055", 5812, 15000, 1},
        {"60026000556003600055", 5812, 0, 1},
        {"60026000556001600055", 5812, 4200, 1},
        {"60026000556002600055", 5812, 0, 1},
        {"60016000556000600055", 5812, 15000, 1},
        {"60016000556002600055", 5812, 0, 1},
        {"60016000556001600055", 1612, 0, 1},
        {"600160005560006000556001600055", 40818, 19200, 0},
        {"600060005560016000556000600055", 10818, 19200, 1},
    };
    for (const auto& c : cases) check(c, false);
}

// EIP-1283 "Test Cases" (Constantinople; no sentry, no-op costs 200).
TEST_F(SstoreTest, Eip1283ConstantinopleTable) {
    rev = Revision::constantinople;
    const SstoreCase cases[] = {
        {"60006000556000600055", 412, 0, 0},
        {"60006000556001600055", 20212, 0, 0},
        {"60016000556000600055", 20212, 19800, 0},
        {"60016000556002600055", 20212, 0, 0},
        {"60016000556001600055", 20212, 0, 0},
        {"60006000556000600055", 5212, 15000, 1},
        {"60006000556001600055", 5212, 4800, 1},
        {"60006000556002600055", 5212, 0, 1},
        {"60026000556000600055", 5212, 15000, 1},
        {"60026000556003600055", 5212, 0, 1},
        {"60026000556001600055", 5212, 4800, 1},
        {"60026000556002600055", 5212, 0, 1},
        {"60016000556000600055", 5212, 15000, 1},
        {"60016000556002600055", 5212, 0, 1},
        {"60016000556001600055", 412, 0, 1},
        {"600160005560006000556001600055", 40218, 19800, 0},
        {"600060005560016000556000600055", 10218, 19800, 1},
    };
    for (const auto& c : cases) check(c, false);
}

// Before EIP-1283 and again at Petersburg: 20000 to set a zero slot, else 5000; 15000 refund for
// clearing a non-zero current value.
TEST_F(SstoreTest, OriginalRuleBeforeConstantinopleAndAtPetersburg) {
    for (const Revision r : {Revision::frontier, Revision::byzantium, Revision::petersburg}) {
        rev = r;
        check({"60006000556000600055", 10012, 0, 0}, false);
        check({"60016000556000600055", 25012, 15000, 0}, false);
        check({"60006000556001600055", 25012, 15000, 1}, false);
        check({"60016000556001600055", 10012, 0, 1}, false);
    }
}

// EIP-2929: the first SSTORE to a slot pays 2100 on top of the warm schedule.
TEST_F(SstoreTest, ColdSlotSurcharge) {
    rev = Revision::berlin;
    check({"60016000556001600055", 22212, 0, 0}, false);  // 2100 + 20000 + 100 + 12
    check({"60006000556000600055", 5112, 15000, 1}, false);  // 2100 + 2900 + 100 + 12, clear refund 15000
    rev = Revision::london;
    check({"60006000556000600055", 5112, 4800, 1}, false);
}

// EIP-2200: SSTORE with 2300 gas or less left fails, whatever it would cost.
TEST_F(SstoreTest, SentryAt2300) {
    rev = Revision::istanbul;
    host.set_slot(kSelf, 0, 1);
    gas_limit = 6 + 2300;  // two pushes, then exactly 2300 left
    run(hex("6001600055"));
    EXPECT_EQ(result.status, StatusCode::out_of_gas);
    gas_limit = 6 + 2301;
    run(hex("6001600055"));  // a no-op store: 800
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(result.gas_left, 2301 - 800);
    // No sentry in Constantinople.
    rev = Revision::constantinople;
    host = TestHost{};
    host.set_slot(kSelf, 0, 1);
    gas_limit = 6 + 2300;
    run(hex("6001600055"));
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(result.gas_left, 2300 - 200);
}

TEST_F(SstoreTest, StoresTheValue) {
    run(push(0xbeef) + push(7) + Opcode::SSTORE + push(7) + Opcode::SLOAD + ret_top());
    EXPECT_EQ(output_word(), u256{0xbeef});
    EXPECT_EQ(host.slot(kSelf, 7), u256{0xbeef});
}

TEST_F(SstoreTest, StaticModeViolation) {
    msg.is_static = true;
    run(hex("6001600055"));
    EXPECT_EQ(result.status, StatusCode::static_mode_violation);
    EXPECT_EQ(result.gas_left, 0);
    EXPECT_EQ(host.slot(kSelf, 0), u256{0});
}

}  // namespace
}  // namespace sluice::evm::test
