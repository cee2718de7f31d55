#include "sluice/hub/node_metrics.hpp"

namespace sluice::hub {
namespace {

// Seconds: from 100 µs (one round on loopback) to 10 s (a stuck peer).
const std::vector<double> kLatencyBuckets{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                          0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5, 10};
const std::vector<double> kSizeBuckets{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000};

}  // namespace

NodeMetrics::NodeMetrics(Metrics& metrics)
    : metrics_(metrics),
      sent_(metrics.counter("sluice_payments_total", "Payments resolved, by direction and outcome",
                            {{"direction", "outgoing"}, {"outcome", "succeeded"}})),
      received_(metrics.counter("sluice_payments_total", "Payments resolved, by direction and outcome",
                                {{"direction", "incoming"}, {"outcome", "succeeded"}})),
      round_latency_(metrics.histogram("sluice_update_round_seconds",
                                       "Our update rounds: proposal to the last signature", kLatencyBuckets)),
      round_operations_(metrics.histogram("sluice_update_round_operations",
                                          "Operations (payments, locks) one round carried", kSizeBuckets)),
      commit_latency_(metrics.histogram("sluice_sqlite_commit_seconds",
                                        "SQLite group commits: BEGIN to durable COMMIT", kLatencyBuckets)),
      commit_writes_(metrics.histogram("sluice_sqlite_commit_writes", "Writes one group commit carried",
                                       kSizeBuckets)) {}

void NodeMetrics::on_event(const sdk::QueuedEvent& event) {
    if (std::holds_alternative<sdk::PaymentSent>(event.event)) {
        sent_.inc();
    } else if (std::holds_alternative<sdk::PaymentReceived>(event.event)) {
        received_.inc();
    } else if (const auto* failed = std::get_if<sdk::PaymentFailed>(&event.event)) {
        metrics_
            .counter("sluice_payments_failed_total", "Outgoing payments that failed, by reason",
                     {{"reason", failed->code}})
            .inc();
    }
}

void NodeMetrics::on_round(std::chrono::microseconds latency, std::size_t operations) {
    round_latency_.observe(static_cast<double>(latency.count()) / 1e6);
    round_operations_.observe(static_cast<double>(operations));
}

void NodeMetrics::on_commit(std::chrono::microseconds took, std::size_t writes) {
    commit_latency_.observe(static_cast<double>(took.count()) / 1e6);
    commit_writes_.observe(static_cast<double>(writes));
}

void NodeMetrics::attach(std::weak_ptr<sdk::Node> weak) {
    for (const auto status : {sdk::ChannelStatus::opening, sdk::ChannelStatus::open, sdk::ChannelStatus::closing,
                              sdk::ChannelStatus::closed}) {
        static constexpr const char* kNames[] = {"opening", "open", "closing", "closed"};
        metrics_.gauge_fn(
            "sluice_channels", "Channels by status",
            [weak, status]() -> double {
                const auto node = weak.lock();
                if (!node) return 0;
                const auto records = node->channel_records();
                if (!records) return 0;
                double n = 0;
                for (const auto& r : *records)
                    n += r.status == status;
                return n;
            },
            {{"status", kNames[static_cast<int>(status)]}});
    }
    metrics_.gauge_fn("sluice_peers_connected", "Peers with a live connection", [weak]() -> double {
        const auto node = weak.lock();
        if (!node) return 0;
        double n = 0;
        for (const auto& p : node->peers())
            n += p.connected;
        return n;
    });
    metrics_.gauge_fn("sluice_payments_in_flight", "Our outgoing payments still pending or locked",
                      [weak]() -> double {
                          const auto node = weak.lock();
                          if (!node) return 0;
                          const auto open = node->unresolved_payments();
                          return open ? static_cast<double>(open->size()) : 0;
                      });
}

}  // namespace sluice::hub
