// Block-STM collaborative scheduler (see scheduler.hpp for the state machine and accounting).
#include "sluice/parallel/scheduler.hpp"

#include <algorithm>
#include <cassert>
#include <mutex>

namespace sluice::parallel {

namespace {

void atomic_min(std::atomic<std::size_t>& a, std::size_t target) noexcept {
    std::size_t cur = a.load();
    while (target < cur && !a.compare_exchange_weak(cur, target)) {
    }
}

}  // namespace

Scheduler::Scheduler(std::size_t num_txs) {
    reset(num_txs);
}

void Scheduler::reset(std::size_t num_txs, bool clear_slots) {
    num_txs_ = num_txs;
    if (num_txs > txs_capacity_) {
        txs_ = std::make_unique<TxSlot[]>(num_txs);
        txs_capacity_ = num_txs;
    } else if (clear_slots) {
        for (std::size_t i = 0; i < num_txs; ++i)
            reset_slot(static_cast<TxIndex>(i));
    }
    start_at(0, 0);
}

void Scheduler::reset_slot(TxIndex tx) {
    txs_[tx].status.store(0, std::memory_order_relaxed);
    txs_[tx].dependents.clear();
}

void Scheduler::mark_executed(TxIndex tx) noexcept {
    txs_[tx].status.store(pack(0, TxStatus::kExecuted), std::memory_order_relaxed);
}

void Scheduler::start_at(std::size_t execution_idx, std::size_t validation_idx) {
    execution_idx_.value.store(execution_idx);
    validation_idx_.value.store(validation_idx);
    decrease_cnt_.value.store(0);
    num_active_tasks_.value.store(0);
    done_.value.store(std::min(execution_idx, validation_idx) >= num_txs_);
}

TxStatus Scheduler::status(TxIndex tx) const noexcept {
    return status_of(txs_[tx].status.load());
}

Incarnation Scheduler::incarnation(TxIndex tx) const noexcept {
    return incarnation_of(txs_[tx].status.load());
}

void Scheduler::decrease_execution_idx(std::size_t target) {
    atomic_min(execution_idx_.value, target);
    decrease_cnt_.value.fetch_add(1);
}

void Scheduler::decrease_validation_idx(std::size_t target) {
    atomic_min(validation_idx_.value, target);
    decrease_cnt_.value.fetch_add(1);
}

void Scheduler::check_done() {
    // All loads are sequentially consistent: the decrease counter read first and last brackets the
    // other reads, so an index moved back in between is noticed and the check simply fails.
    const std::size_t observed = decrease_cnt_.value.load();
    if (std::min(execution_idx_.value.load(), validation_idx_.value.load()) >= num_txs_ &&
        num_active_tasks_.value.load() == 0 && observed == decrease_cnt_.value.load()) {
        done_.value.store(true, std::memory_order_release);
    }
}

bool Scheduler::try_incarnate(TxIndex tx, Incarnation& incarnation) {
    if (tx >= num_txs_) return false;
    std::uint64_t word = txs_[tx].status.load();
    while (status_of(word) == TxStatus::kReadyToExecute) {
        if (txs_[tx].status.compare_exchange_weak(word, pack(incarnation_of(word), TxStatus::kExecuting))) {
            incarnation = incarnation_of(word);
            return true;
        }
    }
    return false;
}

bool Scheduler::add_dependency(TxIndex tx, TxIndex blocking, bool keep_active) {
    assert(blocking < tx);
    {
        std::lock_guard guard(txs_[blocking].dependents_lock);
        // finish_execution publishes kExecuted before it takes this lock, so either we see it
        // here or it will find `tx` in the list it swaps out.
        if (status_of(txs_[blocking].status.load()) == TxStatus::kExecuted) return false;
        const std::uint64_t word = txs_[tx].status.load();
        assert(status_of(word) == TxStatus::kExecuting);
        txs_[tx].status.store(pack(incarnation_of(word), TxStatus::kAborting));
        txs_[blocking].dependents.push_back(tx);
    }
    if (!keep_active) num_active_tasks_.value.fetch_sub(1);
    return true;
}

void Scheduler::set_ready_status(TxIndex tx) {
    const std::uint64_t word = txs_[tx].status.load();
    assert(status_of(word) == TxStatus::kAborting);
    txs_[tx].status.store(pack(incarnation_of(word) + 1, TxStatus::kReadyToExecute));
}

Task Scheduler::finish_execution(TxVersion version, bool wrote_new_location, bool take_next, Claims* claims) {
    TxSlot& slot = txs_[version.tx];
    assert(slot.status.load() == pack(version.incarnation, TxStatus::kExecuting));
    slot.status.store(pack(version.incarnation, TxStatus::kExecuted));

    std::vector<TxIndex> dependents;
    {
        std::lock_guard guard(slot.dependents_lock);
        dependents.swap(slot.dependents);
    }
    // The lowest resumed dependent goes straight to this worker (it usually read what we just
    // wrote, and a hand-off to another worker would cost a wake-up); the others go back to the
    // execution sweep.
    Task next;
    if (!dependents.empty()) {
        std::sort(dependents.begin(), dependents.end());
        for (TxIndex d : dependents)
            set_ready_status(d);
        if (dependents.size() > 1) decrease_execution_idx(dependents[1]);
        Incarnation inc = 0;
        if (try_incarnate(dependents[0], inc)) next = {TaskKind::kExecute, {dependents[0], inc}};
    }

    if (validation_idx_.value.load() > version.tx) {
        if (!wrote_new_location && !next) return {TaskKind::kValidate, version};
        // A new location may invalidate reads of every later transaction (or this worker is busy
        // with a dependent): revalidate from here.
        decrease_validation_idx(version.tx);
    }
    if (next) return next;
    if (take_next) return next_task_holding(claims);
    num_active_tasks_.value.fetch_sub(1);
    return {};
}

Task Scheduler::next_task() {
    return next_task_from(nullptr);
}

Task Scheduler::next_task(Claims& claims) {
    return next_task_from(&claims);
}

Task Scheduler::next_task_from(Claims* claims) {
    if (done()) return {};
    if (std::min(execution_idx_.value.load(), validation_idx_.value.load()) >= num_txs_) {
        check_done();
        return {};
    }
    num_active_tasks_.value.fetch_add(1);
    return next_task_holding(claims);
}

Task Scheduler::continue_holding(Claims& claims) {
    return next_task_holding(&claims);
}

Task Scheduler::take_claimed(Claims& claims) {
    while (claims.validate_next < claims.validate_end) {
        const std::size_t idx = claims.validate_next++;
        const std::uint64_t word = txs_[idx].status.load();
        // Not executed yet: its own finish_execution will see validation_idx past it and return
        // its validation (as for a single index).
        if (status_of(word) == TxStatus::kExecuted) {
            return {TaskKind::kValidate, {static_cast<TxIndex>(idx), incarnation_of(word)}};
        }
    }
    while (claims.execute_next < claims.execute_end) {
        const std::size_t idx = claims.execute_next++;
        Incarnation inc = 0;
        if (try_incarnate(static_cast<TxIndex>(idx), inc))
            return {TaskKind::kExecute, {static_cast<TxIndex>(idx), inc}};
    }
    return {};
}

Task Scheduler::next_task_holding(Claims* claims) {
    // The caller's active count carries over to the task found (or is given back), so no index
    // can be declared done in between and no counter is touched twice. Without claims (k = 1)
    // this is exactly next_task's choice.
    Claims single;
    Claims& c = claims != nullptr ? *claims : single;
    const std::size_t k = claims != nullptr ? kClaimSize : 1;
    if (Task t = take_claimed(c)) return t;
    if (validation_idx_.value.load() < execution_idx_.value.load()) {
        const std::size_t idx = validation_idx_.value.fetch_add(k);
        if (idx < num_txs_) {
            c.validate_next = idx;
            c.validate_end = std::min(idx + k, num_txs_);
        }
    } else if (execution_idx_.value.load() < num_txs_) {
        const std::size_t idx = execution_idx_.value.fetch_add(k);
        if (idx < num_txs_) {
            c.execute_next = idx;
            c.execute_end = std::min(idx + k, num_txs_);
        }
    }
    if (Task t = take_claimed(c)) return t;
    num_active_tasks_.value.fetch_sub(1);
    return {};
}

bool Scheduler::try_validation_abort(TxVersion version) {
    std::uint64_t expected = pack(version.incarnation, TxStatus::kExecuted);
    return txs_[version.tx].status.compare_exchange_strong(expected,
                                                           pack(version.incarnation, TxStatus::kAborting));
}

Task Scheduler::finish_validation(TxIndex tx, bool aborted, bool take_next, Claims* claims) {
    if (aborted) {
        set_ready_status(tx);
        decrease_validation_idx(std::size_t{tx} + 1);
        Incarnation inc = 0;
        if (execution_idx_.value.load() > tx && try_incarnate(tx, inc))
            return {TaskKind::kExecute, {tx, inc}};
    }
    if (take_next) return next_task_holding(claims);
    num_active_tasks_.value.fetch_sub(1);
    return {};
}

}  // namespace sluice::parallel
