#include "node_counters.hpp"

#include <sstream>
#include <string>

#include "hub_connection.hpp"

namespace sluice::bench {

double metric_sum(std::string_view text, std::string_view name) {
    double total = 0;
    std::istringstream in{std::string(text)};
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#' || line.compare(0, name.size(), name) != 0) continue;
        const char after = line.size() > name.size() ? line[name.size()] : '\0';
        if (after != ' ' && after != '{') continue;  // another metric whose name starts the same
        total += std::stod(line.substr(line.rfind(' ') + 1));
    }
    return total;
}

boost::asio::awaitable<NodeCounters> read_counters(const Cluster& cluster) {
    const auto ex = co_await boost::asio::this_coro::executor;
    NodeCounters sum;
    for (const NodeProcess* node : cluster.nodes()) {
        HubConnection c(ex, node->rpc, node->authorization);
        co_await c.connect();
        auto task = c.metrics();
        const std::string text = co_await std::move(task);
        sum.rounds += metric_sum(text, "sluice_update_round_operations_count");
        sum.round_operations += metric_sum(text, "sluice_update_round_operations_sum");
        sum.round_seconds += metric_sum(text, "sluice_update_round_seconds_sum");
        sum.commits += metric_sum(text, "sluice_sqlite_commit_writes_count");
        sum.commit_writes += metric_sum(text, "sluice_sqlite_commit_writes_sum");
    }
    co_return sum;
}

}  // namespace sluice::bench
