// Nested frames recurse on the native stack: CALL runs the host, which runs the interpreter again.
// A 1024-deep chain takes more than the 8 MiB of an ordinary thread under ASan (and any embedder may
// run us on a small-stack thread), so every nested call goes through here. While enough of the
// current thread's stack is left the call runs in place (one comparison); otherwise it continues on
// a pooled worker thread with a large stack and this thread waits for it. Only deep chains pay for
// the hand-over, and the workers are reused, never one thread per call.
#pragma once

#include "sluice/evm/host.hpp"

namespace sluice::evm {

// host.call(msg), on a stack with room for it. Fails with StatusCode::failure only when no worker
// thread can be started.
ExecutionResult call_with_enough_stack(Host& host, const Message& msg) noexcept;

}  // namespace sluice::evm
