// The narrow interface between the interpreter and the world state (modelled on EVMC).
//
// The interpreter (`execute`, interpreter.hpp) runs the code of ONE call frame. Everything it learns
// about, or changes in, the world goes through `Host`: accounts, storage, code, logs, block data, and
// nested calls/creates. The state side implements Host; the parallel executor interposes its own
// multi-version Host. No global mutable state anywhere.
//
// Division of labour (both sides code against this; keep it true):
//  * Interpreter: opcode semantics, stack/memory, all gas charging of an instruction including
//    EIP-2929 warm/cold surcharges (via access_account/access_storage), memory expansion, the 63/64
//    rule and the call stipend, EIP-3860 initcode size limit and initcode word gas on CREATE/CREATE2,
//    depth >= 1024 and value > balance checks before CALL*/CREATE* (they fail softly: push 0, return the
//    gas), SSTORE gas and refunds from the StorageStatus that set_storage returns, static-mode rules,
//    EIP-7702: when a CALL* target's code is a delegation designator (0xef0100 || address), the
//    interpreter also charges the warm/cold access of the delegate (access_account on it).
//  * Host (state side): value transfers, snapshots and revert of a frame, precompile dispatch and pricing,
//    EIP-7702 delegation resolution for the code to run, CREATE/CREATE2 address derivation, sender
//    nonce increment, collision rules (EIP-684/7610), code deposit cost, EIP-170 size limit and EIP-3541
//    0xEF rejection, SELFDESTRUCT semantics (EIP-6780), logs, transient storage, and telling (through
//    selfdestruct's return value) whether an account is destructed for the first time in the
//    transaction; the interpreter then adds the pre-London 24000 refund to the frame's gas_refund.
//  * Messages from the interpreter: for CALL* `code_address` is the account named by the instruction
//    (the host resolves an EIP-7702 delegation); for creates `recipient`/`code_address` are left empty
//    (the host derives the address). A child's gas_refund is added to the parent only on success, and
//    after a create the interpreter keeps `output` as return data only when the create failed.
#pragma once

#include <cstdint>
#include <span>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"
#include "sluice/evm/revision.hpp"

namespace sluice::evm {

// How a frame ends. Values are stable (fixtures/reports refer to them by name).
enum class StatusCode : std::uint8_t {
    success = 0,
    failure = 1,  // generic failure (e.g. host-level failure that consumes all gas)
    revert = 2,
    out_of_gas = 3,
    invalid_instruction = 4,    // the designated INVALID (0xfe)
    undefined_instruction = 5,  // opcode not defined at this revision
    stack_overflow = 6,
    stack_underflow = 7,
    bad_jump_destination = 8,
    invalid_memory_access = 9,  // RETURNDATACOPY out of bounds
    call_depth_exceeded = 10,
    static_mode_violation = 11,
    precompile_failure = 12,
    contract_validation_failure = 13,  // code deposit rejected (EIP-170 size / EIP-3541 0xEF)
    argument_out_of_range = 14,
    insufficient_balance = 15,
    unsupported_precompile = 16,  // P256VERIFY: the runner reports the case as unsupported
};

enum class CallKind : std::uint8_t { call, delegatecall, callcode, create, create2 };

// One call frame's inputs. `input` is borrowed for the duration of the call.
struct Message {
    CallKind kind = CallKind::call;
    bool is_static = false;
    std::int32_t depth = 0;
    std::int64_t gas = 0;
    Address recipient;     // the account whose storage/balance the frame acts on
    Address sender;        // CALLER
    Address code_address;  // whose code runs (differs from recipient for DELEGATECALL/CALLCODE)
    ByteView input;        // calldata, or initcode for creates
    u256 value;            // CALLVALUE (for DELEGATECALL: the parent's value, no transfer)
    Bytes32 create2_salt;
};

struct ExecutionResult {
    StatusCode status = StatusCode::failure;
    std::int64_t gas_left = 0;
    std::int64_t gas_refund = 0;  // accumulated refund of this frame (and its successful children)
    Bytes output;                 // return or revert data
    Address create_address;       // for creates that succeeded
};

// evmc_storage_status: the transition original -> current -> new of one SSTORE, from which the
// interpreter derives EIP-2200/3529 gas and refunds per revision. (O=original, C=current, N=new; 0 = zero,
// X/Y/Z non-zero distinct)
enum class StorageStatus : std::uint8_t {
    assigned = 0,           // every case not listed below (no-op or dirty slot)
    added = 1,              // 0 -> 0 -> Z
    deleted = 2,            // X -> X -> 0
    modified = 3,           // X -> X -> Z
    deleted_added = 4,      // X -> 0 -> Z
    modified_deleted = 5,   // X -> Y -> 0
    deleted_restored = 6,   // X -> 0 -> X
    added_deleted = 7,      // 0 -> Y -> 0
    modified_restored = 8,  // X -> Y -> X
};

enum class AccessStatus : std::uint8_t { cold = 0, warm = 1 };

struct TxContext {
    u256 gas_price;  // effective gas price
    Address origin;
    Address coinbase;
    std::int64_t block_number = 0;
    std::int64_t block_timestamp = 0;
    std::int64_t block_gas_limit = 0;
    Bytes32 prev_randao;  // DIFFICULTY before Paris (as big-endian u256), PREVRANDAO after
    u256 chain_id;
    u256 base_fee;
    u256 blob_base_fee;
    std::span<const Bytes32> blob_hashes;   // borrowed from the transaction
    std::span<const Hash> ancestor_hashes;  // borrowed from BlockInfo::ancestor_hashes
};

class Host {
  public:
    virtual ~Host() = default;

    virtual bool account_exists(const Address& addr) noexcept = 0;  // EIP-161 "not dead" where relevant
    virtual u256 get_storage(const Address& addr, const Bytes32& key) noexcept = 0;
    virtual StorageStatus set_storage(const Address& addr, const Bytes32& key,
                                      const u256& value) noexcept = 0;
    virtual u256 get_balance(const Address& addr) noexcept = 0;
    virtual std::size_t get_code_size(const Address& addr) noexcept = 0;
    virtual Bytes32 get_code_hash(const Address& addr) noexcept = 0;  // zero for non-existent accounts
    // Copies code[offset, offset+out.size()) clipped to the code; returns the number of bytes copied.
    virtual std::size_t copy_code(const Address& addr, std::size_t offset,
                                  std::span<std::uint8_t> out) noexcept = 0;
    // Returns true if `addr` had not been marked destructed before (pre-London refund accounting).
    virtual bool selfdestruct(const Address& addr, const Address& beneficiary) noexcept = 0;
    virtual ExecutionResult call(const Message& msg) noexcept = 0;
    virtual const TxContext& get_tx_context() const noexcept = 0;
    virtual Bytes32 get_block_hash(std::int64_t number) noexcept = 0;
    virtual void emit_log(const Address& addr, ByteView data, std::span<const Bytes32> topics) noexcept = 0;
    virtual AccessStatus access_account(const Address& addr) noexcept = 0;  // marks warm, returns previous
    virtual AccessStatus access_storage(const Address& addr, const Bytes32& key) noexcept = 0;
    virtual u256 get_transient_storage(const Address& addr, const Bytes32& key) noexcept = 0;
    virtual void set_transient_storage(const Address& addr, const Bytes32& key,
                                       const u256& value) noexcept = 0;
};

}  // namespace sluice::evm
