// App channels (params.app != 0): the app contract's validTransition decides which moves are allowed
// (DESIGN.md §3, invariant 4). Nodes run the very runtime bytecode the adjudicator calls, in the embedded
// EVM, before signing, so a state we sign is one the adjudicator would also accept as a force-move.
//
// What the app may read besides its arguments. An app can depend on the adjudicator's preimage registry
// (LoanApp refuses a liquidation once the repayment preimage was revealed on-chain, issue #18 §5), so the
// local EVM must answer that view as L1 would: at params.adjudicator it installs a view stub that answers
// revealedAt(bytes32) from LockKnowledge::revealed_at (0 for an unknown hashlock, as on L1) and reverts on
// any other call, which EvmAppRules reports as channel_app_failed. A stub rather than the real Adjudicator
// runtime with its revealedAt storage slot written: the stub does not depend on the adjudicator's storage
// layout, which changes with the contract. Only reveals seen on L1 are installed, never preimages we merely
// know (LockKnowledge::preimages): what a preimage in our hands means is the app's business (the lender of
// a loan knows its own repayment preimage without having been repaid), and an app that wants a carried
// preimage reads it from the move's appData, as LoanApp's repaid move does. A node that learns a preimage
// whose reveal protects it on-chain (a borrower handed its repayment preimage) should reveal it on L1.
//
// Final states are not the app's to judge: the adjudicator's conclude and register settle a final state
// without calling the app, and LoanApp refuses every final move so that no force-move can end a dispute at
// once. The machine checks a final state of an app channel by the payment-channel rule instead (machine.hpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "sluice/channel/clock.hpp"
#include "sluice/channel/types.hpp"
#include "sluice/channel/update_rules.hpp"

namespace sluice::channel {

class AppRules {
  public:
    virtual ~AppRules() = default;
    // Ok when participant `actor` may move the channel from `from` to `to`, given the on-chain reveals in
    // `known`; channel_app_rejected when the app says no, channel_app_failed when it could not answer
    // (revert, out of gas, malformed return data).
    virtual Status check_transition(const Params& params, const State& from, const State& to,
                                    std::size_t actor, const LockKnowledge& known) const = 0;
};

// Calls validTransition(params, from, to, actorIdx) on `runtime_code` installed at params.app in a fresh
// in-memory EVM state (Prague rules, chain id from params, block timestamp from `clock`), with the
// revealedAt stub above at params.adjudicator. The app is `view`, so nothing it could write matters; a
// fresh state per call keeps calls independent.
class EvmAppRules final : public AppRules {
  public:
    static constexpr std::uint64_t kDefaultGasLimit = 10'000'000;

    EvmAppRules(Bytes runtime_code, Clock clock, std::uint64_t gas_limit = kDefaultGasLimit);

    Status check_transition(const Params& params, const State& from, const State& to, std::size_t actor,
                            const LockKnowledge& known) const override;

  private:
    Bytes code_;
    Clock clock_;
    std::uint64_t gas_limit_;
};

}  // namespace sluice::channel
