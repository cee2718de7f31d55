// hub_load: the load benchmark of ./dev.sh bench-hub (issue #14). M client sluiced pay each other through one
// hub sluiced, every process started here (cluster.hpp) and stopped by its pid at the end, on failure too.
//
//   hub_load --bin-dir build/release [--clients 4] [--seconds 60] [--light-seconds 20] [--light-rate 100]
//            [--connections 40] [--warmup 5] [--threads 2] [--work-dir DIR] [--keep]
//
// 1. Full load (load_phases.hpp, saturate): sustained payments/s over the window and their p50/p99 latency;
//    CPU of every server process (devchain, hub, clients; /proc/<pid>/stat) over the window per payment;
//    rounds and commits from the nodes' /metrics over the same window.
// 2. Light load (paced): `--light-rate` payments/s for `--light-seconds`, p50/p99.
// 3. The crypto bound, measured in this run (crypto_cost.hpp): the signatures and recoveries a payment
//    needs (completed rounds per payment in the window x per round) times their cost, so
//    bound_payments_per_s = cores / crypto seconds per payment: what this machine could do if nothing but
//    the state signatures cost anything. Also the bound with no batching (4 rounds a payment).
//
// Human-readable lines go to stderr; the last line on stdout is one JSON object. Exit 1 when a payment did
// not succeed (the JSON is printed all the same, with the counts of failures).
#include <sys/resource.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cluster.hpp"
#include "crypto_cost.hpp"
#include "load_phases.hpp"
#include "node_counters.hpp"

namespace {

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace sluice::bench;

double own_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void say(const std::string& line) {
    std::cerr << "hub_load: " << line << std::endl;
}

// Rounded to `decimals` places by dividing by a power of ten, so the JSON shows the short decimal.
double round_to(double v, int decimals) {
    const double scale = std::pow(10.0, decimals);
    return std::round(v * scale) / scale;
}

}  // namespace

int main(int argc, char** argv) {
    std::string bin_dir = "build/release", work_dir;
    double seconds = 60, light_seconds = 20, light_rate = 100, warmup = 5;
    std::size_t clients = 4, connections = 40, crypto_iterations = 4000;
    unsigned threads = 2;
    bool keep = false;
    po::options_description options("hub_load options");
    options.add_options()("help,h", "this text")(
        "bin-dir", po::value(&bin_dir)->default_value(bin_dir),
        "the build folder (hub/daemon/sluiced, evm_settle/l1/sluice-devchain)")(
        "clients", po::value(&clients)->default_value(clients), "client sluiced processes (2..19)")(
        "seconds", po::value(&seconds)->default_value(seconds), "the full-load window")(
        "warmup", po::value(&warmup)->default_value(warmup), "seconds of full load before the window")(
        "connections", po::value(&connections)->default_value(connections),
        "concurrent pay calls per payer (the server allows 64 connections)")(
        "light-seconds", po::value(&light_seconds)->default_value(light_seconds), "the light-load phase")(
        "light-rate", po::value(&light_rate)->default_value(light_rate), "payments/s of the light phase")(
        "threads", po::value(&threads)->default_value(threads), "sluiced --threads")(
        "crypto-iterations", po::value(&crypto_iterations)->default_value(crypto_iterations),
        "signs and recoveries timed for the crypto bound")(
        "work-dir", po::value(&work_dir), "where the data dirs go (default: a new folder in $TMPDIR)")(
        "keep", po::bool_switch(&keep), "keep the data dirs and logs (always kept on failure)");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << e.what() << "\n" << options;
        return 2;
    }
    if (vm.count("help")) {
        std::cout << options;
        return 0;
    }
    if (work_dir.empty()) {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp ? tmp : "/tmp") + "/sluice-hub-load.XXXXXX";
        if (!mkdtemp(pattern.data())) {
            std::perror("mkdtemp");
            return 2;
        }
        work_dir = pattern;
    }

    bool ok = false;
    try {
        ClusterOptions co;
        co.sluiced = fs::path(bin_dir) / "hub/daemon/sluiced";
        co.devchain = fs::path(bin_dir) / "evm_settle/l1/sluice-devchain";
        co.work_dir = work_dir;
        co.clients = clients;
        co.threads = threads;
        say("starting sluice-devchain, a hub and " + std::to_string(clients) + " clients in " + work_dir);
        Cluster cluster(co);
        {
            boost::asio::io_context io;
            std::exception_ptr failure;
            boost::asio::co_spawn(io, cluster.open_channels(), [&](std::exception_ptr e) { failure = e; });
            io.run();
            if (failure) std::rethrow_exception(failure);
        }
        say("channels open; full load: " + std::to_string(connections) + " pay calls in flight per client, " +
            std::to_string(warmup) + " s warm-up, " + std::to_string(seconds) + " s window");

        LoadShape shape;
        shape.connections = connections;
        shape.warmup = std::chrono::milliseconds(static_cast<long>(warmup * 1000));
        const long ticks_per_s = sysconf(_SC_CLK_TCK);
        unsigned long long ticks_open = 0, ticks_close = 0;
        double own_open = 0, own_close = 0;
        NodeCounters counters_open, counters_close;
        const WindowHook hook = [&](bool opening) -> boost::asio::awaitable<void> {
            (opening ? ticks_open : ticks_close) = cluster.cpu_ticks();
            (opening ? own_open : own_close) = own_cpu_seconds();
            auto task = read_counters(cluster);
            (opening ? counters_open : counters_close) = co_await std::move(task);
        };
        PhaseResult full =
            saturate(cluster, shape, std::chrono::milliseconds(static_cast<long>(seconds * 1000)), hook);
        const double payments_per_s = static_cast<double>(full.payments) / full.seconds;
        const double p50 = quantile(full.latency_ms, 0.5), p99 = quantile(full.latency_ms, 0.99);
        const double payments = std::max<double>(1, static_cast<double>(full.payments));
        const double cpu_us =
            static_cast<double>(ticks_close - ticks_open) * 1e6 / static_cast<double>(ticks_per_s);
        const double cpu_us_per_payment = cpu_us / payments;
        const double own_us_per_payment = (own_close - own_open) * 1e6 / payments;
        const NodeCounters work = counters_close - counters_open;
        say("full load: " + std::to_string(full.payments) + " payments in " + std::to_string(full.seconds) +
            " s = " + std::to_string(payments_per_s) + "/s, p50 " + std::to_string(p50) + " ms, p99 " +
            std::to_string(p99) + " ms, " + std::to_string(full.failed) + " failed" +
            (full.failed ? " (first: " + full.first_failure + ")" : ""));

        say("light load: " + std::to_string(light_rate) + " payments/s for " + std::to_string(light_seconds) +
            " s");
        PhaseResult light = paced(cluster, shape, light_rate,
                                  std::chrono::milliseconds(static_cast<long>(light_seconds * 1000)));
        const double p50_light = quantile(light.latency_ms, 0.5),
                     p99_light = quantile(light.latency_ms, 0.99);
        say("light load: " + std::to_string(light.payments) + " payments, p50 " + std::to_string(p50_light) +
            " ms, p99 " + std::to_string(p99_light) + " ms, " + std::to_string(light.failed) + " failed" +
            (light.failed ? " (first: " + light.first_failure + ")" : ""));

        const CryptoCost crypto = measure_crypto_cost(crypto_iterations);
        const double rounds_per_payment = work.rounds / payments;
        const double signs = rounds_per_payment * kSignsPerRound;
        const double recovers = rounds_per_payment * kRecoversPerRound;
        const double crypto_us = signs * crypto.sign_us + recovers * crypto.recover_us;
        const double unbatched_us = kRoundsPerPaymentUnbatched *
                                    (kSignsPerRound * crypto.sign_us + kRecoversPerRound * crypto.recover_us);
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        const double bound = crypto_us > 0 ? cores * 1e6 / crypto_us : 0;
        say("crypto: sign_state " + std::to_string(crypto.sign_us) + " us, check_state_signature " +
            std::to_string(crypto.recover_us) + " us; " + std::to_string(rounds_per_payment) +
            " rounds a payment -> bound " + std::to_string(bound) + " payments/s on " +
            std::to_string(cores) + " cores");

        nlohmann::json out{
            {"payments_per_s", round_to(payments_per_s, 1)},
            {"p50_ms", round_to(p50, 3)},
            {"p99_ms", round_to(p99, 3)},
            {"p50_ms_light", round_to(p50_light, 3)},
            {"p99_ms_light", round_to(p99_light, 3)},
            {"cpu_us_per_payment", round_to(cpu_us_per_payment, 1)},
            {"bound_payments_per_s", round_to(bound, 0)},
            {"ratio_to_bound", round_to(bound > 0 ? payments_per_s / bound : 0, 4)},
            {"bound_unbatched_payments_per_s", round_to(cores * 1e6 / unbatched_us, 0)},
            {"cores", cores},
            {"clients", clients},
            {"connections_per_client", connections},
            {"seconds", full.seconds},
            {"payments", full.payments},
            {"failed", full.failed},
            {"payments_light", light.payments},
            {"failed_light", light.failed},
            {"rounds_per_payment", round_to(rounds_per_payment, 4)},
            {"operations_per_round", round_to(work.rounds > 0 ? work.round_operations / work.rounds : 0, 2)},
            {"round_ms_mean", round_to(work.rounds > 0 ? work.round_seconds * 1e3 / work.rounds : 0, 3)},
            {"commits_per_payment", round_to(work.commits / payments, 4)},
            {"writes_per_commit", round_to(work.commits > 0 ? work.commit_writes / work.commits : 0, 2)},
            {"signs_per_payment", round_to(signs, 4)},
            {"recovers_per_payment", round_to(recovers, 4)},
            {"sign_us", round_to(crypto.sign_us, 2)},
            {"recover_us", round_to(crypto.recover_us, 2)},
            {"crypto_us_per_payment", round_to(crypto_us, 2)},
            {"loadgen_cpu_us_per_payment", round_to(own_us_per_payment, 1)}};
        ok = full.failed == 0 && light.failed == 0;
        std::cout << out.dump() << std::endl;
    } catch (const std::exception& e) {
        say(std::string("FAILED: ") + e.what() + " (logs in " + work_dir + ")");
        return 1;
    }
    if (ok && !keep) {
        std::error_code ec;
        fs::remove_all(work_dir, ec);
    } else {
        say("data dirs and logs kept in " + work_dir);
    }
    return ok ? 0 : 1;
}
