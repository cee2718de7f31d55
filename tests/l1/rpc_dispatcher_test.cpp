// RpcDispatcher: every method against a dev-accounts devchain, every error code, framing (batches,
// notifications, limits), and hostile calls (a contract that burns all gas) after which it keeps answering.
#include "sluice/l1/rpc_dispatcher.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1 {
namespace {

using Json = nlohmann::json;

const u256 kGwei = u256{1'000'000'000};
// JUMPDEST PUSH0 JUMP: loops until the gas is gone.
const std::string kBurnCode = "0x5b5f56";
// Reverts with 4 bytes: PUSH4 0xdeadbeef PUSH0 MSTORE PUSH1 4 PUSH1 28 REVERT.
const std::string kRevertCode = "0x63deadbeef5f526004601cfd";

class Dispatcher : public ::testing::Test {
  protected:
    Dispatcher() : chain_(config()), rpc_(chain_) {}
    static DevchainConfig config() {
        DevchainConfig c = dev_accounts_config();
        c.base_fee = kGwei;
        c.priority_fee = kGwei;
        return c;
    }
    Json call(const std::string& method, Json params = Json::array()) {
        const Json request = {
            {"jsonrpc", "2.0"}, {"id", 7}, {"method", method}, {"params", std::move(params)}};
        const std::string text = rpc_.handle(request.dump());
        Json response = Json::parse(text);
        EXPECT_EQ(response["id"], 7) << text;
        EXPECT_EQ(response["jsonrpc"], "2.0");
        return response;
    }
    Json result(const std::string& method, Json params = Json::array()) {
        Json r = call(method, std::move(params));
        EXPECT_TRUE(r.contains("result")) << method << ": " << r.dump();
        return r["result"];
    }
    int error_code(const std::string& method, Json params = Json::array()) {
        Json r = call(method, std::move(params));
        EXPECT_TRUE(r.contains("error")) << method << ": " << r.dump();
        return r.contains("error") ? r["error"]["code"].get<int>() : 0;
    }
    std::string account(std::size_t i) { return dev_account_address(i).to_hex(); }
    // A contract whose runtime code is `runtime` (hex), deployed by eth_sendTransaction from account 0.
    std::string deploy_runtime(const std::string& runtime) {
        const Bytes code = from_hex(runtime).value();
        // PUSH1 len DUP1 PUSH1 9 PUSH0 CODECOPY PUSH0 RETURN (9 bytes), then the runtime code.
        Bytes init = {0x60, static_cast<std::uint8_t>(code.size()), 0x80, 0x60, 0x09, 0x5f, 0x39, 0x5f, 0xf3};
        init.insert(init.end(), code.begin(), code.end());
        const Json hash = result("eth_sendTransaction", {{{"from", account(0)}, {"data", to_hex(init)}}});
        const Json receipt = result("eth_getTransactionReceipt", {hash});
        EXPECT_EQ(receipt["status"], "0x1");
        return receipt["contractAddress"].get<std::string>();
    }

    Devchain chain_;
    RpcDispatcher rpc_;
};

TEST_F(Dispatcher, IdentityAndDevAccounts) {
    EXPECT_EQ(result("eth_chainId"), "0x7a69");
    EXPECT_EQ(result("net_version"), "31337");
    EXPECT_EQ(result("web3_clientVersion"), "sluice-devchain/0.1.0");
    EXPECT_EQ(result("eth_blockNumber"), "0x0");
    const Json accounts = result("eth_accounts");
    ASSERT_EQ(accounts.size(), 20u);
    EXPECT_EQ(accounts[0], "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    EXPECT_EQ(result("eth_getBalance", {account(19), "latest"}), "0x21e19e0c9bab2400000");  // 10000 ETH
    EXPECT_EQ(result("eth_getTransactionCount", {account(0), "pending"}), "0x0");
    EXPECT_EQ(result("eth_gasPrice"), "0x77359400");
    EXPECT_EQ(result("eth_maxPriorityFeePerGas"), "0x3b9aca00");
}

TEST_F(Dispatcher, SignedTransferIsMinedWithReceiptBlockAndTransaction) {
    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.to = dev_account_address(1);
    tx.value = u256{12345};
    tx.gas_limit = 21'000;
    tx.max_fee_per_gas = 3 * kGwei;
    tx.max_priority_fee_per_gas = kGwei;
    const Bytes raw = sign_transaction(tx, u256{31337}, dev_account_key(0)).value();
    const Json hash = result("eth_sendRawTransaction", {to_hex(raw)});
    EXPECT_EQ(hash, to_hex(keccak256(raw).view()));
    EXPECT_EQ(result("eth_blockNumber"), "0x1");

    const Json receipt = result("eth_getTransactionReceipt", {hash});
    EXPECT_EQ(receipt["status"], "0x1");
    EXPECT_EQ(receipt["gasUsed"], "0x5208");
    EXPECT_EQ(receipt["cumulativeGasUsed"], "0x5208");
    EXPECT_EQ(receipt["effectiveGasPrice"], "0x77359400");
    EXPECT_EQ(receipt["type"], "0x2");
    EXPECT_EQ(receipt["from"], account(0));
    EXPECT_EQ(receipt["to"], account(1));
    EXPECT_TRUE(receipt["contractAddress"].is_null());

    const Json block = result("eth_getBlockByNumber", {"0x1", false});
    EXPECT_EQ(block["hash"], receipt["blockHash"]);
    EXPECT_EQ(block["transactions"], Json::array({hash}));
    EXPECT_EQ(block["parentHash"], result("eth_getBlockByNumber", {"earliest", false})["hash"]);
    EXPECT_EQ(result("eth_getBlockByHash", {block["hash"], true})["transactions"][0]["hash"], hash);
    EXPECT_TRUE(result("eth_getBlockByNumber", {"0x2", false}).is_null());

    const Json got = result("eth_getTransactionByHash", {hash});
    EXPECT_EQ(got["from"], account(0));
    EXPECT_EQ(got["value"], "0x3039");
    EXPECT_EQ(got["nonce"], "0x0");
    EXPECT_EQ(got["blockNumber"], "0x1");
    EXPECT_TRUE(result("eth_getTransactionByHash", {to_hex(Hash{}.view())}).is_null());
    EXPECT_EQ(result("eth_getTransactionCount", {account(0), "latest"}), "0x1");
    // The sender paid the value and 21000 gas at base fee + tip.
    const u256 paid =
        u256{10'000} * u256{1'000'000'000'000'000'000ULL} - u256{12345} - u256{21'000} * 2 * kGwei;
    EXPECT_EQ(result("eth_getBalance", {account(0), "latest"}), paid.to_hex());
}

TEST_F(Dispatcher, RefusedTransactionsAreServerErrorsWithTheReason) {
    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.to = dev_account_address(1);
    tx.gas_limit = 21'000;
    tx.max_fee_per_gas = 3 * kGwei;
    const Bytes wrong_chain = sign_transaction(tx, u256{1}, dev_account_key(0)).value();
    Json r = call("eth_sendRawTransaction", {to_hex(wrong_chain)});
    EXPECT_EQ(r["error"]["code"], -32000);
    EXPECT_NE(r["error"]["message"].get<std::string>().find("wrong chain id"), std::string::npos) << r.dump();

    tx.nonce = 5;
    r = call("eth_sendRawTransaction",
             {to_hex(sign_transaction(tx, u256{31337}, dev_account_key(0)).value())});
    EXPECT_EQ(r["error"]["message"].get<std::string>().substr(0, 14), "nonce too high") << r.dump();
    tx.nonce = 0;
    tx.max_fee_per_gas = u256{1};
    r = call("eth_sendRawTransaction",
             {to_hex(sign_transaction(tx, u256{31337}, dev_account_key(0)).value())});
    EXPECT_EQ(r["error"]["code"], -32000);
    EXPECT_EQ(r["error"]["message"].get<std::string>().substr(0, 40),
              "max fee per gas less than block base fee")
        << r.dump();
    tx.max_fee_per_gas = 3 * kGwei;
    EXPECT_EQ(result("hardhat_setBalance", {account(5), "0x1"}), true);
    r = call("eth_sendRawTransaction",
             {to_hex(sign_transaction(tx, u256{31337}, dev_account_key(5)).value())});
    EXPECT_EQ(r["error"]["message"].get<std::string>().substr(0, 18), "insufficient funds") << r.dump();
    EXPECT_EQ(error_code("eth_sendRawTransaction", {"0xdeadbeef"}), -32000);  // not a transaction
    EXPECT_EQ(error_code("eth_sendRawTransaction", {"dead"}), -32602);        // not hex
    const Json stranger = {{"from", "0x000000000000000000000000000000000000dead"}, {"to", account(1)}};
    EXPECT_EQ(error_code("eth_sendTransaction", {stranger}), -32000);
    EXPECT_EQ(result("eth_blockNumber"), "0x0");  // nothing was mined
}

TEST_F(Dispatcher, CallsEstimatesRevertsAndStorage) {
    const std::string reverter = deploy_runtime(kRevertCode);
    Json r = call("eth_call", {{{"to", reverter}}, "latest"});
    EXPECT_EQ(r["error"]["code"], 3);
    EXPECT_EQ(r["error"]["data"], "0xdeadbeef");
    EXPECT_EQ(call("eth_estimateGas", {{{"to", reverter}}})["error"]["code"], 3);
    // Sent without gas it is refused with the estimate's revert; with gas it is mined, reverted and charged.
    const Json refused = call("eth_sendTransaction", {{{"from", account(2)}, {"to", reverter}}});
    EXPECT_EQ(refused["error"]["code"], 3);
    EXPECT_EQ(refused["error"]["data"], "0xdeadbeef");
    const Json hash =
        result("eth_sendTransaction", {{{"from", account(2)}, {"to", reverter}, {"gas", "0x186a0"}}});
    const Json mined = result("eth_getTransactionReceipt", {hash});
    EXPECT_EQ(mined["status"], "0x0");
    EXPECT_GT(std::stoull(mined["gasUsed"].get<std::string>(), nullptr, 16), 21'000u);
    EXPECT_EQ(result("eth_getTransactionCount", {account(2), "latest"}), "0x1");

    // SLOAD of slot 0 returned: PUSH0 SLOAD PUSH0 MSTORE PUSH1 32 PUSH0 RETURN.
    const std::string reader = deploy_runtime("0x5f545f5260205ff3");
    EXPECT_EQ(result("eth_call", {{{"to", reader}}, "latest"}), to_hex(Bytes32{}.view()));
    EXPECT_EQ(result("eth_getStorageAt", {reader, "0x0", "latest"}), to_hex(Bytes32{}.view()));
    EXPECT_EQ(result("eth_getCode", {reader, "latest"}), "0x5f545f5260205ff3");
    const Json transfer = {{"from", account(0)}, {"to", account(1)}, {"value", "0x1"}};
    EXPECT_EQ(result("eth_estimateGas", {transfer}), "0x5208");
    const auto estimate =
        std::stoull(result("eth_estimateGas", {{{"to", reader}}}).get<std::string>(), nullptr, 16);
    EXPECT_GT(estimate, 21'000u + 2100u);
    EXPECT_LT(estimate, 30'000u);
}

TEST_F(Dispatcher, CallThatBurnsAllGasIsAnErrorAndTheDispatcherKeepsAnswering) {
    const std::string burner = deploy_runtime(kBurnCode);
    const Json r = call("eth_call", {{{"to", burner}, {"gas", "0x1c9c380"}}, "latest"});  // 30M gas
    EXPECT_EQ(r["error"]["code"], -32000);
    EXPECT_EQ(r["error"]["message"], "out of gas");
    EXPECT_EQ(call("eth_estimateGas", {{{"to", burner}}})["error"]["code"], -32000);
    EXPECT_EQ(result("eth_chainId"), "0x7a69");
}

TEST_F(Dispatcher, CallIntoASelfCallingChainAnswersNormally) {
    // PUSH0 x5 ADDRESS GAS CALL STOP: calls itself with all its gas until the depth limit or the gas ends;
    // the innermost CALL fails, which the caller only sees as a 0 on its stack, so the call succeeds.
    const std::string recurser = deploy_runtime("0x5f5f5f5f5f305af100");
    EXPECT_EQ(result("eth_call", {{{"to", recurser}}, "latest"}), "0x");
    EXPECT_EQ(result("eth_call", {{{"to", recurser}, {"gas", "0x3938700"}}}), "0x");  // 60M gas
    EXPECT_EQ(result("eth_chainId"), "0x7a69");
}

TEST_F(Dispatcher, LogsByRangeAddressAndTopics) {
    // LOG1 with topic 0x2a and no data: PUSH1 0x2a PUSH0 PUSH0 LOG1 STOP.
    const std::string logger = deploy_runtime("0x602a5f5fa100");
    const Json h1 = result("eth_sendTransaction", {{{"from", account(0)}, {"to", logger}}});
    const Json h2 = result("eth_sendTransaction", {{{"from", account(1)}, {"to", logger}}});
    const std::string topic = to_hex(u256{42}.to_be().view());
    const Json all =
        result("eth_getLogs", {{{"fromBlock", "0x0"}, {"toBlock", "latest"}, {"address", logger}}});
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0]["transactionHash"], h1);
    EXPECT_EQ(all[1]["transactionHash"], h2);
    EXPECT_EQ(all[0]["topics"], Json::array({topic}));
    EXPECT_EQ(all[0]["logIndex"], "0x0");
    const Json receipt = result("eth_getTransactionReceipt", {h2});
    EXPECT_EQ(all[1]["blockHash"], receipt["blockHash"]);
    EXPECT_EQ(receipt["logs"][0]["logIndex"], "0x0");
    EXPECT_EQ(result("eth_getLogs", {{{"fromBlock", "0x0"}, {"topics", {topic}}}}).size(), 2u);
    EXPECT_EQ(result("eth_getLogs", {{{"fromBlock", "0x0"}, {"topics", {to_hex(Hash{}.view())}}}}).size(),
              0u);
    EXPECT_EQ(result("eth_getLogs", {{{"fromBlock", "0x0"}, {"topics", {nullptr, topic}}}}).size(), 0u);
    EXPECT_EQ(result("eth_getLogs", {{{"blockHash", receipt["blockHash"]}}}).size(), 1u);
    EXPECT_EQ(result("eth_getLogs", {{{"fromBlock", "0x2"}, {"toBlock", "0x2"}}}).size(), 1u);
    EXPECT_EQ(error_code("eth_getLogs", {{{"fromBlock", "0x3"}, {"toBlock", "0x2"}}}), -32602);

    RpcLimits tight;
    tight.max_logs = 1;
    RpcDispatcher limited(chain_, tight);
    const Json over = Json::parse(
        limited.handle(R"({"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x0"}]})"));
    EXPECT_EQ(over["error"]["code"], -32005);
}

TEST_F(Dispatcher, TimeSnapshotsAndBalanceControls) {
    EXPECT_EQ(result("evm_setNextBlockTimestamp", {1'800'000'000}), "0x6b49d200");
    EXPECT_EQ(result("evm_mine"), "0x0");
    EXPECT_EQ(result("eth_getBlockByNumber", {"latest", false})["timestamp"], "0x6b49d200");
    result("evm_increaseTime", {100});
    result("evm_mine");
    EXPECT_EQ(result("eth_getBlockByNumber", {"latest", false})["timestamp"], "0x6b49d265");  // +1 +100
    const Json id = result("evm_snapshot");
    EXPECT_EQ(result("hardhat_setBalance", {account(3), "0x1"}), true);
    EXPECT_EQ(result("eth_getBalance", {account(3), "latest"}), "0x1");
    result("evm_mine");
    EXPECT_EQ(result("evm_revert", {id}), true);
    EXPECT_EQ(result("eth_getBalance", {account(3), "latest"}), "0x21e19e0c9bab2400000");
    EXPECT_EQ(result("eth_blockNumber"), "0x2");
    EXPECT_EQ(result("evm_revert", {id}), false);                               // used up
    EXPECT_EQ(error_code("evm_setNextBlockTimestamp", {1}), -32000);            // in the past
    EXPECT_EQ(error_code("evm_increaseTime", {"0x3fffffffffffffff"}), -32000);  // past 2^62 seconds
    EXPECT_EQ(error_code("evm_increaseTime", {std::uint64_t{1} << 63}), -32602);
    const Json fees = result("eth_feeHistory", {"0x2", "latest", {50}});
    EXPECT_EQ(fees["oldestBlock"], "0x1");
    EXPECT_EQ(fees["baseFeePerGas"].size(), 3u);
    EXPECT_EQ(fees["gasUsedRatio"].size(), 2u);
    EXPECT_EQ(fees["reward"].size(), 2u);
}

TEST_F(Dispatcher, StateAtAnOldBlockIsRefusedHonestly) {
    result("evm_mine");
    const Json r = call("eth_getBalance", {account(0), "0x0"});
    EXPECT_EQ(r["error"]["code"], -32602);
    EXPECT_NE(r["error"]["message"].get<std::string>().find("latest block"), std::string::npos);
    EXPECT_EQ(result("eth_getBalance", {account(0), "0x1"}),
              result("eth_getBalance", {account(0), "latest"}));
    EXPECT_EQ(result("eth_getBalance", {account(0), {{"blockNumber", "0x1"}}}),
              result("eth_getBalance", {account(0)}));
}

TEST_F(Dispatcher, WrongParamsAreInvalidParams) {
    EXPECT_EQ(error_code("eth_getBalance", {"0x1234", "latest"}), -32602);               // short address
    EXPECT_EQ(error_code("eth_getBalance", {42, "latest"}), -32602);                     // not a string
    EXPECT_EQ(error_code("eth_getBalance", {account(0), "0x01"}), -32602);               // leading zero
    EXPECT_EQ(error_code("eth_getBalance", {account(0), "newest"}), -32602);             // unknown tag
    EXPECT_EQ(error_code("eth_getBalance", {account(0), "latest", 1}), -32602);          // too many
    EXPECT_EQ(error_code("eth_getBalance"), -32602);                                     // too few
    EXPECT_EQ(error_code("eth_call", {{{"to", account(1)}, {"bogus", 1}}}), -32602);     // unknown field
    EXPECT_EQ(error_code("eth_call", {{{"to", account(1)}, {"data", "0x1"}}}), -32602);  // odd hex
    EXPECT_EQ(error_code("eth_getBlockByNumber", {"latest", "yes"}), -32602);
    EXPECT_EQ(error_code("eth_getTransactionReceipt", {"0x12"}), -32602);
    EXPECT_EQ(error_code("evm_increaseTime", {-5}), -32602);
    EXPECT_EQ(error_code("eth_chainId", {1}), -32602);
    EXPECT_EQ(error_code("eth_nope"), -32601);
}

TEST_F(Dispatcher, FramingErrors) {
    const auto code = [&](const std::string& text) {
        return Json::parse(rpc_.handle(text))["error"]["code"].get<int>();
    };
    EXPECT_EQ(code("{"), -32700);
    EXPECT_EQ(code("not json"), -32700);
    EXPECT_EQ(code(R"({"jsonrpc":"2.0","id":1,"id":2,"method":"eth_chainId"})"), -32700);  // duplicate key
    EXPECT_EQ(code("42"), -32600);
    EXPECT_EQ(code(R"({"jsonrpc":"1.0","id":1,"method":"eth_chainId"})"), -32600);
    EXPECT_EQ(code(R"({"jsonrpc":"2.0","id":1,"method":7})"), -32600);
    EXPECT_EQ(code(R"({"jsonrpc":"2.0","id":[1],"method":"eth_chainId"})"), -32600);
    EXPECT_EQ(code(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","extra":0})"), -32600);
    EXPECT_EQ(code(R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":{}})"), -32602);
    EXPECT_EQ(code("[]"), -32600);
    // A notification gets no answer; a batch answers its requests only, in order.
    EXPECT_EQ(rpc_.handle(R"({"jsonrpc":"2.0","method":"evm_mine"})"), "");
    EXPECT_EQ(chain_.latest_block().number, 1);
    const Json batch = Json::parse(rpc_.handle(
        R"([{"jsonrpc":"2.0","id":"a","method":"eth_blockNumber"},{"jsonrpc":"2.0","method":"evm_mine"},7,)"
        R"({"jsonrpc":"2.0","id":null,"method":"eth_chainId"}])"));
    ASSERT_EQ(batch.size(), 3u);
    EXPECT_EQ(batch[0]["id"], "a");
    EXPECT_EQ(batch[0]["result"], "0x1");
    EXPECT_EQ(batch[1]["error"]["code"], -32600);
    EXPECT_EQ(batch[2]["result"], "0x7a69");

    std::string huge = "[";
    for (int i = 0; i < 101; ++i)
        huge += std::string(i ? "," : "") + R"({"jsonrpc":"2.0","id":1,"method":"eth_chainId"})";
    EXPECT_EQ(code(huge + "]"), -32600);
    RpcLimits small;
    small.max_request_bytes = 64;
    RpcDispatcher limited(chain_, small);
    EXPECT_EQ(Json::parse(limited.handle(std::string(65, ' ')))["error"]["code"], -32600);
    EXPECT_EQ(Json::parse(rpc_.handle(std::string(10'000, '[')))["error"]["code"], -32700);
    EXPECT_EQ(result("eth_chainId"), "0x7a69");  // and it still answers
}

}  // namespace
}  // namespace sluice::l1
