// A 1024-deep CALL chain and a 1024-deep CREATE chain run to the depth limit on threads with an
// ordinary stack (std::thread's default, and a deliberately small one), through the real StateHost:
// frames deeper than the thread's stack allows continue on a large-stack worker (native_stack.hpp).
// Label `concurrent`: the handover is threaded code, so it also runs under TSan.
#include <gtest/gtest.h>
#include <pthread.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <thread>

#include "sluice/core/hex.hpp"
#include "sluice/evm/create_address.hpp"
#include "sluice/evm/memory_state.hpp"
#include "sluice/evm/state_host.hpp"

namespace sluice::evm {
namespace {

Address addr(std::uint8_t last) {
    Address a;
    a[0] = 0xbb;
    a[19] = last;
    return a;
}

Bytes code(std::string_view text) {
    return from_hex(text, HexPrefix::optional).value();
}

// slot0 += 1, then CALL itself with all its gas: PUSH1 1 PUSH0 SLOAD ADD PUSH0 SSTORE PUSH0 x5 ADDRESS
// GAS CALL STOP. Every frame of depth 0..1024 counts itself; the CALL at depth 1024 fails softly.
const Bytes kSelfCaller = code("60015f54015f555f5f5f5f5f305af100");
// Copies itself to memory and CREATEs a copy: CODESIZE PUSH0 PUSH0 CODECOPY CODESIZE PUSH0 PUSH0 CREATE
// POP STOP.
const Bytes kSelfCreator = code("385f5f39385f5ff05000");

// Far more than the 63/64 rule lets reach depth 1024 (each level keeps 1/64: e^-16 of the start).
constexpr std::int64_t kGas = std::int64_t{1} << 50;
constexpr int kFrames = 1025;  // depths 0..1024

class DeepCallChain : public ::testing::Test {
  protected:
    DeepCallChain() {
        base.put_account(sender, 1, u256{0}, {}, {});
        base.put_account(chain, 1, u256{0}, kSelfCaller, {});
    }

    // The transaction's own frame (depth 0) from `sender` with all of kGas.
    Message outer(CallKind kind) const {
        Message msg;
        msg.kind = kind;
        msg.sender = sender;
        msg.gas = kGas;
        return msg;
    }

    // Runs the self-calling chain; returns the frames that ran (slot 0) or -1 if the call failed.
    std::int64_t run_call_chain() {
        State state{base};
        StateHost host{state, Revision::prague, ctx};
        Message msg = outer(CallKind::call);
        msg.recipient = chain;
        msg.code_address = chain;
        const ExecutionResult r = host.call(msg);
        if (r.status != StatusCode::success) return -1;
        return static_cast<std::int64_t>(state.storage(chain, u256{0}.to_be()).low64());
    }

    // Runs the self-creating chain; returns how many of the expected accounts exist (L0..L1024 each
    // created by the one before with nonce 1), and whether the one past the limit does not.
    std::pair<int, bool> run_create_chain() {
        State state{base};
        StateHost host{state, Revision::prague, ctx};
        Message msg = outer(CallKind::create);
        msg.input = kSelfCreator;
        const ExecutionResult r = host.call(msg);
        if (r.status != StatusCode::success) return {-1, false};
        Address level = r.create_address;
        int found = 0;
        for (int i = 0; i < kFrames && state.exists(level); ++i, ++found)
            level = create_address(level, 1);
        return {found, !state.exists(level)};
    }

    const Address sender = addr(1);
    const Address chain = addr(2);
    MemoryState base;
    TxContext ctx;
};

// Runs `work` on a pthread with `stack_bytes` of stack (0: the default a std::thread gets).
void run_on_thread(std::size_t stack_bytes, const std::function<void()>& work) {
    if (stack_bytes == 0) {
        std::thread t(work);
        t.join();
        return;
    }
    pthread_attr_t attr;
    ASSERT_EQ(pthread_attr_init(&attr), 0);
    ASSERT_EQ(pthread_attr_setstacksize(&attr, stack_bytes), 0);
    pthread_t th;
    ASSERT_EQ(pthread_create(
                  &th, &attr,
                  [](void* w) -> void* {
                      (*static_cast<const std::function<void()>*>(w))();
                      return nullptr;
                  },
                  const_cast<std::function<void()>*>(&work)),
              0);
    pthread_attr_destroy(&attr);
    pthread_join(th, nullptr);
}

TEST_F(DeepCallChain, CallChainReachesTheDepthLimitOnADefaultStackThread) {
    std::int64_t frames = 0;
    run_on_thread(0, [&] { frames = run_call_chain(); });
    EXPECT_EQ(frames, kFrames);
}

TEST_F(DeepCallChain, CreateChainReachesTheDepthLimitOnADefaultStackThread) {
    std::pair<int, bool> seen;
    run_on_thread(0, [&] { seen = run_create_chain(); });
    EXPECT_EQ(seen.first, kFrames);
    EXPECT_TRUE(seen.second) << "an account was created past depth 1024";
}

// 256 KiB holds a few frames at most: the chain must hand over almost at once, and still be exact.
TEST_F(DeepCallChain, ChainsOnASmallStackThreadHandOverAndStayExact) {
    std::int64_t frames = 0;
    std::pair<int, bool> seen;
    run_on_thread(std::size_t{256} << 10, [&] {
        frames = run_call_chain();
        seen = run_create_chain();
    });
    EXPECT_EQ(frames, kFrames);
    EXPECT_EQ(seen.first, kFrames);
    EXPECT_TRUE(seen.second);
}

// Two threads at once each run chains deep enough to need workers: the pool hands each its own.
TEST_F(DeepCallChain, ConcurrentChainsOnSmallStacksDoNotShareAWorker) {
    std::int64_t a = 0;
    std::int64_t b = 0;
    std::thread other([&] { run_on_thread(std::size_t{256} << 10, [&] { a = run_call_chain(); }); });
    run_on_thread(std::size_t{256} << 10, [&] { b = run_call_chain(); });
    other.join();
    EXPECT_EQ(a, kFrames);
    EXPECT_EQ(b, kFrames);
}

}  // namespace
}  // namespace sluice::evm
