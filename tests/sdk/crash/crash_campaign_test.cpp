// The crash campaign of issue #13 (label crash): a payer and a payee, each a sluice-crash-node process
// (crash_node.cpp) on its own data dir and loopback port, killed with SIGKILL at random moments while the
// payer pays 1 wei at a time, and started again on the same data dir and port. SLUICE_CRASH_POINTS kill
// points (default 200: the CI size), the victim chosen by a seeded PRNG (payer, payee or both); the seed is
// printed, SLUICE_CRASH_SEED replays it. At the end the payer drains (SIGUSR1), both stop on SIGTERM (exit
// 0), and the logs the children wrote are checked:
//   (a) every payment acknowledged to the user (PaymentSent) is succeeded in the payer's final book, the
//   payee
//       got exactly the succeeded payments (balance gained = their count), and both hold the same final
//       state;
//   (b) no side's latest version ever decreases: not within a run, not across a restart (each restart's
//       restored version ≥ every version that side reported before);
//   (c) no participant signed two states at one version: across every state signature either side ever
//       received, one (channel, version, signer) has one signature (signing is RFC 6979 deterministic, so two
//       different signatures are two different digests);
//   (d) every state either side held or received carries the same ETH total (balances + locks).
// Not checked: signatures nobody received (a node's own outstanding signatures that never left it), power
// cuts (a SIGKILL keeps what the kernel has; fsync is not exercised), an intermediary (not in this campaign).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sluice/core/u256.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace sluice::sdk {
namespace {

constexpr unsigned long long kDeposit = 1'000'000'000;  // each side's, as crash_node.cpp opens the channel

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::stoull(v) : fallback;
}

unsigned short free_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::address_v4::loopback(), 0});
    return a.local_endpoint().port();
}

std::vector<std::string> read_lines(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

std::string tail(const std::filesystem::path& file, std::size_t n = 20) {
    const auto lines = read_lines(file);
    std::string out;
    for (std::size_t i = lines.size() > n ? lines.size() - n : 0; i < lines.size(); ++i)
        out += lines[i] + "\n";
    return out;
}

struct Child {
    std::string role;
    std::filesystem::path dir;
    std::size_t key = 0;
    unsigned short port = 0;
    std::size_t peer_key = 0;
    unsigned short peer_port = 0;
    pid_t pid = -1;

    std::filesystem::path log() const { return dir / "crash.log"; }
    std::filesystem::path output() const { return dir.parent_path() / (role + ".out"); }

    void spawn() {
        std::vector<std::string> args{SLUICE_CRASH_NODE,
                                      role,
                                      dir.string(),
                                      std::to_string(key),
                                      std::to_string(port),
                                      std::to_string(peer_key),
                                      std::to_string(peer_port)};
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, output().c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        ASSERT_EQ(rc, 0) << "posix_spawn " << argv[0];
    }
    // Still running? (It must never exit on its own.)
    bool running() const {
        int status = 0;
        return ::waitpid(pid, &status, WNOHANG) == 0;
    }
    void kill9() {
        ASSERT_GT(pid, 0);
        ::kill(pid, SIGKILL);
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        pid = -1;
    }
    // SIGTERM, then its exit code (-1: killed by a signal or not gone within a minute).
    int terminate() {
        ::kill(pid, SIGTERM);
        for (int i = 0; i < 6000; ++i) {
            int status = 0;
            const pid_t r = ::waitpid(pid, &status, WNOHANG);
            if (r == pid) {
                pid = -1;
                return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        kill9();
        return -1;
    }
    // A failed assertion returns early: no child outlives the test.
    ~Child() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
    void mark(const std::string& text) const { std::ofstream(log(), std::ios::app) << text << "\n"; }
};

// One side's log, read for the checks.
struct SideReport {
    std::vector<std::string> problems;
    std::set<std::string> sent;  // acknowledged payment ids
    u256 sent_amount;
    std::set<std::string> ok;  // succeeded payments in the final book
    std::optional<std::vector<std::string>> final_fields;
    std::size_t starts = 0;
    std::size_t states = 0;
};

SideReport check_log(const Child& child, std::map<std::string, std::set<std::string>>& signatures) {
    SideReport r;
    long long highest = -1;
    std::string since = "the first start";
    const std::string total = std::to_string(2 * kDeposit);
    for (const auto& line : read_lines(child.log())) {
        std::istringstream in(line);
        std::string kind;
        in >> kind;
        if (kind == "kill") {
            since = line;
        } else if (kind == "start") {
            long long v = 0;
            in >> v;
            ++r.starts;
            if (v < highest)
                r.problems.push_back(child.role + " restarted at version " + std::to_string(v) + " after " +
                                     since + ", having held version " + std::to_string(highest));
        } else if (kind == "state") {
            long long v = 0;
            std::string t;
            in >> v >> t;
            ++r.states;
            if (v < highest)
                r.problems.push_back(child.role + " latest went back to " + std::to_string(v) + " from " +
                                     std::to_string(highest) + " (after " + since + ")");
            highest = std::max(highest, v);
            if (t != total) r.problems.push_back(child.role + " state " + std::to_string(v) + " total " + t);
        } else if (kind == "recv") {
            std::string v, t;
            in >> v >> t;
            if (t != total) r.problems.push_back(child.role + " received state " + v + " with total " + t);
        } else if (kind == "sig") {
            std::string channel, version, signer, sig;
            in >> channel >> version >> signer >> sig;
            signatures[channel + " v" + version + " signer " + signer].insert(sig);
        } else if (kind == "sent") {
            std::string id, amount;
            in >> id >> amount;
            if (r.sent.insert(id).second) r.sent_amount += u256::from_dec(amount).value();
        } else if (kind == "ok") {
            std::string id;
            in >> id;
            r.ok.insert(id);
        } else if (kind == "final") {
            std::vector<std::string> f;
            for (std::string x; in >> x;)
                f.push_back(x);
            r.final_fields = f;
        }
    }
    return r;
}

// A failed campaign keeps its data dirs and logs (under <dir>-failed) for the replay.
class CrashCampaign : public testing::TempDirTest {
  protected:
    void TearDown() override {
        if (HasFailure()) {
            const std::string kept = dir.string() + "-failed";
            std::filesystem::remove_all(kept);
            std::filesystem::copy(dir, kept, std::filesystem::copy_options::recursive);
            std::printf("crash campaign: data dirs and logs kept in %s\n", kept.c_str());
        }
        testing::TempDirTest::TearDown();
    }
};

TEST_F(CrashCampaign, KilledPayerAndPayeeLoseNothingAndNeverDoubleSign) {
    const std::uint64_t seed = env_number("SLUICE_CRASH_SEED", std::random_device{}());
    const std::uint64_t points = env_number("SLUICE_CRASH_POINTS", 200);
    std::printf("crash campaign: seed %llu, %llu kill points (replay: SLUICE_CRASH_SEED=%llu)\n",
                static_cast<unsigned long long>(seed), static_cast<unsigned long long>(points),
                static_cast<unsigned long long>(seed));
    std::fflush(stdout);
    RecordProperty("seed", std::to_string(seed));
    std::mt19937_64 rng(seed);
    const auto started = std::chrono::steady_clock::now();

    const unsigned short payer_port = free_port();
    unsigned short payee_port = free_port();
    while (payee_port == payer_port)
        payee_port = free_port();
    Child payer{"payer", dir / "payer", 1, payer_port, 2, payee_port};
    Child payee{"payee", dir / "payee", 2, payee_port, 1, payer_port};
    std::filesystem::create_directories(payer.dir);
    std::filesystem::create_directories(payee.dir);
    payee.spawn();
    payer.spawn();

    std::uniform_int_distribution<int> delay_ms(0, 300);
    std::uniform_int_distribution<int> victim(0, 99);
    std::size_t killed_payer = 0, killed_payee = 0, killed_both = 0;
    for (std::uint64_t k = 0; k < points; ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
        ASSERT_TRUE(payer.running()) << "the payer exited on its own:\n" << tail(payer.output());
        ASSERT_TRUE(payee.running()) << "the payee exited on its own:\n" << tail(payee.output());
        const int v = victim(rng);
        std::vector<Child*> victims;
        if (v < 45) {
            victims = {&payer};
            ++killed_payer;
        } else if (v < 90) {
            victims = {&payee};
            ++killed_payee;
        } else {
            victims = {&payer, &payee};
            ++killed_both;
        }
        for (Child* c : victims)
            c->kill9();
        for (Child* c : victims) {
            c->mark("kill " + std::to_string(k));
            c->spawn();
        }
    }

    // Drain: the payer stops paying and waits until nothing of its own is pending; then the payee must reach
    // the payer's latest version (the re-sync or the last Completion brings it).
    // SIGUSR1 before the child installed its handler would kill it: wait for this run's start line.
    const auto started_since_last_kill = [](const Child& c) {
        bool up = true;
        for (const auto& line : read_lines(c.log())) {
            if (line.rfind("kill ", 0) == 0) up = false;
            if (line.rfind("start ", 0) == 0) up = true;
        }
        return up;
    };
    for (int i = 0; i < 6000 && !started_since_last_kill(payer); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_TRUE(started_since_last_kill(payer)) << "the payer's last run never started:\n"
                                                << tail(payer.output());
    ASSERT_TRUE(payer.running()) << tail(payer.output());
    ::kill(payer.pid, SIGUSR1);
    std::optional<std::string> drained;
    for (int i = 0; i < 6000 && !drained && payer.running(); ++i) {
        for (const auto& line : read_lines(payer.log())) {
            if (line.rfind("drained ", 0) == 0) drained = line.substr(8);
        }
        if (!drained) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_TRUE(drained) << "the payer never drained; its log ends:\n" << tail(payer.log());
    bool payee_caught_up = false;
    for (int i = 0; i < 3000 && !payee_caught_up; ++i) {
        for (const auto& line : read_lines(payee.log()))
            payee_caught_up |= line.rfind("state " + *drained + " ", 0) == 0;
        if (!payee_caught_up) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(payee_caught_up) << "the payee never reached version " << *drained << ":\n"
                                 << tail(payee.log());
    EXPECT_EQ(payer.terminate(), 0) << tail(payer.output());
    EXPECT_EQ(payee.terminate(), 0) << tail(payee.output());

    std::map<std::string, std::set<std::string>> signatures;
    const SideReport a = check_log(payer, signatures);
    const SideReport b = check_log(payee, signatures);
    for (const auto& p : a.problems)
        ADD_FAILURE() << "(b/d) " << p;
    for (const auto& p : b.problems)
        ADD_FAILURE() << "(b/d) " << p;
    // (c)
    std::size_t double_signed = 0;
    for (const auto& [key, sigs] : signatures) {
        if (sigs.size() > 1 && ++double_signed <= 10)
            ADD_FAILURE() << "(c) two signatures at one version: " << key;
    }
    EXPECT_EQ(double_signed, 0u);
    // (a)
    ASSERT_TRUE(a.final_fields && b.final_fields) << "a side wrote no final line";
    ASSERT_EQ(a.final_fields->size(), 5u);
    ASSERT_EQ(b.final_fields->size(), 5u);
    EXPECT_EQ((*a.final_fields)[0], (*b.final_fields)[0]) << "final versions differ";
    EXPECT_EQ((*a.final_fields)[3], (*b.final_fields)[3]) << "final states differ";
    std::size_t lost = 0;
    for (const auto& id : a.sent) {
        if (!a.ok.contains(id) && ++lost <= 10)
            ADD_FAILURE() << "(a) acknowledged payment " << id << " is lost";
    }
    EXPECT_EQ(lost, 0u);
    const u256 payee_balance = u256::from_dec((*b.final_fields)[2]).value();
    const u256 payer_balance = u256::from_dec((*a.final_fields)[1]).value();
    const u256 succeeded = u256::from_dec((*a.final_fields)[4]).value();
    EXPECT_EQ(payee_balance, u256{kDeposit} + succeeded) << "the payee got other than the succeeded payments";
    EXPECT_EQ(payer_balance + succeeded, u256{kDeposit});
    EXPECT_GE(succeeded, a.sent_amount);
    // The campaign did something: payments were acknowledged and every run logged its restart.
    EXPECT_GT(a.sent.size(), 0u);
    // A run killed inside Node::start logs no start line; most runs must get that far.
    const std::size_t runs = 2 + killed_payer + killed_payee + 2 * killed_both;
    EXPECT_LE(a.starts + b.starts, runs);
    EXPECT_GT(a.starts + b.starts, runs / 2);

    const auto seconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started).count();
    std::printf(
        "crash campaign: seed %llu: %llu kill points (payer %zu, payee %zu, both %zu), %zu payments "
        "acknowledged, %s succeeded, final version %s, %zu of %zu runs restored, %zu (channel, version, "
        "signer) checked, %lld s\n",
        static_cast<unsigned long long>(seed), static_cast<unsigned long long>(points), killed_payer,
        killed_payee, killed_both, a.sent.size(), succeeded.to_dec().c_str(), (*a.final_fields)[0].c_str(),
        a.starts + b.starts, runs, signatures.size(), static_cast<long long>(seconds));
}

}  // namespace
}  // namespace sluice::sdk
