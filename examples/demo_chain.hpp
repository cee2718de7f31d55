// DemoChain: a minimal in-process chain for the demo — one MemoryState, blocks of one transaction each,
// gas priced at zero so balances show exactly what the channel moved. (The JSON-RPC devchain of
// DESIGN.md §6 replaces this when it exists.)
#pragma once

#include <cstdint>
#include <string>

#include "sluice/core/abi.hpp"
#include "sluice/core/result.hpp"
#include "sluice/evm/create_address.hpp"
#include "sluice/evm/memory_state.hpp"
#include "sluice/evm/transaction_processor.hpp"

namespace sluice::demo {

struct CallOutcome {
    evm::Receipt receipt;
    Bytes output;
};

class DemoChain {
  public:
    DemoChain();

    void fund(const Address& account, const u256& wei);
    u256 balance(const Address& account) const;
    std::int64_t timestamp() const noexcept { return block_.timestamp; }

    // Sends a transaction and applies it (a new block). Fails if it is invalid or the EVM reverts.
    Result<CallOutcome> send(const Address& from, const std::optional<Address>& to, const u256& value,
                             Bytes data);
    // Executes without applying (eth_call).
    Result<Bytes> call(const Address& to, Bytes data) const;
    // Deploys creation code and returns the new contract's address.
    Result<Address> deploy(const Address& from, const Bytes& creation_code, std::int64_t* gas_used);

  private:
    evm::MemoryState state_;
    evm::BlockInfo block_;
};

}  // namespace sluice::demo
