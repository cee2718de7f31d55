// The daemon's /metrics about its node (docs/operator.md lists them): payments by outcome and failure
// reason, in flight, our update rounds' latency, channels by status, peers, SQLite group commits' latency
// and size. Counters move with the node's events and hooks; the gauges are read at scrape time.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>

#include "sluice/hub/metrics.hpp"
#include "sluice/sdk/node.hpp"

namespace sluice::hub {

class NodeMetrics {
  public:
    explicit NodeMetrics(Metrics& metrics);
    // The hooks to put in NodeConfig (on_event, on_round, on_commit) before the node starts.
    void on_event(const sdk::QueuedEvent& event);
    void on_round(std::chrono::microseconds latency, std::size_t operations);
    void on_commit(std::chrono::microseconds took, std::size_t writes);
    // The scrape-time gauges, once the node runs.
    void attach(std::weak_ptr<sdk::Node> node);

  private:
    Metrics& metrics_;
    Counter& sent_;
    Counter& received_;
    Histogram& round_latency_;
    Histogram& round_operations_;
    Histogram& commit_latency_;
    Histogram& commit_writes_;
};

}  // namespace sluice::hub
