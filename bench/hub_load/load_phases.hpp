// The two load phases over a running Cluster, each on one io_context thread of this process (asio
// coroutines over keep-alive connections; the RPC server answers a connection's requests one at a time, so
// payments in flight = connections in flight).
//
// Client i pays client (i + 1) mod M through the hub: an invoice of i+1 is handed to i, which calls `pay`
// (wait=true: the reply comes when the payment has resolved). A payment's latency runs from handing the
// invoice to the payer's `pay` call to its reply.
//
// * saturate(): closed loop, `connections` per payer each paying one invoice after another; invoices are
//   made during the run by `invoice` batches on each payee's own connections (what a payment costs includes
//   its invoice), with a stock made before the clock starts. Counted: payments completed inside the window
//   [warmup, warmup + seconds).
// * paced(): open loop, `rate` payments a second started on schedule (round robin over the payers) from a
//   stock of invoices made beforehand, each on a free connection of its payer.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cluster.hpp"

namespace sluice::bench {

struct PhaseResult {
    std::size_t payments = 0;  // succeeded inside the window
    std::size_t failed = 0;    // did not succeed (any time in the phase)
    std::string first_failure;
    double seconds = 0;              // the window
    std::vector<double> latency_ms;  // of the payments counted
};

struct LoadShape {
    std::uint64_t amount = 1000;
    std::size_t connections = 40;  // per payer (the server's limit is 64 connections per node)
    std::size_t invoice_connections = 4;
    std::size_t invoice_batch = 50;
    std::chrono::milliseconds warmup{5000};
};

// Called on the io thread when the window opens and when it closes (CPU and /metrics snapshots).
using WindowHook = std::function<boost::asio::awaitable<void>(bool opening)>;

PhaseResult saturate(const Cluster& cluster, const LoadShape& shape, std::chrono::milliseconds window,
                     const WindowHook& hook);
PhaseResult paced(const Cluster& cluster, const LoadShape& shape, double rate,
                  std::chrono::milliseconds window);

// The q-quantile (0..1) of `values` (sorted in place), 0 when empty.
double quantile(std::vector<double>& values, double q);

}  // namespace sluice::bench
