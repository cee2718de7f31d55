// What the L1 tests do on any node: signed EIP-1559 sends with receipt waiting, funded fresh accounts, the
// test token's creation code and calldata.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/l1_client.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1::testing {

inline constexpr std::chrono::milliseconds kPoll{20};

// Signs an EIP-1559 transaction from `key` with the node's pending nonce and a fee cap of twice the
// latest base fee plus a 1 gwei tip, sends it, and waits for it to be mined.
inline Async<TxReceipt> send_and_wait(L1Client& client, const PrivateKey& key, std::optional<Address> to,
                                      u256 value, Bytes data, std::uint64_t gas = 3'000'000) {
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
inline Async<PrivateKey> funded_account(L1Client& client, std::size_t dev) {
    PrivateKey key = PrivateKey::generate();
    SLUICE_CO_TRY(const TxReceipt funding,
                  co_await send_and_wait(client, dev_account_key(dev), key.address(),
                                         u256{1'000'000'000'000'000'000ULL}, {}, 21'000));
    if (!funding.status) co_return make_error(Errc::internal, "funding transfer failed");
    co_return key;
}

inline Bytes token_creation_code() {
    const auto artifact = nlohmann::json::parse(contracts::artifact_json("TestToken"));
    Bytes code = from_hex(artifact["bytecode"].get<std::string>()).value();
    const Bytes args = encode_params(AbiType::parse("(string,string)").value(),
                                     AbiValue::list({AbiValue::string("Test"), AbiValue::string("TST")}))
                           .value();
    code.insert(code.end(), args.begin(), args.end());
    return code;
}

inline Bytes calldata(std::string_view signature, const AbiValue& args) {
    return AbiFunction::parse(signature).value().encode_call(args).value();
}

}  // namespace sluice::l1::testing
