#include "sluice/hub/daemon.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/signal_set.hpp>
#include <fstream>
#include <future>

#include "sluice/core/hex.hpp"
#include "sluice/hub/logging.hpp"
#include "sluice/hub/private_file.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/sdk/invoice.hpp"

namespace sluice::hub {
namespace {

namespace asio = boost::asio;

constexpr const char* kVersion = "sluiced/0.1.0";

template <class T>
Result<T> run_on(asio::io_context& io, asio::awaitable<Result<T>> task) {
    std::promise<Result<T>> done;
    auto future = done.get_future();
    auto body = [&done, task = std::move(task)]() mutable -> asio::awaitable<void> {
        done.set_value(co_await std::move(task));
    };
    asio::co_spawn(io, std::move(body), asio::detached);
    return future.get();
}

Result<std::string> read_password(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) return make_error(Errc::hub_bad_config, "cannot read the password file " + file.string());
    std::string password;
    std::getline(in, password);
    return password;
}

// "0xIDENTITY@HOST:PORT"
Result<sdk::HubEndpoint> hub_endpoint_of(const std::string& text) {
    const auto at = text.find('@');
    const auto colon = text.rfind(':');
    if (at == std::string::npos || colon == std::string::npos || colon < at)
        return make_error(Errc::hub_bad_config, "--invoice-hub: ADDRESS@HOST:PORT, not " + text);
    auto identity = Address::from_hex(text.substr(0, at));
    if (!identity) return make_error(Errc::hub_bad_config, "--invoice-hub: not an address: " + text.substr(0, at));
    unsigned long port = 0;
    try {
        port = std::stoul(text.substr(colon + 1));
    } catch (const std::exception&) {
        port = 0;
    }
    if (port == 0 || port > 65535) return make_error(Errc::hub_bad_config, "--invoice-hub: a port from 1 to 65535");
    return sdk::HubEndpoint{text.substr(at + 1, colon - at - 1), static_cast<std::uint16_t>(port), *identity};
}

}  // namespace

Daemon::Daemon(DaemonConfig config) : config_(std::move(config)), io_(static_cast<int>(config_.threads)) {}

Daemon::~Daemon() {
    shut_down();
}

Result<std::unique_ptr<Daemon>> Daemon::start(DaemonConfig config) {
    std::error_code ec;
    std::filesystem::create_directories(config.data_dir, ec);
    if (ec) return make_error(Errc::hub_bad_config, "--datadir " + config.data_dir.string() + ": " + ec.message());
    SLUICE_CHECK_OK(setup_logging(config.data_dir / "sluiced.log", config.log_level));
    std::unique_ptr<Daemon> d(new Daemon(std::move(config)));
    if (auto s = d->start_all(); !s.ok()) {
        log("hub")->error("start failed: {}", s.error().describe());
        d->shut_down();
        return std::move(s).error();
    }
    return d;
}

Status Daemon::start_all() {
    for (unsigned t = 0; t < config_.threads; ++t)
        threads_.emplace_back([this] {
            auto work = asio::make_work_guard(io_);
            io_.run();
        });
    // The identity, which is also the L1 key.
    std::optional<sdk::NodeConfig> node_config;
    const auto node_dir = config_.data_dir / "node";
    if (config_.dev_key) {
        node_config.emplace(l1::dev_account_key(*config_.dev_key), node_dir);
    } else {
        SLUICE_TRY(const std::string password, read_password(config_.password_file));
        SLUICE_TRY(auto from_keystore, sdk::NodeConfig::with_keystore(config_.keystore, password, node_dir));
        node_config.emplace(std::move(from_keystore));
    }
    SLUICE_TRY(l1_, run_on(io_, DaemonL1::open(io_.get_executor(), config_, node_config->identity)));

    sdk::NodeConfig& nc = *node_config;
    boost::system::error_code ec;
    const auto listen_ip = asio::ip::make_address(config_.listen_host, ec);
    if (ec) return make_error(Errc::hub_bad_config, "--listen-host: " + config_.listen_host);
    nc.listen = asio::ip::tcp::endpoint(listen_ip, config_.listen_port);
    nc.l1 = sdk::NodeL1{&l1_->client(), &l1_->signer(), {}};
    nc.l1.funding.confirmations = config_.confirmations;
    nc.l1.funding.poll_interval = std::chrono::milliseconds(config_.network == "devchain" ? 50 : 500);
    nc.forwarding.enabled = config_.hub;
    nc.forwarding.base_fee = config_.base_fee;
    nc.forwarding.fee_ppm = config_.fee_ppm;
    nc.forwarding.delta = config_.delta;
    nc.forwarding.max_locked = config_.max_locked;
    if (config_.invoice_hub) {
        SLUICE_TRY(nc.invoice_hub, hub_endpoint_of(*config_.invoice_hub));
    }
    nc.serve_relay = config_.hub;
    nc.relays = config_.relay_via;
    if (nc.relays.empty() && nc.invoice_hub) nc.relays.push_back(nc.invoice_hub->identity);
    auto watch = watch_;
    nc.on_event = [this, watch](const sdk::QueuedEvent& e) {
        node_metrics_.on_event(e);
        if (const auto* sent = std::get_if<sdk::PaymentSent>(&e.event)) watch->resolved(sent->payment_hash);
        if (const auto* failed = std::get_if<sdk::PaymentFailed>(&e.event)) {
            watch->resolved(failed->payment_hash);
            log("node")->info("payment {} failed: {} ({})", to_hex(failed->payment_hash.view()), failed->code,
                              failed->reason);
        }
    };
    nc.on_round = [this](std::chrono::microseconds t, std::size_t ops) { node_metrics_.on_round(t, ops); };
    nc.on_commit = [this](std::chrono::microseconds t, std::size_t writes) { node_metrics_.on_commit(t, writes); };
    SLUICE_TRY(node_, sdk::Node::start(io_.get_executor(), std::move(nc)));
    node_metrics_.attach(node_);
    log("node")->info("identity {} listening on {}:{}", node_->identity().to_checksum_hex(),
                      node_->endpoint().address().to_string(), node_->endpoint().port());

    SLUICE_TRY(auto auth, RpcAuth::create(config_.data_dir));
    auth_.emplace(std::move(auth));
    auto context = std::make_shared<MethodContext>();
    context->node = node_.get();
    context->adjudicator = l1_->adjudicator();
    context->chain_id = l1_->chain_id();
    context->watch = watch_;
    context->stopping = [this] { return stopping_.load(); };
    context->request_stop = [this] { request_stop(); };
    context->info = {{"version", kVersion},
                     {"network", config_.network},
                     {"chain_id", l1_->chain_id().to_dec()},
                     {"adjudicator", l1_->adjudicator().to_checksum_hex()}};
    add_node_methods(dispatcher_, context);
    RpcServerOptions rpc;
    rpc.host = config_.rpc_host;
    rpc.port = config_.rpc_port;
    SLUICE_TRY(server_, RpcServer::start(io_.get_executor(), rpc, dispatcher_, *auth_, metrics_));
    rpc_port_ = server_->port();
    // Where sluice-cli and scripts find the RPC (port 0 picks one) and the peer port.
    SLUICE_CHECK_OK(write_private_file(config_.data_dir / "rpc.port", std::to_string(rpc_port_) + "\n"));
    SLUICE_CHECK_OK(
        write_private_file(config_.data_dir / "peer.port", std::to_string(node_->endpoint().port()) + "\n"));
    log("rpc")->info("admin RPC on {}:{} (cookie {}, read-only token {})", config_.rpc_host, rpc_port_,
                     (config_.data_dir / ".cookie").string(), (config_.data_dir / "readonly.token").string());
    log("hub")->info("{} ready ({}, hub {})", kVersion, config_.network, config_.hub ? "on" : "off");
    return {};
}

void Daemon::request_stop() {
    {
        std::lock_guard lock(stop_mutex_);
        stopping_ = true;
    }
    stop_requested_.notify_all();
}

int Daemon::run_until_stopped() {
    asio::signal_set signals(io_, SIGINT, SIGTERM);
    signals.async_wait([this](const boost::system::error_code& ec, int signal) {
        if (ec) return;
        log("hub")->info("signal {}: stopping", signal);
        request_stop();
    });
    {
        std::unique_lock lock(stop_mutex_);
        stop_requested_.wait(lock, [this] { return stopping_.load(); });
    }
    // In-flight payments get the grace period to resolve (new ones are refused already).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(config_.shutdown_grace_seconds);
    std::size_t open = 0;
    while (std::chrono::steady_clock::now() < deadline) {
        const auto unresolved = node_->unresolved_payments();
        open = unresolved ? unresolved->size() : 0;
        if (open == 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (open > 0)
        log("hub")->warn("{} payment(s) still in flight at shutdown: they resume at the next start", open);
    boost::system::error_code ignored;
    signals.cancel(ignored);
    shut_down();
    log("hub")->info("stopped");
    return 0;
}

void Daemon::shut_down() {
    stopping_ = true;
    if (server_) server_->stop();
    if (node_) {
        node_->stop();
        // The node's coroutines end with their connections; they hold references until then.
        for (int i = 0; i < 500 && node_.use_count() > 1; ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    io_.stop();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
    threads_.clear();
    server_.reset();
    node_.reset();
    l1_.reset();
}

}  // namespace sluice::hub
