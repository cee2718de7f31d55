// EIP-7702 (Prague): a CALL* to an account whose code is a delegation designator (0xef0100 ||
// address) also pays the warm/cold access of the delegate; the host resolves which code runs.
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;

class Eip7702Test : public EvmTest {
protected:
    const Address kEoa = Address::from_hex("0x00000000000000000000000000000000000000e0").value();
    const Address kDelegate = Address::from_hex("0x00000000000000000000000000000000000000d1").value();

    Eip7702Test() {
        host.accounts[kEoa].code = hex("ef0100") + Bytes(kDelegate.begin(), kDelegate.end());
        host.accounts[kDelegate].code = hex("00");
        host.warm_accounts.insert(kEoa);
        host.call_handler = [](const Message& m) {
            ExecutionResult r;
            r.status = StatusCode::success;
            r.gas_left = m.gas;
            return r;
        };
    }

    Bytes call(O op) const {
        Bytes args = push(0) + push(0) + push(0) + push(0);
        if (op == O::CALL || op == O::CALLCODE) args = args + push(0);
        return args + push(kEoa) + push(1000) + op;
    }
    static std::int64_t pushes(O op) { return (op == O::CALL || op == O::CALLCODE) ? 21 : 18; }
};

TEST_F(Eip7702Test, ColdDelegateCharged) {
    for (const O op : {O::CALL, O::CALLCODE, O::DELEGATECALL, O::STATICCALL}) {
        host.warm_accounts.erase(kDelegate);
        run(call(op) + call(op));
        EXPECT_EQ(result.status, StatusCode::success);
        EXPECT_EQ(gas_used(), 2 * pushes(op) + (100 + 2600) + (100 + 100))
            << kInstructionTraits[static_cast<std::size_t>(op)].name;
        EXPECT_TRUE(host.warm_accounts.contains(kDelegate));
        // The message names the account called; the host resolves the delegation.
        EXPECT_EQ(host.calls.back().code_address, kEoa);
    }
}

TEST_F(Eip7702Test, ColdTargetAndColdDelegate) {
    host.warm_accounts.erase(kEoa);
    run(call(O::CALL));
    EXPECT_EQ(gas_used(), 21 + 2600 + 2600);
}

TEST_F(Eip7702Test, NotBeforePrague) {
    rev = Revision::cancun;
    run(call(O::CALL));
    EXPECT_EQ(gas_used(), 21 + 100);
    EXPECT_FALSE(host.warm_accounts.contains(kDelegate));
}

TEST_F(Eip7702Test, OnlyExactDesignatorsCount) {
    host.accounts[kEoa].code = hex("ef0101") + Bytes(kDelegate.begin(), kDelegate.end());  // wrong version
    run(call(O::CALL));
    EXPECT_EQ(gas_used(), 21 + 100);
    host.accounts[kEoa].code = hex("ef0100") + Bytes(kDelegate.begin(), kDelegate.end()) + hex("00");  // 24 bytes
    run(call(O::CALL));
    EXPECT_EQ(gas_used(), 21 + 100);
}

TEST_F(Eip7702Test, OutOfGasOnDelegateAccess) {
    gas_limit = 21 + 100 + 2599;
    run(call(O::CALL));
    EXPECT_EQ(result.status, StatusCode::out_of_gas);
    EXPECT_TRUE(host.calls.empty());
}

}  // namespace
}  // namespace sluice::evm::test
