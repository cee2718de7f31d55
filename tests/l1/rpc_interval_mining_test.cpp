// The dispatcher over an interval-mining devchain with an EIP-1559 base fee: hashes returned at once,
// receipts null until evm_mine, pending transactions and nonces, geth's words for an underpriced
// replacement, and the fee methods answering from block data (eth_gasPrice, eth_maxPriorityFeePerGas,
// eth_feeHistory's gas-weighted reward percentiles), with their bad params.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "dev_transfer.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/l1/base_fee.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1 {
namespace {

using Json = nlohmann::json;

const u256 kGwei = u256{1'000'000'000};
const Address kSink = Address::from_hex("0x00000000000000000000000000000000000051c0").value();

class IntervalDispatcher : public ::testing::Test {
  protected:
    IntervalDispatcher() : chain_(config()), rpc_(chain_) {}
    static DevchainConfig config() {
        DevchainConfig c = dev_accounts_config();
        c.mining = MiningMode::interval;
        c.base_fee = kGwei;
        c.base_fee_adjusts = true;
        c.priority_fee = kGwei;
        return c;
    }
    Json call(const std::string& method, Json params = Json::array()) {
        const Json request = {
            {"jsonrpc", "2.0"}, {"id", 1}, {"method", method}, {"params", std::move(params)}};
        return Json::parse(rpc_.handle(request.dump()));
    }
    Json result(const std::string& method, Json params = Json::array()) {
        Json r = call(method, std::move(params));
        EXPECT_TRUE(r.contains("result")) << method << ": " << r.dump();
        return r["result"];
    }
    Json error(const std::string& method, Json params) {
        Json r = call(method, std::move(params));
        EXPECT_TRUE(r.contains("error")) << method << ": " << r.dump();
        return r["error"];
    }
    static std::string raw_transfer(std::size_t from, std::uint64_t nonce, const u256& fee_cap,
                                    const u256& tip, std::uint64_t gas = 21'000) {
        return to_hex(testing::signed_dev_tx({from, nonce, kSink, u256{1}, gas, fee_cap, tip}));
    }
    std::string account(std::size_t i) { return dev_account_address(i).to_hex(); }

    Devchain chain_;
    RpcDispatcher rpc_;
};

TEST_F(IntervalDispatcher, SentTransactionsArePendingUntilMined) {
    const Json raw_hash = result("eth_sendRawTransaction", {raw_transfer(0, 0, 10 * kGwei, kGwei)});
    const Json sent_hash = result("eth_sendTransaction", {{{"from", account(1)}, {"to", kSink.to_hex()}}});
    EXPECT_EQ(result("eth_blockNumber"), "0x0");
    EXPECT_TRUE(result("eth_getTransactionReceipt", {raw_hash}).is_null());
    const Json pending = result("eth_getTransactionByHash", {sent_hash});
    EXPECT_TRUE(pending["blockNumber"].is_null());
    EXPECT_TRUE(pending["blockHash"].is_null());
    EXPECT_TRUE(pending["transactionIndex"].is_null());
    EXPECT_EQ(pending["from"], account(1));
    EXPECT_EQ(result("eth_getTransactionCount", {account(0), "pending"}), "0x1");
    EXPECT_EQ(result("eth_getTransactionCount", {account(0), "latest"}), "0x0");
    // The next eth_sendTransaction of account 1 takes the nonce after its pooled one.
    const Json second = result("eth_sendTransaction", {{{"from", account(1)}, {"to", kSink.to_hex()}}});
    EXPECT_EQ(result("eth_getTransactionByHash", {second})["nonce"], "0x1");

    EXPECT_EQ(result("evm_mine"), "0x0");
    const Json receipt = result("eth_getTransactionReceipt", {raw_hash});
    EXPECT_EQ(receipt["blockNumber"], "0x1");
    EXPECT_EQ(result("eth_getTransactionByHash", {second})["blockNumber"], "0x1");
    EXPECT_EQ(result("eth_getBlockByNumber", {"latest", false})["transactions"].size(), 3u);
}

TEST_F(IntervalDispatcher, UnderpricedReplacementAndPoolRefusalsUseGethWords) {
    result("eth_sendRawTransaction", {raw_transfer(0, 0, 10 * kGwei, kGwei)});
    Json e = error("eth_sendRawTransaction", {raw_transfer(0, 0, 10 * kGwei, kGwei, 21'001)});
    EXPECT_EQ(e["code"], -32000);
    EXPECT_EQ(e["message"].get<std::string>().rfind("replacement transaction underpriced", 0), 0u)
        << e.dump();
    e = error("eth_sendRawTransaction", {raw_transfer(0, 0, 10 * kGwei, kGwei)});
    EXPECT_EQ(e["message"].get<std::string>().rfind("already known", 0), 0u) << e.dump();
    e = error("eth_sendRawTransaction", {raw_transfer(0, 1, kGwei / u256{2}, u256{0})});
    EXPECT_EQ(e["message"].get<std::string>().rfind("max fee per gas less than block base fee", 0), 0u);
    EXPECT_EQ(error("eth_sendRawTransaction", {"0x02"})["code"], -32000);
    EXPECT_EQ(error("eth_sendRawTransaction", {42})["code"], -32602);
    EXPECT_EQ(result("eth_chainId"), "0x7a69");  // still serving
}

TEST_F(IntervalDispatcher, FeesAnswerFromBlocks) {
    // The genesis block carries the initial base fee; after it and the empty block 1 it falls by 1/8 each.
    const u256 base1 = next_base_fee(kGwei, 0, 60'000'000);
    EXPECT_EQ(base1, kGwei * 7 / 8);
    EXPECT_EQ(result("eth_gasPrice"), (base1 + kGwei).to_hex());  // no transactions yet: the configured tip
    result("evm_mine");
    const u256 base2 = next_base_fee(base1, 0, 60'000'000);
    // Block 2: tips 1, 2 and 3 gwei, 21000 gas each.
    result("eth_sendRawTransaction", {raw_transfer(0, 0, 10 * kGwei, 1 * kGwei)});
    result("eth_sendRawTransaction", {raw_transfer(1, 0, 10 * kGwei, 2 * kGwei)});
    result("eth_sendRawTransaction", {raw_transfer(2, 0, 10 * kGwei, 3 * kGwei)});
    result("evm_mine");
    const Json block = result("eth_getBlockByNumber", {"latest", false});
    EXPECT_EQ(block["baseFeePerGas"], base2.to_hex());
    const u256 base3 = next_base_fee(base2, 63'000, 60'000'000);
    // Tips paid in the last blocks: 1, 2, 3 gwei; the 60th percentile of three is the second.
    EXPECT_EQ(result("eth_maxPriorityFeePerGas"), (2 * kGwei).to_hex());
    EXPECT_EQ(result("eth_gasPrice"), (base3 + 2 * kGwei).to_hex());

    const Json history = result("eth_feeHistory", {"0x2", "latest", {0, 34, 67, 100}});
    EXPECT_EQ(history["oldestBlock"], "0x1");
    EXPECT_EQ(history["baseFeePerGas"], Json::array({base1.to_hex(), base2.to_hex(), base3.to_hex()}));
    EXPECT_EQ(history["gasUsedRatio"][0], 0.0);
    EXPECT_DOUBLE_EQ(history["gasUsedRatio"][1].get<double>(), 63'000.0 / 60'000'000.0);
    EXPECT_EQ(history["reward"][0], Json::array({"0x0", "0x0", "0x0", "0x0"}));
    // Equal gas each: 0% and 33% of the gas are reached by the cheapest, 34% needs the second, 67% the third.
    EXPECT_EQ(history["reward"][1], Json::array({kGwei.to_hex(), (2 * kGwei).to_hex(), (3 * kGwei).to_hex(),
                                                 (3 * kGwei).to_hex()}));
}

TEST_F(IntervalDispatcher, FeeHistoryBadParamsAreInvalidParams) {
    EXPECT_EQ(error("eth_feeHistory", {"0x1", "latest", {50, 10}})["code"], -32602);
    EXPECT_EQ(error("eth_feeHistory", {"0x1", "latest", {101}})["code"], -32602);
    EXPECT_EQ(error("eth_feeHistory", {"0x1", "latest", {"50"}})["code"], -32602);
    EXPECT_EQ(error("eth_feeHistory", {"one", "latest"})["code"], -32602);
    EXPECT_EQ(error("eth_feeHistory", {"0x1", "newest"})["code"], -32602);
    EXPECT_EQ(error("eth_feeHistory", {"0x1"})["code"], -32602);
    EXPECT_EQ(error("eth_gasPrice", {1})["code"], -32602);
    EXPECT_EQ(error("eth_maxPriorityFeePerGas", {"latest"})["code"], -32602);
    EXPECT_TRUE(result("eth_feeHistory", {"0x0", "latest"}).contains("baseFeePerGas"));
}

}  // namespace
}  // namespace sluice::l1
