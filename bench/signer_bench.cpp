// TxSigner's cost per submission through InProcessL1Client against the raw path without its bookkeeping:
// signer/submit (fee estimate: eth_getBlockByNumber + eth_feeHistory, the send lock, journal append, nonce
// and hash tracking) over raw/submit (fixed fees, a local nonce, sign_transaction + eth_sendRawTransaction).
// Both pay the devchain mining each transaction at once; the ratio is the signer's overhead on top of that.
#include <benchmark/benchmark.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "ratio_reporter.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/devchain.hpp"
#include "sluice/l1/json_rpc_client.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"
#include "sluice/l1/signed_transaction.hpp"
#include "sluice/l1/tx_signer.hpp"

namespace sluice::l1 {
namespace {

namespace asio = boost::asio;
const u256 kGwei{1'000'000'000ULL};
const Address kPayee = Address::from_hex("0x00000000000000000000000000000000000000b0").value();

struct Node {
    Devchain chain{[] {
        DevchainConfig c = dev_accounts_config();
        c.base_fee = kGwei;
        c.priority_fee = kGwei;
        return c;
    }()};
    RpcDispatcher dispatcher{chain};
    InProcessL1Client client{dispatcher};
};

template <class F>
void run(asio::io_context& io, F make_task) {
    io.restart();
    asio::co_spawn(io, make_task(), asio::detached);
    io.run();
}

void raw_submit(benchmark::State& state) {
    Node node;
    asio::io_context io;
    const PrivateKey key = dev_account_key(0);
    std::uint64_t nonce = 0;
    bool failed = false;
    for (auto _ : state) {
        run(io, [&]() -> asio::awaitable<void> {
            evm::Transaction tx;
            tx.type = evm::TxType::dynamic_fee;
            tx.nonce = nonce;
            tx.to = kPayee;
            tx.value = u256{1};
            tx.gas_limit = 21'000;
            tx.max_fee_per_gas = u256{3} * kGwei;
            tx.max_priority_fee_per_gas = kGwei;
            const Bytes raw = sign_transaction(tx, u256{31337}, key).value();
            auto h = co_await node.client.send_raw_transaction(raw);
            if (h.ok()) ++nonce;
            failed = failed || !h.ok();
        });
    }
    if (failed) state.SkipWithError("a send failed");
}

void signer_submit(benchmark::State& state) {
    Node node;
    MemorySignerJournal journal;
    asio::io_context io;
    std::unique_ptr<TxSigner> signer;
    run(io, [&]() -> asio::awaitable<void> {
        signer = std::move(co_await TxSigner::start(node.client, dev_account_key(0), journal)).value();
    });
    bool failed = false;
    for (auto _ : state) {
        run(io, [&]() -> asio::awaitable<void> {
            auto h = co_await signer->submit(TxRequest{kPayee, u256{1}, {}, 21'000});
            failed = failed || !h.ok();
        });
    }
    if (failed) state.SkipWithError("a submission failed");
}

BENCHMARK(raw_submit)->Name("raw/submit")->Unit(benchmark::kMicrosecond);
BENCHMARK(signer_submit)->Name("signer/submit")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace sluice::l1

int main(int argc, char** argv) {
    sluice::bench::RatioReporter reporter(
        "signer/", "raw/", "TxSigner submit CPU time / raw sign+send CPU time (the signer's overhead)");
    return sluice::bench::run_with_ratios(argc, argv, reporter);
}
