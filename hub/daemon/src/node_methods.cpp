#include "sluice/hub/node_methods.hpp"

#include <sodium.h>

#include "sluice/channel/encoding.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/hub/logging.hpp"
#include "sluice/hub/rpc_params.hpp"

namespace sluice::hub {
namespace {

using nlohmann::json;
namespace asio = boost::asio;

// Inside a handler: the value of a Result, or its error as the reply.
#define SLUICE_RPC_TRY(decl, expr)                                   \
    auto SLUICE_RPC_CONCAT(rpc_try_, __LINE__) = (expr);             \
    if (!SLUICE_RPC_CONCAT(rpc_try_, __LINE__))                      \
        co_return to_rpc_error(SLUICE_RPC_CONCAT(rpc_try_, __LINE__).error()); \
    decl = std::move(SLUICE_RPC_CONCAT(rpc_try_, __LINE__)).value()
#define SLUICE_RPC_CHECK(expr)                                       \
    if (const Status rpc_check_ = (expr); !rpc_check_.ok()) co_return to_rpc_error(rpc_check_.error())
#define SLUICE_RPC_CONCAT_INNER(a, b) a##b
#define SLUICE_RPC_CONCAT(a, b) SLUICE_RPC_CONCAT_INNER(a, b)

std::string hex(const Hash& h) {
    return to_hex(h.view());
}

Result<Hash> hash_of(const std::string& text, std::string_view name) {
    auto bytes = from_hex(text);
    if (!bytes || bytes->size() != 32)
        return make_error(Errc::rpc_invalid_params, std::string(name) + ": 32 bytes of 0x hex");
    return Hash::from_view(*bytes);
}

Result<Address> address_of(const std::string& text, std::string_view name) {
    auto a = Address::from_hex(text);
    if (!a) return make_error(Errc::rpc_invalid_params, std::string(name) + ": not an address: " + text);
    return a;
}

const char* status_name(sdk::ChannelStatus s) {
    switch (s) {
        case sdk::ChannelStatus::opening: return "opening";
        case sdk::ChannelStatus::open: return "open";
        case sdk::ChannelStatus::closing: return "closing";
        case sdk::ChannelStatus::closed: return "closed";
    }
    return "unknown";
}

const char* payment_status_name(sdk::PaymentStatus s) {
    switch (s) {
        case sdk::PaymentStatus::pending: return "pending";
        case sdk::PaymentStatus::locked: return "locked";
        case sdk::PaymentStatus::succeeded: return "succeeded";
        case sdk::PaymentStatus::failed: return "failed";
    }
    return "unknown";
}

Status refuse_when_stopping(const MethodContext& c) {
    if (c.stopping && c.stopping())
        return make_error(Errc::hub_stopping, "sluiced is shutting down: no new payments or channels");
    return {};
}

// Channel nonces are random: two channels among the same participants never share an id.
std::uint64_t random_nonce() {
    std::uint64_t n = 0;
    randombytes_buf(&n, sizeof n);
    return n >> 1;  // below 2^63: the wire and the store keep it as a signed 64-bit number too
}

template <class Records, class View>
json json_array(const Records& records, View view) {
    json out = json::array();
    for (const auto& r : records)
        out.push_back(view(r));
    return out;
}

json policy_json(const sdk::ForwardingPolicy& p) {
    json channels = json::object();
    for (const auto& [id, c] : p.channels) {
        json o = json::object();
        if (c.base_fee) o["base_fee"] = c.base_fee->to_dec();
        if (c.fee_ppm) o["fee_ppm"] = *c.fee_ppm;
        if (c.max_locked) o["max_locked"] = c.max_locked->to_dec();
        channels[hex(id)] = o;
    }
    return {{"enabled", p.enabled},          {"base_fee", p.base_fee.to_dec()},
            {"fee_ppm", p.fee_ppm},          {"delta", p.delta},
            {"max_locked", p.max_locked.to_dec()}, {"channels", channels}};
}

}  // namespace

json channel_json(const sdk::ChannelRecord& record, const std::optional<channel::SignedState>& latest) {
    json participants = json::array();
    for (const auto& p : record.params.participants)
        participants.push_back(p.to_checksum_hex());
    json out{{"channel_id", hex(record.id)},
             {"status", status_name(record.status)},
             {"participants", participants},
             {"my_index", record.my_index},
             {"challenge_duration", record.params.challenge_duration}};
    json deposits = json::object();
    for (const auto& [asset, amount] : record.deposits)
        deposits[asset.to_checksum_hex()] = amount.to_dec();
    out["deposits"] = deposits;
    if (latest) {
        out["version"] = latest->state.version;
        out["is_final"] = latest->state.is_final;
        json outcome = json::array();
        for (const auto& alloc : latest->state.outcome) {
            json balances = json::array();
            for (const auto& b : alloc.balances)
                balances.push_back(b.to_dec());
            u256 locked;
            for (const auto& l : alloc.locks)
                locked += l.amount;
            outcome.push_back({{"asset", alloc.asset.to_checksum_hex()},
                               {"balances", balances},
                               {"locks", alloc.locks.size()},
                               {"locked", locked.to_dec()}});
        }
        out["outcome"] = outcome;
    }
    return out;
}

json payment_json(const sdk::PaymentRecord& p) {
    json out{{"id", hex(p.id)},
             {"direction", p.outgoing ? "outgoing" : "incoming"},
             {"hashlocked", p.hashlocked},
             {"channel_id", hex(p.channel_id)},
             {"asset", p.asset.to_checksum_hex()},
             {"amount", p.amount.to_dec()},
             {"fee", p.fee.to_dec()},
             {"counterparty", p.counterparty.to_checksum_hex()},
             {"status", payment_status_name(p.status)},
             {"created", p.created},
             {"updated", p.updated}};
    if (p.preimage) out["preimage"] = to_hex(p.preimage->view());
    if (!p.code.empty()) out["code"] = p.code;
    if (!p.reason.empty()) out["reason"] = p.reason;
    return out;
}

json invoice_json(const sdk::InvoiceRecord& i) {
    return {{"payment_hash", hex(i.hash)}, {"invoice", i.text},   {"amount", i.amount.to_dec()},
            {"asset", i.asset.to_checksum_hex()}, {"expiry", i.expiry}, {"paid", i.paid},
            {"created", i.created}};
}

void add_node_methods(RpcDispatcher& d, std::shared_ptr<MethodContext> c) {
    d.add("getinfo", Access::read_only, "identity, listen address, chain, channel and peer counts",
          [c](json) -> asio::awaitable<RpcReply> {
              SLUICE_RPC_TRY(const auto records, c->node->channel_records());
              json counts{{"opening", 0}, {"open", 0}, {"closing", 0}, {"closed", 0}};
              for (const auto& r : records)
                  counts[status_name(r.status)] = counts[status_name(r.status)].get<int>() + 1;
              std::size_t connected = 0;
              for (const auto& p : c->node->peers())
                  connected += p.connected;
              json out = c->info;
              out["identity"] = c->node->identity().to_checksum_hex();
              out["listen"] = c->node->endpoint().address().to_string() + ":" +
                              std::to_string(c->node->endpoint().port());
              out["port"] = c->node->endpoint().port();
              out["hub"] = c->node->forwarding().enabled;
              out["channels"] = counts;
              out["peers"] = connected;
              const auto stats = c->node->stats();
              out["relayed"] = stats.relayed;
              out["bad_messages"] = stats.bad_messages;
              out["stopping"] = c->stopping && c->stopping();
              co_return out;
          });
    d.add("listpeers", Access::read_only, "peers: connected ones and the ones we dial",
          [c](json) -> asio::awaitable<RpcReply> {
              json out = json::array();
              for (const auto& p : c->node->peers()) {
                  json o{{"identity", p.address.to_checksum_hex()}, {"connected", p.connected}};
                  if (p.dialled)
                      o["address"] = p.dialled->address().to_string() + ":" + std::to_string(p.dialled->port());
                  out.push_back(o);
              }
              co_return out;
          });
    d.add("connect", Access::full, "connect identity host port: dial a peer (redialled when it drops)",
          [c](json params) -> asio::awaitable<RpcReply> {
              SLUICE_RPC_TRY(const std::string who, param_string(params, 0, "identity"));
              SLUICE_RPC_TRY(const Address peer, address_of(who, "identity"));
              SLUICE_RPC_TRY(const std::string host, param_string(params, 1, "host"));
              SLUICE_RPC_TRY(const std::uint64_t port, param_u64(params, 2, "port"));
              if (port == 0 || port > 65535)
                  co_return to_rpc_error(Error{Errc::rpc_invalid_params, "port: 1 to 65535"});
              boost::system::error_code ec;
              const auto ip = asio::ip::make_address(host, ec);
              if (ec) co_return to_rpc_error(Error{Errc::rpc_invalid_params, "host: an IP address, not " + host});
              const asio::ip::tcp::endpoint endpoint(ip, static_cast<std::uint16_t>(port));
              auto connecting = c->node->connect(peer, endpoint);
              SLUICE_RPC_CHECK(co_await std::move(connecting));
              co_return json{{"identity", peer.to_checksum_hex()}, {"connected", true}};
          });
    d.add("listchannels", Access::read_only, "every channel with its status and latest state",
          [c](json) -> asio::awaitable<RpcReply> {
              SLUICE_RPC_TRY(const auto records, c->node->channel_records());
              json out = json::array();
              for (const auto& r : records)
                  out.push_back(channel_json(r, c->node->latest(r.id)));
              co_return out;
          });
    d.add("openchannel",
          Access::full,
          "openchannel peer amount [peer_amount] [challenge_duration]: a 2-party channel funded on L1 "
          "(amount ours, peer_amount the peer's, wei); or peers=[...] amounts=[ours, ...] for N parties",
          [c](json params) -> asio::awaitable<RpcReply> {
              SLUICE_RPC_CHECK(refuse_when_stopping(*c));
              std::vector<Address> others;
              std::vector<u256> amounts;
              if (params.is_object() && params.contains("peers")) {
                  if (!params["peers"].is_array() || !params.contains("amounts") || !params["amounts"].is_array() ||
                      params["amounts"].size() != params["peers"].size() + 1)
                      co_return to_rpc_error(Error{Errc::rpc_invalid_params,
                                                   "peers: an array; amounts: ours then one per peer, decimal strings"});
                  for (std::size_t i = 0; i < params["peers"].size(); ++i) {
                      SLUICE_RPC_TRY(const std::string text, param_string(params["peers"], i, "peers"));
                      SLUICE_RPC_TRY(const Address a, address_of(text, "peers"));
                      others.push_back(a);
                  }
                  for (std::size_t i = 0; i < params["amounts"].size(); ++i) {
                      SLUICE_RPC_TRY(const u256 a, param_u256(params["amounts"], i, "amounts"));
                      amounts.push_back(a);
                  }
              } else {
                  SLUICE_RPC_TRY(const std::string text, param_string(params, 0, "peer"));
                  SLUICE_RPC_TRY(const Address a, address_of(text, "peer"));
                  others.push_back(a);
                  SLUICE_RPC_TRY(const u256 ours, param_u256(params, 1, "amount"));
                  SLUICE_RPC_TRY(const auto theirs, param_optional_u256(params, 2, "peer_amount"));
                  amounts = {ours, theirs.value_or(u256{})};
              }
              SLUICE_RPC_TRY(const auto challenge, param_optional_u64(params, 3, "challenge_duration"));
              channel::Params p;
              p.chain_id = c->chain_id;
              p.adjudicator = c->adjudicator;
              p.participants.push_back(c->node->identity());
              for (const auto& o : others)
                  p.participants.push_back(o);
              p.nonce = random_nonce();
              p.challenge_duration = challenge.value_or(3600);
              channel::State initial;
              initial.channel_id = channel::channel_id(p);
              initial.outcome.push_back({Address{}, amounts, {}});
              auto opening = c->node->open_channel(p, initial, {});
              SLUICE_RPC_TRY(const Hash id, co_await std::move(opening));
              log("hub")->info("opened channel {} with {} peer(s)", hex(id), others.size());
              co_return json{{"channel_id", hex(id)}};
          });
    d.add("closechannel", Access::full,
          "closechannel channel_id: the final state signed by all, then conclude and withdraw on L1",
          [c](json params) -> asio::awaitable<RpcReply> {
              SLUICE_RPC_TRY(const std::string text, param_string(params, 0, "channel_id"));
              SLUICE_RPC_TRY(const Hash id, hash_of(text, "channel_id"));
              auto closing = c->node->close_channel(id);
              SLUICE_RPC_CHECK(co_await std::move(closing));
              co_return json{{"channel_id", hex(id)}, {"closed", true}};
          });
    d.add("invoice", Access::full, "invoice amount [description] [expiry_seconds]: a sluice1 invoice",
          [c](json params) -> asio::awaitable<RpcReply> {
              SLUICE_RPC_CHECK(refuse_when_stopping(*c));
              SLUICE_RPC_TRY(const u256 amount, param_u256(params, 0, "amount"));
              SLUICE_RPC_TRY(const auto description, param_optional_string(params, 1, "description"));
              SLUICE_RPC_TRY(const auto expiry, param_optional_u64(params, 2, "expiry_seconds"));
              SLUICE_RPC_TRY(const std::string text,
                             c->node->create_invoice(amount, Address{}, description.value_or(""),
                                                     expiry.value_or(3600)));
              SLUICE_RPC_TRY(const sdk::Invoice decoded, sdk::decode_invoice(text));
              co_return json{{"invoice", text},
                             {"payment_hash", hex(decoded.payment_hash)},
                             {"expiry", decoded.expiry}};
          });
    d.add("pay", Access::full,
          "pay invoice [fee] [wait=true] [timeout_seconds=60]: pays through the invoice's hub (fee on top) or "
          "directly; waits for the outcome unless wait=false",
          [c](json params) -> asio::awaitable<RpcReply> {
              SLUICE_RPC_CHECK(refuse_when_stopping(*c));
              SLUICE_RPC_TRY(const std::string invoice, param_string(params, 0, "invoice"));
              SLUICE_RPC_TRY(const auto fee, param_optional_u256(params, 1, "fee"));
              SLUICE_RPC_TRY(const auto wait, param_optional_bool(params, 2, "wait"));
              SLUICE_RPC_TRY(const auto timeout, param_optional_u64(params, 3, "timeout_seconds"));
              SLUICE_RPC_TRY(const Hash id, c->node->pay_invoice(invoice, fee.value_or(u256{})));
              if (wait.value_or(true)) {
                  const auto bound = std::chrono::seconds(std::min<std::uint64_t>(timeout.value_or(60), 3600));
                  auto waiting = c->watch->wait(id, bound);
                  (void)co_await std::move(waiting);
              }
              SLUICE_RPC_TRY(const auto record, c->node->payment(id));
              if (!record) co_return to_rpc_error(Error{Errc::node_unknown_payment, "the payment vanished"});
              co_return payment_json(*record);
          });
    d.add("listpayments", Access::read_only, "every payment, sent and received",
          [c](json) -> asio::awaitable<RpcReply> {
              SLUICE_RPC_TRY(const auto payments, c->node->payments());
              co_return json_array(payments, payment_json);
          });
    d.add("listinvoices", Access::read_only, "every invoice this node made",
          [c](json) -> asio::awaitable<RpcReply> {
              SLUICE_RPC_TRY(const auto invoices, c->node->invoices());
              co_return json_array(invoices, invoice_json);
          });
    d.add("setfees", Access::full,
          "setfees [base_fee] [fee_ppm] [delta] [max_locked] [channel_id]: the forwarding policy, or one "
          "outgoing channel's override; returns the policy",
          [c](json params) -> asio::awaitable<RpcReply> {
              SLUICE_RPC_TRY(const auto base, param_optional_u256(params, 0, "base_fee"));
              SLUICE_RPC_TRY(const auto ppm, param_optional_u64(params, 1, "fee_ppm"));
              SLUICE_RPC_TRY(const auto delta, param_optional_u64(params, 2, "delta"));
              SLUICE_RPC_TRY(const auto limit, param_optional_u256(params, 3, "max_locked"));
              SLUICE_RPC_TRY(const auto channel, param_optional_string(params, 4, "channel_id"));
              if (ppm && *ppm > 1'000'000)
                  co_return to_rpc_error(Error{Errc::rpc_invalid_params, "fee_ppm: at most 1000000"});
              sdk::ForwardingPolicy policy = c->node->forwarding();
              if (channel) {
                  SLUICE_RPC_TRY(const Hash id, hash_of(*channel, "channel_id"));
                  if (!c->node->latest(id))
                      co_return to_rpc_error(Error{Errc::node_unknown_channel, "no channel " + *channel});
                  if (delta)
                      co_return to_rpc_error(Error{Errc::rpc_invalid_params, "delta is not per channel"});
                  auto& o = policy.channels[id];
                  if (base) o.base_fee = *base;
                  if (ppm) o.fee_ppm = *ppm;
                  if (limit) o.max_locked = *limit;
              } else {
                  if (base) policy.base_fee = *base;
                  if (ppm) policy.fee_ppm = *ppm;
                  if (delta) policy.delta = *delta;
                  if (limit) policy.max_locked = *limit;
              }
              c->node->set_forwarding(policy);
              co_return policy_json(policy);
          });
    d.add("stop", Access::full, "stop the daemon (as SIGTERM: in-flight payments finish first)",
          [c](json) -> asio::awaitable<RpcReply> {
              if (c->request_stop) c->request_stop();
              co_return json{{"stopping", true}};
          });
}

}  // namespace sluice::hub
