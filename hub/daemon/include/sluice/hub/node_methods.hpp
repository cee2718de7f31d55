// The admin RPC's methods (docs/operator.md): each a thin JSON face of one sluice::sdk::Node call. Amounts
// are decimal strings, ids and addresses 0x hex; errors are the node's (code = the Errc number, data.name
// its name) or -32602 for a parameter that does not parse.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "sluice/hub/payment_watch.hpp"
#include "sluice/hub/rpc_dispatcher.hpp"
#include "sluice/sdk/node.hpp"

namespace sluice::hub {

struct MethodContext {
    sdk::Node* node = nullptr;  // owned by the daemon; outlives every handler (the io threads stop first)
    nlohmann::json info;  // what getinfo adds about the daemon (network, chain id, adjudicator, rpc port)
    Address adjudicator;
    u256 chain_id;
    std::function<bool()> stopping;       // true once SIGTERM or `stop` came: new work is refused
    std::function<void()> request_stop;   // what `stop` does
    std::shared_ptr<PaymentWatch> watch;  // fed by the node's events: `pay` waits on it
};

void add_node_methods(RpcDispatcher& dispatcher, std::shared_ptr<MethodContext> context);

// The JSON views, shared with the tests.
nlohmann::json channel_json(const sdk::ChannelRecord& record, const std::optional<channel::SignedState>& latest);
nlohmann::json payment_json(const sdk::PaymentRecord& payment);
nlohmann::json invoice_json(const sdk::InvoiceRecord& invoice);

}  // namespace sluice::hub
