// Daemon: sluiced as a library (its main() is parse, start, run_until_stopped). Owns the io threads, the
// L1 side, the node, the admin RPC server with its auth files, and the metrics; stops in order on SIGTERM,
// SIGINT or the `stop` method: new payments and channels are refused, in-flight payments get
// --shutdown-grace seconds to resolve, then the RPC server and the node stop (the store holds every signed
// state; nothing acknowledged is lost).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "sluice/hub/daemon_config.hpp"
#include "sluice/hub/daemon_l1.hpp"
#include "sluice/hub/metrics.hpp"
#include "sluice/hub/node_methods.hpp"
#include "sluice/hub/node_metrics.hpp"
#include "sluice/hub/payment_watch.hpp"
#include "sluice/hub/rpc_auth.hpp"
#include "sluice/hub/rpc_dispatcher.hpp"
#include "sluice/hub/rpc_server.hpp"
#include "sluice/sdk/node.hpp"

namespace sluice::hub {

class Daemon {
  public:
    // Everything up and serving. Errors: hub_bad_config, node_data_dir_locked, the L1's, the listeners'.
    static Result<std::unique_ptr<Daemon>> start(DaemonConfig config);
    ~Daemon();

    // Blocks until SIGTERM/SIGINT or request_stop(), then shuts down; the exit code (0: clean).
    int run_until_stopped();
    void request_stop();

    sdk::Node& node() { return *node_; }
    std::uint16_t rpc_port() const { return rpc_port_; }

  private:
    explicit Daemon(DaemonConfig config);
    Status start_all();
    void shut_down();

    DaemonConfig config_;
    boost::asio::io_context io_;
    std::vector<std::thread> threads_;
    std::unique_ptr<DaemonL1> l1_;
    Metrics metrics_;
    NodeMetrics node_metrics_{metrics_};
    std::shared_ptr<PaymentWatch> watch_ = std::make_shared<PaymentWatch>();
    std::shared_ptr<sdk::Node> node_;
    std::optional<RpcAuth> auth_;
    RpcDispatcher dispatcher_;
    std::shared_ptr<RpcServer> server_;
    std::uint16_t rpc_port_ = 0;

    std::atomic<bool> stopping_{false};
    std::mutex stop_mutex_;
    std::condition_variable stop_requested_;
};

}  // namespace sluice::hub
