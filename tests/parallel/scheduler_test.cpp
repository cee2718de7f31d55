// The Block-STM scheduler state machine driven by hand from one thread: task order, incarnations,
// validation after execution, aborts and re-execution, dependency suspension and resumption, and
// the done condition with the active-task count.
#include "sluice/parallel/scheduler.hpp"

#include <gtest/gtest.h>

namespace sluice::parallel {
namespace {

Task exec(TxIndex tx, Incarnation inc) {
    return {TaskKind::kExecute, {tx, inc}};
}
Task val(TxIndex tx, Incarnation inc) {
    return {TaskKind::kValidate, {tx, inc}};
}

void expect_task(const Task& got, const Task& want) {
    EXPECT_EQ(got.kind, want.kind);
    EXPECT_EQ(got.version, want.version);
}

// Hands out the first executions of transactions 0..n-1 to one worker. Between two of them the
// scheduler prefers validation (validation_idx < execution_idx), which finds the transaction still
// executing and returns no task: that attempt moves validation_idx on, as in the paper.
void start_all(Scheduler& s, TxIndex n) {
    for (TxIndex i = 0; i < n; ++i) {
        expect_task(s.next_task(), exec(i, 0));
        if (i + 1 < n) {
            EXPECT_FALSE(s.next_task());
        }
    }
}

// take_next: a finishing worker gets its next task straight away, its active count carried over,
// and gives the count back when there is nothing left; done is still detected afterwards.
TEST(Scheduler, TakeNextCarriesTheActiveCountToTheNextTask) {
    Scheduler s(2);
    expect_task(s.next_task(), exec(0, 0));
    EXPECT_EQ(s.num_active_tasks(), 1U);
    // validation_idx (0) is below execution_idx (1): the validation of tx 0 comes before tx 1.
    expect_task(s.finish_execution({0, 0}, true, true), val(0, 0));
    EXPECT_EQ(s.num_active_tasks(), 1U);
    expect_task(s.finish_validation(0, false, true), exec(1, 0));
    EXPECT_EQ(s.num_active_tasks(), 1U);
    expect_task(s.finish_execution({1, 0}, true, true), val(1, 0));
    EXPECT_EQ(s.num_active_tasks(), 1U);
    EXPECT_FALSE(s.finish_validation(1, false, true));  // nothing left: the count is given back
    EXPECT_EQ(s.num_active_tasks(), 0U);
    EXPECT_FALSE(s.done());
    EXPECT_FALSE(s.next_task());
    EXPECT_TRUE(s.done());
}

// Claims: a worker takes kClaimSize executions (then validations) with one move of a shared
// index and works through them before claiming more; done only after everything is validated.
TEST(Scheduler, ClaimedIndicesAreWorkedThroughInOrder) {
    static_assert(Scheduler::kClaimSize == 4, "the expectations below count in fours");
    Scheduler s(6);
    Scheduler::Claims a;
    expect_task(s.next_task(a), exec(0, 0));
    EXPECT_EQ(s.execution_idx(), 4U);  // 0..3 claimed at once
    expect_task(s.finish_execution({0, 0}, true, true, &a), exec(1, 0));
    expect_task(s.finish_execution({1, 0}, true, true, &a), exec(2, 0));
    expect_task(s.finish_execution({2, 0}, true, true, &a), exec(3, 0));
    expect_task(s.finish_execution({3, 0}, true, true, &a), val(0, 0));
    EXPECT_EQ(s.validation_idx(), 4U);
    expect_task(s.finish_validation(0, false, true, &a), val(1, 0));
    expect_task(s.finish_validation(1, false, true, &a), val(2, 0));
    expect_task(s.finish_validation(2, false, true, &a), val(3, 0));
    expect_task(s.finish_validation(3, false, true, &a), exec(4, 0));
    EXPECT_EQ(s.num_active_tasks(), 1U);  // the count passed from task to task
    expect_task(s.finish_execution({4, 0}, true, true, &a), exec(5, 0));
    expect_task(s.finish_execution({5, 0}, true, true, &a), val(4, 0));
    expect_task(s.finish_validation(4, false, true, &a), val(5, 0));
    EXPECT_FALSE(s.done());
    EXPECT_FALSE(s.finish_validation(5, false, true, &a));
    EXPECT_EQ(s.num_active_tasks(), 0U);
    EXPECT_FALSE(s.next_task(a));
    EXPECT_TRUE(s.done());
}

// Another worker sweeping past claimed, unexecuted transactions finds nothing to do and must not
// see the batch as done while the claims are outstanding.
TEST(Scheduler, NotDoneWhileClaimsAreOutstanding) {
    Scheduler s(4);
    Scheduler::Claims a;
    expect_task(s.next_task(a), exec(0, 0));  // a claims all four
    for (int i = 0; i < 8; ++i)
        EXPECT_FALSE(s.next_task());  // sweeps validation_idx past the end
    EXPECT_GE(s.validation_idx(), 4U);
    EXPECT_FALSE(s.done());
    expect_task(s.finish_execution({0, 0}, true, true, &a), exec(1, 0));
    EXPECT_EQ(s.validation_idx(), 0U);  // tx 0 wrote new locations below validation_idx
    expect_task(s.finish_execution({1, 0}, false, true, &a), exec(2, 0));
    expect_task(s.finish_execution({2, 0}, false, true, &a), exec(3, 0));
    EXPECT_FALSE(s.done());
    expect_task(s.finish_execution({3, 0}, false, true, &a), val(0, 0));
    for (TxIndex i = 0; i < 3; ++i)
        expect_task(s.finish_validation(i, false, true, &a), val(i + 1, 0));
    EXPECT_FALSE(s.finish_validation(3, false, true, &a));
    EXPECT_FALSE(s.next_task());
    EXPECT_TRUE(s.done());
}

TEST(Scheduler, EmptyBatchIsDoneAtOnce) {
    Scheduler s(0);
    EXPECT_TRUE(s.done());
    EXPECT_FALSE(s.next_task());
}

TEST(Scheduler, ExecutesInOrderThenValidatesThenIsDone) {
    Scheduler s(2);
    start_all(s, 2);
    EXPECT_EQ(s.status(0), TxStatus::kExecuting);
    EXPECT_EQ(s.num_active_tasks(), 2U);
    EXPECT_EQ(s.validation_idx(), 1U);

    // validation_idx went past tx 0 while it executed, and tx 0 wrote new locations: the
    // validation index is pulled back to it and the worker gets no follow-up task.
    EXPECT_FALSE(s.finish_execution({0, 0}, true));
    EXPECT_EQ(s.validation_idx(), 0U);
    EXPECT_EQ(s.status(0), TxStatus::kExecuted);
    EXPECT_FALSE(s.finish_execution({1, 0}, true));
    EXPECT_EQ(s.num_active_tasks(), 0U);
    EXPECT_FALSE(s.done());

    expect_task(s.next_task(), val(0, 0));
    EXPECT_FALSE(s.finish_validation(0, false));
    expect_task(s.next_task(), val(1, 0));
    EXPECT_FALSE(s.finish_validation(1, false));
    EXPECT_FALSE(s.next_task());  // both indices past the end, nothing active
    EXPECT_TRUE(s.done());
}

TEST(Scheduler, NotDoneWhileATaskIsActive) {
    Scheduler s(1);
    expect_task(s.next_task(), exec(0, 0));
    EXPECT_FALSE(s.finish_execution({0, 0}, false));
    expect_task(s.next_task(), val(0, 0));
    EXPECT_FALSE(s.next_task());  // validation still held by a worker
    EXPECT_FALSE(s.done());
    EXPECT_FALSE(s.finish_validation(0, false));
    EXPECT_FALSE(s.next_task());
    EXPECT_TRUE(s.done());
}

TEST(Scheduler, ValidationAbortReexecutesWithNextIncarnation) {
    Scheduler s(2);
    start_all(s, 2);
    EXPECT_FALSE(s.finish_execution({1, 0}, true));
    EXPECT_FALSE(s.finish_execution({0, 0}, true));
    expect_task(s.next_task(), val(0, 0));
    EXPECT_FALSE(s.finish_validation(0, false));
    expect_task(s.next_task(), val(1, 0));

    EXPECT_FALSE(s.try_validation_abort({1, 1}));  // wrong incarnation
    EXPECT_TRUE(s.try_validation_abort({1, 0}));
    EXPECT_FALSE(s.try_validation_abort({1, 0}));  // only one worker wins the abort
    EXPECT_EQ(s.status(1), TxStatus::kAborting);
    // execution_idx is past tx 1, so the validating worker re-executes it itself.
    expect_task(s.finish_validation(1, true), exec(1, 1));
    EXPECT_EQ(s.incarnation(1), 1U);
    EXPECT_EQ(s.status(1), TxStatus::kExecuting);
    EXPECT_EQ(s.validation_idx(), 2U);

    // Same write set as before and validation_idx already past tx 1: validate it right away.
    expect_task(s.finish_execution({1, 1}, false), val(1, 1));
    EXPECT_FALSE(s.finish_validation(1, false));
    EXPECT_FALSE(s.next_task());
    EXPECT_TRUE(s.done());
}

TEST(Scheduler, NewLocationPullsValidationIndexBack) {
    Scheduler s(3);
    start_all(s, 3);
    for (TxIndex i = 0; i < 3; ++i)
        EXPECT_FALSE(s.finish_execution({i, 0}, true));
    for (TxIndex i = 0; i < 3; ++i) {
        expect_task(s.next_task(), val(i, 0));
        if (i == 0) {
            EXPECT_FALSE(s.finish_validation(0, false));
        }
    }
    // tx 1 fails validation and its re-execution writes a new location.
    EXPECT_TRUE(s.try_validation_abort({1, 0}));
    expect_task(s.finish_validation(1, true), exec(1, 1));
    EXPECT_FALSE(s.finish_validation(2, false));
    EXPECT_EQ(s.validation_idx(), 2U);
    EXPECT_FALSE(s.finish_execution({1, 1}, true));
    EXPECT_EQ(s.validation_idx(), 1U);
    expect_task(s.next_task(), val(1, 1));
    EXPECT_FALSE(s.finish_validation(1, false));
    expect_task(s.next_task(), val(2, 0));
    EXPECT_FALSE(s.finish_validation(2, false));
    EXPECT_FALSE(s.next_task());
    EXPECT_TRUE(s.done());
}

TEST(Scheduler, DependencySuspendsUntilBlockingTransactionFinishes) {
    Scheduler s(3);
    start_all(s, 3);

    EXPECT_TRUE(s.add_dependency(2, 0));
    EXPECT_EQ(s.status(2), TxStatus::kAborting);
    EXPECT_EQ(s.num_active_tasks(), 2U);
    EXPECT_FALSE(s.next_task());  // nothing to run: tx 2 waits, 0 and 1 are being executed

    // Finishing tx 0 resumes tx 2 with its next incarnation and hands it to the same worker.
    expect_task(s.finish_execution({0, 0}, true), exec(2, 1));
    EXPECT_EQ(s.status(2), TxStatus::kExecuting);
    EXPECT_EQ(s.execution_idx(), 3U);
    EXPECT_EQ(s.validation_idx(), 0U);  // tx 0 wrote new locations: revalidate from it
    expect_task(s.next_task(), val(0, 0));
    EXPECT_FALSE(s.finish_validation(0, false));
    EXPECT_FALSE(s.next_task());  // validation of tx 1 skipped: it is still executing

    // validation_idx (2) is past tx 1 and its write set is unchanged: validate it at once.
    expect_task(s.finish_execution({1, 0}, false), val(1, 0));
    EXPECT_FALSE(s.finish_validation(1, false));
    EXPECT_FALSE(s.finish_execution({2, 1}, false));
    expect_task(s.next_task(), val(2, 1));
    EXPECT_FALSE(s.finish_validation(2, false));
    EXPECT_FALSE(s.next_task());
    EXPECT_TRUE(s.done());
}

TEST(Scheduler, SeveralDependentsLowestToFinisherOthersToSweep) {
    Scheduler s(4);
    start_all(s, 4);
    EXPECT_TRUE(s.add_dependency(3, 0));
    EXPECT_TRUE(s.add_dependency(2, 0));
    expect_task(s.finish_execution({0, 0}, true), exec(2, 1));
    EXPECT_EQ(s.status(3), TxStatus::kReadyToExecute);
    EXPECT_EQ(s.execution_idx(), 3U);     // pulled back so a worker picks up tx 3
    EXPECT_EQ(s.num_active_tasks(), 2U);  // tx 1 and tx 2 are being executed
}

TEST(Scheduler, DependencyOnFinishedTransactionIsRefused) {
    Scheduler s(2);
    start_all(s, 2);
    EXPECT_FALSE(s.finish_execution({0, 0}, true));
    EXPECT_FALSE(s.add_dependency(1, 0));
    EXPECT_EQ(s.status(1), TxStatus::kExecuting);
    EXPECT_EQ(s.num_active_tasks(), 1U);
}

TEST(Scheduler, ValidatorReexecutesTheTransactionItAborted) {
    Scheduler s(2);
    expect_task(s.next_task(), exec(0, 0));
    EXPECT_FALSE(s.finish_execution({0, 0}, true));
    expect_task(s.next_task(), val(0, 0));
    EXPECT_TRUE(s.try_validation_abort({0, 0}));
    // execution_idx (1) > 0 so the validator takes the re-execution.
    expect_task(s.finish_validation(0, true), exec(0, 1));
    EXPECT_FALSE(s.finish_execution({0, 1}, true));
    expect_task(s.next_task(), val(0, 1));
    EXPECT_FALSE(s.finish_validation(0, false));
    expect_task(s.next_task(), exec(1, 0));
}

}  // namespace
}  // namespace sluice::parallel
