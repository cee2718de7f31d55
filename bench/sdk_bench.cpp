// The SDK node's payment path (bench/sdk_bench; ./dev.sh bench sdk_bench):
//   payments/batched        1,000 payments submitted at once to one channel between two Nodes over the
//                           encrypted transport on 127.0.0.1, with durable commits (SQLite WAL,
//                           synchronous=FULL): the node batches what queues up while a round is in flight.
//   payments/one_at_a_time  the baseline: each payment waits for its round to complete before the next.
//   payments/8_channels     1,000 payments spread over 8 channels between the same two nodes.
//   cost/*                  the parts of one round: a state signature and its check, one durable commit, and
//                           sealing + opening a 1 KiB frame.
// Wall time for the payments (two nodes, two io threads, the fsyncs); the closing lines give payments/s and
// the ratios against one_at_a_time.
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <unistd.h>

#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/sdk/net/frame_codec.hpp"
#include "sluice/sdk/node.hpp"
#include "sluice/l1/dev_accounts.hpp"

namespace sluice::sdk {
namespace {

namespace asio = boost::asio;

template <class T>
Result<T> await_on(asio::io_context& io, asio::awaitable<Result<T>> task) {
    std::promise<Result<T>> done;
    auto future = done.get_future();
    asio::co_spawn(
        io, [&done, task = std::move(task)]() mutable -> asio::awaitable<void> { done.set_value(co_await std::move(task)); },
        asio::detached);
    return future.get();
}

// Two connected nodes with `channels` channels between them, on fresh data dirs.
struct TwoNodes {
    std::filesystem::path dir;
    asio::io_context io{2};
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    std::vector<std::thread> threads;
    std::array<std::shared_ptr<Node>, 2> nodes;
    std::vector<Hash> ids;

    explicit TwoNodes(std::size_t channels)
        : dir(std::filesystem::temp_directory_path() / ("sluice-sdk-bench-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(dir);
        for (std::size_t i = 0; i < 2; ++i) {
            NodeConfig c(l1::dev_account_key(i + 1), dir / std::to_string(i));
            nodes[i] = Node::start(io.get_executor(), c).value();
        }
        for (int t = 0; t < 2; ++t)
            threads.emplace_back([this] { io.run(); });
        (void)await_on(io, nodes[0]->connect(nodes[1]->identity(), nodes[1]->endpoint())).value();
        while (!nodes[1]->connected(nodes[0]->identity()))
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        for (std::size_t c = 0; c < channels; ++c) {
            channel::Params p;
            p.chain_id = 31337;
            p.adjudicator = l1::dev_account_key(9).address();
            p.participants = {nodes[0]->identity(), nodes[1]->identity()};
            p.nonce = c + 1;
            p.challenge_duration = 3600;
            channel::State s;
            s.channel_id = channel::channel_id(p);
            s.outcome.push_back({Address{}, {u256{1'000'000'000}, u256{0}}, {}});
            ids.push_back(await_on(io, nodes[0]->open_channel(p, s, {{Address{}, u256{1'000'000'000}}})).value());
        }
        for (const Hash& id : ids) {
            while (!nodes[1]->latest(id))
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    ~TwoNodes() {
        for (auto& n : nodes) {
            n->stop();
            while (n.use_count() > 1)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            n.reset();
        }
        work.reset();
        io.stop();
        for (auto& t : threads)
            t.join();
        std::filesystem::remove_all(dir);
    }
    u256 received(const Hash& id) const { return nodes[1]->latest(id)->state.outcome[0].balances[1]; }
    void wait_received(const Hash& id, const u256& amount) const {
        while (received(id) != amount)
            std::this_thread::yield();
    }
};

constexpr int kPayments = 1000;

void payments_batched(benchmark::State& state) {
    const auto channels = static_cast<std::size_t>(state.range(0));
    TwoNodes pair(channels);
    std::map<Hash, u256> expected;
    for (auto _ : state) {
        for (int i = 0; i < kPayments; ++i) {
            const Hash& id = pair.ids[static_cast<std::size_t>(i) % channels];
            (void)pair.nodes[0]->pay(id, 1, Address{}, u256{1});
            expected[id] += u256{1};
        }
        for (const auto& [id, amount] : expected)
            pair.wait_received(id, amount);
    }
    state.SetItemsProcessed(state.iterations() * kPayments);
    state.counters["rounds_per_payment"] = static_cast<double>(pair.nodes[0]->channel_stats().rounds_proposed) /
                                           static_cast<double>(state.iterations() * kPayments);
}

void payments_one_at_a_time(benchmark::State& state) {
    TwoNodes pair(1);
    u256 expected;
    for (auto _ : state) {
        for (int i = 0; i < kPayments / 10; ++i) {
            (void)pair.nodes[0]->pay(pair.ids[0], 1, Address{}, u256{1});
            expected += u256{1};
            pair.wait_received(pair.ids[0], expected);
        }
    }
    state.SetItemsProcessed(state.iterations() * (kPayments / 10));
}

channel::Params bench_params() {
    channel::Params p;
    p.chain_id = 31337;
    p.adjudicator = l1::dev_account_key(9).address();
    p.participants = {l1::dev_account_key(1).address(), l1::dev_account_key(2).address()};
    p.challenge_duration = 3600;
    return p;
}

void cost_sign_state(benchmark::State& state) {
    const auto p = bench_params();
    channel::State s;
    s.channel_id = channel::channel_id(p);
    s.outcome.push_back({Address{}, {u256{5}, u256{6}}, {}});
    const PrivateKey k = l1::dev_account_key(1);
    for (auto _ : state) {
        ++s.version;
        benchmark::DoNotOptimize(channel::sign_state(k, p, s));
    }
}

void cost_check_signature(benchmark::State& state) {
    const auto p = bench_params();
    channel::State s;
    s.channel_id = channel::channel_id(p);
    s.outcome.push_back({Address{}, {u256{5}, u256{6}}, {}});
    const Signature sig = channel::sign_state(l1::dev_account_key(1), p, s);
    for (auto _ : state)
        benchmark::DoNotOptimize(channel::check_state_signature(p, s, 0, sig));
}

void cost_durable_commit(benchmark::State& state) {
    const auto dir = std::filesystem::temp_directory_path() / ("sluice-sdk-bench-store-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    {
        auto store = NodeStore::open(dir / "node.sqlite").value();
        const auto p = bench_params();
        channel::SignedState s;
        s.state.channel_id = channel::channel_id(p);
        s.state.outcome.push_back({Address{}, {u256{5}, u256{6}}, {}});
        s.sigs = {channel::sign_state(l1::dev_account_key(1), p, s.state), channel::sign_state(l1::dev_account_key(2), p, s.state)};
        for (auto _ : state) {
            ++s.state.version;
            if (store->save_fully_signed(s.state.channel_id, s) != channel::PersistResult::completed)
                state.SkipWithError("save failed");
        }
    }
    std::filesystem::remove_all(dir);
}

void cost_frame_1k(benchmark::State& state) {
    Bytes32 k;
    k[0] = 7;
    const auto secret = Secret<32>::from_view(k.view()).value();
    net::FrameEncoder encoder(secret, {});
    net::FrameDecoder decoder(secret, {});
    const ByteView header = encoder.stream_header();
    (void)decoder.consume(header);
    const Bytes payload(1024, 0x42);
    for (auto _ : state) {
        const Bytes wire = encoder.encode(net::FrameKind::data, payload).value();
        ByteView rest(wire);
        while (!rest.empty()) {
            const std::size_t n = decoder.bytes_wanted();
            benchmark::DoNotOptimize(decoder.consume(rest.first(n)));
            rest = rest.subspan(n);
        }
    }
    state.SetBytesProcessed(state.iterations() * 1024);
}

BENCHMARK(payments_batched)->Name("payments/batched")->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(payments_batched)->Name("payments/8_channels")->Arg(8)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(payments_one_at_a_time)->Name("payments/one_at_a_time")->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(cost_sign_state)->Name("cost/sign_state")->Unit(benchmark::kMicrosecond);
BENCHMARK(cost_check_signature)->Name("cost/check_signature")->Unit(benchmark::kMicrosecond);
BENCHMARK(cost_durable_commit)->Name("cost/durable_commit")->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(cost_frame_1k)->Name("cost/frame_seal_open_1k")->Unit(benchmark::kMicrosecond);

// Console output, then payments/s of each payments/* run and its ratio to one_at_a_time.
class PaymentsReporter : public benchmark::ConsoleReporter {
  public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            const auto it = run.counters.find("items_per_second");
            if (run.run_type == Run::RT_Iteration && it != run.counters.end() &&
                run.benchmark_name().rfind("payments/", 0) == 0)
                rates_[run.benchmark_name()] = it->second.value;
        }
    }
    void print() const {
        const auto base = rates_.find("payments/one_at_a_time/real_time");
        for (const auto& [name, rate] : rates_) {
            std::printf("%-36s %10.0f payments/s", name.c_str(), rate);
            if (base != rates_.end() && base->second > 0) std::printf("  %.1fx one_at_a_time", rate / base->second);
            std::printf("\n");
        }
    }

  private:
    std::map<std::string, double> rates_;
};

}  // namespace
}  // namespace sluice::sdk

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    sluice::sdk::PaymentsReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.print();
    benchmark::Shutdown();
    return 0;
}
