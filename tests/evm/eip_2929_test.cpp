// EIP-2929 cold/warm access costs (Berlin+) and the earlier fixed prices (EIP-150, EIP-1884).
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;

class Eip2929Test : public EvmTest {
protected:
    const Address kOther = Address::from_hex("0x00000000000000000000000000000000000000aa").value();
};

TEST_F(Eip2929Test, SloadColdThenWarm) {
    rev = Revision::berlin;
    host.set_slot(kSelf, 0, 42);
    run(push(0) + O::SLOAD + push(0) + O::SLOAD + ret_top());
    EXPECT_EQ(output_word(), u256{42});
    EXPECT_EQ(gas_used(), 3 + 2100 + 3 + 100 + 15);
}

TEST_F(Eip2929Test, SloadBeforeBerlin) {
    const std::pair<Revision, std::int64_t> prices[] = {
        {Revision::frontier, 50}, {Revision::tangerine_whistle, 200}, {Revision::istanbul, 800}};
    for (const auto& [r, price] : prices) {
        rev = r;
        run(push(0) + O::SLOAD);
        EXPECT_EQ(gas_used(), 3 + price) << revision_name(r);
    }
}

TEST_F(Eip2929Test, AccountQueriesColdThenWarm) {
    rev = Revision::cancun;
    host.accounts[kOther].balance = 7;
    host.accounts[kOther].code = hex("6001");
    for (const O op : {O::BALANCE, O::EXTCODESIZE, O::EXTCODEHASH}) {
        host.warm_accounts.clear();
        run(push(kOther) + op + push(kOther) + op);
        EXPECT_EQ(result.status, StatusCode::success);
        EXPECT_EQ(gas_used(), 3 + 2600 + 3 + 100) << kInstructionTraits[static_cast<std::size_t>(op)].name;
    }
    host.warm_accounts.clear();
    run(push(kOther) + O::BALANCE + ret_top());
    EXPECT_EQ(output_word(), u256{7});
    // The frame's own address is warm from the start of a transaction.
    run(push(kSelf) + O::BALANCE);
    EXPECT_EQ(gas_used(), 3 + 100);
}

TEST_F(Eip2929Test, AccountQueriesBeforeBerlin) {
    rev = Revision::istanbul;
    run(push(kOther) + O::BALANCE);
    EXPECT_EQ(gas_used(), 3 + 700);
    run(push(kOther) + O::EXTCODEHASH);
    EXPECT_EQ(gas_used(), 3 + 700);
    run(push(kOther) + O::EXTCODESIZE);
    EXPECT_EQ(gas_used(), 3 + 700);
    rev = Revision::tangerine_whistle;
    run(push(kOther) + O::BALANCE);
    EXPECT_EQ(gas_used(), 3 + 400);
    rev = Revision::frontier;
    run(push(kOther) + O::BALANCE);
    EXPECT_EQ(gas_used(), 3 + 20);
    EXPECT_TRUE(host.warm_accounts.count(kOther) == 0);  // no access tracking before Berlin
}

TEST_F(Eip2929Test, ExtcodecopyCold) {
    rev = Revision::berlin;
    host.accounts[kOther].code = hex("aabbcc");
    // size 0: no memory, no copy cost, only the access.
    run(push(0) + push(0) + push(0) + push(kOther) + O::EXTCODECOPY);
    EXPECT_EQ(gas_used(), 12 + 2600);
    // size 4 from offset 1 into memory 0: one word of memory (3) and copy (3), zero padded.
    host.warm_accounts.clear();
    run(push(4) + push(1) + push(0) + push(kOther) + O::EXTCODECOPY + push(32) + push(0) + O::RETURN);
    EXPECT_EQ(gas_used(), 12 + 2600 + 3 + 3 + 6);
    ASSERT_EQ(result.output.size(), 32U);
    EXPECT_EQ(Bytes(result.output.begin(), result.output.begin() + 5), hex("bbcc000000"));
}

TEST_F(Eip2929Test, CallColdTarget) {
    rev = Revision::berlin;
    const Bytes call = push(0) + push(0) + push(0) + push(0) + push(0) + push(kOther) + push(0xffff) + O::CALL;
    run(call + call);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(gas_used(), 21 + 2600 + 21 + 100);
    rev = Revision::istanbul;
    run(call);
    EXPECT_EQ(gas_used(), 21 + 700);
}

TEST_F(Eip2929Test, SelfdestructColdBeneficiary) {
    rev = Revision::berlin;
    run(push(kOther) + O::SELFDESTRUCT);
    EXPECT_EQ(result.status, StatusCode::success);
    EXPECT_EQ(gas_used(), 3 + 5000 + 2600);
    host.warm_accounts.insert(kOther);
    run(push(kOther) + O::SELFDESTRUCT);
    EXPECT_EQ(gas_used(), 3 + 5000);
}

}  // namespace
}  // namespace sluice::evm::test
