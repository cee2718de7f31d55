// StateHost: the Host (host.hpp) over a journaled State. It owns the call-frame mechanics the
// interpreter leaves to the host: snapshots and reverts, value transfer, precompile dispatch,
// EIP-7702 code resolution, CREATE/CREATE2 (addresses, nonces, collisions, code deposit), and
// SELFDESTRUCT (EIP-6780).
#pragma once

#include <optional>

#include "sluice/evm/host.hpp"
#include "sluice/evm/precompiles.hpp"
#include "sluice/evm/state.hpp"

namespace sluice::evm {

class StateHost final : public Host {
public:
    StateHost(State& state, Revision rev, const TxContext& ctx) noexcept : state_(state), rev_(rev), ctx_(ctx) {}

    // The first precompile the transaction called that we do not implement (KZG, BLS12-381), if any.
    // A run that hit one is not a valid result and must be reported as unsupported.
    std::optional<PrecompileId> unsupported_precompile() const noexcept { return unsupported_; }

    bool account_exists(const Address& addr) noexcept override;
    u256 get_storage(const Address& addr, const Bytes32& key) noexcept override;
    StorageStatus set_storage(const Address& addr, const Bytes32& key, const u256& value) noexcept override;
    u256 get_balance(const Address& addr) noexcept override;
    std::size_t get_code_size(const Address& addr) noexcept override;
    Bytes32 get_code_hash(const Address& addr) noexcept override;
    std::size_t copy_code(const Address& addr, std::size_t offset, std::span<std::uint8_t> out) noexcept override;
    bool selfdestruct(const Address& addr, const Address& beneficiary) noexcept override;
    ExecutionResult call(const Message& msg) noexcept override;
    const TxContext& get_tx_context() const noexcept override { return ctx_; }
    Bytes32 get_block_hash(std::int64_t number) noexcept override;
    void emit_log(const Address& addr, ByteView data, std::span<const Bytes32> topics) noexcept override;
    AccessStatus access_account(const Address& addr) noexcept override;
    AccessStatus access_storage(const Address& addr, const Bytes32& key) noexcept override;
    u256 get_transient_storage(const Address& addr, const Bytes32& key) noexcept override;
    void set_transient_storage(const Address& addr, const Bytes32& key, const u256& value) noexcept override;

private:
    ExecutionResult call_frame(const Message& msg);
    ExecutionResult create_frame(const Message& msg);
    ExecutionResult run_precompile_frame(PrecompileId id, const Message& msg);

    State& state_;
    Revision rev_;
    const TxContext& ctx_;
    std::optional<PrecompileId> unsupported_;
};

// Maximum size of deployed code (EIP-170) and of initcode (EIP-3860).
inline constexpr std::size_t kMaxCodeSize = 24576;
inline constexpr std::size_t kMaxInitcodeSize = 2 * kMaxCodeSize;

}  // namespace sluice::evm
