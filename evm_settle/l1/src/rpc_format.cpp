#include "rpc_format.hpp"

#include "sluice/core/hex.hpp"
#include "sluice/evm/trie.hpp"
#include "sluice/l1/block_header.hpp"

namespace sluice::l1::rpc {
namespace {

using evm::Revision;
using evm::TxType;

Json access_list_json(const std::vector<evm::AccessListEntry>& list) {
    Json out = Json::array();
    for (const auto& entry : list) {
        Json keys = Json::array();
        for (const auto& key : entry.storage_keys)
            keys.push_back(hex_data(key.view()));
        out.push_back({{"address", address(entry.address)}, {"storageKeys", std::move(keys)}});
    }
    return out;
}

}  // namespace

Json quantity(const u256& value) {
    return value.to_hex();
}
Json quantity(std::uint64_t value) {
    return u256{value}.to_hex();
}
Json hex_data(ByteView bytes) {
    return to_hex(bytes);
}
Json address(const Address& a) {
    return a.to_hex();
}

Json block_json(const Devchain& chain, const Block& block, bool full_transactions) {
    const Revision rev = chain.config().revision;
    Json txs = Json::array();
    for (const TransactionRecord& record : chain.transactions_of(block)) {
        txs.push_back(full_transactions ? transaction_json(record) : hex_data(record.signed_tx.hash.view()));
    }
    Json out = {
        {"number", quantity(static_cast<std::uint64_t>(block.number))},
        {"hash", hex_data(block.hash.view())},
        {"parentHash", hex_data(block.parent_hash.view())},
        {"sha3Uncles", hex_data(kEmptyOmmersHash.view())},
        {"miner", address(block.coinbase)},
        {"stateRoot", hex_data(block.state_root.view())},
        {"transactionsRoot", hex_data(block.transactions_root.view())},
        {"receiptsRoot", hex_data(block.receipts_root.view())},
        {"logsBloom", hex_data(block.logs_bloom.view())},
        {"difficulty", "0x0"},
        {"totalDifficulty", "0x0"},
        {"gasLimit", quantity(static_cast<std::uint64_t>(block.gas_limit))},
        {"gasUsed", quantity(static_cast<std::uint64_t>(block.gas_used))},
        {"timestamp", quantity(static_cast<std::uint64_t>(block.timestamp))},
        {"extraData", "0x"},
        {"mixHash", hex_data(block.prev_randao.view())},
        {"nonce", "0x0000000000000000"},
        {"size", quantity(static_cast<std::uint64_t>(block.size))},
        {"transactions", std::move(txs)},
        {"uncles", Json::array()},
    };
    if (rev >= Revision::london) out["baseFeePerGas"] = quantity(block.base_fee);
    if (rev >= Revision::shanghai) {
        out["withdrawals"] = Json::array();
        out["withdrawalsRoot"] = hex_data(evm::kEmptyTrieRoot.view());
    }
    if (rev >= Revision::cancun) {
        out["blobGasUsed"] = "0x0";
        out["excessBlobGas"] = "0x0";
        out["parentBeaconBlockRoot"] = hex_data(block.parent_beacon_block_root.view());
    }
    if (rev >= Revision::prague) out["requestsHash"] = hex_data(kEmptyRequestsHash.view());
    return out;
}

Json transaction_json(const TransactionRecord& record) {
    return transaction_json(record.signed_tx, &record.receipt);
}

Json pending_transaction_json(const PendingTransaction& pending) {
    return transaction_json(pending.signed_tx, nullptr);
}

Json transaction_json(const SignedTransaction& st, const TxReceipt* mined) {
    const evm::Transaction& tx = st.tx;
    Json out = {
        {"hash", hex_data(st.hash.view())},
        {"type", quantity(static_cast<std::uint64_t>(tx.type))},
        {"blockHash", mined ? hex_data(mined->block_hash.view()) : Json(nullptr)},
        {"blockNumber", mined ? quantity(static_cast<std::uint64_t>(mined->block_number)) : Json(nullptr)},
        {"transactionIndex",
         mined ? quantity(static_cast<std::uint64_t>(mined->transaction_index)) : Json(nullptr)},
        {"from", address(tx.sender)},
        {"to", tx.to ? address(*tx.to) : Json(nullptr)},
        {"nonce", quantity(tx.nonce)},
        {"gas", quantity(tx.gas_limit)},
        {"value", quantity(tx.value)},
        {"input", hex_data(tx.data)},
        // Pending, the price is not known yet: geth shows the fee cap.
        {"gasPrice", quantity(mined ? mined->effective_gas_price : tx.fee_cap())},
        {"r", quantity(u256::from_be(st.r.view()))},
        {"s", quantity(u256::from_be(st.s.view()))},
    };
    if (st.chain_id) out["chainId"] = quantity(*st.chain_id);
    if (tx.type == TxType::legacy) {
        const u256 v =
            st.chain_id ? *st.chain_id * u256{2} + u256{35u + st.y_parity} : u256{27u + st.y_parity};
        out["v"] = quantity(v);
    } else {
        out["v"] = quantity(std::uint64_t{st.y_parity});
        out["yParity"] = quantity(std::uint64_t{st.y_parity});
        out["accessList"] = access_list_json(tx.access_list);
    }
    if (tx.type >= TxType::dynamic_fee) {
        out["maxFeePerGas"] = quantity(tx.max_fee_per_gas);
        out["maxPriorityFeePerGas"] = quantity(tx.max_priority_fee_per_gas);
    }
    if (tx.type == TxType::blob) {
        out["maxFeePerBlobGas"] = quantity(tx.max_fee_per_blob_gas);
        Json hashes = Json::array();
        for (const auto& h : tx.blob_hashes)
            hashes.push_back(hex_data(h.view()));
        out["blobVersionedHashes"] = std::move(hashes);
    }
    if (tx.type == TxType::set_code) {
        Json list = Json::array();
        for (const auto& a : tx.authorizations) {
            list.push_back({{"chainId", quantity(a.chain_id)},
                            {"address", address(a.address)},
                            {"nonce", quantity(a.nonce)},
                            {"yParity", quantity(a.y_parity)},
                            {"r", quantity(a.r)},
                            {"s", quantity(a.s)}});
        }
        out["authorizationList"] = std::move(list);
    }
    return out;
}

Json log_json(const LogRecord& log) {
    Json topics = Json::array();
    for (const auto& t : log.log.topics)
        topics.push_back(hex_data(t.view()));
    return {
        {"address", address(log.log.address)},
        {"topics", std::move(topics)},
        {"data", hex_data(log.log.data)},
        {"blockNumber", quantity(static_cast<std::uint64_t>(log.block_number))},
        {"blockHash", hex_data(log.block_hash.view())},
        {"transactionHash", hex_data(log.transaction_hash.view())},
        {"transactionIndex", quantity(static_cast<std::uint64_t>(log.transaction_index))},
        {"logIndex", quantity(static_cast<std::uint64_t>(log.log_index))},
        {"removed", false},
    };
}

Json receipt_json(const TransactionRecord& record) {
    const TxReceipt& r = record.receipt;
    Json logs = Json::array();
    for (std::size_t i = 0; i < r.logs.size(); ++i) {
        logs.push_back(log_json(LogRecord{r.logs[i], r.block_number, r.block_hash, r.transaction_hash,
                                          r.transaction_index, r.first_log_index + i}));
    }
    return {
        {"transactionHash", hex_data(r.transaction_hash.view())},
        {"transactionIndex", quantity(static_cast<std::uint64_t>(r.transaction_index))},
        {"blockHash", hex_data(r.block_hash.view())},
        {"blockNumber", quantity(static_cast<std::uint64_t>(r.block_number))},
        {"from", address(r.from)},
        {"to", r.to ? address(*r.to) : Json(nullptr)},
        {"cumulativeGasUsed", quantity(static_cast<std::uint64_t>(r.cumulative_gas_used))},
        {"gasUsed", quantity(static_cast<std::uint64_t>(r.gas_used))},
        {"contractAddress", r.contract_address ? address(*r.contract_address) : Json(nullptr)},
        {"logs", std::move(logs)},
        {"logsBloom", hex_data(r.logs_bloom.view())},
        {"status", r.status ? "0x1" : "0x0"},
        {"effectiveGasPrice", quantity(r.effective_gas_price)},
        {"type", quantity(static_cast<std::uint64_t>(r.type))},
    };
}

}  // namespace sluice::l1::rpc
