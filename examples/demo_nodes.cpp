#include "demo_nodes.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <mutex>

#include "sluice/channel/encoding.hpp"
#include "sluice/sdk/node.hpp"

namespace sluice::demo {
namespace {

namespace asio = boost::asio;
using sdk::Node;

const u256 kEther{1'000'000'000'000'000'000ULL};
const u256 kFinney{1'000'000'000'000'000ULL};

std::string eth(const u256& wei) {
    const std::string digits = (wei / kFinney).to_dec();
    const std::string padded = std::string(digits.size() < 4 ? 4 - digits.size() : 0, '0') + digits;
    return padded.substr(0, padded.size() - 3) + "." + padded.substr(padded.size() - 3) + " ETH";
}

// What each node reported, for the demo to wait on.
struct Seen {
    std::mutex mutex;
    std::vector<std::vector<sdk::NodeEvent>> events{3};
    template <class E>
    std::size_t count(std::size_t node) {
        std::lock_guard lock(mutex);
        std::size_t n = 0;
        for (const auto& e : events[node])
            n += std::holds_alternative<E>(e);
        return n;
    }
};

asio::awaitable<bool> until(const std::function<bool()>& done,
                            std::chrono::seconds bound = std::chrono::seconds(60)) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) co_return false;
        timer.expires_after(std::chrono::milliseconds(20));
        co_await timer.async_wait(asio::use_awaitable);
    }
    co_return true;
}

bool check(bool ok, const char* what) {
    if (!ok) std::fprintf(stderr, "demo failed: %s\n", what);
    return ok;
}

}  // namespace

asio::awaitable<bool> run_nodes(DemoL1& l1, const std::vector<PrivateKey>& keys, const Address& adjudicator) {
    static constexpr const char* kNames[] = {"alice", "bob (hub)", "carol"};
    std::puts(
        "\n7. The same parties as SDK nodes (sluice::sdk::Node: encrypted loopback transport, SQLite "
        "store):");
    char dir_template[] = "/tmp/sluice-demo-XXXXXX";
    const char* made = mkdtemp(dir_template);
    if (!check(made != nullptr, "a temporary data dir")) co_return false;
    const std::filesystem::path root(made);
    Seen seen;
    std::vector<std::shared_ptr<Node>> nodes;
    std::vector<u256> before;
    const auto executor = co_await asio::this_coro::executor;
    for (std::size_t i = 0; i < 3; ++i) {
        sdk::NodeConfig config(keys[i], root / kNames[i]);
        config.l1.client = &l1.client();
        config.l1.signer = &l1.signer(i);
        config.l1.funding.poll_interval = std::chrono::milliseconds(50);
        config.forwarding.base_fee = kFinney;  // bob asks 0.001 ETH + 0.1 % per forwarded payment
        config.forwarding.fee_ppm = 1'000;
        config.on_event = [&seen, i](const sdk::QueuedEvent& e) {
            std::lock_guard lock(seen.mutex);
            seen.events[i].push_back(e.event);
        };
        auto node = Node::start(executor, std::move(config));
        if (!node) {
            std::fprintf(stderr, "demo failed: node %s: %s\n", kNames[i], node.error().describe().c_str());
            co_return false;
        }
        nodes.push_back(std::move(node).value());
        auto b = co_await l1.balance(keys[i].address());
        if (!check(b.ok(), "balance")) co_return false;
        before.push_back(*b);
        std::printf("   %-9s listens on %s\n", kNames[i],
                    nodes[i]
                        ->endpoint()
                        .address()
                        .to_string()
                        .append(":")
                        .append(std::to_string(nodes[i]->endpoint().port()))
                        .c_str());
    }
    Node& alice = *nodes[0];
    Node& bob = *nodes[1];
    Node& carol = *nodes[2];
    bool ok = true;
    ok = ok && check((co_await alice.connect(bob.identity(), bob.endpoint())).ok(), "alice connects to bob");
    ok = ok && check((co_await carol.connect(bob.identity(), bob.endpoint())).ok(), "carol connects to bob");
    // Two 2-party channels with the hub: alice deposits 1 ETH toward bob, bob 1 ETH toward carol.
    const auto open = [&](Node& opener, Node& other, std::uint64_t nonce) -> asio::awaitable<Result<Hash>> {
        channel::Params p;
        p.chain_id = 31337;
        p.adjudicator = adjudicator;
        p.participants = {opener.identity(), other.identity()};
        p.nonce = nonce;
        p.challenge_duration = 3600;
        channel::State s;
        s.channel_id = channel::channel_id(p);
        s.outcome.push_back({Address{}, {kEther, u256{}}, {}});
        co_return co_await opener.open_channel(p, s, {});
    };
    Result<Hash> ab = make_error(Errc::internal, "not opened");
    Result<Hash> bc = make_error(Errc::internal, "not opened");
    if (ok) ab = co_await open(alice, bob, 101);
    if (ok) bc = co_await open(bob, carol, 102);
    ok = ok && check(ab.ok() && bc.ok(), "open the channels");
    ok = ok && check(co_await until([&] { return seen.count<sdk::ChannelOpened>(1) == 2; }),
                     "both channels funded on L1");
    if (ok)
        std::puts(
            "   alice-bob and bob-carol open: each deposit confirmed on L1 (DepositConfirmed, "
            "ChannelOpened)");

    // carol's invoice, paid by alice through bob.
    auto invoice = carol.create_invoice(kEther / u256{10}, Address{}, "coffee beans, 1 kg");
    ok = ok && check(invoice.ok(), "carol's invoice");
    if (ok) {
        auto decoded = sdk::decode_invoice(*invoice).value();
        decoded.hub = sdk::HubEndpoint{"127.0.0.1", bob.endpoint().port(), bob.identity()};
        *invoice = sdk::encode_invoice(decoded).value();
        std::printf("   carol's invoice: %s...%s (%zu characters)\n", invoice->substr(0, 24).c_str(),
                    invoice->substr(invoice->size() - 8).c_str(), invoice->size());
        const u256 fee = kFinney + kEther / u256{10} / u256{1'000};
        const auto paid = alice.pay_invoice(*invoice, fee);
        ok =
            check(paid.ok(), "alice pays the invoice") &&
            check(co_await until([&] {
                      return seen.count<sdk::PaymentSent>(0) == 1 && seen.count<sdk::PaymentReceived>(2) == 1;
                  }),
                  "the payment arrives");
        if (ok)
            std::printf(
                "   paid through bob: carol received %s, bob kept a fee of %s (PaymentSent, "
                "PaymentReceived)\n",
                eth(kEther / u256{10}).c_str(), eth(fee).c_str());
    }
    // Cooperative closes: the final states, then conclude and withdraw on L1.
    if (ok) ok = check((co_await alice.close_channel(*ab)).ok(), "alice closes alice-bob");
    if (ok) ok = check((co_await carol.close_channel(*bc)).ok(), "carol closes bob-carol");
    ok = ok && check(co_await until([&] { return seen.count<sdk::ChannelClosed>(1) == 2; }),
                     "bob sees both closed");
    if (ok) {
        std::puts(
            "   both channels closed cooperatively (final state, conclude, withdraw); L1 balance changes, "
            "fees included:");
        for (std::size_t i = 0; i < 3; ++i) {
            const auto after = co_await l1.balance(keys[i].address());
            if (!after) co_return check(false, "balance");
            const bool up = *after >= before[i];
            const u256 delta = up ? *after - before[i] : before[i] - *after;
            std::printf("   %-9s %s%s\n", kNames[i], up ? "+" : "-", eth(delta).c_str());
        }
        // carol was paid 0.1 ETH on L1 and paid fees only if her node sent a transaction (it closed: it did).
        const auto carol_after = co_await l1.balance(keys[2].address());
        ok = check(carol_after.ok() && *carol_after > before[2] + kEther / u256{10} - kFinney &&
                       *carol_after <= before[2] + kEther / u256{10},
                   "carol holds the invoice's amount on L1 (less her close's gas)");
    }
    for (auto& n : nodes)
        n->stop();
    // The nodes' coroutines end with their connections; give them the executor until they are ours alone.
    co_await until(
        [&] {
            for (const auto& n : nodes) {
                if (n.use_count() > 1) return false;
            }
            return true;
        },
        std::chrono::seconds(10));
    nodes.clear();
    std::error_code ignored;
    std::filesystem::remove_all(root, ignored);
    if (ok) std::puts("\nThe nodes paid through the hub and settled on L1 what their latest states said.");
    co_return ok;
}

}  // namespace sluice::demo
