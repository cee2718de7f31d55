// StateHost: EIP-2200 storage statuses, EIP-6780 SELFDESTRUCT, value calls, EIP-161 touch rules,
// CREATE/CREATE2 collisions (EIP-7610) and code deposit rules (EIP-170, EIP-3541), EIP-7702 resolution.
#include <gtest/gtest.h>

#include "sluice/evm/create_address.hpp"
#include "sluice/evm/delegation.hpp"
#include "sluice/evm/memory_state.hpp"
#include "sluice/evm/state_host.hpp"

namespace sluice::evm {
namespace {

Address addr(std::uint8_t last) {
    Address a;
    a[0] = 0xaa;
    a[19] = last;
    return a;
}

Bytes32 key(std::uint64_t k) { return u256{k}.to_be(); }

class StateHostTest : public ::testing::Test {
protected:
    StateHostTest() {
        base.put_account(sender, 1, u256{1'000'000}, {}, {});
        base.put_account(contract, 1, u256{100}, {0x00}, {{key(1), u256{1}}, {key(2), u256{2}}});
    }
    Host& host(Revision rev = Revision::prague) {
        host_.emplace(state, rev, ctx);
        return *host_;
    }

    const Address sender = addr(1);
    const Address contract = addr(2);
    MemoryState base;
    State state{base};
    TxContext ctx;
    std::optional<StateHost> host_;
};

TEST_F(StateHostTest, StorageStatusFollowsEip2200Transitions) {
    Host& h = host();
    // original 0: 0 -> 0 -> Z is added; then 0 -> Y -> 0 is added_deleted.
    EXPECT_EQ(h.set_storage(contract, key(9), u256{5}), StorageStatus::added);
    EXPECT_EQ(h.set_storage(contract, key(9), u256{6}), StorageStatus::assigned);
    EXPECT_EQ(h.set_storage(contract, key(9), u256{0}), StorageStatus::added_deleted);
    // original X=1: X -> X -> 0 deleted, X -> 0 -> Z deleted_added, ... -> X modified_restored.
    EXPECT_EQ(h.set_storage(contract, key(1), u256{1}), StorageStatus::assigned);
    EXPECT_EQ(h.set_storage(contract, key(1), u256{0}), StorageStatus::deleted);
    EXPECT_EQ(h.set_storage(contract, key(1), u256{3}), StorageStatus::deleted_added);
    EXPECT_EQ(h.set_storage(contract, key(1), u256{1}), StorageStatus::modified_restored);
    EXPECT_EQ(h.set_storage(contract, key(1), u256{0}), StorageStatus::deleted);
    EXPECT_EQ(h.set_storage(contract, key(1), u256{1}), StorageStatus::deleted_restored);
    // original X=2: X -> X -> Z modified, X -> Y -> 0 modified_deleted.
    EXPECT_EQ(h.set_storage(contract, key(2), u256{4}), StorageStatus::modified);
    EXPECT_EQ(h.set_storage(contract, key(2), u256{0}), StorageStatus::modified_deleted);
}

TEST_F(StateHostTest, SelfdestructOfOldAccountOnlyMovesBalanceFromCancun) {
    Host& h = host(Revision::cancun);
    EXPECT_TRUE(h.selfdestruct(contract, addr(7)));
    EXPECT_EQ(h.get_balance(addr(7)), u256{100});
    EXPECT_EQ(h.get_balance(contract), u256{0});
    MemoryState post = base;
    post.apply(state.finalize(true));
    ASSERT_TRUE(post.account(contract).has_value());  // EIP-6780: not deleted
    EXPECT_EQ(post.storage(contract, key(1)), u256{1});
}

TEST_F(StateHostTest, SelfdestructToItselfKeepsBalanceFromCancun) {
    Host& h = host(Revision::cancun);
    h.selfdestruct(contract, contract);
    EXPECT_EQ(h.get_balance(contract), u256{100});
}

TEST_F(StateHostTest, SelfdestructDeletesBeforeCancun) {
    Host& h = host(Revision::shanghai);
    EXPECT_TRUE(h.selfdestruct(contract, contract));
    EXPECT_FALSE(h.selfdestruct(contract, contract));  // already in the set: no second refund
    EXPECT_EQ(h.get_balance(contract), u256{0});        // burnt when the beneficiary is itself
    MemoryState post = base;
    post.apply(state.finalize(true));
    EXPECT_FALSE(post.account(contract).has_value());
}

TEST_F(StateHostTest, CreateDerivesAddressBumpsNonceAndDeploys) {
    Host& h = host();
    // initcode: mstore8(0, 0x01); return(0, 1) -> deploys code 0x01
    const Bytes initcode{0x60, 0x01, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xf3};
    Message msg;
    msg.kind = CallKind::create;
    msg.gas = 100000;
    msg.sender = sender;
    msg.input = initcode;
    msg.value = u256{10};
    const ExecutionResult r = h.call(msg);
    ASSERT_EQ(r.status, StatusCode::success);
    const Address expected = create_address(sender, 1);
    EXPECT_EQ(r.create_address, expected);
    EXPECT_EQ(state.nonce(sender), 2U);
    EXPECT_EQ(state.nonce(expected), 1U);
    EXPECT_EQ(*state.code(expected), Bytes{0x01});
    EXPECT_EQ(state.balance(expected), u256{10});
    EXPECT_TRUE(state.created_in_tx(expected));
    EXPECT_LT(r.gas_left, 100000 - 200);  // code deposit charged
}

TEST_F(StateHostTest, CreateCollisionWithStorageOnlyAccountConsumesAllGas) {
    const Address target = create_address(sender, 1);
    base.put_account(target, 0, u256{0}, {}, {{key(1), u256{1}}});  // EIP-7610
    State s(base);
    StateHost h(s, Revision::prague, ctx);
    Message msg;
    msg.kind = CallKind::create;
    msg.gas = 50000;
    msg.sender = sender;
    const ExecutionResult r = h.call(msg);
    EXPECT_NE(r.status, StatusCode::success);
    EXPECT_EQ(r.gas_left, 0);
    EXPECT_EQ(s.nonce(sender), 2U);  // the nonce bump survives
}

TEST_F(StateHostTest, CreateRejectsEfPrefixedAndOversizedCode) {
    Host& h = host();
    // return(0, 1) after mstore8(0, 0xef)
    const Bytes ef_code{0x60, 0xef, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xf3};
    Message msg;
    msg.kind = CallKind::create;
    msg.gas = 100000;
    msg.sender = sender;
    msg.input = ef_code;
    ExecutionResult r = h.call(msg);
    EXPECT_EQ(r.status, StatusCode::contract_validation_failure);
    EXPECT_EQ(r.gas_left, 0);

    // return(0, 24577): one byte over EIP-170
    const Bytes big{0x61, 0x60, 0x01, 0x60, 0x00, 0xf3};
    msg.input = big;
    msg.gas = 10'000'000;
    r = h.call(msg);
    EXPECT_EQ(r.status, StatusCode::contract_validation_failure);
}

TEST_F(StateHostTest, ZeroValueCallToMissingAccountDoesNotCreateIt) {
    Host& h = host();
    Message msg;
    msg.gas = 1000;
    msg.sender = sender;
    msg.recipient = addr(50);
    msg.code_address = addr(50);
    const ExecutionResult r = h.call(msg);
    EXPECT_EQ(r.status, StatusCode::success);
    EXPECT_EQ(r.gas_left, 1000);
    EXPECT_FALSE(state.exists(addr(50)));
}

TEST_F(StateHostTest, ValueCallTransfersAndFailedFrameReverts) {
    base.put_account(addr(60), 0, u256{0}, {0xfe}, {});  // INVALID: the frame fails
    State s(base);
    StateHost h(s, Revision::prague, ctx);
    Message msg;
    msg.gas = 1000;
    msg.sender = sender;
    msg.value = u256{5};
    msg.recipient = addr(61);
    msg.code_address = addr(61);
    EXPECT_EQ(h.call(msg).status, StatusCode::success);
    EXPECT_EQ(s.balance(addr(61)), u256{5});

    msg.recipient = addr(60);
    msg.code_address = addr(60);
    const ExecutionResult r = h.call(msg);
    EXPECT_NE(r.status, StatusCode::success);
    EXPECT_EQ(r.gas_left, 0);
    EXPECT_EQ(s.balance(addr(60)), u256{0});
    EXPECT_EQ(s.balance(sender), u256{1'000'000 - 5});
}

TEST_F(StateHostTest, DelegatedAccountRunsTheDelegateCode) {
    // delegate code: sstore(0, 1)
    base.put_account(addr(70), 0, u256{0}, {0x60, 0x01, 0x60, 0x00, 0x55}, {});
    base.put_account(addr(71), 0, u256{0}, make_delegation_designator(addr(70)), {});
    State s(base);
    StateHost h(s, Revision::prague, ctx);
    Message msg;
    msg.gas = 100000;
    msg.sender = sender;
    msg.recipient = addr(71);
    msg.code_address = addr(71);
    ASSERT_EQ(h.call(msg).status, StatusCode::success);
    EXPECT_EQ(s.storage(addr(71), key(0)), u256{1});  // runs in the delegating account's context
    EXPECT_EQ(h.get_code_size(addr(71)), kDelegationDesignatorSize);
}

TEST_F(StateHostTest, AccountExistsMeansNotDeadFromSpuriousDragon) {
    base.put_account(addr(80), 0, u256{0}, {}, {});
    State s(base);
    StateHost h(s, Revision::prague, ctx);
    EXPECT_FALSE(h.account_exists(addr(80)));
    EXPECT_TRUE(h.account_exists(sender));
    EXPECT_EQ(h.get_code_hash(addr(80)), Bytes32{});
    EXPECT_EQ(h.get_code_hash(sender), kEmptyCodeHash);
}

}  // namespace
}  // namespace sluice::evm
