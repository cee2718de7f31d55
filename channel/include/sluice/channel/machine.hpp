// The N-party update state machine of one channel as seen by one participant (DESIGN.md §3). No I/O, no
// threads: inputs are local commands, received messages and clock ticks; outputs are messages to send
// and events. Every signature it releases was persisted first (invariant 2).
//
// Amendment to DESIGN.md §3 (the round as written there breaks invariant 1):
// DESIGN says the proposer sends version+1 *with its state signature*, and that when proposals cross the
// lower index wins and the other retries. But the loser has then already signed a different state at the
// same version, so it can neither countersign the winner (invariant 1) nor take its signature back: the
// others hold it and, with a relay replaying the losing proposal later, could still complete a state its
// own proposer had given up for lost. The round here is:
//  1. The proposer sends a Proposal authenticated by a signature over proposal_digest() (a domain-separated
//     digest the adjudicator never accepts); it does NOT sign the state yet.
//  2. Each other participant validates, persists "I sign this state at this version", signs the state and
//     returns the signature to the proposer.
//  3. With all N-1 signatures the proposer persists, signs the state last, persists the fully signed state
//     and broadcasts the Completion. Because its own signature comes last, a proposer that withdrew a
//     proposal (crossing lost, refused, timed out) can be sure it never completes.
//
// Versions. A participant only signs a state whose version exceeds both the latest fully signed version
// and every version it has ever signed (an identical re-request gets the same deterministic signature
// again); the persisted last-signed state is what enforces invariant 1 across restarts. Failed rounds
// therefore leave version gaps, which the adjudicator does not mind (any higher fully signed version
// wins). The proposer of index i picks version floor + (N - i), where floor is the highest version it
// knows to be used (latest fully signed, signed by itself, proposed by anyone on this base, or named as
// min_version in a rejection): with equal floors a lower index always proposes a HIGHER version.
//
// Crossing proposals X (index x) and Y (index y > x) on the same base, lower index wins:
//  * y receiving X while its own Y is pending withdraws Y (broadcasts a Rejection, reports channel_conflict
//    locally) and countersigns X; x receiving Y while X is pending refuses Y with channel_conflict;
//  * a third participant that countersigned Y and then receives X switches to X (X's version is higher,
//    so invariant 1 holds) if X gives it at least what Y does (Y stays outstanding, below), and refuses X
//    with channel_below_outstanding otherwise; one that countersigned X refuses Y. So X completes in
//    every delivery order unless a third participant saw Y first and X would give it less than Y.
// Crossing does not make completion exclusive, and neither does waiting: the proposer signs last and can
// complete, at any time, any state it holds every countersignature for. A countersigner that stops
// waiting (a timeout, or a withdrawal, which a dishonest proposer may send and still complete) cannot know
// whether the round it countersigned will still complete, and a proposer may complete two countersigned
// states of one base in either order (issue #18 §1: X paying us 500 is completed and acted on, then Z paying
// us 1 at a higher version is completed too and wins on-chain). Hence:
//
// Outstanding states. Every state we countersigned above latest_ stays "outstanding" (maybe completed)
// until a fully signed state of a higher or equal version is accepted: then it can no longer win on-chain
// and is dropped. Timing out or giving up the round does not drop it. The set is persisted with each
// state before its signature is released (Persistence::save_signing), so a restart keeps it. Before
// countersigning a peer's proposal P we validate it, besides the rules against latest_, against every
// outstanding O as a base: in every asset, what P gives us (our balance plus the locks paying us) must be
// at least what O gives us, else P is refused with channel_below_outstanding. A lock of P that O lacks
// counts only if it expires more than lock_margin from now: one near or past expiry is its payer's to
// refund, so it cannot stand in for money O gave us (the stateful fuzzer found that hole: settle a lock to
// us in a stalled round, let it expire, then pass a state still carrying it). Our own proposals are
// exempt: we choose them, and their version is above everything we signed.
//
// Property. Once the machine reports UpdateCompleted for a state S, no state this participant signed or
// will sign that can still win on-chain (a higher version) gives it less than S does in any asset, unless
// it was a proposal of ours or one we validated against S. Why: S is fully signed, so we signed it, and
// the versions we sign only grow (one exception: the very same state again). Take T above S that we
// signed; T was signed after S. Either S had already been accepted then, so T was validated against
// latest_ = S or a later fully signed state (and the payment rules never let a peer's proposal take from
// us), or T is ours; or S was not yet fully signed when we signed T, and then S was ours (impossible: we
// sign our own proposal only to complete it, and accept it at once) or a state we countersigned, so S
// was outstanding (nothing drops it but a fully signed state at or above its version, after which S can
// no longer be reported completed) and T was checked against it. A completion at or below latest_ is
// refused, so nothing superseded by a fully signed higher version is ever reported completed, and since
// the set is persisted before each signature leaves, a restart changes none of this.
//
// The cost: a round that never completes keeps constraining what we countersign on that base until a
// higher version is fully signed; our own proposal (exempt) always gets the channel past it. With crossing
// proposals, a third participant that countersigned Y refuses to switch to X if X gives it less than Y.
//
// App channels. A non-final update is checked by the app (app_rules.hpp), exactly as the adjudicator's
// progress would judge it as a force-move, with the L1 reveals we know (LockKnowledge) as the adjudicator's
// registry. A final state is checked by the payment-channel rule instead, "nobody but the proposer loses",
// locks resolved as for payment channels, and it must keep the app data of the state it closes. Why not ask
// the app: a final state is settled by conclude (or register), which never calls the app, so what protects a
// countersigner is only what the outcome pays it; and an app that accepted final moves would let a single
// participant end a dispute at once through progress. So LoanApp refuses every final move, and a loan closes
// cooperatively with the pledge paid to the borrower when the proposal reveals the repayment preimage (the
// lender holds it from the start, a repaid borrower was handed it), or paid to the lender when the borrower
// proposes that (a default). The rule sees collateral only, not the debt, which is no asset of the channel:
// proposing the pledge back before being repaid is the lender's own loss, which no countersigner has to
// prevent.
//
// Rejections are signed (issue #18 §7) like proposals, over rejection_digest() (messages.hpp), which binds
// the refused state; on receipt the signature is checked against the state we hold for that version (our
// proposal, or the one we countersigned) and anything else is dropped with channel_bad_signature. Unsigned,
// a relay could forge a min_version hint of latest + 2^20 + 1 (we would have no version left to propose
// until a restart) or a proposer's withdrawal (its countersigner stops waiting at once). A participant can
// still send a genuine hint that blocks our proposals: it could refuse to sign them anyway.
//
// What a state we sign may hold, checked on every proposal, ours and peers', payment and app channels:
//  * the dispute limits of limits.hpp (issue #18 §4: locks over all assets, assets, app data bytes), with
//    the shape rules in check_value_rules, channel_limit_exceeded; open() refuses an initial state above
//    them, restore() does not (a stored channel must stay usable whatever a later build's limits);
//  * no new lock expiring more than options.max_lock_lifetime (30 days) from now (issue #18 §3: on L1 a lock
//    holds the channel until it expires), channel_lock_too_long. Checked beside check_proposed_state, which
//    builds the context without the option; a lock the base already holds at least as long is not new.
//
// What we know about locks (issue #18 §6). LockKnowledge holds the preimages we know and the first L1 reveal
// times, both told by the node (learn_preimage: another hop of a route, or a preimage it saw in a proposal it
// relayed, e.g. a hub's downstream settle; record_reveal: the adjudicator's PreimageRevealed). The machine
// does not learn from proposals by itself: a preimage leaked in a failed round would then block every
// later refund of its lock by third parties too, so whether to rely on such a leak is the node's choice (a
// receiver that learns one should settle or reveal on L1 before the expiry). The payment
// rules refuse, with channel_lock_revealed, a refund of a lock revealed on L1 by its expiry, or, with no
// reveal recorded, of one whose preimage we know; they take a settle after the expiry when L1 recorded the
// reveal in time. It is persisted (save_preimage, save_reveal) and restored: a restart that forgot a
// preimage would countersign the very refund it protects against, the payer choosing when to propose it.
// Knowledge is used at once even if the store fails (it only makes us refuse more); the call then fails
// with channel_persist_failed and should be repeated. It is never pruned (a few bytes per lock).
//
// Funding (issue #18 §7). The adjudicator pays an underfunded channel in participant order, so a state
// signed before every deposit is confirmed could let a lower index take a higher index's deposit. We sign
// no state whose per-asset totals exceed the deposits recorded as confirmed (record_deposit; the node
// records a deposit once its confirmation policy holds, and a lower total after a reorg): check_value_rules
// runs on our own proposals when made and on every peer proposal (crossing and outstanding proposals go
// through it too: those checks come on top, never instead), and the deposits are checked again before a
// state we signed earlier is signed again on request and before we sign our own round last. The one state
// signed outside the machine is the initial one, before funding, as it must be (it is every depositor's
// exit); open() accepts it underfunded, and since updates conserve the totals nothing is signed on top of
// it until every asset's deposits cover it. The one update that raises a total, a deposit credit (issue #14,
// deposit_credit.hpp), is bound by the same check: it claims only holdings already confirmed beyond the
// total, credits its proposer alone, and leaves what we reserved for our own top-up (reserve_deposit)
// unclaimed. The initial state itself is safe only if it pays each participant its own deposit and the
// deposits go in participant order, so that the holdings always cover a prefix of the payout order: the
// adjudicator's deposit(params, asset, expectedHeld, amount) enforces that when the node passes the lower
// indices' shares as expectedHeld (this machine does not deposit).
//
// Changes against DESIGN.md §3, and why: the round above (the proposer signs last, proposals are
// authenticated by a domain-separated signature); outstanding states (a timed-out round stays binding);
// signed rejections; the limits and the lock lifetime (every signed state stays disputable on L1); lock
// knowledge and its persistence (a refund must not undo what L1 pays); the deposit rule on every signing
// path, including our last signature.
//
// One pending update per channel: a local command while a round is in flight (our own, or one we
// countersigned and wait to see completed) gets channel_update_pending.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "sluice/channel/app_rules.hpp"
#include "sluice/channel/clock.hpp"
#include "sluice/channel/messages.hpp"
#include "sluice/channel/persistence.hpp"
#include "sluice/channel/update.hpp"
#include "sluice/channel/update_rules.hpp"

namespace sluice::channel {

struct MachineOptions {
    std::uint64_t lock_margin = 600;  // seconds a new lock must still live when proposed
    // Seconds a new lock may live at most (issue #18 §3): on L1 a lock holds the channel until it expires.
    // An app channel whose locks must live longer (a loan's pledge until maturity) sets its own.
    std::uint64_t max_lock_lifetime = 30ull * 24 * 3600;
    std::uint64_t round_timeout = 120;          // seconds before a round we wait for is given up
    std::uint64_t max_version_step = 1u << 20;  // largest jump above the latest fully signed version we sign
};

// A message and the participant indices it goes to.
struct Outgoing {
    std::vector<std::size_t> to;
    Message message;
};

// A round reached a fully signed state (ours or someone else's); it is persisted already.
struct UpdateCompleted {
    SignedState state;
    std::optional<std::size_t> proposer;  // known when it is us or the round we countersigned
};

// Our own proposal at `version` will not complete (refused, lost a crossing, timed out, persist failure).
struct UpdateFailed {
    std::uint64_t version = 0;
    Error error;
};

using Event = std::variant<UpdateCompleted, UpdateFailed>;

struct Output {
    std::vector<Outgoing> messages;
    std::vector<Event> events;
};

// The fixed parts of a machine: who we are and what we trust.
struct MachineSetup {
    Params params;
    std::size_t index = 0;  // our participant index
    Deposits deposits;      // on-chain deposits per asset, as last observed
    Clock clock;
    const AppRules* app = nullptr;  // required for app channels, ignored for payment channels
    MachineOptions options;
};

class Machine {
  public:
    // A new channel from its fully signed initial state (persisted here, before anything else).
    static Result<Machine> open(MachineSetup setup, PrivateKey key, SignedState initial, Persistence& store);
    // After a restart, from what the store holds.
    static Result<Machine> restore(MachineSetup setup, PrivateKey key, PersistedChannel persisted,
                                   Persistence& store);

    // Payment channels: propose one update made of `ops` (a batch).
    Result<Output> propose(const std::vector<Operation>& ops);
    // App channels (or payment channels, checked by the same rules): propose `next` as the new outcome,
    // app data and final flag; channel id and version are filled in here.
    Result<Output> propose_state(State next, std::vector<Bytes32> preimages = {});

    // A message from another participant. An error means it was dropped and nothing changed; a refused
    // proposal is not an error (the Rejection to send is in the output).
    Result<Output> receive(const Message& message);

    // Gives up rounds older than options.round_timeout (ours are withdrawn and reported failed).
    Output tick();
    // The transport to `participant` was lost and is back (a reconnect, perhaps a restart of theirs): what
    // was in flight with it may be gone on its side, so instead of waiting for the round timeout our own
    // round is withdrawn if it still lacks that participant's countersignature (reported failed with
    // channel_timeout), and a round that participant proposed and we countersigned is no longer waited
    // for. Both are what tick() does at the timeout, with the same safety: we sign our own state last, and
    // a state we countersigned stays outstanding (a Completion of it is still taken).
    Output peer_reconnected(std::size_t participant);

    // A newer confirmed on-chain deposit total for `asset` (lower after a reorg: nothing is signed that
    // the deposits do not cover, see Funding above).
    void record_deposit(const Address& asset, const u256& total);
    // Top-ups (issue #14, deposit_credit.hpp): our own deposit of `amount` is going to L1 and is not
    // credited yet. Until our Deposit update completes (which consumes it) or release_deposit, a peer's
    // credit must leave it uncovered, so nobody who watches L1 can claim it first. Call it before the L1
    // transaction is sent. Not persisted: a node that restarts mid top-up reserves again before it credits.
    void reserve_deposit(const Address& asset, const u256& amount);
    void release_deposit(const Address& asset, const u256& amount);
    const Deposits& reserved_deposits() const noexcept { return reserved_; }
    // A preimage this participant learned (another hop of a route, the node), and a first reveal on L1
    // (the adjudicator's PreimageRevealed / revealedAt). Both feed LockKnowledge (update_rules.hpp) and are
    // persisted (save_preimage, save_reveal). Knowledge only makes the machine refuse more, so it is used
    // at once even when the store fails (channel_persist_failed: call again until it succeeds).
    Status learn_preimage(const Bytes32& preimage);
    Status record_reveal(const Hash& hashlock, std::uint64_t revealed_at);
    const LockKnowledge& known() const noexcept { return known_; }

    const Params& params() const noexcept { return setup_.params; }
    const Hash& channel_id() const noexcept { return channel_id_; }
    std::size_t index() const noexcept { return setup_.index; }
    const SignedState& latest() const noexcept { return latest_; }
    // The version of the highest state we signed (at least latest().state.version).
    std::uint64_t highest_signed_version() const noexcept;
    bool round_pending() const noexcept { return own_.has_value() || peer_.has_value(); }
    bool is_final() const noexcept { return latest_.state.is_final; }
    // States we countersigned above latest() that may still complete (machine.hpp).
    const std::vector<State>& outstanding() const noexcept { return outstanding_; }

  private:
    // Our own proposal, collecting countersignatures.
    struct OwnRound {
        State state;
        std::vector<Bytes32> preimages;
        std::vector<std::optional<Signature>> sigs;
        std::uint64_t started = 0;
    };
    // A proposal we countersigned and wait to see completed.
    struct PeerRound {
        std::size_t proposer = 0;
        State state;
        std::uint64_t started = 0;
    };

    Machine(MachineSetup setup, PrivateKey key, Persistence& store, SignedState latest);

    Status check_proposed_state(const State& next, std::size_t proposer,
                                std::span<const Bytes32> preimages) const;
    Status check_against_outstanding(const State& next) const;
    Status check_lock_lifetimes(const State& next) const;
    std::uint64_t version_floor() const noexcept;
    std::vector<std::size_t> others() const;
    void withdraw_own(Output& out, Errc code, const std::string& reason);
    Outgoing rejection_to(std::size_t to, const State& refused, const Error& error) const;
    Rejection signed_rejection(const State& refused, Errc code, std::string reason,
                               std::uint64_t min_version) const;
    Status check_rejection(const Rejection& msg, const State& refused) const;

    Result<Output> on_proposal(const Proposal& msg);
    Result<Output> on_countersignature(const Countersignature& msg);
    Result<Output> on_completion(const Completion& msg);
    Result<Output> on_rejection(const Rejection& msg);
    void finish_own_round(Output& out);
    Status accept_fully_signed(const SignedState& full, std::optional<std::size_t> proposer, Output& out);
    void note_version_seen(std::uint64_t version) noexcept;
    std::uint64_t now() const { return setup_.clock(); }

    MachineSetup setup_;
    PrivateKey key_;
    Persistence* store_;
    Hash channel_id_;
    SignedState latest_;
    std::optional<State> last_signed_;  // above latest_ only
    std::vector<State> outstanding_;    // every state we countersigned above latest_ (machine.hpp)
    std::uint64_t seen_floor_ = 0;      // highest version seen used on this base (not persisted)
    LockKnowledge known_;
    Deposits reserved_;  // our own deposits not credited yet (reserve_deposit)
    std::optional<OwnRound> own_;
    std::optional<PeerRound> peer_;
};

}  // namespace sluice::channel
