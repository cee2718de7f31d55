// Cluster: the processes the load runs against, started as hub_e2e.sh starts them: one sluice-devchain,
// one hub sluiced (--hub, deploys the adjudicator) and M client sluiced, each on its own data dir and free
// loopback ports, every client with one channel to the hub funded on both sides (so each client can pay and
// be paid). The data dirs are on disk: every store commit is a real fsync (WAL, synchronous=FULL). The
// processes are stopped by their own pids when the Cluster goes, clients first.
#pragma once

#include <boost/asio.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace sluice::bench {

struct ClusterOptions {
    std::filesystem::path sluiced;
    std::filesystem::path devchain;
    std::filesystem::path work_dir;  // one subfolder per process, its log beside it
    std::size_t clients = 4;
    std::string deposit = "100000000000000000";  // wei, each side of each channel
    unsigned threads = 2;                        // sluiced --threads
    std::string base_fee = "1";                  // the hub's forwarding fee
    std::uint64_t fee_ppm = 1000;
    std::string log_level = "info";
};

struct NodeProcess {
    std::string name;
    std::filesystem::path dir;
    std::unique_ptr<ChildProcess> process;
    boost::asio::ip::tcp::endpoint rpc;
    std::string authorization;  // from its .cookie
    std::string identity;
};

class Cluster {
  public:
    // Starts the devchain, the hub and the clients (each waited for until its RPC port is written).
    explicit Cluster(ClusterOptions options);
    ~Cluster();
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    // Connects every client to the hub, opens its channel and waits until both ends see it open.
    boost::asio::awaitable<void> open_channels();

    const NodeProcess& hub() const { return *hub_; }
    const std::vector<std::unique_ptr<NodeProcess>>& clients() const { return clients_; }
    // The nodes whose /metrics count rounds and commits: the hub and the clients.
    std::vector<const NodeProcess*> nodes() const;
    // CPU of every server process (devchain, hub, clients), clock ticks.
    unsigned long long cpu_ticks() const;
    const ClusterOptions& options() const { return options_; }
    // What a payer adds on top of `amount` for the hub (base fee + ppm, rounded down as the hub computes).
    std::string fee_for(std::uint64_t amount) const;

  private:
    std::unique_ptr<NodeProcess> start_node(const std::string& name, std::size_t dev_key,
                                            std::vector<std::string> extra);
    ClusterOptions options_;
    std::unique_ptr<ChildProcess> devchain_;
    std::string l1_url_;
    std::unique_ptr<NodeProcess> hub_;
    std::vector<std::unique_ptr<NodeProcess>> clients_;
};

}  // namespace sluice::bench
