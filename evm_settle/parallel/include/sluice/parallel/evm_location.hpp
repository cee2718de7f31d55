// How an EVM transaction maps onto the Block-STM location/value/delta model, and the location,
// value and delta types of the adapter between sluice_evm and this library (implemented in
// src/evm_mv_view.* (reads), src/evm_tx_writes.* (writes) and src/evm_batch.cpp (the VM callback,
// the final StateDiff); public API in evm_batch.hpp).
//
// LOCATIONS (EvmLocation = address + field [+ slot])
//   kAccount   the account header: existence, nonce, balance, code hash (+ has_storage for the
//              EIP-7610 create-collision check); balance credits are its deltas
//   kCode      the code bytes, written together with kAccount when code is deployed (EIP-7702 too)
//   kStorage   one u256 storage slot
// A transaction that only moves value never conflicts with one that only changes storage or code
// of the same contract. The header is one location, not one per field as DESIGN.md §5 first had
// it: StateView::account() hands the EVM all of them at once, so every reader read every field
// and the split only multiplied the lookups (three reads, three base fetches and up to three
// writes per account, a third of a plain transfer's parallel overhead) without removing a single
// conflict.
//
// READS. State pulls the world through StateView one account or slot at a time. The adapter's
// StateView::account(a) reads kAccount of `a` through the TxView (an account is reported present if
// `exists` or any of nonce, balance, code is non-empty, which is also how a delta-only credit
// creates the coinbase); storage(a, k) reads kStorage; code(a) reads kCode. State caches each account and
// slot for the rest of the transaction, so each location is read through the view once.
//
// WRITES. apply_transaction returns a StateDiff; the VM callback turns each AccountChange into a
// kAccount write when the header differs from what the transaction read (a call that only touches
// a contract writes nothing, so it conflicts with nobody); every listed slot is written. A deleted
// account becomes {exists=false, nonce 0, balance 0}: EIP-6780 only deletes accounts created
// in the same transaction, whose storage EIP-7610 guarantees was empty before, and their slots
// never reach the diff. has_storage turns true when a non-zero slot is written and stays true
// (as State's own has_storage, which cannot enumerate slots either). Deleting or re-creating an
// account that held storage (SELFDESTRUCT before Cancun, EIP-161 clearing of an empty account with
// storage) cannot be written as locations: the transaction is flagged and the whole batch is re-run
// sequentially, so the result is still exact.
//
// THE COINBASE FEE IS A DELTA. Crediting the fee with state.add_balance(coinbase, fee) loads (reads)
// the coinbase account: every transaction would read and write the coinbase balance and they would
// all conflict. With ApplyOptions::defer_coinbase_fee the processor skips that credit (keeping the
// EIP-3651 warm-up and everything else) and returns the fee in TxExecution; the callback records it
// as add_delta({coinbase, kAccount}, fee). If the transaction loaded the coinbase itself (BALANCE,
// a transfer to it, coinbase == sender) or the fee is zero (the credit is then an EIP-161 touch),
// the processor credits it in place: the read and the value write are then in the transaction's
// own sets, so the result is still exact. Anybody who reads the coinbase
// balance later in the batch resolves the deltas below it and depends on them for real; the final
// balance is resolved once at the end. The sequential path (threads = 1) runs the same callback,
// so both paths credit the fee the same way; an equivalence test against plain apply_transaction
// must guard the option itself.
//
// SENDER NONCE AND BALANCE. The sender's balance is debited (gas purchase, value) and its nonce
// bumped; both are genuine reads of the sender's own account, so independent senders touch
// disjoint locations and never conflict, and consecutive nonces of one sender form a true
// dependency chain, which the contention hint (mv_memory.hpp) turns into suspensions and direct
// hand-offs instead of repeated aborts. The refund credit is the same transaction's own write.
// Later, plain value credits to an EOA (the hub receiving many payments) could become deltas too,
// but only with State support for "blind" credits materialised when the balance is observed (CALL
// value checks, BALANCE, SELFBALANCE, the EIP-161 emptiness test), so they stay reads for now.
//
// OUTPUT AND WHAT IS NOT STATE. The per-transaction output is the Receipt (status, gas used, logs)
// or the validation error of an invalid transaction (which writes nothing). cumulative_gas_used is
// a prefix sum over the final gas_used values, computed after the batch, not a shared location
// (apply_transaction checks each transaction's gas limit against the block's, never the running
// sum; a block builder enforcing the cumulative limit does so on the returned receipts).
//
// SUSPENSION. StateView returns values, not "blocked": when a read meets an ESTIMATE the adapter
// returns an empty account / zero, the TxView is marked blocked, and the callback discards whatever
// apply_transaction produced (it can only run out of gas or fail validation on such values, both
// bounded). A cheap improvement for later: let the interpreter poll an abort flag at each host call.
//
// CHAINS. A batch in which (nearly) every transaction depends on the previous one (all increment one
// counter) gains nothing from Block-STM and pays its overhead; EvmExecutor gives up on such a batch
// early (ExecutorOptions::abandon_after) and runs it sequentially.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <variant>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/evm/account.hpp"

namespace sluice::parallel {

enum class EvmField : std::uint8_t { kAccount, kCode, kStorage };

struct EvmLocation {
    Address address;
    EvmField field = EvmField::kAccount;
    Bytes32 slot;  // kStorage only; zero otherwise

    friend bool operator==(const EvmLocation&, const EvmLocation&) = default;
};

// Every byte of the address and slot matters: core's FixedBytesHasher looks at the last 8 bytes
// only, so addresses or slots differing elsewhere (and the fields of one account) would share
// buckets; MVMemory mixes the result once more before using its bits.
struct EvmLocationHash {
    std::size_t operator()(const EvmLocation& l) const noexcept {
        std::uint64_t h = word(l.address.data(), 8) * 0x9E3779B97F4A7C15ULL;
        h ^= word(l.address.data() + 8, 8) * 0xC2B2AE3D27D4EB4FULL;
        h ^= (word(l.address.data() + 16, 4) + (std::uint64_t{static_cast<std::uint8_t>(l.field)} << 32)) *
             0x165667B19E3779F9ULL;
        if (l.field == EvmField::kStorage) {
            for (std::size_t i = 0; i < 32; i += 8)
                h = (h ^ word(l.slot.data() + i, 8)) * 0xFF51AFD7ED558CCDULL;
        }
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53ULL;
        return static_cast<std::size_t>(h ^ (h >> 29));
    }

  private:
    static std::uint64_t word(const std::uint8_t* p, std::size_t n) noexcept {
        std::uint64_t w = 0;
        std::memcpy(&w, p, n);
        return w;
    }
};

// The account header (kAccount).
struct EvmAccount {
    bool exists = false;
    bool has_storage = false;
    std::uint64_t nonce = 0;
    u256 balance;
    Hash code_hash = evm::kEmptyCodeHash;

    friend bool operator==(const EvmAccount&, const EvmAccount&) = default;
};

// Code bytes (kCode) without a reference count: copying a shared_ptr on every read would make
// every transaction calling one contract bump the same atomic counter from every core. The bytes
// are owned by the batch's EvmCodeKeeper (or, for the empty code, by a static) until the batch ends.
struct EvmCode {
    const Bytes* bytes = nullptr;
    const std::shared_ptr<const Bytes>* owner = nullptr;  // null for the static empty code

    friend bool operator==(const EvmCode& a, const EvmCode& b) noexcept { return a.bytes == b.bytes; }
};

// One value per location: account header, storage word, code.
using EvmValue = std::variant<EvmAccount, u256, EvmCode>;

// Traits for MVMemory/TxView: balance credits are the deltas (wrapping u256 addition, as the EVM).
struct EvmTraits {
    using Key = EvmLocation;
    using Value = EvmValue;
    using Delta = u256;
    using KeyHash = EvmLocationHash;

    // A credit to a location nobody wrote before starts from the base value the executor passes in,
    // which for kAccount is always an EvmAccount (exists = false for absent accounts).
    static Value apply_delta(const Value& base, const Delta& d) {
        if (const auto* account = std::get_if<EvmAccount>(&base)) {
            EvmAccount credited = *account;
            credited.balance = credited.balance + d;
            return Value{credited};
        }
        EvmAccount credited;  // unreachable with EvmBase: kAccount locations always hold an EvmAccount
        credited.balance = d;
        return Value{credited};
    }
    static Delta merge_deltas(const Delta& older, const Delta& newer) noexcept { return older + newer; }
};

}  // namespace sluice::parallel
