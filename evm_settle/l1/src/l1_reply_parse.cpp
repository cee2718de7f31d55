#include "l1_reply_parse.hpp"

#include <limits>
#include <utility>

#include "rpc_params.hpp"

namespace sluice::l1::reply {
namespace {

Error malformed(const Error& error) {
    return make_error(Errc::l1_malformed_reply, error.message);
}

template <class T>
Result<T> relabel(Result<T> read) {
    if (!read.ok()) return malformed(read.error());
    return read;
}

const Json& field(const Json& object, const char* key) {
    static const Json kNull;
    const auto it = object.find(key);
    return it == object.end() ? kNull : *it;
}

Status expect_object(const Json& value, const std::string& what) {
    if (value.is_object()) return {};
    return make_error(Errc::l1_malformed_reply,
                      what + ": expected an object, got " + std::string(value.type_name()));
}

Status expect_array(const Json& value, const std::string& what) {
    if (value.is_array()) return {};
    return make_error(Errc::l1_malformed_reply,
                      what + ": expected an array, got " + std::string(value.type_name()));
}

Result<std::optional<Address>> optional_address(const Json& value, const std::string& what) {
    if (value.is_null()) return std::optional<Address>{};
    SLUICE_TRY(const Address a, address(value, what));
    return std::optional<Address>{a};
}

Result<std::optional<u256>> optional_quantity(const Json& value, const std::string& what) {
    if (value.is_null()) return std::optional<u256>{};
    SLUICE_TRY(const u256 v, quantity(value, what));
    return std::optional<u256>{v};
}

Result<std::size_t> index(const Json& value, const std::string& what) {
    SLUICE_TRY(const std::uint64_t v, quantity64(value, what));
    if (v > std::numeric_limits<std::size_t>::max() / 2) {
        return make_error(Errc::l1_malformed_reply, what + ": index out of range");
    }
    return static_cast<std::size_t>(v);
}

Result<Bloom> bloom(const Json& value, const std::string& what) {
    SLUICE_TRY(const Bytes bytes, data(value, what));
    auto fixed = Bloom::from_view(bytes);
    if (!fixed.ok()) return make_error(Errc::l1_malformed_reply, what + ": not 256 bytes");
    return *fixed;
}

Result<std::vector<Bytes>> byte_list(const Json& value, const std::string& what) {
    SLUICE_CHECK_OK(expect_array(value, what));
    std::vector<Bytes> out;
    out.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        SLUICE_TRY(Bytes item, data(value[i], what + "[" + std::to_string(i) + "]"));
        out.push_back(std::move(item));
    }
    return out;
}

}  // namespace

Result<u256> quantity(const Json& value, const std::string& what) {
    return relabel(rpc::read_quantity(value, what));
}
Result<std::uint64_t> quantity64(const Json& value, const std::string& what) {
    return relabel(rpc::read_quantity64(value, what));
}
Result<std::int64_t> block_number(const Json& value, const std::string& what) {
    SLUICE_TRY(const std::uint64_t v, quantity64(value, what));
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        return make_error(Errc::l1_malformed_reply, what + ": block number out of range");
    }
    return static_cast<std::int64_t>(v);
}
Result<Bytes> data(const Json& value, const std::string& what) {
    return relabel(rpc::read_data(value, what));
}
Result<Address> address(const Json& value, const std::string& what) {
    return relabel(rpc::read_address(value, what));
}
Result<Hash> hash(const Json& value, const std::string& what) {
    return relabel(rpc::read_hash(value, what));
}

Result<BlockSummary> block(const Json& value) {
    SLUICE_CHECK_OK(expect_object(value, "block"));
    BlockSummary b;
    SLUICE_TRY(b.number, block_number(field(value, "number"), "block.number"));
    SLUICE_TRY(b.hash, hash(field(value, "hash"), "block.hash"));
    SLUICE_TRY(b.parent_hash, hash(field(value, "parentHash"), "block.parentHash"));
    SLUICE_TRY(const std::uint64_t timestamp, quantity64(field(value, "timestamp"), "block.timestamp"));
    b.timestamp = static_cast<std::int64_t>(timestamp & 0x7fff'ffff'ffff'ffffULL);
    SLUICE_TRY(b.base_fee, optional_quantity(field(value, "baseFeePerGas"), "block.baseFeePerGas"));
    SLUICE_TRY(b.gas_used, block_number(field(value, "gasUsed"), "block.gasUsed"));
    SLUICE_TRY(b.gas_limit, block_number(field(value, "gasLimit"), "block.gasLimit"));
    SLUICE_TRY(b.coinbase, address(field(value, "miner"), "block.miner"));
    SLUICE_TRY(b.state_root, hash(field(value, "stateRoot"), "block.stateRoot"));
    SLUICE_TRY(b.transactions_root, hash(field(value, "transactionsRoot"), "block.transactionsRoot"));
    SLUICE_TRY(b.receipts_root, hash(field(value, "receiptsRoot"), "block.receiptsRoot"));
    SLUICE_TRY(b.logs_bloom, bloom(field(value, "logsBloom"), "block.logsBloom"));
    if (!field(value, "mixHash").is_null()) {
        SLUICE_TRY(b.prev_randao, hash(field(value, "mixHash"), "block.mixHash"));
    }
    const Json& txs = field(value, "transactions");
    SLUICE_CHECK_OK(expect_array(txs, "block.transactions"));
    for (std::size_t i = 0; i < txs.size(); ++i) {
        const std::string what = "block.transactions[" + std::to_string(i) + "]";
        // Hashes when asked without full transactions; full objects carry theirs.
        SLUICE_TRY(const Hash h, hash(txs[i].is_object() ? field(txs[i], "hash") : txs[i], what));
        b.transactions.push_back(h);
    }
    return b;
}

Result<TransactionInfo> transaction(const Json& value) {
    SLUICE_CHECK_OK(expect_object(value, "transaction"));
    TransactionInfo t;
    SLUICE_TRY(t.hash, hash(field(value, "hash"), "transaction.hash"));
    if (!field(value, "type").is_null()) {
        SLUICE_TRY(t.type, quantity64(field(value, "type"), "transaction.type"));
    }
    SLUICE_TRY(t.from, address(field(value, "from"), "transaction.from"));
    SLUICE_TRY(t.to, optional_address(field(value, "to"), "transaction.to"));
    SLUICE_TRY(t.nonce, quantity64(field(value, "nonce"), "transaction.nonce"));
    SLUICE_TRY(t.value, quantity(field(value, "value"), "transaction.value"));
    SLUICE_TRY(t.input, data(field(value, "input"), "transaction.input"));
    SLUICE_TRY(t.gas, quantity64(field(value, "gas"), "transaction.gas"));
    SLUICE_TRY(t.gas_price, optional_quantity(field(value, "gasPrice"), "transaction.gasPrice"));
    SLUICE_TRY(t.max_fee_per_gas,
               optional_quantity(field(value, "maxFeePerGas"), "transaction.maxFeePerGas"));
    SLUICE_TRY(t.max_priority_fee_per_gas,
               optional_quantity(field(value, "maxPriorityFeePerGas"), "transaction.maxPriorityFeePerGas"));
    if (!field(value, "blockHash").is_null()) {
        SLUICE_TRY(t.block_hash, hash(field(value, "blockHash"), "transaction.blockHash"));
        SLUICE_TRY(t.block_number, block_number(field(value, "blockNumber"), "transaction.blockNumber"));
        SLUICE_TRY(t.transaction_index,
                   index(field(value, "transactionIndex"), "transaction.transactionIndex"));
    }
    return t;
}

Result<LogRecord> log(const Json& value, const std::string& what) {
    SLUICE_CHECK_OK(expect_object(value, what));
    LogRecord r;
    SLUICE_TRY(r.log.address, address(field(value, "address"), what + ".address"));
    const Json& topics = field(value, "topics");
    SLUICE_CHECK_OK(expect_array(topics, what + ".topics"));
    if (topics.size() > 4) return make_error(Errc::l1_malformed_reply, what + ".topics: more than 4");
    for (std::size_t i = 0; i < topics.size(); ++i) {
        SLUICE_TRY(const Hash topic, hash(topics[i], what + ".topics[" + std::to_string(i) + "]"));
        r.log.topics.push_back(topic);
    }
    SLUICE_TRY(r.log.data, data(field(value, "data"), what + ".data"));
    SLUICE_TRY(r.block_number, block_number(field(value, "blockNumber"), what + ".blockNumber"));
    SLUICE_TRY(r.block_hash, hash(field(value, "blockHash"), what + ".blockHash"));
    SLUICE_TRY(r.transaction_hash, hash(field(value, "transactionHash"), what + ".transactionHash"));
    SLUICE_TRY(r.transaction_index, index(field(value, "transactionIndex"), what + ".transactionIndex"));
    SLUICE_TRY(r.log_index, index(field(value, "logIndex"), what + ".logIndex"));
    return r;
}

Result<TxReceipt> receipt(const Json& value) {
    SLUICE_CHECK_OK(expect_object(value, "receipt"));
    TxReceipt r;
    SLUICE_TRY(r.transaction_hash, hash(field(value, "transactionHash"), "receipt.transactionHash"));
    SLUICE_TRY(r.block_hash, hash(field(value, "blockHash"), "receipt.blockHash"));
    SLUICE_TRY(r.block_number, block_number(field(value, "blockNumber"), "receipt.blockNumber"));
    SLUICE_TRY(r.transaction_index, index(field(value, "transactionIndex"), "receipt.transactionIndex"));
    if (!field(value, "type").is_null()) {
        SLUICE_TRY(const std::uint64_t type, quantity64(field(value, "type"), "receipt.type"));
        if (type > 4)
            return make_error(Errc::l1_malformed_reply, "receipt.type: unknown type " + std::to_string(type));
        r.type = static_cast<evm::TxType>(type);
    }
    SLUICE_TRY(r.from, address(field(value, "from"), "receipt.from"));
    SLUICE_TRY(r.to, optional_address(field(value, "to"), "receipt.to"));
    SLUICE_TRY(const std::uint64_t status, quantity64(field(value, "status"), "receipt.status"));
    if (status > 1) return make_error(Errc::l1_malformed_reply, "receipt.status: neither 0x0 nor 0x1");
    r.status = status == 1;
    r.status_code = r.status ? evm::StatusCode::success : evm::StatusCode::failure;
    SLUICE_TRY(r.gas_used, block_number(field(value, "gasUsed"), "receipt.gasUsed"));
    SLUICE_TRY(r.cumulative_gas_used,
               block_number(field(value, "cumulativeGasUsed"), "receipt.cumulativeGasUsed"));
    SLUICE_TRY(const auto price,
               optional_quantity(field(value, "effectiveGasPrice"), "receipt.effectiveGasPrice"));
    r.effective_gas_price = price.value_or(u256{});
    SLUICE_TRY(r.contract_address,
               optional_address(field(value, "contractAddress"), "receipt.contractAddress"));
    SLUICE_TRY(r.logs_bloom, bloom(field(value, "logsBloom"), "receipt.logsBloom"));
    const Json& logs = field(value, "logs");
    SLUICE_CHECK_OK(expect_array(logs, "receipt.logs"));
    for (std::size_t i = 0; i < logs.size(); ++i) {
        SLUICE_TRY(const LogRecord entry, log(logs[i], "receipt.logs[" + std::to_string(i) + "]"));
        if (i == 0) r.first_log_index = entry.log_index;
        r.logs.push_back(entry.log);
    }
    return r;
}

Result<FeeHistory> fee_history(const Json& value) {
    SLUICE_CHECK_OK(expect_object(value, "feeHistory"));
    FeeHistory h;
    SLUICE_TRY(h.oldest_block, block_number(field(value, "oldestBlock"), "feeHistory.oldestBlock"));
    const Json& base = field(value, "baseFeePerGas");
    SLUICE_CHECK_OK(expect_array(base, "feeHistory.baseFeePerGas"));
    for (std::size_t i = 0; i < base.size(); ++i) {
        SLUICE_TRY(const u256 fee, quantity(base[i], "feeHistory.baseFeePerGas[" + std::to_string(i) + "]"));
        h.base_fee_per_gas.push_back(fee);
    }
    const Json& ratio = field(value, "gasUsedRatio");
    SLUICE_CHECK_OK(expect_array(ratio, "feeHistory.gasUsedRatio"));
    for (const Json& r : ratio) {
        if (!r.is_number())
            return make_error(Errc::l1_malformed_reply, "feeHistory.gasUsedRatio: not a number");
        h.gas_used_ratio.push_back(r.get<double>());
    }
    const Json& reward = field(value, "reward");
    if (!reward.is_null()) {
        SLUICE_CHECK_OK(expect_array(reward, "feeHistory.reward"));
        for (std::size_t i = 0; i < reward.size(); ++i) {
            const std::string what = "feeHistory.reward[" + std::to_string(i) + "]";
            SLUICE_CHECK_OK(expect_array(reward[i], what));
            std::vector<u256> row;
            for (std::size_t k = 0; k < reward[i].size(); ++k) {
                SLUICE_TRY(const u256 tip, quantity(reward[i][k], what + "[" + std::to_string(k) + "]"));
                row.push_back(tip);
            }
            h.reward.push_back(std::move(row));
        }
    }
    if (h.base_fee_per_gas.size() != h.gas_used_ratio.size() + 1) {
        return make_error(Errc::l1_malformed_reply,
                          "feeHistory: baseFeePerGas must have one entry more than gasUsedRatio");
    }
    return h;
}

Result<AccountProof> account_proof(const Json& value) {
    SLUICE_CHECK_OK(expect_object(value, "proof"));
    AccountProof p;
    SLUICE_TRY(p.address, address(field(value, "address"), "proof.address"));
    SLUICE_TRY(p.balance, quantity(field(value, "balance"), "proof.balance"));
    SLUICE_TRY(p.nonce, quantity64(field(value, "nonce"), "proof.nonce"));
    SLUICE_TRY(p.code_hash, hash(field(value, "codeHash"), "proof.codeHash"));
    SLUICE_TRY(p.storage_hash, hash(field(value, "storageHash"), "proof.storageHash"));
    SLUICE_TRY(p.account_proof, byte_list(field(value, "accountProof"), "proof.accountProof"));
    const Json& storage = field(value, "storageProof");
    SLUICE_CHECK_OK(expect_array(storage, "proof.storageProof"));
    for (std::size_t i = 0; i < storage.size(); ++i) {
        const std::string what = "proof.storageProof[" + std::to_string(i) + "]";
        SLUICE_CHECK_OK(expect_object(storage[i], what));
        StorageProof s;
        SLUICE_TRY(s.key, hash(field(storage[i], "key"), what + ".key"));
        SLUICE_TRY(s.value, quantity(field(storage[i], "value"), what + ".value"));
        SLUICE_TRY(s.proof, byte_list(field(storage[i], "proof"), what + ".proof"));
        p.storage.push_back(std::move(s));
    }
    return p;
}

}  // namespace sluice::l1::reply
