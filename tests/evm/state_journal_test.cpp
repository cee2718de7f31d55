// State: cached reads over a StateView, journaled writes, snapshot/revert, EIP-2929 warm sets,
// EIP-1153 transient storage, original values (EIP-2200) and the end-of-transaction diff (EIP-161).
#include <gtest/gtest.h>

#include "sluice/evm/memory_state.hpp"
#include "sluice/evm/state.hpp"
#include "sluice/evm/trie.hpp"

namespace sluice::evm {
namespace {

Address addr(std::uint8_t last) {
    Address a;
    a[19] = last;
    return a;
}

Bytes32 key(std::uint64_t k) { return u256{k}.to_be(); }

class StateJournal : public ::testing::Test {
protected:
    StateJournal() {
        base.put_account(addr(1), 5, u256{1000}, {0x60, 0x00}, {{key(1), u256{7}}});
        base.put_account(addr(2), 0, u256{0}, {}, {});  // an empty account present in the base
    }
    MemoryState base;
};

TEST_F(StateJournal, ReadsFallThroughToBase) {
    State s(base);
    EXPECT_TRUE(s.exists(addr(1)));
    EXPECT_FALSE(s.exists(addr(9)));
    EXPECT_EQ(s.nonce(addr(1)), 5U);
    EXPECT_EQ(s.balance(addr(1)), u256{1000});
    EXPECT_EQ(*s.code(addr(1)), (Bytes{0x60, 0x00}));
    EXPECT_TRUE(s.code(addr(9))->empty());
    EXPECT_EQ(s.code_hash(addr(9)), kEmptyCodeHash);
    EXPECT_EQ(s.storage(addr(1), key(1)), u256{7});
    EXPECT_EQ(s.storage(addr(1), key(2)), u256{0});
    EXPECT_TRUE(s.has_storage(addr(1)));
    EXPECT_FALSE(s.has_storage(addr(2)));
    EXPECT_TRUE(s.is_empty(addr(2)));
    EXPECT_TRUE(s.is_empty(addr(9)));
}

TEST_F(StateJournal, RevertRestoresEveryKindOfChange) {
    State s(base);
    s.add_balance(addr(1), u256{1});
    const std::size_t snap = s.snapshot();
    s.sub_balance(addr(1), u256{500});
    s.set_nonce(addr(1), 6);
    s.set_storage(addr(1), key(1), u256{8});
    s.set_code(addr(3), {0xfe});
    s.set_transient_storage(addr(1), key(4), u256{9});
    EXPECT_FALSE(s.warm_account(addr(4)));
    EXPECT_FALSE(s.warm_slot(addr(4), key(1)));
    s.add_log(Log{addr(1), {key(5)}, {0x01}});
    s.mark_created(addr(3));
    EXPECT_TRUE(s.mark_destructed(addr(3)));

    s.revert(snap);
    EXPECT_EQ(s.balance(addr(1)), u256{1001});
    EXPECT_EQ(s.nonce(addr(1)), 5U);
    EXPECT_EQ(s.storage(addr(1), key(1)), u256{7});
    EXPECT_FALSE(s.exists(addr(3)));
    EXPECT_TRUE(s.code(addr(3))->empty());
    EXPECT_EQ(s.transient_storage(addr(1), key(4)), u256{0});
    EXPECT_FALSE(s.warm_account(addr(4)));  // cold again after the revert
    EXPECT_FALSE(s.warm_slot(addr(4), key(1)));
    EXPECT_TRUE(s.logs().empty());
    EXPECT_FALSE(s.created_in_tx(addr(3)));
    EXPECT_TRUE(s.mark_destructed(addr(3)));
}

TEST_F(StateJournal, NestedSnapshotsRevertOnlyTheirOwnChanges) {
    State s(base);
    const std::size_t outer = s.snapshot();
    s.set_storage(addr(1), key(1), u256{10});
    const std::size_t inner = s.snapshot();
    s.set_storage(addr(1), key(1), u256{11});
    s.revert(inner);
    EXPECT_EQ(s.storage(addr(1), key(1)), u256{10});
    s.revert(outer);
    EXPECT_EQ(s.storage(addr(1), key(1)), u256{7});
}

TEST_F(StateJournal, OriginalStorageIsTheValueAtTransactionStart) {
    State s(base);
    s.set_storage(addr(1), key(1), u256{3});
    s.set_storage(addr(1), key(1), u256{4});
    EXPECT_EQ(s.original_storage(addr(1), key(1)), u256{7});
    EXPECT_EQ(s.storage(addr(1), key(1)), u256{4});
}

TEST_F(StateJournal, WarmSetsReportPreviousStatus) {
    State s(base);
    EXPECT_FALSE(s.warm_account(addr(1)));
    EXPECT_TRUE(s.warm_account(addr(1)));
    EXPECT_FALSE(s.warm_slot(addr(1), key(1)));
    EXPECT_TRUE(s.warm_slot(addr(1), key(1)));
    EXPECT_FALSE(s.warm_slot(addr(1), key(2)));
    EXPECT_FALSE(s.warm_slot(addr(2), key(1)));
}

TEST_F(StateJournal, FinalizeDeletesTouchedEmptyAccountsUnderEip161) {
    State s(base);
    s.add_balance(addr(2), u256{0});  // touch the empty base account
    s.add_balance(addr(9), u256{0});  // touch a missing account
    StateDiff diff = s.finalize(true);
    MemoryState post = base;
    post.apply(diff);
    EXPECT_FALSE(post.account(addr(2)).has_value());
    EXPECT_FALSE(post.account(addr(9)).has_value());
    EXPECT_TRUE(post.account(addr(1)).has_value());
}

TEST_F(StateJournal, FinalizeKeepsTouchedEmptyAccountsBeforeEip161) {
    State s(base);
    s.add_balance(addr(9), u256{0});
    MemoryState post = base;
    post.apply(s.finalize(false));
    EXPECT_TRUE(post.account(addr(9)).has_value());
}

TEST_F(StateJournal, FinalizeAppliesWritesAndDeletesDestructed) {
    State s(base);
    s.set_storage(addr(1), key(1), u256{0});
    s.set_storage(addr(1), key(2), u256{5});
    s.set_code(addr(3), {0x00});
    s.add_balance(addr(3), u256{2});
    s.mark_destructed(addr(2));
    MemoryState post = base;
    post.apply(s.finalize(true));
    EXPECT_EQ(post.storage(addr(1), key(1)), u256{0});
    EXPECT_EQ(post.storage(addr(1), key(2)), u256{5});
    EXPECT_EQ(*post.code(addr(3)), Bytes{0x00});
    EXPECT_EQ(post.account(addr(3))->balance, u256{2});
    EXPECT_FALSE(post.account(addr(2)).has_value());
}

TEST_F(StateJournal, RevertedTouchDoesNotDeleteAnEmptyAccount) {
    State s(base);
    const std::size_t snap = s.snapshot();
    s.add_balance(addr(2), u256{0});
    s.revert(snap);
    MemoryState post = base;
    post.apply(s.finalize(true));
    EXPECT_TRUE(post.account(addr(2)).has_value());
}

TEST(MemoryStateRoot, EmptyStateIsTheEmptyTrieRoot) {
    const MemoryState empty;
    EXPECT_EQ(empty.state_root(), kEmptyTrieRoot);
}

}  // namespace
}  // namespace sluice::evm
