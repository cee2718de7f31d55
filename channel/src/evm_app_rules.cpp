// App transitions checked by running the app's runtime bytecode in the embedded EVM (app_rules.hpp).
#include <algorithm>
#include <string>
#include <unordered_map>

#include "sluice/channel/app_rules.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/evm/memory_state.hpp"
#include "sluice/evm/transaction_processor.hpp"

namespace sluice::channel {
namespace {

// validTransition((Params),(State),(State),uint256), built from the same tuple types the encoder uses so
// the selector can never drift from the encoding.
const AbiFunction& valid_transition_function() {
    static const AbiFunction function = [] {
        const std::string state = state_abi_type().canonical();
        return AbiFunction::parse("validTransition(" + params_abi_type().canonical() + "," + state + "," +
                                  state + ",uint256)")
            .value();
    }();
    return function;
}

// Any address that holds no code and no balance will do as the caller: validTransition is a view.
const Address kCaller = Address::from_hex("0x00000000000000000000000000000000005c1ce0").value();

// The first reveal times as the stub's storage: slot = hashlock, value = unix seconds.
std::unordered_map<Bytes32, u256> reveal_slots(const LockKnowledge& known) {
    std::unordered_map<Bytes32, u256> slots;
    for (const auto& [hashlock, at] : known.revealed_at)
        slots.emplace(hashlock, u256{at});
    return slots;
}

// if (calldata[0:4] == revealedAt(bytes32)) return sload(calldata[4:36]); else revert.
const Bytes& reveal_registry_stub() {
    static const Bytes code = [] {
        Bytes c{
            0x60, 0x00, 0x35, 0x60, 0xe0, 0x1c,             // PUSH1 0 CALLDATALOAD PUSH1 0xe0 SHR
            0x63, 0x00, 0x00, 0x00, 0x00,                   // PUSH4 selector (filled in below)
            0x14, 0x60, 0x13, 0x57,                         // EQ PUSH1 0x13 JUMPI
            0x60, 0x00, 0x80, 0xfd,                         // PUSH1 0 DUP1 REVERT
            0x5b, 0x60, 0x04, 0x35, 0x54,                   // 0x13: JUMPDEST PUSH1 4 CALLDATALOAD SLOAD
            0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3  // PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN
        };
        const Selector selector = function_selector("revealedAt(bytes32)");
        for (std::size_t i = 0; i < selector.size(); ++i)
            c[7 + i] = selector[i];
        return c;
    }();
    return code;
}

}  // namespace

EvmAppRules::EvmAppRules(Bytes runtime_code, Clock clock, std::uint64_t gas_limit)
    : code_(std::move(runtime_code)), clock_(std::move(clock)), gas_limit_(gas_limit) {}

Status EvmAppRules::check_transition(const Params& params, const State& from, const State& to,
                                     std::size_t actor, const LockKnowledge& known) const {
    const auto calldata = valid_transition_function().encode_call(
        AbiValue::list({to_abi(params), to_abi(from), to_abi(to), AbiValue::uint(u256{actor})}));
    if (!calldata.ok())
        return make_error(Errc::channel_app_failed, "encoding the call: " + calldata.error().message);

    evm::MemoryState state;
    state.put_account(params.app, 1, u256{}, code_, {});
    if (params.adjudicator != params.app)
        state.put_account(params.adjudicator, 1, u256{}, reveal_registry_stub(), reveal_slots(known));
    evm::BlockInfo block;
    block.number = 1;
    block.timestamp = static_cast<std::int64_t>(clock_());
    block.gas_limit = static_cast<std::int64_t>(gas_limit_);
    block.chain_id = params.chain_id;
    block.blob_params = evm::default_blob_params(evm::Revision::prague);

    evm::Transaction tx;
    tx.type = evm::TxType::dynamic_fee;
    tx.sender = kCaller;
    tx.to = params.app;
    tx.gas_limit = gas_limit_;
    tx.data = *calldata;
    auto exec = evm::apply_transaction(state, block, tx, evm::Revision::prague);
    if (!exec.ok())
        return make_error(Errc::channel_app_failed, "the call is invalid: " + exec.error().describe());
    if (exec->unsupported_precompile) {
        return make_error(Errc::channel_app_failed, "the app reached a precompile the embedded EVM lacks");
    }
    if (!exec->receipt.success) {
        return make_error(Errc::channel_app_failed,
                          "validTransition reverted or ran out of gas (" + to_hex(exec->output) + ")");
    }
    // An ABI bool: exactly one word holding 0 or 1; anything else is garbage, not a "no".
    const Bytes& out = exec->output;
    const Hash zero{};
    if (out.size() != 32 || !std::equal(out.begin(), out.end() - 1, zero.begin()) || out[31] > 1) {
        return make_error(Errc::channel_app_failed, "validTransition returned malformed data " + to_hex(out));
    }
    if (out[31] == 0) return make_error(Errc::channel_app_rejected, "validTransition returned false");
    return {};
}

}  // namespace sluice::channel
