// The Block-STM collaborative scheduler: hands out execution and validation tasks to worker threads.
//
// Two shared indices sweep the batch in order: `execution_idx` (next transaction to execute) and
// `validation_idx` (next transaction to validate). A worker always takes the task with the lower
// index, so validation keeps up with execution and aborts are found early. Aborts and new writes
// move the indices back (`decrease_cnt` counts those moves so `check_done` can detect a stable
// state), `num_active_tasks` counts tasks some worker is holding. The batch is done when both
// indices are past the end, nothing is active and no index moved back while that was checked.
//
// Per transaction the scheduler keeps a status word (incarnation, ReadyToExecute | Executing |
// Executed | Aborting) changed by compare-and-swap, and the list of transactions suspended on it
// because they read one of its ESTIMATE markers. Only the dependency lists take a (spin) lock.
//
// Task-count accounting (our own, simpler than the paper's): every call that hands a task to a
// worker keeps `num_active_tasks` incremented; every call that returns "no task" to a worker that
// held one decrements it exactly once. A finishing worker may ask for its next task at once
// (take_next): its count then passes straight to that task. With two workers each increment and
// decrement of the shared counter moves its cache line between the cores; handing the count over
// saves four such moves per transaction in a batch without conflicts.
//
// Claims: a worker using next_task(Claims&) moves a shared index on by kClaimSize at once and
// works through the claimed transactions itself (those it can no longer start are skipped, as a
// single index would be). On a machine where fetching a cache line another core wrote costs about
// 350 ns, the two shared indices cost as much as a plain transfer's execution when every worker
// moves them once per transaction. Claims change only who runs what and when: an index moved back
// by an abort or a new write is swept again as always, try_incarnate still decides who executes an
// incarnation, and validating twice is harmless.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sluice/parallel/spin_wait.hpp"
#include "sluice/parallel/tx_version.hpp"

namespace sluice::parallel {

enum class TaskKind : std::uint8_t { kNone, kExecute, kValidate };

struct Task {
    TaskKind kind = TaskKind::kNone;
    TxVersion version{};

    explicit operator bool() const noexcept { return kind != TaskKind::kNone; }
};

enum class TxStatus : std::uint8_t { kReadyToExecute, kExecuting, kExecuted, kAborting };

class Scheduler {
  public:
    explicit Scheduler(std::size_t num_txs);

    // Starts over with a new batch of `num_txs`, keeping the per-transaction slots when they are
    // enough (a persistent executor reuses one Scheduler). No worker may be running.
    // clear_slots = false leaves every slot to reset_slot (a worker clearing the slots of the
    // transactions it is about to run touches lines it needs anyway, instead of the calling
    // thread writing every line a worker will then fetch from the other core).
    void reset(std::size_t num_txs, bool clear_slots = true);
    void reset_slot(TxIndex tx);

    // Segmented start (see executor.hpp): `tx` ran its incarnation 0 outside the scheduler,
    // after reset_slot(tx) and before start_at.
    void mark_executed(TxIndex tx) noexcept;
    // Opens the sweeps at `execution_idx` and `validation_idx` once the segments have run: every
    // transaction below execution_idx not marked executed, and every one at or above it, is
    // ReadyToExecute; the transactions below validation_idx are final. No worker may be running.
    void start_at(std::size_t execution_idx, std::size_t validation_idx);

    // The next task for an idle worker, or kNone when nothing is available right now.
    Task next_task();

    // Index claims of one worker (see the header comment): executions and validations it took
    // from the shared indices but has not started yet. Only its owner touches it.
    struct Claims {
        std::size_t execute_next = 0;
        std::size_t execute_end = 0;
        std::size_t validate_next = 0;
        std::size_t validate_end = 0;
    };
    static constexpr std::size_t kClaimSize = 4;
    // As next_task, for a worker that takes kClaimSize indices at a time. A worker never gives
    // its active count back while it holds claims, so claimed work cannot be lost.
    Task next_task(Claims& claims);
    // For a worker that holds its active count after a task ended without a follow-up (see
    // add_dependency): its next task, or kNone with the count given back.
    Task continue_holding(Claims& claims);

    // `tx` read an ESTIMATE written by `blocking`. Suspends `tx` until `blocking` finishes its next
    // execution and returns true (the worker's task ends), or returns false when `blocking` has
    // already finished meanwhile (the worker re-executes `tx` at once).
    // keep_active: the worker keeps its active count and must call continue_holding next (a
    // worker with claims must not give the count back while it holds them).
    bool add_dependency(TxIndex tx, TxIndex blocking, bool keep_active = false);

    // Records that `version` executed; `wrote_new_location` when its write set covers a location
    // its previous incarnation did not write. Resumes the transactions suspended on it and may
    // hand the worker the lowest of them to execute, or else the validation of `version`.
    // take_next: when nothing follows from this transaction, look for any next task at once
    // instead of returning kNone (see next_task_holding).
    Task finish_execution(TxVersion version, bool wrote_new_location, bool take_next = false,
                          Claims* claims = nullptr);

    // Claims the abort of `version` after a failed validation; false if another worker already
    // aborted it or the transaction has moved on to a newer incarnation.
    bool try_validation_abort(TxVersion version);

    // Ends a validation task; after an abort may hand the worker the re-execution of `tx`.
    Task finish_validation(TxIndex tx, bool aborted, bool take_next = false, Claims* claims = nullptr);

    bool done() const noexcept { return done_.value.load(std::memory_order_acquire); }

    // Introspection for tests and statistics.
    TxStatus status(TxIndex tx) const noexcept;
    Incarnation incarnation(TxIndex tx) const noexcept;
    std::size_t execution_idx() const noexcept { return execution_idx_.value.load(); }
    std::size_t validation_idx() const noexcept { return validation_idx_.value.load(); }
    std::size_t num_active_tasks() const noexcept { return num_active_tasks_.value.load(); }
    std::size_t size() const noexcept { return num_txs_; }

  private:
    template <class T>
    struct alignas(kCacheLine) Padded {
        T value{};
    };
    struct alignas(kCacheLine) TxSlot {
        std::atomic<std::uint64_t> status{0};
        SpinLock dependents_lock;
        std::vector<TxIndex> dependents;
    };

    static constexpr std::uint64_t pack(Incarnation inc, TxStatus s) noexcept {
        return (std::uint64_t{inc} << 8) | static_cast<std::uint64_t>(s);
    }
    static constexpr TxStatus status_of(std::uint64_t word) noexcept {
        return static_cast<TxStatus>(word & 0xff);
    }
    static constexpr Incarnation incarnation_of(std::uint64_t word) noexcept {
        return static_cast<Incarnation>(word >> 8);
    }

    bool try_incarnate(TxIndex tx, Incarnation& incarnation);
    Task next_task_from(Claims* claims);
    Task next_task_holding(Claims* claims);
    Task take_claimed(Claims& claims);
    void set_ready_status(TxIndex tx);
    void decrease_execution_idx(std::size_t target);
    void decrease_validation_idx(std::size_t target);
    void check_done();

    std::size_t num_txs_ = 0;
    std::unique_ptr<TxSlot[]> txs_;
    std::size_t txs_capacity_ = 0;
    Padded<std::atomic<std::size_t>> execution_idx_;
    Padded<std::atomic<std::size_t>> validation_idx_;
    Padded<std::atomic<std::size_t>> decrease_cnt_;
    Padded<std::atomic<std::size_t>> num_active_tasks_;
    Padded<std::atomic<bool>> done_;
};

}  // namespace sluice::parallel
