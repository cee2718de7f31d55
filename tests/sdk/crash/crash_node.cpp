// sluice-crash-node: one sluice::sdk::Node in its own process, for the crash campaign
// (crash_campaign_test.cpp kills it with SIGKILL and starts it again on the same data dir and port).
//
//   sluice-crash-node <payer|payee> <data dir> <dev key index> <port> <peer dev key index> <peer port>
//
// The payer dials the payee, opens one 2-party channel (once: when its store has none) and pays 1 wei at a
// time until SIGUSR1 (drain: stop paying, wait until every payment is resolved) or SIGTERM (Node::stop,
// exit 0). The payee serves. Both append to <data dir>/crash.log, one write(2) per line on an O_APPEND file:
// what the kernel has is not lost when the process is killed (a power cut is not simulated, so no fsync).
//
//   start <version|-1>                    after Node::start: the latest version restored from the store
//   state <version> <total> <locks>       our latest fully signed state whenever it changes (total: balances
//                                         plus locks of the ETH allocation; locks: how many)
//   recv <version> <total>                a fully signed state a peer sent (Completion, SyncState)
//   sig <channel> <version> <signer> <signature>   every state signature a peer sent us, logged before
//                                         the node handles the message (so anything the node could keep is
//                                         logged first): OpenChannel, AcceptChannel, Countersignature,
//                                         Completion, SyncState. Proposals carry no state signature.
//   sent <payment id> <amount>            PaymentSent delivered to us (on_event, or redelivered by events()
//                                         after a restart): what the user was told is paid
//   drained <version>                     payer, after SIGUSR1: nothing pending any more
//   final <version> <b0> <b1> <state hash> <succeeded>   on SIGTERM, after Node::stop; succeeded: the
//                                         payer's payments in status succeeded (0 for the payee)
//   ok <payment id>                       payer, on SIGTERM: each succeeded payment of its book
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <mutex>
#include <string>
#include <thread>

#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/sdk/node.hpp"
#include "support/await_on.hpp"

namespace {

namespace asio = boost::asio;
using namespace sluice;
using namespace sluice::sdk;
using sluice::testing::await_on;

std::atomic<int> g_signal{0};
extern "C" void on_signal(int sig) {
    // SIGTERM wins over SIGUSR1.
    if (sig == SIGTERM || g_signal.load() == 0) g_signal.store(sig);
}

class Log {
  public:
    explicit Log(const std::filesystem::path& file)
        : fd_(::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) {}
    ~Log() {
        if (fd_ >= 0) ::close(fd_);
    }
    bool ok() const { return fd_ >= 0; }
    void line(const std::string& text) {
        const std::string l = text + "\n";
        std::lock_guard lock(mutex_);
        std::size_t done = 0;
        while (done < l.size()) {
            const auto n = ::write(fd_, l.data() + done, l.size() - done);
            if (n <= 0) std::abort();  // a log we cannot trust makes every check meaningless
            done += static_cast<std::size_t>(n);
        }
    }

  private:
    int fd_;
    std::mutex mutex_;
};

std::string hex(const Hash& h) {
    return to_hex(h.view(), false);
}
std::string hex(const Signature& s) {
    const auto bytes = s.to_bytes();
    return to_hex(ByteView(bytes.data(), bytes.size()), false);
}

// Balances plus locks of the ETH allocation, and the number of locks.
std::pair<u256, std::size_t> total_of(const channel::State& s) {
    for (const auto& alloc : s.outcome) {
        if (alloc.asset != Address{}) continue;
        const auto total = channel::total_of(alloc);
        return {total ? *total : u256{}, alloc.locks.size()};
    }
    return {u256{}, 0};
}

void log_signed(Log& log, const channel::SignedState& ss) {
    log.line("recv " + std::to_string(ss.state.version) + " " + total_of(ss.state).first.to_dec());
    for (std::size_t i = 0; i < ss.sigs.size(); ++i) {
        if (ss.sigs[i])
            log.line("sig " + hex(ss.state.channel_id) + " " + std::to_string(ss.state.version) + " " +
                     std::to_string(i) + " " + hex(*ss.sigs[i]));
    }
}

void observe(Log& log, const Address& from, const wire::Message& message) {
    const auto sig = [&](const Hash& id, std::uint64_t version, std::size_t signer, const Signature& s) {
        log.line("sig " + hex(id) + " " + std::to_string(version) + " " + std::to_string(signer) + " " +
                 hex(s));
    };
    if (const auto* open = std::get_if<wire::OpenChannel>(&message)) {
        if (const auto opener = channel::participant_index(open->params, from))
            sig(open->initial.channel_id, open->initial.version, *opener, open->opener_signature);
    } else if (const auto* accept = std::get_if<wire::AcceptChannel>(&message)) {
        sig(accept->channel_id, 0, accept->signer, accept->signature);
    } else if (const auto* sync = std::get_if<wire::SyncState>(&message)) {
        log_signed(log, sync->latest);
    } else if (const auto* m = std::get_if<wire::ChannelMessage>(&message)) {
        if (const auto* c = std::get_if<channel::Countersignature>(&m->message)) {
            sig(c->channel_id, c->version, c->signer, c->signature);
        } else if (const auto* done = std::get_if<channel::Completion>(&m->message)) {
            channel::SignedState ss{done->state, {}};
            for (const auto& s : done->signatures)
                ss.sigs.emplace_back(s);
            log_signed(log, ss);
        }
    }
}

channel::Params params_for(const Address& payer, const Address& payee) {
    channel::Params p;
    p.chain_id = 31337;
    p.adjudicator = Address::from_hex("0x5fbdb2315678afecb367f032d93f642f64180aa3").value();
    p.participants = {payer, payee};
    p.nonce = 1;
    p.challenge_duration = 3600;
    return p;
}

constexpr std::uint64_t kDeposit = 1'000'000'000;

int run(int argc, char** argv) {
    if (argc != 7) {
        std::fprintf(stderr, "usage: %s <payer|payee> <dir> <key> <port> <peer key> <peer port>\n", argv[0]);
        return 2;
    }
    const std::string role = argv[1];
    const bool payer = role == "payer";
    const std::filesystem::path dir = argv[2];
    const auto key = static_cast<std::size_t>(std::stoul(argv[3]));
    const auto port = static_cast<unsigned short>(std::stoul(argv[4]));
    const auto peer_key = static_cast<std::size_t>(std::stoul(argv[5]));
    const auto peer_port = static_cast<unsigned short>(std::stoul(argv[6]));
    std::filesystem::create_directories(dir);
    Log log(dir / "crash.log");
    if (!log.ok()) return 3;

    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGUSR1, &sa, nullptr);

    asio::io_context io(2);
    auto work = asio::make_work_guard(io);
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t)
        threads.emplace_back([&io] { io.run(); });

    const Address peer = l1::dev_account_key(peer_key).address();
    const auto loopback = asio::ip::address_v4::loopback();
    NodeConfig config(l1::dev_account_key(key), dir);
    config.listen = asio::ip::tcp::endpoint(loopback, port);
    config.connection.handshake_timeout = std::chrono::milliseconds(2'000);
    config.open_timeout = std::chrono::milliseconds(3'000);
    config.reconnect.initial = std::chrono::milliseconds(20);
    config.reconnect.max = std::chrono::milliseconds(200);
    config.on_message = [&log](const Address& from, const wire::Message& m) { observe(log, from, m); };
    config.on_event = [&log](const QueuedEvent& e) {
        if (const auto* sent = std::get_if<PaymentSent>(&e.event))
            log.line("sent " + hex(sent->payment_hash) + " " + sent->amount.to_dec());
    };
    auto started = Node::start(io.get_executor(), std::move(config));
    if (!started) {
        std::fprintf(stderr, "start: %s\n", started.error().describe().c_str());
        work.reset();
        io.stop();
        for (auto& t : threads)
            t.join();
        return 4;
    }
    std::shared_ptr<Node> node = std::move(started).value();
    const auto params = payer ? params_for(node->identity(), peer) : params_for(peer, node->identity());
    const Hash id = channel::channel_id(params);
    {
        const auto restored = node->latest(id);
        log.line("start " + (restored ? std::to_string(restored->state.version) : std::string("-1")));
        if (restored) {
            const auto [total, locks] = total_of(restored->state);
            log.line("state " + std::to_string(restored->state.version) + " " + total.to_dec() + " " +
                     std::to_string(locks));
        }
    }
    // What a restart redelivers: told to the user again (the log keys payments by id), then acknowledged.
    if (auto queued = node->events(); queued) {
        for (const auto& e : *queued) {
            if (const auto* sent = std::get_if<PaymentSent>(&e.event))
                log.line("sent " + hex(sent->payment_hash) + " " + sent->amount.to_dec());
            (void)node->acknowledge(e.seq);
        }
    }

    std::optional<std::uint64_t> last_logged;
    const auto log_latest = [&] {
        const auto latest = node->latest(id);
        if (!latest || latest->state.version == last_logged) return;
        last_logged = latest->state.version;
        const auto [total, locks] = total_of(latest->state);
        log.line("state " + std::to_string(latest->state.version) + " " + total.to_dec() + " " +
                 std::to_string(locks));
    };
    const auto pause = [] { std::this_thread::sleep_for(std::chrono::milliseconds(2)); };
    bool connected = !payer;
    bool have_channel = node->latest(id).has_value();
    bool drained = false;
    while (g_signal.load() != SIGTERM) {
        log_latest();
        if (!payer || drained) {
            pause();
            continue;
        }
        if (!connected) {
            connected = await_on(io, node->connect(peer, asio::ip::tcp::endpoint(loopback, peer_port))).ok();
            if (!connected) std::this_thread::sleep_for(std::chrono::milliseconds(20));
            continue;
        }
        if (!have_channel) {
            channel::State initial;
            initial.channel_id = id;
            initial.outcome.push_back({Address{}, {u256{kDeposit}, u256{kDeposit}}, {}});
            const auto opened =
                await_on(io, node->open_channel(params, initial, {{Address{}, u256{2 * kDeposit}}}));
            have_channel = opened.ok() || node->latest(id).has_value();
            continue;
        }
        if (g_signal.load() == SIGUSR1) {
            // Drain: nothing of ours pending or locked, and the peer connected (so it has what we have).
            const auto payments = node->payments();
            bool pending = !payments || !node->connected(peer);
            if (payments) {
                for (const auto& p : *payments)
                    pending |= p.outgoing &&
                               (p.status == PaymentStatus::pending || p.status == PaymentStatus::locked);
            }
            if (!pending) {
                log_latest();
                drained = true;
                log.line("drained " + std::to_string(node->latest(id)->state.version));
            } else {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            continue;
        }
        (void)node->pay(id, 1, Address{}, u256{1});
        pause();
    }

    node->stop();
    for (int i = 0; i < 1000 && node.use_count() > 1; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const auto latest = node->latest(id);
    std::size_t succeeded = 0;
    if (const auto payments = node->payments(); payments) {
        for (const auto& p : *payments) {
            if (p.status != PaymentStatus::succeeded) continue;
            ++succeeded;
            log.line("ok " + hex(p.id));
        }
    }
    if (latest) {
        const auto& b = latest->state.outcome[0].balances;
        log.line("final " + std::to_string(latest->state.version) + " " + b[0].to_dec() + " " +
                 b[1].to_dec() + " " + hex(channel::state_hash(latest->state)) + " " +
                 std::to_string(succeeded));
    } else {
        log.line("final -1 0 0 none 0");
    }
    const bool alone = node.use_count() == 1;
    node.reset();
    work.reset();
    io.stop();
    for (auto& t : threads)
        t.join();
    return alone ? 0 : 5;
}

}  // namespace

int main(int argc, char** argv) {
    return run(argc, argv);
}
