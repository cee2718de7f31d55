// Synthetic EVM batches for the parallel executor's property test and benchmarks: a pre-state
// with funded senders and a few hand-assembled contracts (a counter, an ERC-20-like token, a
// contract that stores its own balance, one that stores the coinbase balance, a reverter, an
// endless loop, a CREATE/CREATE2 factory), and generators of transaction batches over it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/evm/block_info.hpp"
#include "sluice/evm/memory_state.hpp"
#include "sluice/evm/revision.hpp"
#include "sluice/evm/transaction.hpp"

namespace sluice::parallel {

struct EvmWorkload {
    evm::MemoryState state;  // the state before the batch
    evm::BlockInfo block;
    evm::Revision rev = evm::Revision::prague;
    std::vector<evm::Transaction> txs;
};

// The fixed contracts of every workload.
struct WorkloadContracts {
    static Address counter();  // calldata: slot; increments it
    static Address
    token();  // calldata: to, amount; moves token balances (slot = holder), logs, reverts if short
    static Address self_balance();    // stores SELFBALANCE under the caller
    static Address coinbase_probe();  // stores BALANCE(COINBASE) under the caller
    static Address reverter();        // writes a slot, then reverts
    static Address looper();          // loops until out of gas
    static Address
    factory();  // calldata: salt, mode (0 CREATE2, 1 CREATE, 2 CREATE2 of a self-destructing child)
};

// Sender number i (funded with ether and tokens in every workload).
Address workload_sender(std::size_t i);

struct RandomBatchConfig {
    std::size_t num_txs = 24;
    std::size_t num_senders = 8;
    double hot_share = 0.3;          // share of counter calls that hit one of a few hot slots
    double same_sender_share = 0.3;  // share of transactions sent by the previous transaction's sender
    // No transaction touches the coinbase: a fresh coinbase, no zero tips (a zero tip touches it),
    // no payments to it, no probes of its balance.
    bool coinbase_untouched = false;
};

// A random batch mixing every kind of transaction above plus ETH transfers (to senders, fresh
// addresses and the coinbase, some of zero value), out-of-gas calls, direct creations and invalid
// transactions (nonce gaps, unaffordable values). The coinbase is a fresh address, a sender or the
// self-balance contract. Deterministic in `seed`.
EvmWorkload make_random_batch(std::uint64_t seed, const RandomBatchConfig& config);

// The benchmark workloads (all transactions valid, distinct senders unless the workload needs a hot key):
EvmWorkload make_transfers_workload(std::size_t n);  // n ETH transfers between distinct fresh pairs
EvmWorkload make_erc20_workload(std::size_t n);      // n token transfers between distinct pairs
EvmWorkload make_hotspot_workload(std::size_t n);    // every transaction increments the same counter slot
EvmWorkload make_mixed_workload(std::size_t n);  // token transfers, 10% counter increments of one hot slot

}  // namespace sluice::parallel
