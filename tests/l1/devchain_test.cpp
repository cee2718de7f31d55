// Devchain: instant mining, nonces, reverted vs invalid transactions, eth_call, deployment with constructor
// arguments (the committed TestToken artifact), block time control, snapshots, and fee accounting.
#include "sluice/l1/devchain.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::l1 {
namespace {

const u256 kEther = u256{1'000'000'000'000'000'000ULL};
const Address kAlice = Address::from_hex("0x00000000000000000000000000000000000a11ce").value();
const Address kBob = Address::from_hex("0x0000000000000000000000000000000000000b0b").value();
const Address kClock = Address::from_hex("0x000000000000000000000000000000000000c10c").value();
const Address kNobody = Address::from_hex("0x000000000000000000000000000000000000dead").value();

// TIMESTAMP PUSH0 MSTORE PUSH1 32 PUSH0 RETURN: returns the block timestamp as one word.
const Bytes kTimestampCode = {0x42, 0x5f, 0x52, 0x60, 0x20, 0x5f, 0xf3};

DevchainConfig funded_config() {
    DevchainConfig config;
    config.genesis = {{kAlice, 100 * kEther}, {kBob, 5 * kEther}};
    return config;
}

Bytes artifact_bytes(const char* name, const char* field) {
    const auto json = nlohmann::json::parse(contracts::artifact_json(name));
    return from_hex(json.at(field).get<std::string>()).value();
}

Bytes calldata(const char* signature, const AbiValue& args) {
    return AbiFunction::parse(signature).value().encode_call(args).value();
}

u256 word(const Bytes& output) {
    EXPECT_EQ(output.size(), 32u);
    return u256::from_be(output);
}

Address deploy_token(Devchain& chain) {
    const Bytes args = encode_params(AbiType::parse("(string,string)").value(),
                                     AbiValue::list({AbiValue::string("Test"), AbiValue::string("TST")}))
                           .value();
    const auto deployed = chain.deploy(kAlice, artifact_bytes("TestToken", "bytecode"), args);
    EXPECT_TRUE(deployed.ok()) << deployed.error().describe();
    return deployed->address;
}

u256 token_balance(const Devchain& chain, const Address& token, const Address& owner) {
    const auto r =
        chain.call(kBob, token, calldata("balanceOf(address)", AbiValue::list({AbiValue::address(owner)})));
    EXPECT_TRUE(r.ok() && r->status);
    return word(r->output);
}

TEST(Devchain, GenesisFundsAccountsAndStartsAtBlockZero) {
    const Devchain chain(funded_config());
    EXPECT_EQ(chain.balance(kAlice), 100 * kEther);
    EXPECT_EQ(chain.balance(kBob), 5 * kEther);
    EXPECT_EQ(chain.balance(kClock), u256{});
    EXPECT_EQ(chain.latest_block().number, 0);
    EXPECT_EQ(chain.latest_block().timestamp, 1'700'000'000);
    EXPECT_EQ(chain.next_timestamp(), 1'700'000'001);
    EXPECT_EQ(chain.chain_id(), u256{31337});
}

TEST(Devchain, EveryTransactionIsMinedInItsOwnBlockWithTheNextNonce) {
    Devchain chain(funded_config());
    for (int i = 1; i <= 3; ++i) {
        const auto r = chain.send(kAlice, kBob, kEther, {});
        ASSERT_TRUE(r.ok()) << r.error().describe();
        EXPECT_TRUE(r->status);
        EXPECT_EQ(r->gas_used, 21'000);
        EXPECT_EQ(r->block_number, i);
        EXPECT_EQ(r->block_timestamp, 1'700'000'000 + i);
        EXPECT_EQ(chain.nonce(kAlice), static_cast<std::uint64_t>(i));
        EXPECT_EQ(chain.latest_block().gas_used, 21'000);
    }
    // Base fee zero: the balances moved by exactly the value sent.
    EXPECT_EQ(chain.balance(kAlice), 97 * kEther);
    EXPECT_EQ(chain.balance(kBob), 8 * kEther);
    EXPECT_EQ(chain.nonce(kBob), 0u);
}

TEST(Devchain, DeploysWithConstructorArgumentsAndRunsTheContract) {
    Devchain chain(funded_config());
    const Address token = deploy_token(chain);
    EXPECT_EQ(chain.code(token), artifact_bytes("TestToken", "deployedBytecode"));
    EXPECT_EQ(chain.nonce(kAlice), 1u);

    const auto name = chain.call(kBob, token, calldata("name()", AbiValue::list({})));
    ASSERT_TRUE(name.ok() && name->status);
    const auto decoded = decode_params(AbiType::parse("(string)").value(), name->output);
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ((*decoded)[0].as_string(), "Test");

    const auto minted = chain.send(
        kAlice, token, u256{},
        calldata("mint(address,uint256)", AbiValue::list({AbiValue::address(kBob), AbiValue::uint(77)})));
    ASSERT_TRUE(minted.ok() && minted->status);
    ASSERT_EQ(minted->logs.size(), 1u);
    const auto& log = minted->logs[0];
    EXPECT_EQ(log.address, token);
    ASSERT_EQ(log.topics.size(), 3u);
    EXPECT_EQ(log.topics[0], keccak256(as_bytes("Transfer(address,address,uint256)")));
    EXPECT_EQ(u256::from_be(log.data), u256{77});
    EXPECT_EQ(token_balance(chain, token, kBob), u256{77});
    // balanceOf is slot 3 (after name, symbol, totalSupply; decimals is a constant): keccak256(owner . 3).
    Bytes key(32, 0);
    std::copy(kBob.begin(), kBob.end(), key.begin() + 12);
    const auto slot_index = u256{3}.to_be();
    key.insert(key.end(), slot_index.begin(), slot_index.end());
    EXPECT_EQ(chain.storage(token, keccak256(key)), u256{77});
}

TEST(Devchain, RevertedTransactionIsMinedWithStatusZeroAndChargesGas) {
    DevchainConfig config = funded_config();
    config.base_fee = u256{1'000'000'000};
    Devchain chain(config);
    const Address token = deploy_token(chain);
    const std::int64_t height = chain.latest_block().number;
    const u256 before = chain.balance(kBob);

    const auto r = chain.send(
        kBob, token, u256{},
        calldata("transfer(address,uint256)", AbiValue::list({AbiValue::address(kAlice), AbiValue::uint(1)})),
        100'000);
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_FALSE(r->status);
    EXPECT_GT(r->gas_used, 21'000);
    EXPECT_TRUE(r->logs.empty());
    const auto selector = function_selector("InsufficientBalance()");
    EXPECT_EQ(r->output, Bytes(selector.begin(), selector.end()));
    EXPECT_EQ(chain.latest_block().number, height + 1);
    EXPECT_EQ(chain.nonce(kBob), 1u);
    EXPECT_EQ(chain.balance(kBob), before - u256{static_cast<std::uint64_t>(r->gas_used)} * config.base_fee);
}

TEST(Devchain, InvalidTransactionsAreRefusedAndChangeNothing) {
    DevchainConfig config = funded_config();
    config.base_fee = u256{1'000'000'000};
    Devchain chain(config);
    const auto refused = [&](const Result<TxReceipt>& r, Errc code) {
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, code) << r.error().describe();
        EXPECT_EQ(chain.latest_block().number, 0);
        EXPECT_EQ(chain.nonce(kBob), 0u);
        EXPECT_EQ(chain.balance(kBob), 5 * kEther);
    };
    refused(chain.send(kBob, kAlice, 6 * kEther, {}, 21'000), Errc::tx_insufficient_funds);
    // Bob can afford 5 ETH but not 5 ETH plus the fee on the gas limit.
    refused(chain.send(kBob, kAlice, 5 * kEther, {}, 21'000), Errc::tx_insufficient_funds);
    refused(chain.send(kBob, kAlice, kEther, {}, 20'999), Errc::tx_intrinsic_gas_too_low);
    refused(chain.send(kBob, kAlice, kEther, {}, 60'000'001), Errc::tx_gas_limit_exceeds_block);
}

TEST(Devchain, CallSeesTheNextBlockAndChangesNothing) {
    DevchainConfig config = funded_config();
    config.base_fee = u256{1'000'000'000};  // calls are free all the same
    Devchain chain(config);
    chain.set_code(kClock, kTimestampCode);
    const auto now = chain.call(kAlice, kClock, {});
    ASSERT_TRUE(now.ok() && now->status);
    EXPECT_EQ(word(now->output), u256{1'700'000'001});

    const Address token = deploy_token(chain);
    const auto mint =
        calldata("mint(address,uint256)", AbiValue::list({AbiValue::address(kBob), AbiValue::uint(5)}));
    const auto called = chain.call(kAlice, token, mint);
    ASSERT_TRUE(called.ok());
    EXPECT_TRUE(called->status);
    const auto free_call = chain.call(kNobody, token, mint);
    ASSERT_TRUE(free_call.ok()) << free_call.error().describe();
    EXPECT_TRUE(free_call->status);
    EXPECT_GT(called->gas_used, 21'000);
    EXPECT_EQ(token_balance(chain, token, kBob), u256{});
    EXPECT_EQ(chain.nonce(kAlice), 1u);
    EXPECT_EQ(chain.latest_block().number, 1);

    const auto reverted =
        chain.call(kBob, token,
                   calldata("transfer(address,uint256)",
                            AbiValue::list({AbiValue::address(kAlice), AbiValue::uint(1)})));
    ASSERT_TRUE(reverted.ok());
    EXPECT_FALSE(reverted->status);
    const auto selector = function_selector("InsufficientBalance()");
    EXPECT_EQ(reverted->output, Bytes(selector.begin(), selector.end()));
    // An unfunded caller cannot send value even in a call.
    const auto poor = chain.call(kNobody, kAlice, {}, kEther);
    ASSERT_FALSE(poor.ok());
    EXPECT_EQ(poor.error().code, Errc::tx_insufficient_funds);
}

TEST(Devchain, TimeMovesWithBlocksAndCanBePushedForward) {
    Devchain chain(funded_config());
    chain.set_code(kClock, kTimestampCode);
    ASSERT_TRUE(chain.increase_time(1000).ok());
    EXPECT_EQ(chain.next_timestamp(), 1'700'001'001);
    EXPECT_EQ(word(chain.call(kAlice, kClock, {})->output), u256{1'700'001'001});
    const auto r = chain.send(kAlice, kClock, u256{}, {});
    ASSERT_TRUE(r.ok() && r->status);
    EXPECT_EQ(r->block_timestamp, 1'700'001'001);
    EXPECT_EQ(word(r->output), u256{1'700'001'001});
    // The push applies once; later blocks follow at the normal interval.
    EXPECT_EQ(chain.next_timestamp(), 1'700'001'002);

    ASSERT_TRUE(chain.set_next_block_timestamp(1'800'000'000).ok());
    ASSERT_TRUE(chain.increase_time(5).ok());
    chain.mine();
    EXPECT_EQ(chain.latest_block().number, 2);
    EXPECT_EQ(chain.latest_block().timestamp, 1'800'000'005);
    EXPECT_EQ(chain.latest_block().gas_used, 0);
    EXPECT_EQ(chain.blocks().size(), 3u);

    const auto past = chain.set_next_block_timestamp(1'800'000'005);
    ASSERT_FALSE(past.ok());
    EXPECT_EQ(past.error().code, Errc::devchain_bad_time);
    const auto back = chain.increase_time(-1);
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.error().code, Errc::devchain_bad_time);
    EXPECT_EQ(chain.next_timestamp(), 1'800'000'006);
}

TEST(Devchain, RevertRestoresStateBlocksAndTimeAndDropsLaterSnapshots) {
    Devchain chain(funded_config());
    ASSERT_TRUE(chain.send(kAlice, kBob, kEther, {}).ok());
    const SnapshotId first = chain.snapshot();
    const Address token = deploy_token(chain);
    ASSERT_TRUE(chain.increase_time(500).ok());
    const SnapshotId second = chain.snapshot();
    ASSERT_TRUE(chain.send(kBob, kAlice, kEther, {}).ok());
    EXPECT_EQ(chain.latest_block().timestamp, 1'700'000'503);

    ASSERT_TRUE(chain.revert(second).ok());
    EXPECT_EQ(chain.latest_block().number, 2);
    EXPECT_EQ(chain.next_timestamp(), 1'700'000'503);
    EXPECT_EQ(chain.balance(kBob), 6 * kEther);
    EXPECT_FALSE(chain.code(token).empty());

    const SnapshotId third = chain.snapshot();
    ASSERT_TRUE(chain.revert(first).ok());
    EXPECT_EQ(chain.latest_block().number, 1);
    EXPECT_EQ(chain.next_timestamp(), 1'700'000'002);
    EXPECT_TRUE(chain.code(token).empty());
    EXPECT_EQ(chain.nonce(kAlice), 1u);
    EXPECT_EQ(chain.balance(kAlice), 99 * kEther);
    for (const SnapshotId gone : {first, second, third, SnapshotId{99}}) {
        const auto r = chain.revert(gone);
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code, Errc::devchain_unknown_snapshot);
    }
    // The chain goes on from the restored block, with the nonce it had there.
    const auto again = deploy_token(chain);
    EXPECT_EQ(again, token);
}

TEST(Devchain, BaseFeeIsBurntAndTipPaidToTheCoinbase) {
    DevchainConfig config = funded_config();
    config.base_fee = u256{7'000'000'000};
    config.priority_fee = u256{2'000'000'000};
    Devchain chain(config);
    const Address token = deploy_token(chain);
    const u256 alice = chain.balance(kAlice);
    const u256 bob = chain.balance(kBob);
    const u256 coinbase = chain.balance(config.coinbase);

    const auto r = chain.send(
        kAlice, token, u256{},
        calldata("mint(address,uint256)", AbiValue::list({AbiValue::address(kBob), AbiValue::uint(3)})));
    ASSERT_TRUE(r.ok() && r->status);
    const u256 gas{static_cast<std::uint64_t>(r->gas_used)};
    EXPECT_EQ(r->effective_gas_price, u256{9'000'000'000});
    EXPECT_EQ(chain.balance(kAlice), alice - gas * u256{9'000'000'000});
    EXPECT_EQ(chain.balance(config.coinbase), coinbase + gas * u256{2'000'000'000});
    EXPECT_EQ(chain.latest_block().base_fee, config.base_fee);

    const auto paid = chain.send(kBob, kAlice, kEther, {}, 21'000);
    ASSERT_TRUE(paid.ok() && paid->status);
    EXPECT_EQ(chain.balance(kBob), bob - kEther - u256{21'000} * u256{9'000'000'000});
}

TEST(Devchain, FailedCreationIsMinedButDeployReportsIt) {
    Devchain chain(funded_config());
    const Bytes reverting = {0x5f, 0x5f, 0xfd};  // PUSH0 PUSH0 REVERT
    const auto deployed = chain.deploy(kAlice, reverting);
    ASSERT_FALSE(deployed.ok());
    EXPECT_EQ(deployed.error().code, Errc::devchain_deploy_failed);
    EXPECT_EQ(chain.nonce(kAlice), 1u);
    EXPECT_EQ(chain.latest_block().number, 1);

    const auto sent = chain.send(kAlice, std::nullopt, u256{}, reverting);
    ASSERT_TRUE(sent.ok());
    EXPECT_FALSE(sent->status);
    EXPECT_FALSE(sent->contract_address.has_value());
}

TEST(Devchain, RefusesResultsComputedPastAnUnimplementedPrecompile) {
    // P256VERIFY (EIP-7951, Osaka) is recognised but not implemented.
    DevchainConfig config = funded_config();
    config.revision = evm::Revision::osaka;
    Devchain chain(config);
    const Address p256_verify = Address::from_hex("0x0000000000000000000000000000000000000100").value();
    const auto sent = chain.send(kAlice, p256_verify, u256{}, Bytes(160, 0));
    ASSERT_FALSE(sent.ok());
    EXPECT_EQ(sent.error().code, Errc::devchain_unsupported_precompile);
    EXPECT_EQ(chain.latest_block().number, 0);
    const auto called = chain.call(kAlice, p256_verify, Bytes(160, 0));
    ASSERT_FALSE(called.ok());
    EXPECT_EQ(called.error().code, Errc::devchain_unsupported_precompile);
}

TEST(Devchain, SetBalanceAndCodeKeepTheRestOfTheAccount) {
    Devchain chain(funded_config());
    ASSERT_TRUE(chain.send(kAlice, kBob, kEther, {}).ok());
    chain.set_code(kAlice, kTimestampCode);
    chain.set_balance(kAlice, u256{5});
    EXPECT_EQ(chain.nonce(kAlice), 1u);
    EXPECT_EQ(chain.balance(kAlice), u256{5});
    EXPECT_EQ(chain.code(kAlice), kTimestampCode);
}

}  // namespace
}  // namespace sluice::l1
