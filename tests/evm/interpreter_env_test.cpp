// Environment and block instructions: values from the message and the TxContext, BLOCKHASH's
// 256-block window, SELFBALANCE (5 gas), CHAINID/BASEFEE availability.
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;

class EnvTest : public EvmTest {
protected:
    const Address kOrigin = Address::from_hex("0x00000000000000000000000000000000000000a1").value();
    const Address kCoinbase = Address::from_hex("0x00000000000000000000000000000000000000cb").value();

    EnvTest() {
        host.tx.origin = kOrigin;
        host.tx.coinbase = kCoinbase;
        host.tx.gas_price = 17;
        host.tx.block_number = 300;
        host.tx.block_timestamp = 1700000000;
        host.tx.block_gas_limit = 30'000'000;
        host.tx.chain_id = 1;
        host.tx.base_fee = 7;
        host.tx.prev_randao = u256{0xabc}.to_be();
        host.block_hashes[299] = u256{0x299}.to_be();
        host.block_hashes[44] = u256{0x44}.to_be();
        host.block_hashes[43] = u256{0x43}.to_be();
    }

    u256 value_of(const Bytes& code) {
        run(code + ret_top());
        EXPECT_EQ(result.status, StatusCode::success);
        return output_word();
    }
};

TEST_F(EnvTest, MessageAndTransactionValues) {
    msg.value = 1234;
    host.accounts[kSelf].balance = 999;
    EXPECT_EQ(value_of(bytes(O::ADDRESS)), u256::from_be(kSelf.view()));
    EXPECT_EQ(value_of(bytes(O::CALLER)), u256::from_be(kCaller.view()));
    EXPECT_EQ(value_of(bytes(O::CALLVALUE)), u256{1234});
    EXPECT_EQ(value_of(bytes(O::ORIGIN)), u256::from_be(kOrigin.view()));
    EXPECT_EQ(value_of(bytes(O::COINBASE)), u256::from_be(kCoinbase.view()));
    EXPECT_EQ(value_of(bytes(O::GASPRICE)), u256{17});
    EXPECT_EQ(value_of(bytes(O::NUMBER)), u256{300});
    EXPECT_EQ(value_of(bytes(O::TIMESTAMP)), u256{1700000000});
    EXPECT_EQ(value_of(bytes(O::GASLIMIT)), u256{30'000'000});
    EXPECT_EQ(value_of(bytes(O::PREVRANDAO)), u256{0xabc});
    EXPECT_EQ(value_of(bytes(O::CHAINID)), u256{1});
    EXPECT_EQ(value_of(bytes(O::BASEFEE)), u256{7});
    EXPECT_EQ(value_of(bytes(O::SELFBALANCE)), u256{999});
    EXPECT_EQ(gas_used(), 5 + 15);
    EXPECT_EQ(value_of(bytes(O::ADDRESS)), u256::from_be(kSelf.view()));
    EXPECT_EQ(gas_used(), 2 + 15);
}

TEST_F(EnvTest, BlockhashWindow) {
    EXPECT_EQ(value_of(push(299) + O::BLOCKHASH), u256{0x299});
    EXPECT_EQ(gas_used(), 3 + 20 + 15);
    EXPECT_EQ(value_of(push(44) + O::BLOCKHASH), u256{0x44});  // 300 - 256
    EXPECT_EQ(value_of(push(43) + O::BLOCKHASH), u256{0});
    EXPECT_EQ(value_of(push(300) + O::BLOCKHASH), u256{0});  // the current block
    EXPECT_EQ(value_of(push(u256::max()) + O::BLOCKHASH), u256{0});
}

TEST_F(EnvTest, AvailabilityByRevision) {
    rev = Revision::petersburg;
    run(bytes(O::CHAINID));
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
    run(bytes(O::SELFBALANCE));
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
    rev = Revision::istanbul;
    run(bytes(O::CHAINID));
    EXPECT_EQ(result.status, StatusCode::success);
    rev = Revision::homestead;
    run(bytes(O::RETURNDATASIZE));
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
}

}  // namespace
}  // namespace sluice::evm::test
