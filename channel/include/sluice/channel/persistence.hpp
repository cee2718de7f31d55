// What the update machine needs stored, as an interface (the SQLite store comes with the node): every
// state it is about to sign (invariant 1 across restarts, invariant 2, and the outstanding set of
// machine.hpp), every fully signed state before it acts on it, and what it learns about hashlocks
// (LockKnowledge: a restart must not forget a preimage that makes it refuse a refund, issue #18 §6). Modelled
// on LDK's chain::Watch: the machine releases nothing until the store answers Completed, and a Failed answer
// leaves the machine as it was before the step.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "sluice/channel/types.hpp"
#include "sluice/channel/update_rules.hpp"

namespace sluice::channel {

enum class PersistResult : std::uint8_t {
    completed = 0,  // durable: the machine may release the signature / act on the state
    failed = 1,     // nothing may leave; the machine stays at its previous step
};

// Everything a machine is restored from.
struct PersistedChannel {
    SignedState latest;                // the latest fully signed state
    std::optional<State> last_signed;  // the highest-version state this participant signed, if above `latest`
    // Every state this participant signed above `latest` (last_signed among them), in signing order:
    // those may still complete, so the machine keeps validating new proposals against them (machine.hpp).
    std::vector<State> outstanding;
    LockKnowledge known;  // preimages learned and L1 reveal times recorded for this channel
    friend bool operator==(const PersistedChannel&, const PersistedChannel&) = default;
};

class Persistence {
  public:
    virtual ~Persistence() = default;
    // The state this participant is about to sign. Versions only grow, so the last one is enough to refuse
    // any other state at the same or a lower version after a restart; but the store must keep every such
    // state above the latest fully signed one (`outstanding`), not only the last: any of them may still
    // be completed by its proposer, and the machine validates later proposals against all of them.
    virtual PersistResult save_signing(const Hash& channel_id, const State& state) = 0;
    // A fully signed state, before the machine reports it or sends the complete signature set. Signed
    // states at or below its version are superseded (a higher version wins on-chain) and may be dropped.
    virtual PersistResult save_fully_signed(const Hash& channel_id, const SignedState& state) = 0;
    // A preimage this participant learned, and the first L1 reveal time of a hashlock (LockKnowledge).
    // Knowledge only ever makes the machine refuse more, so it is never dropped with superseded states.
    virtual PersistResult save_preimage(const Hash& channel_id, const Bytes32& preimage) = 0;
    virtual PersistResult save_reveal(const Hash& channel_id, const Hash& hashlock,
                                      std::uint64_t revealed_at) = 0;
};

// In memory, for tests and tools, with failures on demand: `fail_next(n)` fails the next n saves,
// `fail_after(k)` lets k saves succeed and fails the one after.
class MemoryPersistence final : public Persistence {
  public:
    PersistResult save_signing(const Hash& channel_id, const State& state) override;
    PersistResult save_fully_signed(const Hash& channel_id, const SignedState& state) override;
    PersistResult save_preimage(const Hash& channel_id, const Bytes32& preimage) override;
    PersistResult save_reveal(const Hash& channel_id, const Hash& hashlock,
                              std::uint64_t revealed_at) override;

    void fail_next(std::size_t count) noexcept { fail_next_ = count; }
    void fail_after(std::size_t successes) noexcept { fail_after_ = successes + 1; }
    void fail_always(bool on) noexcept { fail_always_ = on; }
    std::optional<PersistedChannel> load(const Hash& channel_id) const;
    std::size_t saves() const noexcept { return saves_; }

  private:
    bool should_fail() noexcept;

    std::map<Hash, PersistedChannel> channels_;
    std::size_t fail_next_ = 0;
    std::size_t fail_after_ = 0;  // 1 + saves still allowed before one failure; 0: off
    bool fail_always_ = false;
    std::size_t saves_ = 0;
};

}  // namespace sluice::channel
