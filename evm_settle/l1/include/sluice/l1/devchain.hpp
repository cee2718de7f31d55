// Devchain: an in-process L1 (DESIGN.md §6) over sluice_evm. Each transaction is mined at once in a block of
// its own; time moves only when blocks are mined, and can be pushed forward like hardhat's evm_increaseTime /
// evm_setNextBlockTimestamp, so tests of challenge periods and lock expiries never sleep.
//
// Transactions need no signatures: the sender is named (as with hardhat's unlocked accounts); nonces and fees
// are filled in. A transaction the EVM reverts is still mined (status false, gas charged); only an invalid one
// (nonce, funds, gas limits: Errc::tx_*) is refused and changes nothing. The JSON-RPC face of the devchain
// builds on this class later.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/evm/block_info.hpp"
#include "sluice/evm/log.hpp"
#include "sluice/evm/memory_state.hpp"
#include "sluice/evm/revision.hpp"

namespace sluice::l1 {

struct GenesisAccount {
    Address address;
    u256 balance;
};

struct DevchainConfig {
    u256 chain_id = 31337;  // hardhat's, so addresses and signatures line up with the hardhat tests
    evm::Revision revision = evm::Revision::prague;
    std::int64_t genesis_timestamp = 1'700'000'000;
    std::int64_t block_interval = 1;  // seconds between consecutive blocks unless time is pushed forward
    std::int64_t block_gas_limit = 60'000'000;
    // Every block's base fee (no EIP-1559 adjustment). Zero by default so balances show only what contracts
    // moved; a non-zero fee is burnt, a non-zero tip goes to the coinbase.
    u256 base_fee;
    u256 priority_fee;
    Address coinbase = Address::from_hex("0x00000000000000000000000000000000000c0ffe").value();
    std::vector<GenesisAccount> genesis;
};

struct TxReceipt {
    std::int64_t block_number = 0;
    std::int64_t block_timestamp = 0;
    bool status = false;  // false: the EVM reverted (or ran out of gas); the gas is charged all the same
    std::int64_t gas_used = 0;
    u256 effective_gas_price;
    std::vector<evm::Log> logs;
    Bytes output;                              // return data, or the revert data when status is false
    std::optional<Address> contract_address;  // set for a successful creation
};

struct CallResult {
    bool status = false;
    std::int64_t gas_used = 0;
    Bytes output;  // return data or revert data
};

struct Deployment {
    Address address;
    TxReceipt receipt;
};

struct BlockHeader {
    std::int64_t number = 0;
    std::int64_t timestamp = 0;
    u256 base_fee;
    std::int64_t gas_used = 0;
};

using SnapshotId = std::uint64_t;

class Devchain {
public:
    static constexpr std::uint64_t kDefaultGasLimit = 30'000'000;

    explicit Devchain(DevchainConfig config = {});

    const DevchainConfig& config() const noexcept { return config_; }
    const u256& chain_id() const noexcept { return config_.chain_id; }

    // ---- transactions (each one mined in its own block) ----
    // to = nullopt creates a contract from `data`. Errors: the Errc::tx_* of an invalid transaction,
    // devchain_unsupported_precompile when execution reached a precompile sluice_evm does not implement.
    Result<TxReceipt> send(const Address& from, const std::optional<Address>& to, const u256& value, ByteView data,
                           std::uint64_t gas_limit = kDefaultGasLimit);
    // Creation code followed by the ABI-encoded constructor arguments; devchain_deploy_failed (with the revert
    // data in the message) when the creation reverts, though that transaction is mined like any other.
    Result<Deployment> deploy(const Address& from, ByteView creation_code, ByteView constructor_args = {},
                              std::uint64_t gas_limit = kDefaultGasLimit);
    // eth_call: executes in the context of the next block (its number and timestamp) and changes nothing.
    // Gas is free in a call (BASEFEE reads 0). A revert is a CallResult with status false; only an invalid call
    // (e.g. value the caller does not have) is an error.
    Result<CallResult> call(const Address& from, const Address& to, ByteView data, const u256& value = {},
                            std::uint64_t gas_limit = kDefaultGasLimit) const;
    // evm_mine: an empty block.
    void mine();

    // ---- time ----
    const BlockHeader& latest_block() const noexcept { return blocks_.back(); }
    const std::vector<BlockHeader>& blocks() const noexcept { return blocks_; }
    // The timestamp the next block will carry.
    std::int64_t next_timestamp() const noexcept;
    // evm_increaseTime: the next block comes `seconds` later than it otherwise would (devchain_bad_time if < 0).
    Status increase_time(std::int64_t seconds);
    // evm_setNextBlockTimestamp: must be later than the latest block (devchain_bad_time).
    Status set_next_block_timestamp(std::int64_t timestamp);

    // ---- snapshots (evm_snapshot / evm_revert) ----
    SnapshotId snapshot();
    // Restores the chain as it was when `id` was taken and drops that snapshot and every later one
    // (devchain_unknown_snapshot for an id that does not exist (any more)).
    Status revert(SnapshotId id);

    // ---- state ----
    u256 balance(const Address& account) const;
    std::uint64_t nonce(const Address& account) const;
    Bytes code(const Address& account) const;
    u256 storage(const Address& account, const Bytes32& slot) const;
    // hardhat_setBalance / hardhat_setCode: test-only state surgery between blocks.
    void set_balance(const Address& account, const u256& wei);
    void set_code(const Address& account, ByteView code);
    const evm::MemoryState& state() const noexcept { return state_; }

private:
    struct Snapshot {
        SnapshotId id;
        evm::MemoryState state;
        std::vector<BlockHeader> blocks;
        std::int64_t time_offset;
        std::optional<std::int64_t> next_timestamp;
    };

    evm::BlockInfo next_block_info() const;
    void seal_block(std::int64_t gas_used);

    DevchainConfig config_;
    evm::MemoryState state_;
    std::vector<BlockHeader> blocks_;
    std::int64_t time_offset_ = 0;                // from increase_time, consumed by the next block
    std::optional<std::int64_t> next_timestamp_;  // from set_next_block_timestamp
    std::vector<Snapshot> snapshots_;
    SnapshotId next_snapshot_id_ = 1;
};

}  // namespace sluice::l1
