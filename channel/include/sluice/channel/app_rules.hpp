// App channels (params.app != 0): the app contract's validTransition decides which moves are allowed
// (DESIGN.md §3, invariant 4). Nodes run the very runtime bytecode the adjudicator calls, in the embedded
// EVM, before signing, so a state we sign is one the adjudicator would also accept as a force-move.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sluice/channel/clock.hpp"
#include "sluice/channel/types.hpp"

namespace sluice::channel {

class AppRules {
  public:
    virtual ~AppRules() = default;
    // Ok when participant `actor` may move the channel from `from` to `to`; channel_app_rejected when the
    // app says no, channel_app_failed when it could not answer (revert, out of gas, malformed return data).
    virtual Status check_transition(const Params& params, const State& from, const State& to,
                                    std::size_t actor) const = 0;
};

// Calls validTransition(params, from, to, actorIdx) on `runtime_code` installed at params.app in a fresh
// in-memory EVM state (Prague rules, chain id from params, block timestamp from `clock`). The app is
// `view`, so nothing it could write matters; a fresh state per call keeps calls independent.
class EvmAppRules final : public AppRules {
  public:
    static constexpr std::uint64_t kDefaultGasLimit = 10'000'000;

    EvmAppRules(Bytes runtime_code, Clock clock, std::uint64_t gas_limit = kDefaultGasLimit);

    Status check_transition(const Params& params, const State& from, const State& to,
                            std::size_t actor) const override;

  private:
    Bytes code_;
    Clock clock_;
    std::uint64_t gas_limit_;
};

}  // namespace sluice::channel
