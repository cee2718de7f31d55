// Devchain: block building over sluice_parallel's EvmExecutor and one evm::MemoryState, automine and the
// mempool's admission; the queries are in devchain_queries.cpp.
#include "sluice/l1/devchain.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/evm/create_address.hpp"
#include "sluice/evm/precompiles.hpp"
#include "sluice/evm/transaction_processor.hpp"
#include "sluice/evm/tx_validation.hpp"
#include "sluice/l1/base_fee.hpp"
#include "sluice/l1/block_header.hpp"
#include "sluice/l1/chain_store.hpp"
#include "sluice/parallel/evm_batch.hpp"
#include "sluice/l1/system_contracts.hpp"

namespace sluice::l1 {
namespace {

evm::Transaction make_tx(const Address& from, std::uint64_t nonce, const std::optional<Address>& to,
                         const u256& value, ByteView data, std::uint64_t gas_limit,
                         const DevchainConfig& config) {
    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.sender = from;
    tx.to = to;
    tx.nonce = nonce;
    tx.gas_limit = gas_limit;
    tx.value = value;
    tx.data.assign(data.begin(), data.end());
    tx.max_priority_fee_per_gas = config.priority_fee;
    tx.max_fee_per_gas = config.base_fee + config.priority_fee;
    return tx;
}

Error unsupported_precompile_error(evm::PrecompileId id) {
    return make_error(Errc::devchain_unsupported_precompile, "execution reached the precompile at " +
                                                                 evm::precompile_address(id).to_hex() +
                                                                 ", which sluice_evm does not implement");
}

// A result computed past a precompile we do not implement would be made up, so it is refused outright.
Result<evm::TxExecution> execute(const evm::MemoryState& state, const evm::BlockInfo& block,
                                 const evm::Transaction& tx, evm::Revision rev) {
    SLUICE_TRY(auto exec, evm::apply_transaction(state, block, tx, rev));
    if (exec.unsupported_precompile) return unsupported_precompile_error(*exec.unsupported_precompile);
    return exec;
}

// The placeholder signature of a transaction sent for a named sender (chain_records.hpp).
SignedTransaction impersonated(const evm::Transaction& tx, const u256& chain_id) {
    SignedTransaction signed_tx{tx, chain_id, 0, {}, {}, {}};
    std::copy(tx.sender.begin(), tx.sender.end(), signed_tx.r.bytes.begin() + 12);
    signed_tx.s[31] = 1;
    return signed_tx;
}

}  // namespace

Devchain::Devchain(DevchainConfig config)
    : config_(std::move(config)),
      mempool_(config_.mempool_capacity),
      executor_(std::make_unique<parallel::EvmExecutor>(std::max(1u, config_.executor_threads))) {
    for (const auto& account : config_.genesis) {
        set_balance(account.address, balance(account.address) + account.balance);
    }
    for (const auto& contract : system_contracts(config_.revision))
        set_code(contract.address, contract.code);
    std::vector<Hash> none;
    evm::BlockInfo genesis = next_block_info(none);
    genesis.number = 0;
    genesis.timestamp = config_.genesis_timestamp;
    seal_block(genesis);
}

Devchain::~Devchain() = default;
Devchain::Devchain(Devchain&&) = default;
Devchain& Devchain::operator=(Devchain&&) = default;

u256 Devchain::next_base_fee() const {
    if (blocks_.empty() || !config_.base_fee_adjusts)
        return blocks_.empty() ? config_.base_fee : latest_block().base_fee;
    const Block& parent = latest_block();
    return l1::next_base_fee(parent.base_fee, parent.gas_used, parent.gas_limit);
}

std::uint64_t Devchain::pending_nonce(const Address& account) const {
    return mempool_.next_nonce(account, nonce(account));
}

std::int64_t Devchain::next_timestamp() const noexcept {
    if (next_timestamp_) return *next_timestamp_;
    return latest_block().timestamp + config_.block_interval + time_offset_;
}

evm::BlockInfo Devchain::next_block_info(std::vector<Hash>& ancestors) const {
    const std::size_t visible = std::min<std::size_t>(blocks_.size(), 256);
    ancestors.clear();
    for (std::size_t i = blocks_.size() - visible; i < blocks_.size(); ++i)
        ancestors.push_back(blocks_[i].hash);
    evm::BlockInfo block;
    block.ancestor_hashes = ancestors;
    block.coinbase = config_.coinbase;
    block.number = blocks_.empty() ? 0 : latest_block().number + 1;
    block.timestamp = blocks_.empty() ? config_.genesis_timestamp : next_timestamp();
    block.gas_limit = config_.block_gas_limit;
    block.base_fee = next_base_fee();
    block.chain_id = config_.chain_id;
    block.blob_params = evm::default_blob_params(config_.revision);
    // PREVRANDAO must not be constant across blocks; a hash of the number is deterministic and good enough
    // here.
    const auto number = u256{static_cast<std::uint64_t>(block.number)}.to_be();
    block.prev_randao = keccak256(number);
    return block;
}

void Devchain::seal_block(const evm::BlockInfo& info) {
    Block block;
    block.number = info.number;
    block.timestamp = info.timestamp;
    block.base_fee = info.base_fee;
    block.gas_limit = info.gas_limit;
    block.coinbase = info.coinbase;
    block.prev_randao = info.prev_randao;
    block.parent_hash = blocks_.empty() ? Hash{} : latest_block().hash;
    block.first_transaction =
        blocks_.empty() ? 0 : latest_block().first_transaction + latest_block().transaction_count;
    block.transaction_count = transactions_.size() - block.first_transaction;
    const std::span<TransactionRecord> included(transactions_.data() + block.first_transaction,
                                                block.transaction_count);
    if (!included.empty()) block.gas_used = included.back().receipt.cumulative_gas_used;
    block.state_root = state_.state_root();
    seal_header(block, included, config_.revision);
    for (TransactionRecord& record : included)
        record.receipt.block_hash = block.hash;
    block_numbers_.emplace(block.hash, block.number);
    blocks_.push_back(std::move(block));
    time_offset_ = 0;
    next_timestamp_.reset();
}

std::vector<Status> Devchain::build_block(std::vector<PendingTransaction> candidates, bool seal_if_empty) {
    std::vector<Hash> ancestors;
    const evm::BlockInfo block = next_block_info(ancestors);
    const parallel::EvmBlockEnv env{block, config_.revision};
    std::vector<Status> outcome(candidates.size());
    std::vector<std::size_t> running(candidates.size());  // candidate index of each batch position
    for (std::size_t i = 0; i < running.size(); ++i)
        running[i] = i;
    parallel::EvmBatchResult batch;
    for (;;) {
        std::vector<evm::Transaction> txs;
        txs.reserve(running.size());
        for (const std::size_t i : running)
            txs.push_back(candidates[i].signed_tx.tx);
        // Deep call chains need no big stack here: the EVM hands them to its own large-stack worker.
        batch = executor_->execute(state_, env, txs);
        // The first transaction that reached an unimplemented precompile leaves, and the batch reruns:
        // what it did may have changed what every later one saw.
        const auto bad = std::find_if(batch.receipts.begin(), batch.receipts.end(), [](const auto& r) {
            return r.ok() && r->unsupported_precompile.has_value();
        });
        if (bad != batch.receipts.end()) {
            const auto at = static_cast<std::size_t>(bad - batch.receipts.begin());
            outcome[running[at]] = unsupported_precompile_error(*(*bad)->unsupported_precompile);
            running.erase(running.begin() + static_cast<std::ptrdiff_t>(at));
            continue;
        }
        // The mempool selects by gas limits beyond one block's worth; what fits is decided by gas used, as a
        // node fills a block: a transaction goes in while its gas limit fits in what the ones before it left.
        // The first that does not fit and everything after it wait for the next block, and the batch reruns
        // without them (the batch's state must not hold their writes).
        std::size_t fits = running.size();
        std::int64_t used = 0;
        for (std::size_t k = 0; k < running.size(); ++k) {
            if (!batch.receipts[k].ok()) continue;
            const auto limit = static_cast<std::int64_t>(candidates[running[k]].signed_tx.tx.gas_limit);
            if (used + limit > config_.block_gas_limit) {
                fits = k;
                break;
            }
            used = batch.receipts[k]->cumulative_gas_used;
        }
        if (fits == running.size()) break;
        for (std::size_t k = fits; k < running.size(); ++k) {
            outcome[running[k]] = make_error(Errc::devchain_not_included, "the block is full; it waits for the next");
        }
        running.resize(fits);
    }

    const std::size_t first_record = transactions_.size();
    std::size_t log_index = 0;
    for (std::size_t k = 0; k < running.size(); ++k) {
        auto& result = batch.receipts[k];
        PendingTransaction& candidate = candidates[running[k]];
        if (!result.ok()) {
            outcome[running[k]] = std::move(result).error();
            continue;
        }
        evm::Receipt& r = *result;
        const evm::Transaction& tx = candidate.signed_tx.tx;
        TxReceipt receipt;
        receipt.transaction_hash = candidate.signed_tx.hash;
        receipt.block_number = block.number;
        receipt.block_timestamp = block.timestamp;
        receipt.transaction_index = transactions_.size() - first_record;
        receipt.first_log_index = log_index;
        receipt.type = tx.type;
        receipt.from = tx.sender;
        receipt.to = tx.to;
        receipt.status = r.success;
        receipt.status_code = r.status;
        receipt.gas_used = r.gas_used;
        receipt.cumulative_gas_used = r.cumulative_gas_used;
        receipt.effective_gas_price = evm::effective_gas_price(tx, block.base_fee, config_.revision);
        receipt.logs = std::move(r.logs);
        receipt.logs_bloom = logs_bloom(receipt.logs);
        receipt.output = std::move(r.output);
        if (!tx.to && receipt.status) receipt.contract_address = evm::create_address(tx.sender, tx.nonce);
        log_index += receipt.logs.size();
        transaction_positions_.emplace(candidate.signed_tx.hash, transactions_.size());
        transactions_.push_back(
            TransactionRecord{std::move(candidate.signed_tx), std::move(candidate.raw), std::move(receipt)});
    }
    if (transactions_.size() == first_record && !seal_if_empty) return outcome;
    state_.apply(batch.diff);
    seal_block(block);
    persist_block(first_record, batch.diff);
    return outcome;
}

Result<SignedTransaction> Devchain::admit_raw(ByteView raw) const {
    SLUICE_TRY(SignedTransaction signed_tx, decode_transaction(raw));
    SLUICE_CHECK_OK(check_transaction(signed_tx, config_.revision, config_.chain_id));
    return signed_tx;
}

Status Devchain::check_against_state(const SignedTransaction& signed_tx) const {
    const evm::Transaction& tx = signed_tx.tx;
    const u256 base_fee = next_base_fee();
    if (tx.fee_cap() < base_fee) {
        return make_error(
            Errc::tx_fee_cap_below_base_fee,
            "fee cap " + tx.fee_cap().to_dec() + ", next block's base fee " + base_fee.to_dec());
    }
    const std::uint64_t account_nonce = nonce(tx.sender);
    if (tx.nonce < account_nonce) {
        return make_error(Errc::tx_nonce_too_low, "address " + tx.sender.to_checksum_hex() +
                                                      ", tx: " + std::to_string(tx.nonce) +
                                                      " state: " + std::to_string(account_nonce));
    }
    if (tx.gas_limit > static_cast<std::uint64_t>(config_.block_gas_limit)) {
        return make_error(Errc::tx_gas_limit_exceeds_block,
                          "gas limit above the block's " + std::to_string(config_.block_gas_limit));
    }
    // check_transaction bounded gas limit × fee cap by 2^256; the value can still overflow the sum.
    const u256 gas_cost = u256{tx.gas_limit} * tx.fee_cap();
    const u256 have = balance(tx.sender);
    if (gas_cost > have || tx.value > have - gas_cost) {
        return make_error(Errc::tx_insufficient_funds, "address " + tx.sender.to_checksum_hex() + " have " +
                                                           have.to_dec() + " want gas × fee cap + value");
    }
    return {};
}

Result<Hash> Devchain::submit_raw(ByteView raw) {
    SLUICE_CHECK_OK(store_status_);
    if (config_.mining == MiningMode::automine) {
        SLUICE_TRY(const TxReceipt receipt, send_raw(raw));
        return receipt.transaction_hash;
    }
    SLUICE_TRY(SignedTransaction signed_tx, admit_raw(raw));
    SLUICE_CHECK_OK(check_against_state(signed_tx));
    const Hash hash = signed_tx.hash;
    SLUICE_CHECK_OK(mempool_.add(std::move(signed_tx), Bytes(raw.begin(), raw.end())));
    return hash;
}

Result<TxReceipt> Devchain::mine_now(SignedTransaction signed_tx, Bytes raw) {
    SLUICE_CHECK_OK(store_status_);
    const Hash hash = signed_tx.hash;
    if (config_.mining == MiningMode::automine) {
        std::vector<PendingTransaction> one;
        one.push_back(PendingTransaction{std::move(signed_tx), std::move(raw), 0});
        std::vector<Status> outcome = build_block(std::move(one), false);
        if (!outcome[0].ok()) return std::move(outcome[0]).error();
    } else {
        SLUICE_CHECK_OK(check_against_state(signed_tx));
        SLUICE_CHECK_OK(mempool_.add(std::move(signed_tx), std::move(raw)));
        mine();
        const TransactionRecord* mined = transaction(hash);
        if (!mined) {
            return make_error(Errc::devchain_not_included, "transaction " + to_hex(hash.view()) +
                                                               " was not included in block " +
                                                               std::to_string(latest_block().number));
        }
    }
    return transaction(hash)->receipt;
}

Result<TxReceipt> Devchain::send(const Address& from, const std::optional<Address>& to, const u256& value,
                                 ByteView data, std::uint64_t gas_limit) {
    evm::Transaction tx = make_tx(from, pending_nonce(from), to, value, data, gas_limit, config_);
    tx.max_fee_per_gas = next_base_fee() + config_.priority_fee;
    SignedTransaction signed_tx = impersonated(tx, config_.chain_id);
    SLUICE_TRY(Bytes raw, encode_transaction(signed_tx));
    signed_tx.hash = keccak256(raw);
    return mine_now(std::move(signed_tx), std::move(raw));
}

Result<TxReceipt> Devchain::send_raw(ByteView raw) {
    SLUICE_TRY(SignedTransaction signed_tx, admit_raw(raw));
    return mine_now(std::move(signed_tx), Bytes(raw.begin(), raw.end()));
}

Result<Deployment> Devchain::deploy(const Address& from, ByteView creation_code, ByteView constructor_args,
                                    std::uint64_t gas_limit) {
    Bytes init(creation_code.begin(), creation_code.end());
    init.insert(init.end(), constructor_args.begin(), constructor_args.end());
    SLUICE_TRY(auto receipt, send(from, std::nullopt, u256{}, init, gas_limit));
    if (!receipt.status) {
        return make_error(Errc::devchain_deploy_failed, "creation reverted in block " +
                                                            std::to_string(receipt.block_number) +
                                                            " (revert data " + to_hex(receipt.output) + ")");
    }
    const Address address = *receipt.contract_address;
    return Deployment{address, std::move(receipt)};
}

Result<CallResult> Devchain::call(const Address& from, const std::optional<Address>& to, ByteView data,
                                  const u256& value, std::uint64_t gas_limit) const {
    // Like geth's eth_call without a gas price: gas is free, so any account may call. The block's base fee is
    // zeroed too, since validation requires the fee cap to cover it.
    evm::Transaction tx = make_tx(from, nonce(from), to, value, data, gas_limit, config_);
    tx.max_fee_per_gas = u256{};
    tx.max_priority_fee_per_gas = u256{};
    std::vector<Hash> ancestors;
    evm::BlockInfo block = next_block_info(ancestors);
    block.base_fee = u256{};
    SLUICE_TRY(auto exec, execute(state_, block, tx, config_.revision));
    return CallResult{exec.receipt.success, exec.receipt.status, exec.receipt.gas_used,
                      std::move(exec.output)};
}

Result<CallResult> Devchain::estimate_gas(const Address& from, const std::optional<Address>& to,
                                          ByteView data, const u256& value, std::uint64_t gas_cap) const {
    SLUICE_TRY(CallResult at_cap, call(from, to, data, value, gas_cap));
    if (!at_cap.status) return at_cap;
    const auto succeeds = [&](std::uint64_t gas) {
        const auto r = call(from, to, data, value, gas);
        return r.ok() && r->status;
    };
    // Gas used is after refunds, and a call needs 64/63 of what its callee uses: a limit below gas used
    // fails, and one a little above it usually succeeds, which keeps the search short.
    std::uint64_t low = static_cast<std::uint64_t>(at_cap.gas_used) - 1;
    std::uint64_t high = gas_cap;
    const std::uint64_t guess = std::min<std::uint64_t>(gas_cap, (low + 1) * 64 / 63 + 2300);
    if (succeeds(guess)) high = guess;
    while (high - low > 1) {
        const std::uint64_t mid = low + (high - low) / 2;
        (succeeds(mid) ? high : low) = mid;
    }
    at_cap.gas_used = static_cast<std::int64_t>(high);
    return at_cap;
}

void Devchain::mine() {
    if (!store_status_.ok()) return;
    const auto account_nonce = [this](const Address& a) { return nonce(a); };
    // Selected by gas limits, up to four blocks' worth: build_block keeps what fits by gas used (limits are
    // often far above use, and a block filled by limits would carry a fraction of what a node's carries).
    std::vector<PendingTransaction> candidates =
        mempool_.select(account_nonce, next_base_fee(), 4 * static_cast<std::uint64_t>(config_.block_gas_limit));
    std::vector<Hash> hashes;
    for (const PendingTransaction& p : candidates)
        hashes.push_back(p.signed_tx.hash);
    const std::vector<Status> outcome = build_block(std::move(candidates), true);
    // Left out for a nonce gap an earlier exclusion opened, or because the block was full: it waits. Any
    // other reason: it is dropped, as a node drops a transaction that turned invalid.
    for (std::size_t i = 0; i < hashes.size(); ++i) {
        const bool waits = !outcome[i].ok() && (outcome[i].error().code == Errc::tx_nonce_too_high ||
                                                outcome[i].error().code == Errc::devchain_not_included);
        if (!waits) mempool_.remove(hashes[i]);
    }
    mempool_.drop_stale(account_nonce);
}
Status Devchain::increase_time(std::int64_t seconds) {
    if (seconds < 0) return make_error(Errc::devchain_bad_time, "time only moves forward");
    if (seconds > kMaxTimestamp - next_timestamp()) {
        return make_error(Errc::devchain_bad_time, "the next block would come after 2^62 seconds");
    }
    SLUICE_CHECK_OK(store_status_);
    time_offset_ += seconds;
    if (next_timestamp_) *next_timestamp_ += seconds;
    persist_time();
    return store_status_;
}

Status Devchain::set_next_block_timestamp(std::int64_t timestamp) {
    if (timestamp <= latest_block().timestamp) {
        return make_error(Errc::devchain_bad_time, "timestamp " + std::to_string(timestamp) +
                                                       " is not after the latest block's " +
                                                       std::to_string(latest_block().timestamp));
    }
    if (timestamp > kMaxTimestamp) return make_error(Errc::devchain_bad_time, "timestamp after 2^62 seconds");
    SLUICE_CHECK_OK(store_status_);
    next_timestamp_ = timestamp;
    persist_time();
    return store_status_;
}

SnapshotId Devchain::snapshot() {
    const SnapshotId id = next_snapshot_id_++;
    snapshots_.push_back(
        Snapshot{id, state_, blocks_.size(), transactions_.size(), time_offset_, next_timestamp_, mempool_});
    return id;
}

Status Devchain::revert(SnapshotId id) {
    const auto it =
        std::find_if(snapshots_.begin(), snapshots_.end(), [id](const Snapshot& s) { return s.id == id; });
    if (it == snapshots_.end()) {
        return make_error(Errc::devchain_unknown_snapshot, "no snapshot " + std::to_string(id));
    }
    SLUICE_CHECK_OK(store_status_);
    state_ = std::move(it->state);
    for (std::size_t i = it->block_count; i < blocks_.size(); ++i)
        block_numbers_.erase(blocks_[i].hash);
    blocks_.resize(it->block_count);
    for (std::size_t i = it->transaction_count; i < transactions_.size(); ++i) {
        transaction_positions_.erase(transactions_[i].signed_tx.hash);
    }
    transactions_.erase(transactions_.begin() + static_cast<std::ptrdiff_t>(it->transaction_count),
                        transactions_.end());
    time_offset_ = it->time_offset;
    next_timestamp_ = it->next_timestamp;
    mempool_ = std::move(it->mempool);
    snapshots_.erase(it, snapshots_.end());
    persist_all();
    return store_status_;
}

u256 Devchain::balance(const Address& account) const {
    const auto info = state_.account(account);
    return info ? info->balance : u256{};
}

std::uint64_t Devchain::nonce(const Address& account) const {
    const auto info = state_.account(account);
    return info ? info->nonce : 0;
}

Bytes Devchain::code(const Address& account) const {
    return *state_.code(account);
}

u256 Devchain::storage(const Address& account, const Bytes32& slot) const {
    return state_.storage(account, slot);
}

void Devchain::set_balance(const Address& account, const u256& wei) {
    const auto it = state_.accounts().find(account);
    if (it == state_.accounts().end()) {
        state_.put_account(account, 0, wei, {}, {});
    } else {
        const auto& acc = it->second;
        state_.put_account(account, acc.nonce, wei, *acc.code, acc.storage);
    }
    persist_account(account);
}

void Devchain::set_code(const Address& account, ByteView code) {
    const auto it = state_.accounts().find(account);
    if (it == state_.accounts().end()) {
        state_.put_account(account, 0, u256{}, Bytes(code.begin(), code.end()), {});
    } else {
        const auto& acc = it->second;
        state_.put_account(account, acc.nonce, acc.balance, Bytes(code.begin(), code.end()), acc.storage);
    }
    persist_account(account);
}

}  // namespace sluice::l1
