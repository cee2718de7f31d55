// Transaction validation (one test per typed error), intrinsic gas and a full transfer through
// apply_transaction (gas purchase, refund of unused gas, priority fee to the coinbase).
#include <gtest/gtest.h>

#include "sluice/evm/delegation.hpp"
#include "sluice/evm/memory_state.hpp"
#include "sluice/evm/transaction_processor.hpp"
#include "sluice/evm/tx_validation.hpp"

namespace sluice::evm {
namespace {

Address addr(std::uint8_t last) {
    Address a;
    a[0] = 0xbb;
    a[19] = last;
    return a;
}

class TxValidation : public ::testing::Test {
protected:
    TxValidation() {
        base.put_account(sender, 3, u256{1'000'000'000}, {}, {});
        block.coinbase = addr(9);
        block.gas_limit = 30'000'000;
        block.base_fee = u256{10};
        block.blob_params = default_blob_params(Revision::prague);
        tx.type = TxType::dynamic_fee;
        tx.sender = sender;
        tx.to = addr(2);
        tx.nonce = 3;
        tx.gas_limit = 21000;
        tx.max_fee_per_gas = u256{20};
        tx.max_priority_fee_per_gas = u256{2};
    }
    Errc rejection(Revision rev = Revision::prague) {
        auto r = apply_transaction(base, block, tx, rev);
        return r ? Errc::internal : r.error().code;
    }

    const Address sender = addr(1);
    MemoryState base;
    BlockInfo block;
    Transaction tx;
};

TEST_F(TxValidation, IntrinsicGasCountsCalldataAccessListsAndCreation) {
    tx.data = {0x00, 0x01, 0x00};
    tx.access_list = {{addr(5), {Bytes32{}, Bytes32{}}}};
    EXPECT_EQ(intrinsic_gas(tx, Revision::prague).intrinsic, 21000 + 4 * 2 + 16 + 2400 + 2 * 1900);
    EXPECT_EQ(intrinsic_gas(tx, Revision::prague).floor, 21000 + 10 * (2 + 4));
    EXPECT_EQ(intrinsic_gas(tx, Revision::cancun).floor, 0);
    tx.to.reset();
    tx.access_list.clear();
    EXPECT_EQ(intrinsic_gas(tx, Revision::prague).intrinsic, 21000 + 32000 + 24 + 2);  // + 1 initcode word
    EXPECT_EQ(intrinsic_gas(tx, Revision::london).intrinsic, 21000 + 32000 + 24);
}

TEST_F(TxValidation, ValidTransferPaysFeesAndMovesValue) {
    tx.value = u256{1000};
    auto r = apply_transaction(base, block, tx, Revision::prague);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_TRUE(r->receipt.success);
    EXPECT_EQ(r->receipt.gas_used, 21000);
    MemoryState post = base;
    post.apply(r->diff);
    // effective price = 10 + min(2, 20 - 10) = 12; the coinbase gets 2 per gas.
    EXPECT_EQ(post.account(sender)->balance, u256{1'000'000'000 - 1000 - 21000 * 12});
    EXPECT_EQ(post.account(sender)->nonce, 4U);
    EXPECT_EQ(post.account(addr(2))->balance, u256{1000});
    EXPECT_EQ(post.account(addr(9))->balance, u256{21000 * 2});
}

TEST_F(TxValidation, NonceTooLowHighAndMax) {
    tx.nonce = 2;
    EXPECT_EQ(rejection(), Errc::tx_nonce_too_low);
    tx.nonce = 4;
    EXPECT_EQ(rejection(), Errc::tx_nonce_too_high);
    base.put_account(sender, ~std::uint64_t{0}, u256{1'000'000'000}, {}, {});
    tx.nonce = ~std::uint64_t{0};
    EXPECT_EQ(rejection(), Errc::tx_nonce_max);
}

TEST_F(TxValidation, InsufficientFundsIncludesValueAndOverflow) {
    tx.value = u256{1'000'000'000};
    EXPECT_EQ(rejection(), Errc::tx_insufficient_funds);
    tx.value = u256{0};
    tx.max_fee_per_gas = u256::max();
    tx.max_priority_fee_per_gas = u256{0};
    EXPECT_EQ(rejection(), Errc::tx_insufficient_funds);  // gas * price overflows 256 bits
}

TEST_F(TxValidation, IntrinsicAndFloorGas) {
    tx.gas_limit = 20999;
    EXPECT_EQ(rejection(), Errc::tx_intrinsic_gas_too_low);
    tx.data = Bytes(100, 0x01);  // intrinsic 22600, floor 21000 + 4000
    tx.gas_limit = 23000;
    EXPECT_EQ(rejection(), Errc::tx_floor_gas_too_low);
    EXPECT_NE(rejection(Revision::cancun), Errc::tx_floor_gas_too_low);
}

TEST_F(TxValidation, FeeCapsAndBlockGasLimit) {
    tx.max_fee_per_gas = u256{9};
    tx.max_priority_fee_per_gas = u256{1};
    EXPECT_EQ(rejection(), Errc::tx_fee_cap_below_base_fee);
    tx.max_fee_per_gas = u256{20};
    tx.max_priority_fee_per_gas = u256{21};
    EXPECT_EQ(rejection(), Errc::tx_priority_fee_above_fee_cap);
    tx.max_priority_fee_per_gas = u256{1};
    tx.gas_limit = 30'000'001;
    EXPECT_EQ(rejection(), Errc::tx_gas_limit_exceeds_block);
}

TEST_F(TxValidation, SenderWithCodeIsRejectedUnlessDelegated) {
    base.put_account(sender, 3, u256{1'000'000'000}, {0x00}, {});
    EXPECT_EQ(rejection(), Errc::tx_sender_not_eoa);
    base.put_account(sender, 3, u256{1'000'000'000}, make_delegation_designator(addr(7)), {});
    EXPECT_EQ(rejection(Revision::cancun), Errc::tx_sender_not_eoa);
    EXPECT_TRUE(apply_transaction(base, block, tx, Revision::prague).ok());
}

TEST_F(TxValidation, InitcodeSizeLimit) {
    tx.to.reset();
    tx.data = Bytes(2 * 24576 + 1, 0x00);
    tx.gas_limit = 1'000'000;
    EXPECT_EQ(rejection(), Errc::tx_initcode_too_large);
}

TEST_F(TxValidation, BlobTransactionRules) {
    tx.type = TxType::blob;
    tx.max_fee_per_blob_gas = u256{1};
    EXPECT_EQ(rejection(), Errc::tx_blob_count);  // zero blobs
    Bytes32 h;
    h[0] = 0x01;
    tx.blob_hashes.assign(10, h);
    EXPECT_EQ(rejection(), Errc::tx_blob_count);  // above Prague's 9
    tx.blob_hashes.assign(1, h);
    tx.blob_hashes[0][0] = 0x02;
    EXPECT_EQ(rejection(), Errc::tx_blob_hash_version);
    tx.blob_hashes[0][0] = 0x01;
    block.excess_blob_gas = 10'000'000;  // blob base fee well above 1
    EXPECT_EQ(rejection(), Errc::tx_blob_fee_cap_too_low);
    tx.to.reset();
    EXPECT_EQ(rejection(), Errc::tx_create_not_allowed);
    tx.to = addr(2);
    EXPECT_EQ(rejection(Revision::shanghai), Errc::tx_type_not_supported);
}

TEST_F(TxValidation, SetCodeTransactionRules) {
    tx.type = TxType::set_code;
    EXPECT_EQ(rejection(), Errc::tx_empty_authorization_list);
    tx.authorizations.push_back(Authorization{});
    tx.gas_limit = 100'000;
    tx.to.reset();
    EXPECT_EQ(rejection(), Errc::tx_create_not_allowed);
    tx.to = addr(2);
    EXPECT_EQ(rejection(Revision::cancun), Errc::tx_type_not_supported);
    // An invalid tuple (zero signature) is skipped, the transaction itself is valid.
    EXPECT_TRUE(apply_transaction(base, block, tx, Revision::prague).ok());
}

}  // namespace
}  // namespace sluice::evm
