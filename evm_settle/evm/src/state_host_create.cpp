// StateHost: CREATE and CREATE2 frames — address derivation, sender nonce, collision rules,
// initcode execution and code deposit.
#include <limits>

#include "sluice/core/keccak.hpp"
#include "sluice/evm/create_address.hpp"
#include "sluice/evm/interpreter.hpp"
#include "sluice/evm/state_host.hpp"

namespace sluice::evm {
namespace {

constexpr std::int64_t kCodeDepositGasPerByte = 200;

}  // namespace

ExecutionResult StateHost::create_frame(const Message& msg) {
    ExecutionResult r;
    const std::uint64_t nonce = state_.nonce(msg.sender);
    if (nonce == std::numeric_limits<std::uint64_t>::max()) {  // EIP-2681: the CREATE fails, gas is kept
        r.status = StatusCode::failure;
        r.gas_left = msg.gas;
        return r;
    }
    // The nonce bump and the warm address survive a failing initcode (they precede the frame's snapshot).
    state_.set_nonce(msg.sender, nonce + 1);
    const Address addr = msg.kind == CallKind::create
                             ? create_address(msg.sender, nonce)
                             : create2_address(msg.sender, msg.create2_salt, keccak256(msg.input));
    if (rev_ >= Revision::berlin) state_.warm_account(addr);

    // EIP-684 / EIP-7610: an address with a nonce, code or storage cannot be created; all gas is lost.
    if (state_.nonce(addr) != 0 || state_.code_hash(addr) != kEmptyCodeHash || state_.has_storage(addr)) {
        r.status = StatusCode::failure;
        return r;
    }

    const std::size_t snapshot = state_.snapshot();
    state_.create_account(addr);
    state_.mark_created(addr);
    if (rev_ >= Revision::spurious_dragon) state_.set_nonce(addr, 1);
    state_.sub_balance(msg.sender, msg.value);
    state_.add_balance(addr, msg.value);

    Message frame = msg;
    frame.recipient = addr;
    frame.code_address = addr;
    frame.input = {};
    if (msg.input.empty()) {
        r.status = StatusCode::success;
        r.gas_left = msg.gas;
    } else {
        r = execute(*this, rev_, frame, msg.input);
    }

    if (r.status == StatusCode::success) {
        const Bytes& code = r.output;
        const auto deposit_cost = static_cast<std::int64_t>(code.size()) * kCodeDepositGasPerByte;
        if (rev_ >= Revision::spurious_dragon && code.size() > kMaxCodeSize) {
            r.status = StatusCode::contract_validation_failure;  // EIP-170
        } else if (rev_ >= Revision::london && !code.empty() && code[0] == 0xef) {
            r.status = StatusCode::contract_validation_failure;  // EIP-3541
        } else if (r.gas_left < deposit_cost) {
            r.status = StatusCode::out_of_gas;
        } else {
            r.gas_left -= deposit_cost;
            state_.set_code(addr, std::move(r.output));
            r.output = {};
            r.create_address = addr;
            return r;
        }
    }
    state_.revert(snapshot);
    r.gas_refund = 0;
    if (r.status != StatusCode::revert) {
        r.gas_left = 0;
        r.output = {};
    }
    return r;
}

}  // namespace sluice::evm
