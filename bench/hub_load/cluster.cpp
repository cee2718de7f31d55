#include "cluster.hpp"

#include <chrono>
#include <stdexcept>

#include "hub_connection.hpp"
#include "sluice/hub/rpc_auth.hpp"

namespace sluice::bench {

namespace asio = boost::asio;
using nlohmann::json;
using namespace std::chrono_literals;

Cluster::Cluster(ClusterOptions options) : options_(std::move(options)) {
    std::filesystem::create_directories(options_.work_dir);
    const auto devchain_log = options_.work_dir / "devchain.out";
    devchain_ = std::make_unique<ChildProcess>(options_.devchain, std::vector<std::string>{"--port", "0"},
                                               devchain_log);
    const std::string line = wait_for_line(devchain_log, "listening on", 20s);
    // "listening on 127.0.0.1:PORT": the address runs to the end of the line or the next space.
    const auto at = line.find("127.0.0.1:");
    if (at == std::string::npos) throw std::runtime_error("devchain: no address in \"" + line + "\"");
    auto end = at + 10;
    while (end < line.size() && line[end] >= '0' && line[end] <= '9')
        ++end;
    if (end == at + 10) throw std::runtime_error("devchain: no port in \"" + line + "\"");
    l1_url_ = "http://" + line.substr(at, end - at) + "/";

    hub_ = start_node("hub", 0,
                      {"--hub", "--deploy-adjudicator", "--base-fee", options_.base_fee, "--fee-ppm",
                       std::to_string(options_.fee_ppm)});
    const std::string adjudicator = wait_for_file(hub_->dir / "adjudicator", 30s);
    const std::string hub_port = wait_for_file(hub_->dir / "peer.port", 30s);
    if (options_.clients < 2 || options_.clients > 19)
        throw std::runtime_error("--clients: from 2 to 19 (the devchain's dev accounts, 0 is the hub)");
    // The hub's identity is read over RPC once the cluster runs; the clients need it in their invoices now,
    // and it is the dev account's address, which getinfo on the hub reports: read it synchronously first.
    asio::io_context io;
    std::string hub_identity;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            HubConnection c(co_await asio::this_coro::executor, hub_->rpc, hub_->authorization);
            co_await c.connect();
            json params = json::array();
            auto task = c.call(std::string("getinfo"), std::move(params));
            const json info = co_await std::move(task);
            hub_identity = info.at("identity").get<std::string>();
        },
        [](std::exception_ptr e) {
            if (e) std::rethrow_exception(e);
        });
    io.run();
    hub_->identity = hub_identity;
    const std::string trimmed_adjudicator = adjudicator.substr(0, adjudicator.find_first_of("\r\n"));
    const std::string trimmed_port = hub_port.substr(0, hub_port.find_first_of("\r\n"));
    for (std::size_t i = 0; i < options_.clients; ++i) {
        clients_.push_back(start_node("client" + std::to_string(i), i + 1,
                                      {"--adjudicator", trimmed_adjudicator, "--invoice-hub",
                                       hub_identity + "@127.0.0.1:" + trimmed_port}));
    }
}

Cluster::~Cluster() {
    for (auto& c : clients_)
        c->process->stop();
    if (hub_) hub_->process->stop();
    if (devchain_) devchain_->stop();
}

std::unique_ptr<NodeProcess> Cluster::start_node(const std::string& name, std::size_t dev_key,
                                                 std::vector<std::string> extra) {
    auto node = std::make_unique<NodeProcess>();
    node->name = name;
    node->dir = options_.work_dir / name;
    std::vector<std::string> args{"--datadir",     node->dir.string(),
                                  "--l1-rpc",      l1_url_,
                                  "--dev-key",     std::to_string(dev_key),
                                  "--listen-port", "0",
                                  "--rpc-port",    "0",
                                  "--threads",     std::to_string(options_.threads),
                                  "--log-level",   options_.log_level};
    args.insert(args.end(), extra.begin(), extra.end());
    node->process =
        std::make_unique<ChildProcess>(options_.sluiced, args, options_.work_dir / (name + ".out"));
    const std::string port = wait_for_file(node->dir / "rpc.port", 60s);
    node->rpc = asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"),
                                        static_cast<std::uint16_t>(std::stoul(port)));
    auto header = hub::RpcAuth::header_from_cookie_file(node->dir / ".cookie");
    if (!header) throw std::runtime_error(name + ": " + header.error().describe());
    node->authorization = *header;
    return node;
}

namespace {

asio::awaitable<std::string> channel_status(HubConnection& c, const std::string& channel) {
    json params = json::array();
    auto task = c.call(std::string("listchannels"), std::move(params));
    const json list = co_await std::move(task);
    for (const auto& ch : list)
        if (ch.at("channel_id") == channel) co_return ch.at("status").get<std::string>();
    co_return std::string();
}

}  // namespace

asio::awaitable<void> Cluster::open_channels() {
    const auto executor = co_await asio::this_coro::executor;
    const std::string hub_port = wait_for_file(hub_->dir / "peer.port", 1s);
    HubConnection hub_rpc(executor, hub_->rpc, hub_->authorization);
    co_await hub_rpc.connect();
    std::vector<std::string> channels;
    std::vector<std::unique_ptr<HubConnection>> rpcs;
    for (const auto& client : clients_) {
        rpcs.push_back(std::make_unique<HubConnection>(executor, client->rpc, client->authorization));
        co_await rpcs.back()->connect();
        json connect_params = json::array({hub_->identity, "127.0.0.1", std::stoul(hub_port)});
        auto connecting = rpcs.back()->call(std::string("connect"), std::move(connect_params));
        (void)co_await std::move(connecting);
        json open_params = json::array({hub_->identity, options_.deposit, options_.deposit});
        auto opening = rpcs.back()->call(std::string("openchannel"), std::move(open_params));
        const json opened = co_await std::move(opening);
        channels.push_back(opened.at("channel_id").get<std::string>());
    }
    asio::steady_timer pause(executor);
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    for (std::size_t i = 0; i < channels.size(); ++i) {
        for (;;) {
            auto at_client = channel_status(*rpcs[i], channels[i]);
            const std::string mine = co_await std::move(at_client);
            auto at_hub = channel_status(hub_rpc, channels[i]);
            const std::string theirs = co_await std::move(at_hub);
            if (mine == "open" && theirs == "open") break;
            if (std::chrono::steady_clock::now() > deadline)
                throw std::runtime_error(clients_[i]->name + ": channel " + channels[i] + " not open (" +
                                         mine + ", hub " + theirs + ")");
            pause.expires_after(50ms);
            co_await pause.async_wait(asio::use_awaitable);
        }
    }
}

std::vector<const NodeProcess*> Cluster::nodes() const {
    std::vector<const NodeProcess*> out{hub_.get()};
    for (const auto& c : clients_)
        out.push_back(c.get());
    return out;
}

unsigned long long Cluster::cpu_ticks() const {
    unsigned long long total = devchain_ ? devchain_->cpu_ticks() : 0;
    for (const NodeProcess* n : nodes())
        total += n->process->cpu_ticks();
    return total;
}

std::string Cluster::fee_for(std::uint64_t amount) const {
    return std::to_string(std::stoull(options_.base_fee) + amount * options_.fee_ppm / 1'000'000);
}

}  // namespace sluice::bench
