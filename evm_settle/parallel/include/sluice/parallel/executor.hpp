// execute_batch: runs a batch of transactions with Block-STM on a fixed pool of worker threads and
// returns exactly what executing them one after another would return.
//
// The VM is a callable `Output(TxIndex tx, TxView<Traits, Base>& view)` that executes transaction
// `tx` against `view` (see tx_view.hpp): it may be called several times for the same transaction
// (re-executions after aborts) and concurrently from different threads, so it must be thread-safe,
// deterministic in what it reads, and must not throw. Only the output of a transaction's last,
// validated execution is kept.
//
// threads <= 1 runs the plain sequential path: no multi-version memory, no scheduler, no extra
// thread, so it is the honest baseline for every speed-up ratio. Otherwise `threads` workers (the
// calling thread and threads - 1 pool threads) loop over the scheduler: take a task, execute or
// validate, repeat until the scheduler reports done. No lock is held while the VM runs.
//
// Segmented start (ExecutorOptions::segmented): before the scheduler runs, the batch is cut into
// one contiguous segment per worker and every worker executes its own segment in order, as
// incarnations 0, straight into the multi-version memory. Segment 0 is then final (each of its
// transactions ran after every transaction below it, on one thread), and every other transaction
// has run once and waits for validation: the scheduler starts with execution_idx past the end and
// validation_idx at segment 1, and Block-STM proper takes it from there (aborts, ESTIMATEs,
// re-executions). Why: with the work interleaved a few transactions at a time, each worker keeps
// fetching lines the other core wrote last (scheduler slots, read sets, table nodes) at ~300 ns
// each on a two-vCPU VM; with contiguous segments a worker mostly touches its own. A segment
// whose executions keep reading writes of lower segments (a dependency chain) stops the phase for
// everyone after a probe window; the scheduler then resumes from the end of segment 0's prefix,
// skipping what already ran.
// PersistentExecutor keeps the threads, the multi-version memory and the scheduler across batches.
#pragma once

#include <algorithm>
#include <any>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sluice/parallel/mv_memory.hpp"
#include "sluice/parallel/scheduler.hpp"
#include "sluice/parallel/spin_wait.hpp"
#include "sluice/parallel/tx_view.hpp"
#include "sluice/parallel/worker_pool.hpp"

namespace sluice::parallel {

struct ExecutionStats {
    std::uint64_t executions = 0;         // VM calls, including suspended and aborted ones
    std::uint64_t validations = 0;        // read-set validations
    std::uint64_t validation_aborts = 0;  // failed validations that aborted an incarnation
    std::uint64_t suspensions = 0;        // executions stopped at an ESTIMATE
    std::uint64_t segment_stops = 0;      // segmented starts stopped early (ExecutorOptions::segment_probe)

    ExecutionStats& operator+=(const ExecutionStats& o) noexcept {
        executions += o.executions;
        validations += o.validations;
        validation_aborts += o.validation_aborts;
        suspensions += o.suspensions;
        segment_stops += o.segment_stops;
        return *this;
    }
};

struct ExecutorOptions {
    // Give up on a batch once some worker has run `abandon_after` executions of which more than
    // half were suspended, aborted, or read a value written by one of the two transactions just
    // before: such a batch is a dependency chain (every transaction increments one counter) and
    // Block-STM would only add overhead to a sequential run. The last count is what the batch is,
    // whatever the timing: when the workers happen to hand the chain on without suspending, the
    // first two alone miss it. 0 = never; batches under 8 * abandon_after transactions never
    // give up either.
    std::uint64_t abandon_after = 0;
    // The segmented start (see the header comment); used for batches of at least two
    // transactions per worker.
    bool segmented = true;
    // The segmented phase stops once `segment_probe` consecutive executions of a worker include
    // more than half that read a location written below the worker's segment (also when the read
    // itself returned a write of the worker's own segment: a counter incremented in both segments
    // is a chain from the segment's first increment on).
    std::uint64_t segment_probe = 32;
};

template <class Traits, class Output>
struct BatchResult {
    std::vector<Output> outputs;  // per transaction
    std::unordered_map<typename Traits::Key, typename Traits::Value, typename Traits::KeyHash>
        state;  // written locations
    ExecutionStats stats;
    // The run gave up because the batch behaved like a dependency chain (ExecutorOptions): outputs
    // and state are then meaningless and the caller must execute the batch sequentially.
    bool abandoned = false;
};

namespace detail {

// One cache line (or more) per transaction: neighbours are written by different workers, and a
// line written by the other core costs a few hundred nanoseconds to get back on this one.
template <class Output>
struct alignas(kCacheLine) OutputSlot {
    Output output{};
};

template <class Traits, class Base, class Vm, class Output>
BatchResult<Traits, Output> execute_sequential(const Base& base, std::size_t num_txs, Vm& vm) {
    BatchResult<Traits, Output> result;
    result.outputs.resize(num_txs);
    auto& state = result.state;
    TxView<Traits, Base> view(state, base);
    for (std::size_t i = 0; i < num_txs; ++i) {
        view.reset(static_cast<TxIndex>(i));
        result.outputs[i] = vm(static_cast<TxIndex>(i), view);
        for (const auto& w : view.writes()) {
            if (w.kind == WriteKind::kValue) {
                state.insert_or_assign(w.key, w.value);
                continue;
            }
            auto it = state.find(w.key);
            if (it != state.end()) {
                it->second = Traits::apply_delta(it->second, w.delta);
            } else {
                state.emplace(w.key, Traits::apply_delta(base(w.key), w.delta));
            }
        }
    }
    result.stats.executions = num_txs;
    return result;
}

template <class Traits, class Base, class Vm, class Output>
class ParallelRun {
  public:
    // Uses (and first resets) the scheduler and memory of a persistent executor.
    // `outputs`: the executor's buffer, kept across batches (a fresh one costs page faults).
    ParallelRun(const Base& base, std::size_t num_txs, Vm& vm, Scheduler& scheduler, MVMemory<Traits>& memory,
                std::vector<OutputSlot<Output>>& outputs, const ExecutorOptions& options, unsigned workers)
        : base_(base),
          vm_(vm),
          scheduler_(scheduler),
          memory_(memory),
          outputs_(outputs),
          num_txs_(num_txs),
          // A small batch never gives up: it is cheap to finish either way.
          abandon_after_(num_txs >= kMinTxsPerAbandon * options.abandon_after ? options.abandon_after : 0),
          segments_(options.segmented && num_txs >= kMinTxsPerSegment * workers ? workers : 0),
          segment_probe_(options.segment_probe),
          segment_stop_(segments_) {
        // Segmented: each worker clears the slots of its own segment as it goes.
        scheduler_.reset(num_txs, /*clear_slots=*/segments_ == 0);
        memory_.reset(num_txs, /*clear_slots=*/segments_ == 0);
        // Every transaction's output is overwritten by its first execution.
        if (outputs_.size() < num_txs) outputs_.resize(num_txs);
    }

    ExecutionStats work(unsigned worker) {
        ExecutionStats stats;
        // Executions that read a write of tx - 1 or tx - 2 (in the segmented start: that read below
        // the worker's segment).
        std::uint64_t chained = 0;
        if (segments_ != 0) {
            run_segment(worker, stats, chained);
            meet_after_segments(stats);
        }
        TxView<Traits, Base> view(memory_, base_, &scheduler_);
        Backoff backoff;
        Task task;
        Scheduler::Claims claims;
        while (!scheduler_.done() && !abandoned_.load(std::memory_order_relaxed)) {
            if (task.kind == TaskKind::kExecute) {
                task = execute(task.version, view, stats, chained, claims, worker);
                if (abandon_after_ != 0 && stats.executions >= abandon_after_ &&
                    2 * (stats.suspensions + stats.validation_aborts + chained) > stats.executions) {
                    abandoned_.store(true, std::memory_order_relaxed);
                }
            } else if (task.kind == TaskKind::kValidate) {
                task = validate(task.version, stats, claims);
            } else {
                task = scheduler_.next_task(claims);
                if (task) {
                    backoff.reset();
                } else {
                    backoff.pause();
                }
            }
        }
        return stats;
    }

    // The outputs and stats (the caller collects the final state from the memory).
    BatchResult<Traits, Output> finish(ExecutionStats stats) {
        BatchResult<Traits, Output> result;
        result.stats = stats;
        if (abandoned_.load()) {
            result.abandoned = true;
            return result;
        }
        result.outputs.reserve(num_txs_);
        for (std::size_t i = 0; i < num_txs_; ++i)
            result.outputs.push_back(std::move(outputs_[i].output));
        return result;
    }

  private:
    std::size_t segment_begin(std::size_t segment) const noexcept { return num_txs_ * segment / segments_; }

    // Phase one of the segmented start: runs this worker's segment in order, each transaction as
    // its incarnation 0, until the end or until some worker stops the phase.
    void run_segment(unsigned worker, ExecutionStats& stats, std::uint64_t& chained) {
        const std::size_t begin = segment_begin(worker);
        const std::size_t end = segment_begin(worker + 1);
        // No scheduler for the wait hint: no location is contended before a validation failed.
        TxView<Traits, Base> view(memory_, base_);
        std::uint64_t window = 0;
        std::uint64_t crossed = 0;  // executions in the window that read below the segment
        std::size_t tx = begin;
        for (; tx < end && !segments_failed_.load(std::memory_order_relaxed); ++tx) {
            const auto idx = static_cast<TxIndex>(tx);
            scheduler_.reset_slot(idx);
            memory_.reset_slot(idx);
            view.reset(idx);
            ++stats.executions;
            Output out = vm_(idx, view);
            if (view.blocked()) {  // no ESTIMATE exists before a validation failed; stop to be safe
                segments_failed_.store(true, std::memory_order_relaxed);
                break;
            }
            // Reading the transaction just before costs nothing on one thread: what counts
            // towards giving up is reading below the segment, which will likely be re-run.
            if (view.first_writer_read() < begin || reads_resolved(view.reads())) {
                ++crossed;
                ++chained;
            }
            memory_.record({idx, 0}, view.reads(), view.writes(), worker);
            outputs_[tx].output = std::move(out);
            scheduler_.mark_executed(idx);
            if (++window == segment_probe_) {
                if (2 * crossed > window) segments_failed_.store(true, std::memory_order_relaxed);
                window = crossed = 0;
            }
        }
        segment_stop_[worker] = tx;
        for (; tx < end; ++tx) {
            scheduler_.reset_slot(static_cast<TxIndex>(tx));
            memory_.reset_slot(static_cast<TxIndex>(tx));
        }
    }

    // A read of credits summed up: likely stale once the lower segments have run.
    static bool reads_resolved(const std::vector<ReadEntry<Traits>>& reads) {
        return std::any_of(reads.begin(), reads.end(),
                           [](const ReadEntry<Traits>& r) { return r.origin == ReadOrigin::kResolved; });
    }

    // The barrier between the phases: the last worker to arrive opens the scheduler's sweeps.
    void meet_after_segments(ExecutionStats& stats) {
        if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == segments_) {
            if (segments_failed_.load(std::memory_order_relaxed)) {
                stats.segment_stops = 1;
                // Segment 0's prefix is final; everything above it runs or validates through the
                // scheduler (what already ran is marked executed and only validated).
                scheduler_.start_at(segment_stop_[0], segment_stop_[0]);
            } else {
                scheduler_.start_at(num_txs_, segment_begin(1));
            }
            released_.store(true, std::memory_order_release);
            return;
        }
        Backoff backoff;
        while (!released_.load(std::memory_order_acquire))
            backoff.pause();
    }

    Task execute(TxVersion version, TxView<Traits, Base>& view, ExecutionStats& stats, std::uint64_t& chained,
                 Scheduler::Claims& claims, unsigned worker) {
        for (;;) {
            view.reset(version.tx);
            ++stats.executions;
            Output out = vm_(version.tx, view);
            if (view.blocked()) {
                ++stats.suspensions;
                if (scheduler_.add_dependency(version.tx, view.blocking_tx(), /*keep_active=*/true)) {
                    return scheduler_.continue_holding(claims);
                }
                continue;  // the blocking transaction finished meanwhile: run again at once
            }
            if (abandon_after_ != 0 && reads_near_predecessor(version.tx, view.reads())) ++chained;
            const bool wrote_new = memory_.record(version, view.reads(), view.writes(), worker);
            outputs_[version.tx].output = std::move(out);
            return scheduler_.finish_execution(version, wrote_new, /*take_next=*/true, &claims);
        }
    }

    static bool reads_near_predecessor(TxIndex tx, const std::vector<ReadEntry<Traits>>& reads) {
        return std::any_of(reads.begin(), reads.end(), [tx](const ReadEntry<Traits>& r) {
            return r.origin == ReadOrigin::kVersion && r.version.tx + 2 >= tx;
        });
    }

    Task validate(TxVersion version, ExecutionStats& stats, Scheduler::Claims& claims) {
        ++stats.validations;
        const bool valid = memory_.validate_read_set(version.tx, base_);
        const bool aborted = !valid && scheduler_.try_validation_abort(version);
        if (aborted) {
            ++stats.validation_aborts;
            memory_.convert_writes_to_estimates(version.tx);
        }
        return scheduler_.finish_validation(version.tx, aborted, /*take_next=*/true, &claims);
    }

    static constexpr std::size_t kMinTxsPerAbandon = 8;
    static constexpr std::size_t kMinTxsPerSegment = 2;

    const Base& base_;
    Vm& vm_;
    Scheduler& scheduler_;
    MVMemory<Traits>& memory_;
    std::vector<OutputSlot<Output>>& outputs_;
    std::size_t num_txs_;
    std::uint64_t abandon_after_;
    std::size_t segments_;  // 0: no segmented start
    std::uint64_t segment_probe_;
    std::vector<std::size_t>
        segment_stop_;  // per worker: the first transaction of its segment it did not run
    std::atomic<bool> segments_failed_{false};
    std::atomic<std::size_t> arrived_{0};
    std::atomic<bool> released_{false};
    std::atomic<bool> abandoned_{false};
};

}  // namespace detail

// Executes batch after batch on the same worker threads, multi-version memory and scheduler, so a
// batch pays neither thread start-up nor fresh allocations (and their page faults) for them.
// One batch at a time; threads <= 1 runs the plain sequential path.
template <class Traits>
class PersistentExecutor {
  public:
    explicit PersistentExecutor(unsigned threads, ExecutorOptions options = {})
        : pool_(threads), options_(options) {}

    unsigned threads() const noexcept { return pool_.size(); }

    template <class Base, class Vm>
    auto run(const Base& base, std::size_t num_txs, Vm&& vm) {
        using NoVisit = void (*)(unsigned, const typename Traits::Key&, typename Traits::Value,
                                 const typename Traits::Value*);
        return run_impl(base, num_txs, vm, static_cast<NoVisit*>(nullptr));
    }

    // As run, but the workers hand each written location's final value to
    // visit(worker, key, value, base_or_null) (see MVMemory::for_each_final_in_shard), concurrently,
    // each location exactly once, instead of returning them in BatchResult::state (left empty).
    // worker < threads(). On the parallel path `key` and `base_or_null` point into the
    // multi-version memory and stay valid until the next batch starts; on the sequential path the
    // calling thread visits as worker 0 and they are valid during the call only.
    template <class Base, class Vm, class Visit>
    auto run_visit(const Base& base, std::size_t num_txs, Vm&& vm, Visit&& visit) {
        return run_impl(base, num_txs, vm, &visit);
    }

    // Runs f(worker) once on every worker (worker < threads()), the calling thread included, and
    // returns when all have: for work that follows a batch (assembling its results) in parallel.
    template <class F>
    void for_each_worker(F&& f) {
        pool_.run([&](unsigned w) { f(w); });
    }

  private:
    template <class Base, class Vm, class Visit>
    auto run_impl(const Base& base, std::size_t num_txs, Vm& vm, Visit* visit) {
        using Output = std::invoke_result_t<Vm&, TxIndex, TxView<Traits, Base>&>;
        static_assert(std::is_default_constructible_v<Output>, "VM outputs must be default constructible");
        if (pool_.size() <= 1 || num_txs <= 1) {
            auto result = detail::execute_sequential<Traits, Base, Vm, Output>(base, num_txs, vm);
            if (visit != nullptr) {
                for (const auto& [key, value] : result.state)
                    (*visit)(0U, key, value, nullptr);
                result.state.clear();
            }
            return result;
        }
        using Slots = std::vector<detail::OutputSlot<Output>>;
        if (std::any_cast<Slots>(&outputs_) == nullptr) outputs_ = Slots{};
        detail::ParallelRun<Traits, Base, Vm, Output> batch(
            base, num_txs, vm, scheduler_, memory_, *std::any_cast<Slots>(&outputs_), options_, pool_.size());
        std::vector<ExecutionStats> stats(pool_.size());
        pool_.run([&](unsigned w) { stats[w] = batch.work(w); });
        ExecutionStats total;
        for (const auto& st : stats)
            total += st;
        auto result = batch.finish(total);
        if (!result.abandoned) {
            if (visit == nullptr) {
                result.state = memory_.snapshot(base);
            } else {
                const unsigned workers = pool_.size();
                pool_.run([&](unsigned w) {
                    for (std::size_t shard = w; shard < MVMemory<Traits>::shard_count(); shard += workers) {
                        memory_.for_each_final_in_shard(shard, base,
                                                        [&](const auto& key, auto value, const auto* b) {
                                                            (*visit)(w, key, std::move(value), b);
                                                        });
                    }
                });
            }
        }
        return result;
    }

    Scheduler scheduler_{0};  // first: its cache-line-aligned members leave no padding there
    MVMemory<Traits> memory_{0};
    WorkerPool pool_;
    ExecutorOptions options_;
    std::any outputs_;  // the per-transaction output buffer of the last VM type used
};

// One batch on a temporary executor (threads started and memory allocated for this batch only).
template <class Traits, class Base, class Vm>
auto execute_batch(const Base& base, std::size_t num_txs, Vm&& vm, unsigned threads,
                   ExecutorOptions options = {}) {
    return PersistentExecutor<Traits>(threads, options).run(base, num_txs, vm);
}

}  // namespace sluice::parallel
