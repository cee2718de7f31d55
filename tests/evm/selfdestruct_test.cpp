// SELFDESTRUCT gas per revision (EIP-150, EIP-161, EIP-2929), the pre-London refund (EIP-3529 removed
// it), static mode, and that it ends the frame.
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;

class SelfdestructTest : public EvmTest {
protected:
    const Address kHeir = Address::from_hex("0x00000000000000000000000000000000000000be").value();
    Bytes code() const { return push(kHeir) + O::SELFDESTRUCT + push(1) + push(0) + O::SSTORE; }
};

TEST_F(SelfdestructTest, EndsTheFrameAndCallsTheHost) {
    host.warm_accounts.insert(kHeir);
    run(code());
    EXPECT_EQ(result.status, StatusCode::success);
    ASSERT_EQ(host.selfdestructs.size(), 1U);
    EXPECT_EQ(host.selfdestructs[0].first, kSelf);
    EXPECT_EQ(host.selfdestructs[0].second, kHeir);
    EXPECT_EQ(host.slot(kSelf, 0), u256{0});
    EXPECT_EQ(gas_used(), 3 + 5000);
    EXPECT_EQ(result.gas_refund, 0);
}

TEST_F(SelfdestructTest, GasAndRefundPerRevision) {
    struct Case {
        Revision rev;
        bool heir_exists;
        bool has_balance;
        std::int64_t gas;
        std::int64_t refund;
    };
    const Case cases[] = {
        {Revision::frontier, false, true, 3, 24000},
        {Revision::homestead, false, false, 3, 24000},
        {Revision::tangerine_whistle, false, false, 3 + 5000 + 25000, 24000},  // any missing heir
        {Revision::tangerine_whistle, true, true, 3 + 5000, 24000},
        {Revision::spurious_dragon, false, false, 3 + 5000, 24000},  // EIP-161: only if value moves
        {Revision::spurious_dragon, false, true, 3 + 5000 + 25000, 24000},
        {Revision::istanbul, true, true, 3 + 5000, 24000},
        {Revision::berlin, true, true, 3 + 5000 + 2600, 24000},  // cold heir
        {Revision::london, true, true, 3 + 5000 + 2600, 0},
        {Revision::london, false, true, 3 + 5000 + 2600 + 25000, 0},
        {Revision::cancun, true, false, 3 + 5000 + 2600, 0},
    };
    for (const auto& c : cases) {
        host = TestHost{};
        host.accounts[kSelf].balance = c.has_balance ? 1 : 0;
        if (c.heir_exists) host.accounts[kHeir];
        rev = c.rev;
        run(code());
        EXPECT_EQ(result.status, StatusCode::success) << revision_name(c.rev);
        EXPECT_EQ(gas_used(), c.gas) << revision_name(c.rev);
        EXPECT_EQ(result.gas_refund, c.refund) << revision_name(c.rev);
    }
}

// The host reports a second destruction of the same account: no second refund.
TEST_F(SelfdestructTest, RefundOnlyOnce) {
    rev = Revision::istanbul;
    host.destructed.insert(kSelf);
    host.accounts[kHeir];
    run(code());
    EXPECT_EQ(result.gas_refund, 0);
}

TEST_F(SelfdestructTest, StaticModeViolation) {
    msg.is_static = true;
    run(code());
    EXPECT_EQ(result.status, StatusCode::static_mode_violation);
    EXPECT_TRUE(host.selfdestructs.empty());
}

}  // namespace
}  // namespace sluice::evm::test
