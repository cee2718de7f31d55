// InProcessTransport: JSON-RPC straight into a devchain's RpcDispatcher, no sockets. The devchain runs
// the request on the calling thread; a mutex makes calls from several threads take turns, as the
// server's single thread does.
#pragma once

#include <mutex>
#include <string>

#include "sluice/l1/rpc_dispatcher.hpp"
#include "sluice/l1/rpc_transport.hpp"

namespace sluice::l1 {

class InProcessTransport final : public RpcTransport {
  public:
    explicit InProcessTransport(RpcDispatcher& dispatcher) : dispatcher_(dispatcher) {}

    Async<std::string> round_trip(std::string body) override;

    // The same lock round_trip takes, for code that touches the Devchain directly (mining, time).
    std::mutex& mutex() noexcept { return mutex_; }

  private:
    RpcDispatcher& dispatcher_;
    std::mutex mutex_;
};

}  // namespace sluice::l1
