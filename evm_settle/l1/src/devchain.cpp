// Devchain: instant mining over evm::apply_transaction and one evm::MemoryState.
#include "sluice/l1/devchain.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/evm/create_address.hpp"
#include "sluice/evm/precompiles.hpp"
#include "sluice/evm/transaction_processor.hpp"

namespace sluice::l1 {
namespace {

evm::Transaction make_tx(const Address& from, std::uint64_t nonce, const std::optional<Address>& to,
                         const u256& value, ByteView data, std::uint64_t gas_limit, const DevchainConfig& config) {
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

// A result computed past a precompile we do not implement would be made up, so it is refused outright.
Result<evm::TxExecution> execute(const evm::MemoryState& state, const evm::BlockInfo& block,
                                 const evm::Transaction& tx, evm::Revision rev) {
    SLUICE_TRY(auto exec, evm::apply_transaction(state, block, tx, rev));
    if (exec.unsupported_precompile) {
        return make_error(Errc::devchain_unsupported_precompile,
                          "execution reached the precompile at " +
                              evm::precompile_address(*exec.unsupported_precompile).to_hex() +
                              ", which sluice_evm does not implement");
    }
    return exec;
}

}  // namespace

Devchain::Devchain(DevchainConfig config) : config_(std::move(config)) {
    for (const auto& account : config_.genesis) {
        set_balance(account.address, balance(account.address) + account.balance);
    }
    blocks_.push_back(BlockHeader{0, config_.genesis_timestamp, config_.base_fee, 0});
}

std::int64_t Devchain::next_timestamp() const noexcept {
    if (next_timestamp_) return *next_timestamp_;
    return latest_block().timestamp + config_.block_interval + time_offset_;
}

evm::BlockInfo Devchain::next_block_info() const {
    evm::BlockInfo block;
    block.coinbase = config_.coinbase;
    block.number = latest_block().number + 1;
    block.timestamp = next_timestamp();
    block.gas_limit = config_.block_gas_limit;
    block.base_fee = config_.base_fee;
    block.chain_id = config_.chain_id;
    block.blob_params = evm::default_blob_params(config_.revision);
    // PREVRANDAO must not be constant across blocks; a hash of the number is deterministic and good enough here.
    const auto number = u256{static_cast<std::uint64_t>(block.number)}.to_be();
    block.prev_randao = keccak256(number);
    return block;
}

void Devchain::seal_block(std::int64_t gas_used) {
    blocks_.push_back(BlockHeader{latest_block().number + 1, next_timestamp(), config_.base_fee, gas_used});
    time_offset_ = 0;
    next_timestamp_.reset();
}

Result<TxReceipt> Devchain::send(const Address& from, const std::optional<Address>& to, const u256& value,
                                 ByteView data, std::uint64_t gas_limit) {
    const std::uint64_t sender_nonce = nonce(from);
    const evm::Transaction tx = make_tx(from, sender_nonce, to, value, data, gas_limit, config_);
    const evm::BlockInfo block = next_block_info();
    SLUICE_TRY(auto exec, execute(state_, block, tx, config_.revision));
    state_.apply(exec.diff);
    seal_block(exec.receipt.gas_used);

    TxReceipt receipt;
    receipt.block_number = block.number;
    receipt.block_timestamp = block.timestamp;
    receipt.status = exec.receipt.success;
    receipt.gas_used = exec.receipt.gas_used;
    receipt.effective_gas_price = config_.base_fee + config_.priority_fee;
    receipt.logs = std::move(exec.receipt.logs);
    receipt.output = std::move(exec.output);
    if (!to && receipt.status) receipt.contract_address = evm::create_address(from, sender_nonce);
    return receipt;
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

Result<CallResult> Devchain::call(const Address& from, const Address& to, ByteView data, const u256& value,
                                  std::uint64_t gas_limit) const {
    // Like geth's eth_call without a gas price: gas is free, so any account may call. The block's base fee is
    // zeroed too, since validation requires the fee cap to cover it.
    evm::Transaction tx = make_tx(from, nonce(from), to, value, data, gas_limit, config_);
    tx.max_fee_per_gas = u256{};
    tx.max_priority_fee_per_gas = u256{};
    evm::BlockInfo block = next_block_info();
    block.base_fee = u256{};
    SLUICE_TRY(auto exec, execute(state_, block, tx, config_.revision));
    return CallResult{exec.receipt.success, exec.receipt.gas_used, std::move(exec.output)};
}

void Devchain::mine() { seal_block(0); }

Status Devchain::increase_time(std::int64_t seconds) {
    if (seconds < 0) return make_error(Errc::devchain_bad_time, "time only moves forward");
    time_offset_ += seconds;
    if (next_timestamp_) *next_timestamp_ += seconds;
    return {};
}

Status Devchain::set_next_block_timestamp(std::int64_t timestamp) {
    if (timestamp <= latest_block().timestamp) {
        return make_error(Errc::devchain_bad_time, "timestamp " + std::to_string(timestamp) +
                                                       " is not after the latest block's " +
                                                       std::to_string(latest_block().timestamp));
    }
    next_timestamp_ = timestamp;
    return {};
}

SnapshotId Devchain::snapshot() {
    const SnapshotId id = next_snapshot_id_++;
    snapshots_.push_back(Snapshot{id, state_, blocks_, time_offset_, next_timestamp_});
    return id;
}

Status Devchain::revert(SnapshotId id) {
    const auto it = std::find_if(snapshots_.begin(), snapshots_.end(), [id](const Snapshot& s) { return s.id == id; });
    if (it == snapshots_.end()) {
        return make_error(Errc::devchain_unknown_snapshot, "no snapshot " + std::to_string(id));
    }
    state_ = std::move(it->state);
    blocks_ = std::move(it->blocks);
    time_offset_ = it->time_offset;
    next_timestamp_ = it->next_timestamp;
    snapshots_.erase(it, snapshots_.end());
    return {};
}

u256 Devchain::balance(const Address& account) const {
    const auto info = state_.account(account);
    return info ? info->balance : u256{};
}

std::uint64_t Devchain::nonce(const Address& account) const {
    const auto info = state_.account(account);
    return info ? info->nonce : 0;
}

Bytes Devchain::code(const Address& account) const { return *state_.code(account); }

u256 Devchain::storage(const Address& account, const Bytes32& slot) const { return state_.storage(account, slot); }

void Devchain::set_balance(const Address& account, const u256& wei) {
    const auto it = state_.accounts().find(account);
    if (it == state_.accounts().end()) {
        state_.put_account(account, 0, wei, {}, {});
        return;
    }
    const auto& acc = it->second;
    state_.put_account(account, acc.nonce, wei, *acc.code, acc.storage);
}

void Devchain::set_code(const Address& account, ByteView code) {
    const auto it = state_.accounts().find(account);
    if (it == state_.accounts().end()) {
        state_.put_account(account, 0, u256{}, Bytes(code.begin(), code.end()), {});
        return;
    }
    const auto& acc = it->second;
    state_.put_account(account, acc.nonce, acc.balance, Bytes(code.begin(), code.end()), acc.storage);
}

}  // namespace sluice::l1
