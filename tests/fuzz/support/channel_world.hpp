// A channel of 2-4 update machines driven one step at a time, for the stateful channel fuzzer (issue #18 §8,
// after LDK's chanmon_consistency). Every message goes through a queue the driver delivers, drops,
// duplicates or replays in any order; clocks advance and rounds time out; any party restarts from what its
// store persisted. One participant may be an adversary: its machine runs, but it can keep the
// countersignatures sent to it away from its machine, and complete any state it proposed by hand once it
// holds every countersignature, in any order and to any subset of the others.
//
// As each signature leaves and each completion is reported, for every honest party h:
//  * invariant 1: h never signed two different states at one version;
//  * invariant 2: every state h signed was persisted (latest or outstanding) before its signature left;
//  * invariant 3: every state h signed keeps each asset's total (the deposits never change here);
//  * the property of machine.hpp (issue #18 §1): for every state S that h reported completed and every state
//    T that h signed with a higher version, T gives h at least what S does in every asset (balance plus the
//    locks paying h that had not expired when T was signed), unless T, or a state between the two, was h's
//    own proposal (its own choice to pay).
// At the end (check_on_chain), the latest fully signed state of every honest party is registered and
// withdrawn on the embedded EVM with the committed adjudicator: both must succeed, the channel must end
// with nothing held, and the two must fit in the dispute gas budget.
// A violation prints what happened and aborts, which libFuzzer reports as a crash with its input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sluice/channel/machine.hpp"

namespace sluice::channel::fuzz {

class ChannelWorld {
  public:
    static constexpr std::size_t kMaxParties = 4;

    // `adversary` >= parties: everyone is honest.
    ChannelWorld(std::size_t parties, std::size_t adversary);

    std::size_t parties() const noexcept { return parties_.size(); }
    std::size_t queued() const noexcept { return queue_.size(); }

    // Party p proposes one operation chosen by `kind` with arguments a, b (a refused proposal is fine).
    void propose(std::size_t p, std::uint8_t kind, std::uint8_t a, std::uint8_t b);
    // Delivers queued message k. A countersignature for the adversary goes only to its hand when `capture`.
    void deliver(std::size_t k, bool capture);
    void drop(std::size_t k);
    void duplicate(std::size_t k);
    // Any message ever sent, queued again for its original receiver.
    void replay(std::size_t k);
    void advance(std::uint64_t seconds);  // and ticks every machine
    void restart(std::size_t p);
    // The adversary completes one state it proposed and holds every countersignature for, and sends the
    // completion to the parties in `mask`.
    void complete_by_hand(std::size_t pick, std::uint8_t mask);
    // Runs every queued message (nothing captured).
    void deliver_all();

    void check_on_chain() const;

  private:
    struct Party {
        MemoryPersistence store;
        std::optional<Machine> machine;
    };
    struct Queued {
        std::size_t from;
        std::size_t to;
        Message message;
    };
    struct Signed {
        State state;
        std::uint64_t at;  // our clock when the signature left
        bool own;
    };
    struct Hand {
        State state;
        std::map<std::size_t, Signature> countersigs;
    };

    bool honest(std::size_t i) const noexcept { return i != adversary_; }
    void post(std::size_t from, const Output& out, const std::optional<State>& countersigned);
    void record_signed(std::size_t who, const State& state, bool own);
    void record_completed(std::size_t who, const State& state);
    void check_pair(std::size_t who, const State& completed, const Signed& later) const;
    [[noreturn]] void violation(const std::string& what) const;

    Params params_;
    std::size_t adversary_;
    std::shared_ptr<std::uint64_t> now_;
    std::vector<std::unique_ptr<Party>> parties_;
    std::deque<Queued> queue_;
    std::vector<Queued> history_;
    std::uint64_t next_secret_ = 1;
    std::map<Hash, Bytes32> secrets_;          // every hashlock's preimage, known to all here
    std::vector<u256> totals_;                 // per asset, fixed
    std::vector<std::vector<Signed>> signed_;  // per party
    std::vector<std::map<std::uint64_t, std::size_t>> by_version_;  // per party: version -> index in signed_
    std::vector<std::set<std::uint64_t>> own_versions_;  // per party: versions of its own signed proposals
    std::vector<std::vector<State>> completed_;          // per party, as reported
    std::map<std::uint64_t, Hand> hand_;                 // the adversary's proposals by version
    std::vector<std::string> log_;                       // the steps, printed on a violation
};

}  // namespace sluice::channel::fuzz
