// L1Client against a real L1: in-process devchain by default, and over HTTP against sluice-devchain and
// hardhat node when tests/l1/run_with_node.sh sets SLUICE_L1_URL (ctests l1_client_over_devchain_http,
// l1_client_over_hardhat). Every test creates its own accounts and reads nonces from the node, so the
// tests share one node without depending on each other's order.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/l1/log_cursor.hpp"
#include "sluice/l1/revert_reason.hpp"
#include "support/l1_backend.hpp"

namespace sluice::l1 {
namespace {

using testing::L1Backend;
using testing::make_l1_backend;

constexpr std::chrono::milliseconds kPoll{20};

// Signs an EIP-1559 transaction from `key` with the node's pending nonce and a fee cap of twice the
// latest base fee plus a 1 gwei tip, sends it, and waits for it to be mined.
Async<TxReceipt> send_and_wait(L1Client& client, const PrivateKey& key, std::optional<Address> to, u256 value,
                               Bytes data, std::uint64_t gas = 3'000'000) {
    SLUICE_CO_TRY(const u256 chain, co_await client.chain_id());
    SLUICE_CO_TRY(const std::uint64_t nonce, co_await client.nonce(key.address(), BlockTag::pending()));
    SLUICE_CO_TRY(const auto head, co_await client.block(BlockTag::latest()));
    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.to = to;
    tx.nonce = nonce;
    tx.gas_limit = gas;
    tx.value = value;
    tx.data = std::move(data);
    tx.max_priority_fee_per_gas = u256{1'000'000'000};
    tx.max_fee_per_gas = head->base_fee.value_or(u256{}) * u256{2} + tx.max_priority_fee_per_gas;
    SLUICE_CO_TRY(const Bytes raw, sign_transaction(tx, chain, key));
    SLUICE_CO_TRY(const Hash hash, co_await client.send_raw_transaction(raw));
    ReceiptWait wait;
    wait.poll_interval = kPoll;
    wait.timeout = std::chrono::seconds(20);
    co_return co_await client.wait_for_receipt(hash, wait);
}

// A fresh account funded by dev account `dev` with 1 ETH.
Async<PrivateKey> funded_account(L1Client& client, std::size_t dev) {
    PrivateKey key = PrivateKey::generate();
    SLUICE_CO_TRY(const TxReceipt funding,
                  co_await send_and_wait(client, dev_account_key(dev), key.address(),
                                         u256{1'000'000'000'000'000'000ULL}, {}, 21'000));
    if (!funding.status) co_return make_error(Errc::internal, "funding transfer failed");
    co_return key;
}

Bytes token_creation_code() {
    const auto artifact = nlohmann::json::parse(contracts::artifact_json("TestToken"));
    Bytes code = from_hex(artifact["bytecode"].get<std::string>()).value();
    const Bytes args = encode_params(AbiType::parse("(string,string)").value(),
                                     AbiValue::list({AbiValue::string("Test"), AbiValue::string("TST")}))
                           .value();
    code.insert(code.end(), args.begin(), args.end());
    return code;
}

Bytes calldata(std::string_view signature, const AbiValue& args) {
    return AbiFunction::parse(signature).value().encode_call(args).value();
}

Bytes32 event_topic(std::string_view signature) {
    return keccak256(ByteView(reinterpret_cast<const std::uint8_t*>(signature.data()), signature.size()));
}

class L1ClientTest : public ::testing::Test {
  protected:
    std::unique_ptr<L1Backend> backend = make_l1_backend();
    JsonRpcL1Client& client = *backend->client;
};

TEST_F(L1ClientTest, ReadsTheChainAndItsBlocks) {
    const auto chain = backend->run(client.chain_id());
    ASSERT_TRUE(chain.ok()) << chain.error().describe();
    EXPECT_EQ(*chain, u256{31337});
    const auto head = backend->run(client.block(BlockTag::latest()));
    ASSERT_TRUE(head.ok()) << head.error().describe();
    ASSERT_TRUE(head->has_value());
    const auto by_hash = backend->run(client.block_by_hash((*head)->hash));
    ASSERT_TRUE(by_hash.ok() && by_hash->has_value());
    EXPECT_EQ((*by_hash)->number, (*head)->number);
    EXPECT_EQ((*by_hash)->parent_hash, (*head)->parent_hash);
    const auto genesis = backend->run(client.block(BlockTag::earliest()));
    ASSERT_TRUE(genesis.ok() && genesis->has_value());
    EXPECT_EQ((*genesis)->number, 0);
    const auto future = backend->run(client.block(BlockTag::at((*head)->number + 1000)));
    ASSERT_TRUE(future.ok()) << future.error().describe();
    EXPECT_FALSE(future->has_value());
    const auto unknown = backend->run(client.block_by_hash(Hash{}));
    ASSERT_TRUE(unknown.ok());
    EXPECT_FALSE(unknown->has_value());
    const auto funded = backend->run(client.balance(dev_account_address(19), BlockTag::latest()));
    ASSERT_TRUE(funded.ok());
    EXPECT_GT(*funded, u256{0});
}

TEST_F(L1ClientTest, ATransferIsMinedAndReadBack) {
    const PrivateKey to = PrivateKey::generate();
    const u256 value{123'456'789};
    const auto receipt =
        backend->run(send_and_wait(client, dev_account_key(1), to.address(), value, {}, 21'000));
    ASSERT_TRUE(receipt.ok()) << receipt.error().describe();
    EXPECT_TRUE(receipt->status);
    EXPECT_EQ(receipt->gas_used, 21'000);
    EXPECT_EQ(receipt->from, dev_account_address(1));
    EXPECT_EQ(receipt->to, to.address());
    EXPECT_EQ(receipt->type, evm::TxType::dynamic_fee);
    const auto balance = backend->run(client.balance(to.address(), BlockTag::latest()));
    ASSERT_TRUE(balance.ok());
    EXPECT_EQ(*balance, value);
    const auto info = backend->run(client.transaction(receipt->transaction_hash));
    ASSERT_TRUE(info.ok()) << info.error().describe();
    ASSERT_TRUE(info->has_value());
    EXPECT_EQ((*info)->from, dev_account_address(1));
    EXPECT_EQ((*info)->value, value);
    EXPECT_EQ((*info)->block_number, receipt->block_number);
    EXPECT_EQ((*info)->block_hash, receipt->block_hash);
    const auto block = backend->run(client.block_by_hash(receipt->block_hash));
    ASSERT_TRUE(block.ok() && block->has_value());
    EXPECT_NE(
        std::find((*block)->transactions.begin(), (*block)->transactions.end(), receipt->transaction_hash),
        (*block)->transactions.end());
    // Unknown hashes are "not found", not errors.
    const auto none = backend->run(client.receipt(Hash{}));
    ASSERT_TRUE(none.ok());
    EXPECT_FALSE(none->has_value());
    const auto no_tx = backend->run(client.transaction(Hash{}));
    ASSERT_TRUE(no_tx.ok());
    EXPECT_FALSE(no_tx->has_value());
}

TEST_F(L1ClientTest, RefusedTransactionsHaveTypedErrors) {
    const auto key = backend->run(funded_account(client, 2));
    ASSERT_TRUE(key.ok()) << key.error().describe();
    const auto chain = backend->run(client.chain_id()).value();
    const auto head = backend->run(client.block(BlockTag::latest())).value().value();
    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.to = dev_account_address(0);
    tx.gas_limit = 21'000;
    tx.max_priority_fee_per_gas = u256{1'000'000'000};
    tx.max_fee_per_gas = head.base_fee.value_or(u256{}) * u256{2} + tx.max_priority_fee_per_gas;
    // Nonce 0 was used by nothing yet: a transfer above the balance is refused for funds.
    tx.nonce = 0;
    tx.value = u256{2'000'000'000'000'000'000ULL};
    auto refused = backend->run(client.send_raw_transaction(sign_transaction(tx, chain, *key).value()));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, Errc::tx_insufficient_funds) << refused.error().describe();
    // A mined nonce reused.
    tx.value = u256{1};
    const auto mined = backend->run(send_and_wait(client, *key, dev_account_address(0), u256{1}, {}, 21'000));
    ASSERT_TRUE(mined.ok()) << mined.error().describe();
    tx.value = u256{2};
    refused = backend->run(client.send_raw_transaction(sign_transaction(tx, chain, *key).value()));
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, Errc::tx_nonce_too_low) << refused.error().describe();
    // Bytes that are no transaction.
    const Bytes junk{0x02, 0xc0};
    refused = backend->run(client.send_raw_transaction(junk));
    ASSERT_FALSE(refused.ok());
    EXPECT_TRUE(refused.error().code == Errc::l1_tx_rejected || refused.error().code == Errc::l1_rpc_error)
        << refused.error().describe();
}

TEST_F(L1ClientTest, TokenLogsCallsAndRevertsAreDecoded) {
    const PrivateKey& owner = dev_account_key(3);
    const auto deployed = backend->run(send_and_wait(client, owner, std::nullopt, {}, token_creation_code()));
    ASSERT_TRUE(deployed.ok()) << deployed.error().describe();
    ASSERT_TRUE(deployed->status);
    ASSERT_TRUE(deployed->contract_address.has_value());
    const Address token = *deployed->contract_address;
    const auto code = backend->run(client.code(token, BlockTag::latest()));
    ASSERT_TRUE(code.ok());
    EXPECT_FALSE(code->empty());

    const Address holder = PrivateKey::generate().address();
    const auto minted = backend->run(
        send_and_wait(client, owner, token, {},
                      calldata("mint(address,uint256)",
                               AbiValue::list({AbiValue::address(holder), AbiValue::uint(u256{500})}))));
    ASSERT_TRUE(minted.ok()) << minted.error().describe();
    ASSERT_TRUE(minted->status);
    ASSERT_EQ(minted->logs.size(), 1u);
    EXPECT_EQ(minted->logs[0].topics[0], event_topic("Transfer(address,address,uint256)"));

    CallRequest balance_of;
    balance_of.to = token;
    balance_of.data = calldata("balanceOf(address)", AbiValue::list({AbiValue::address(holder)}));
    const auto balance = backend->run(client.call(balance_of, BlockTag::latest()));
    ASSERT_TRUE(balance.ok()) << balance.error().describe();
    ASSERT_FALSE(balance->reverted);
    EXPECT_EQ(u256::from_be(balance->data), u256{500});

    // The holder has no ETH, but eth_call charges nothing: a transfer above its token balance reverts with
    // the token's custom error, which the client names from the ABI.
    CallRequest overdraw;
    overdraw.from = holder;
    overdraw.to = token;
    overdraw.data = calldata("transfer(address,uint256)",
                             AbiValue::list({AbiValue::address(owner.address()), AbiValue::uint(u256{501})}));
    const auto reverted = backend->run(client.call(overdraw, BlockTag::latest()));
    ASSERT_TRUE(reverted.ok()) << reverted.error().describe();
    ASSERT_TRUE(reverted->reverted);
    const RevertReason reason = decode_revert(reverted->data, client.options().custom_errors);
    EXPECT_EQ(reason.kind, RevertReason::Kind::custom) << reason.describe();
    EXPECT_EQ(reason.custom, "InsufficientBalance()");
    const auto estimate = backend->run(client.estimate_gas(overdraw, BlockTag::latest()));
    ASSERT_FALSE(estimate.ok());
    EXPECT_EQ(estimate.error().code, Errc::l1_reverted);
    EXPECT_NE(estimate.error().message.find("InsufficientBalance()"), std::string::npos)
        << estimate.error().message;
    overdraw.data = calldata("transfer(address,uint256)",
                             AbiValue::list({AbiValue::address(owner.address()), AbiValue::uint(u256{5})}));
    const auto gas = backend->run(client.estimate_gas(overdraw, BlockTag::latest()));
    ASSERT_TRUE(gas.ok()) << gas.error().describe();
    EXPECT_GT(*gas, 21'000u);

    LogQuery query;
    query.from_block = BlockTag::at(deployed->block_number);
    query.to_block = BlockTag::latest();
    query.addresses = {token};
    query.topics = {{event_topic("Transfer(address,address,uint256)")}, {}, {}};  // any sender and recipient
    const auto logs = backend->run(client.logs(query));
    ASSERT_TRUE(logs.ok()) << logs.error().describe();
    ASSERT_EQ(logs->size(), 1u);
    EXPECT_EQ((*logs)[0].transaction_hash, minted->transaction_hash);
    EXPECT_EQ((*logs)[0].block_hash, minted->block_hash);
    EXPECT_EQ(u256::from_be((*logs)[0].log.data), u256{500});
    // By block hash (EIP-234), and a topic that matches nothing.
    LogQuery by_hash;
    by_hash.block_hash = minted->block_hash;
    by_hash.addresses = {token};
    const auto in_block = backend->run(client.logs(by_hash));
    ASSERT_TRUE(in_block.ok()) << in_block.error().describe();
    EXPECT_EQ(in_block->size(), 1u);
    query.topics = {{event_topic("Approval(address,address,uint256)")}};
    const auto none = backend->run(client.logs(query));
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
    // Storage reads agree with the view: TestToken keeps totalSupply in a slot the call reads too.
    CallRequest total;
    total.to = token;
    total.data = calldata("totalSupply()", AbiValue::list({}));
    const auto supply = backend->run(client.call(total, BlockTag::latest()));
    ASSERT_TRUE(supply.ok() && !supply->reverted);
    EXPECT_EQ(u256::from_be(supply->data), u256{500});
}

TEST_F(L1ClientTest, ABatchAnswersEveryCallInOrder) {
    std::vector<RpcCall> calls;
    calls.push_back({"eth_chainId", nlohmann::json::array()});
    calls.push_back({"no_such_method", nlohmann::json::array()});
    calls.push_back({"eth_getBalance", nlohmann::json::array({dev_account_address(4).to_hex(), "latest"})});
    calls.push_back({"eth_getBalance", nlohmann::json::array({"not an address", "latest"})});
    const auto results = backend->run(client.batch(calls));
    ASSERT_TRUE(results.ok()) << results.error().describe();
    ASSERT_EQ(results->size(), 4u);
    ASSERT_TRUE((*results)[0].ok());
    EXPECT_EQ((*results)[0].value(), "0x7a69");
    ASSERT_FALSE((*results)[1].ok());
    EXPECT_EQ((*results)[1].error().code, Errc::l1_method_not_found);
    EXPECT_TRUE((*results)[2].ok());
    ASSERT_FALSE((*results)[3].ok());
    EXPECT_EQ((*results)[3].error().code, Errc::l1_rpc_error) << (*results)[3].error().describe();
}

TEST_F(L1ClientTest, FeesComeFromTheNode) {
    ASSERT_TRUE(
        backend->run(send_and_wait(client, dev_account_key(5), dev_account_address(6), u256{1}, {}, 21'000))
            .ok());
    const std::vector<double> percentiles{25.0, 75.0};
    const auto history = backend->run(client.fee_history(2, BlockTag::latest(), percentiles));
    ASSERT_TRUE(history.ok()) << history.error().describe();
    EXPECT_EQ(history->base_fee_per_gas.size(), history->gas_used_ratio.size() + 1);
    EXPECT_LE(history->gas_used_ratio.size(), 2u);
    EXPECT_GE(history->gas_used_ratio.size(), 1u);
    ASSERT_EQ(history->reward.size(), history->gas_used_ratio.size());
    for (const auto& row : history->reward)
        EXPECT_EQ(row.size(), 2u);
    const auto price = backend->run(client.gas_price());
    ASSERT_TRUE(price.ok()) << price.error().describe();
    const auto tip = backend->run(client.max_priority_fee_per_gas());
    ASSERT_TRUE(tip.ok()) << tip.error().describe();
}

// Mining is the nodes' own evm_mine; reorgs are evm_snapshot / evm_revert followed by other blocks, which
// both hardhat and the devchain serve.
Async<std::string> snapshot(JsonRpcL1Client& client) {
    SLUICE_CO_TRY(const auto id, co_await client.request("evm_snapshot", nlohmann::json::array()));
    co_return id.get<std::string>();
}
Async<bool> revert_to(JsonRpcL1Client& client, std::string id) {
    nlohmann::json params = nlohmann::json::array({std::move(id)});
    SLUICE_CO_TRY(const auto done, co_await client.request("evm_revert", std::move(params)));
    co_return done.is_boolean() && done.get<bool>();
}
Async<bool> mine(JsonRpcL1Client& client) {
    SLUICE_CO_TRY(const auto done, co_await client.request("evm_mine", nlohmann::json::array()));
    (void)done;
    co_return true;
}

TEST_F(L1ClientTest, WaitingForConfirmationsNeedsBlocksOnTop) {
    const auto receipt =
        backend->run(send_and_wait(client, dev_account_key(7), dev_account_address(8), u256{1}, {}, 21'000));
    ASSERT_TRUE(receipt.ok()) << receipt.error().describe();
    ReceiptWait three;
    three.confirmations = 3;
    three.poll_interval = kPoll;
    three.timeout = std::chrono::milliseconds(150);
    const auto early = backend->run(client.wait_for_receipt(receipt->transaction_hash, three));
    ASSERT_FALSE(early.ok());
    EXPECT_EQ(early.error().code, Errc::l1_timeout);
    ASSERT_TRUE(backend->run(mine(client)).ok());
    ASSERT_TRUE(backend->run(mine(client)).ok());
    const auto confirmed = backend->run(client.wait_for_receipt(receipt->transaction_hash, three));
    ASSERT_TRUE(confirmed.ok()) << confirmed.error().describe();
    EXPECT_EQ(confirmed->block_hash, receipt->block_hash);
}

TEST_F(L1ClientTest, TheLogCursorResumesFromTextAndRewindsAfterAReorg) {
    const PrivateKey& owner = dev_account_key(9);
    const auto deployed = backend->run(send_and_wait(client, owner, std::nullopt, {}, token_creation_code()));
    ASSERT_TRUE(deployed.ok() && deployed->status) << (deployed.ok() ? "" : deployed.error().describe());
    const Address token = *deployed->contract_address;
    const auto mint = [&](std::uint64_t amount) {
        return backend->run(send_and_wait(
            client, owner, token, {},
            calldata("mint(address,uint256)",
                     AbiValue::list({AbiValue::address(owner.address()), AbiValue::uint(u256{amount})}))));
    };
    ASSERT_TRUE(mint(1).ok());
    LogCursorPosition start;
    start.next_block = deployed->block_number;
    LogCursor cursor(client, {token}, {}, start);
    auto poll = backend->run(cursor.poll());
    ASSERT_TRUE(poll.ok()) << poll.error().describe();
    EXPECT_TRUE(poll->caught_up);
    EXPECT_FALSE(poll->rewound_to);
    ASSERT_EQ(poll->logs.size(), 1u);

    // A restart: the position as text, a new cursor from it, and nothing is delivered twice.
    const std::string saved = cursor.position().to_text();
    const auto restored = LogCursorPosition::from_text(saved);
    ASSERT_TRUE(restored.ok()) << restored.error().describe();
    EXPECT_EQ(*restored, cursor.position());
    LogCursor resumed(client, {token}, {}, *restored);
    poll = backend->run(resumed.poll());
    ASSERT_TRUE(poll.ok());
    EXPECT_TRUE(poll->logs.empty());

    // A block with a mint, then a reorg replaces it with a block holding another mint.
    const auto id = backend->run(snapshot(client));
    ASSERT_TRUE(id.ok()) << id.error().describe();
    const auto doomed = mint(2);
    ASSERT_TRUE(doomed.ok());
    poll = backend->run(resumed.poll());
    ASSERT_TRUE(poll.ok());
    ASSERT_EQ(poll->logs.size(), 1u);
    EXPECT_EQ(u256::from_be(poll->logs[0].log.data), u256{2});
    ASSERT_TRUE(backend->run(revert_to(client, *id)).value_or(false));
    ASSERT_TRUE(backend->run(mine(client)).ok());  // a different block at the doomed height
    const auto replacement = mint(3);
    ASSERT_TRUE(replacement.ok());
    poll = backend->run(resumed.poll());
    ASSERT_TRUE(poll.ok()) << poll.error().describe();
    ASSERT_TRUE(poll->rewound_to.has_value());
    EXPECT_LT(*poll->rewound_to, doomed->block_number);
    ASSERT_EQ(poll->logs.size(), 1u);
    EXPECT_EQ(u256::from_be(poll->logs[0].log.data), u256{3});
    EXPECT_EQ(poll->logs[0].transaction_hash, replacement->transaction_hash);
}

TEST(LogCursorPositionTest, BadTextIsATypedError) {
    for (const char* text : {"", "[]", "{\"next_block\":-1,\"recent\":[]}", "{\"next_block\":5}",
                             "{\"next_block\":5,\"recent\":[[7,\"0x00\"]]}",
                             "{\"next_block\":5,\"recent\":[[6,"
                             "\"0x0000000000000000000000000000000000000000000000000000000000000000\"]]}",
                             "{\"next_block\":5,\"recent\":[[1,\"nothex\"]]}"}) {
        const auto parsed = LogCursorPosition::from_text(text);
        ASSERT_FALSE(parsed.ok()) << text;
        EXPECT_EQ(parsed.error().code, Errc::l1_bad_cursor) << text;
    }
}

}  // namespace
}  // namespace sluice::l1
