// NodeCounters: what the nodes' /metrics say about the work behind the payments: update rounds (each
// counted once, by the node that proposed it, when it completed), the operations they carried, and SQLite
// group commits (each an fsync of the WAL). Summed over the hub and the clients; the difference of two
// snapshots is what a window cost.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string_view>

#include "cluster.hpp"

namespace sluice::bench {

struct NodeCounters {
    double rounds = 0;
    double round_operations = 0;
    double commits = 0;
    double commit_writes = 0;
    double round_seconds = 0;  // the sum of the rounds' latencies (proposal to last signature)

    NodeCounters operator-(const NodeCounters& o) const {
        return {rounds - o.rounds, round_operations - o.round_operations, commits - o.commits,
                commit_writes - o.commit_writes, round_seconds - o.round_seconds};
    }
};

// The sum over the series of `name` (every label set) in Prometheus text; 0 when absent.
double metric_sum(std::string_view text, std::string_view name);

boost::asio::awaitable<NodeCounters> read_counters(const Cluster& cluster);

}  // namespace sluice::bench
