// The channel layer's per-update costs: the state digest (computed directly, DESIGN.md §3), signing and
// checking a full signature set. Baseline: the same digest through core's generic JSON EIP-712 hash_struct
// over the prebuilt typed_data() JSON (JSON building not timed). A summary prints json/direct time ratios.
// rules/check_payment_rules: a receiver's lock checks on a proposal with many locks and preimages.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "ratio_reporter.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/channel/typed_data.hpp"
#include "sluice/channel/update_rules.hpp"
#include "sluice/core/eip712.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel {
namespace {

PrivateKey key(std::size_t i) {
    Bytes secret(32, 0x11);
    secret[31] = static_cast<std::uint8_t>(i + 1);
    return PrivateKey::from_bytes(secret).value();
}

struct Channel {
    std::vector<PrivateKey> keys;
    Params params;
    State state;
};

// `parties` participants, `assets` assets each with two pending locks, 64 bytes of app data.
Channel make_channel(std::size_t parties, std::size_t assets) {
    Channel c;
    c.params.chain_id = 31337;
    c.params.adjudicator[19] = 0xad;
    c.params.nonce = 7;
    c.params.challenge_duration = 3600;
    for (std::size_t i = 0; i < parties; ++i) {
        c.keys.push_back(key(i));
        c.params.participants.push_back(c.keys.back().address());
    }
    c.state.channel_id = channel_id(c.params);
    c.state.version = 1000;
    for (std::size_t a = 0; a < assets; ++a) {
        Alloc alloc;
        alloc.asset[0] = static_cast<std::uint8_t>(a);
        for (std::size_t i = 0; i < parties; ++i)
            alloc.balances.push_back(u256{1'000'000'000'000'000'000ULL} + i);
        for (std::uint16_t l = 0; l < 2; ++l) {
            Lock lock;
            lock.hashlock[0] = static_cast<std::uint8_t>(l + 1);
            lock.amount = 5000 + l;
            lock.from = l;
            lock.to = static_cast<std::uint16_t>(l + 1);
            lock.expiry = 1'700'000'000;
            alloc.locks.push_back(lock);
        }
        c.state.outcome.push_back(std::move(alloc));
    }
    c.state.app_data = Bytes(64, 0xab);
    return c;
}

void direct_digest(benchmark::State& st) {
    const Channel c =
        make_channel(static_cast<std::size_t>(st.range(0)), static_cast<std::size_t>(st.range(1)));
    for (auto _ : st) {
        Hash h = state_digest(c.params, c.state);
        benchmark::DoNotOptimize(h);
    }
}
BENCHMARK(direct_digest)
    ->Name("direct/state_digest")
    ->ArgNames({"parties", "assets"})
    ->ArgsProduct({{2, 16}, {1, 3}});

void json_digest(benchmark::State& st) {
    const Channel c =
        make_channel(static_cast<std::size_t>(st.range(0)), static_cast<std::size_t>(st.range(1)));
    const nlohmann::json td = typed_data(c.params, c.state);
    const Eip712Types types = eip712_types_from_json(td["types"]).value();
    if (typed_data_digest(hash_struct("EIP712Domain", types, td["domain"]).value(),
                          hash_struct("State", types, td["message"]).value()) !=
        state_digest(c.params, c.state)) {
        st.SkipWithError("the JSON path disagrees with state_digest");
        return;
    }
    for (auto _ : st) {
        Hash h = typed_data_digest(hash_struct("EIP712Domain", types, td["domain"]).value(),
                                   hash_struct("State", types, td["message"]).value());
        benchmark::DoNotOptimize(h);
    }
}
BENCHMARK(json_digest)
    ->Name("json/state_digest")
    ->ArgNames({"parties", "assets"})
    ->ArgsProduct({{2, 16}, {1, 3}});

void sign(benchmark::State& st) {
    const Channel c = make_channel(2, 1);
    for (auto _ : st) {
        Signature sig = sign_state(c.keys[0], c.params, c.state);
        benchmark::DoNotOptimize(sig);
    }
}
BENCHMARK(sign)->Name("direct/sign_state/parties:2/assets:1");

void check_all(benchmark::State& st) {
    const Channel c = make_channel(3, 1);
    SignedState s{c.state, {}};
    for (const PrivateKey& k : c.keys)
        s.sigs.emplace_back(sign_state(k, c.params, c.state));
    for (auto _ : st) {
        Status ok = check_fully_signed(c.params, s);
        if (!ok.ok()) st.SkipWithError("signature set did not check");
        benchmark::DoNotOptimize(ok);
    }
}
BENCHMARK(check_all)->Name("direct/check_fully_signed/parties:3/assets:1");

// A receiver's lock checks on a proposal that removes `locks` locks (half revealed by the proposal's
// `preimages`, half expired) and adds as many: a peer controls both counts, up to the message size and
// kMaxPreimages. No JSON counterpart, so no ratio in the summary; compare commits.
void payment_rules(benchmark::State& st) {
    const auto locks = static_cast<std::uint64_t>(st.range(0));
    const auto count = static_cast<std::uint64_t>(st.range(1));
    constexpr std::uint64_t kNow = 1'000'000;
    const auto hashlock = [](std::uint64_t seed) {
        Bytes32 p;
        for (std::size_t i = 0; i < 8; ++i)
            p[i] = static_cast<std::uint8_t>(seed >> (8 * i));
        return std::pair{p, keccak256(p.view())};
    };
    State from;
    State to;
    from.outcome.push_back(Alloc{Address{}, {u256{100 * locks}, u256{0}}, {}});
    to.outcome.push_back(Alloc{Address{}, {u256{100 * locks - 5 * locks}, u256{5 * locks}}, {}});
    std::vector<Bytes32> preimages;
    for (std::uint64_t i = 0; i < locks; ++i) {
        const auto [pre, hash] = hashlock(i);
        from.outcome[0].locks.push_back(Lock{hash, u256{10}, 0, 1, i % 2 == 0 ? kNow + 3600 : kNow - 1});
        to.outcome[0].locks.push_back(Lock{hashlock(1'000'000 + i).second, u256{10}, 0, 1, kNow + 3600});
        if (i % 2 == 0 && preimages.size() < count) preimages.push_back(pre);
    }
    while (preimages.size() < count)
        preimages.push_back(hashlock(2'000'000 + preimages.size()).first);
    const Params params;
    const Deposits deposits;
    const UpdateContext ctx{params, deposits, kNow, 60};
    for (auto _ : st) {
        Status ok = check_payment_rules(ctx, from, to, 0, preimages);
        if (!ok.ok()) st.SkipWithError(ok.error().message.c_str());
        benchmark::DoNotOptimize(ok);
    }
}
BENCHMARK(payment_rules)
    ->Name("rules/check_payment_rules")
    ->ArgNames({"locks", "preimages"})
    ->Args({2, 1})
    ->Args({200, 100})
    ->Args({2000, 4096})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace sluice::channel

int main(int argc, char** argv) {
    sluice::bench::RatioReporter reporter(
        "json/", "direct/", "JSON-path EIP-712 CPU time / direct CPU time (above 1: direct is faster)");
    return sluice::bench::run_with_ratios(argc, argv, reporter);
}
