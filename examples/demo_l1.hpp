// The demo's side of L1: one L1Client (the in-process devchain over JSON-RPC, or any node by URL), a TxSigner
// per party, and what the demo does there: send a transaction that must succeed (counting the gas each party
// pays), call a view, read a balance, move time forward (evm_increaseTime + evm_mine, which both the
// devchain and hardhat serve).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "sluice/core/secp256k1.hpp"
#include "sluice/l1/json_rpc_client.hpp"
#include "sluice/l1/signer_journal.hpp"
#include "sluice/l1/tx_signer.hpp"

namespace sluice::demo {

class DemoL1 {
  public:
    explicit DemoL1(l1::JsonRpcL1Client& client) : client_(client) {}

    // A signer for each key, in order: party i sends with signer i.
    l1::Async<bool> add_parties(const std::vector<PrivateKey>& keys);
    // Signs, sends, waits for the receipt; a revert (found by gas estimation, so nothing is sent) is an
    // error with its decoded reason. Adds the gas paid to party's total.
    l1::Async<l1::TxReceipt> send(std::size_t party, std::optional<Address> to, const u256& value,
                                  Bytes data);
    l1::Async<Bytes> view(const Address& to, Bytes data);
    l1::Async<u256> balance(const Address& account);
    // The latest block's timestamp: what the adjudicator's clock reads next.
    l1::Async<std::uint64_t> now();
    l1::Async<bool> advance_time(std::uint64_t seconds);

    const u256& gas_paid(std::size_t party) const { return gas_paid_.at(party); }
    // Party i's signer, for an SDK node that sends from the same key (one signer per key).
    l1::TxSigner& signer(std::size_t party) { return *signers_.at(party); }
    l1::JsonRpcL1Client& client() noexcept { return client_; }

  private:
    l1::JsonRpcL1Client& client_;
    std::vector<std::unique_ptr<l1::MemorySignerJournal>> journals_;
    std::vector<std::unique_ptr<l1::TxSigner>> signers_;
    std::vector<u256> gas_paid_;
};

}  // namespace sluice::demo
