// EIP-1153 transient storage: TLOAD/TSTORE cost 100 each, are separate from persistent storage,
// fail in static mode (TSTORE) and do not exist before Cancun.
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;
using Eip1153Test = EvmTest;

TEST_F(Eip1153Test, StoreThenLoad) {
    run(push(0x99) + push(1) + O::TSTORE + push(1) + O::TLOAD + ret_top());
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(output_word(), u256{0x99});
    EXPECT_EQ(gas_used(), 3 + 3 + 100 + 3 + 100 + 15);
}

TEST_F(Eip1153Test, IndependentOfPersistentStorage) {
    host.set_slot(kSelf, 1, 5);
    run(push(1) + O::TLOAD + ret_top());
    EXPECT_EQ(output_word(), u256{0});
    run(push(7) + push(1) + O::TSTORE + push(1) + O::SLOAD + ret_top());
    EXPECT_EQ(output_word(), u256{5});
    EXPECT_EQ(host.slot(kSelf, 1), u256{5});
    EXPECT_EQ(result.gas_refund, 0);
}

TEST_F(Eip1153Test, TstoreInStaticModeFails) {
    msg.is_static = true;
    run(push(1) + push(1) + O::TSTORE);
    EXPECT_EQ(result.status, StatusCode::static_mode_violation);
    EXPECT_EQ(result.gas_left, 0);
    // TLOAD is allowed.
    run(push(1) + O::TLOAD + ret_top());
    EXPECT_EQ(result.status, StatusCode::success);
}

TEST_F(Eip1153Test, UndefinedBeforeCancun) {
    rev = Revision::shanghai;
    run(push(1) + O::TLOAD);
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
    run(push(1) + push(1) + O::TSTORE);
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
}

TEST_F(Eip1153Test, StackUnderflow) {
    run(push(1) + O::TSTORE);
    EXPECT_EQ(result.status, StatusCode::stack_underflow);
    run(bytes(O::TLOAD));
    EXPECT_EQ(result.status, StatusCode::stack_underflow);
}

}  // namespace
}  // namespace sluice::evm::test
