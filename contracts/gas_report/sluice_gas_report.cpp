// sluice-gas-report: measures the adjudicator's gas per operation in the embedded EVM (the hardhat tests'
// scenarios, replayed) and writes contracts/gas.json. Prints the figures beside hardhat's from
// contracts/README.md and beside the same run under Prague, and fails when a target of issue #5 is missed.
//
// usage: sluice-gas-report [output.json]     (without an argument the JSON goes to stdout only)
#include <cstdio>
#include <fstream>
#include <string>
#include <utility>

#include "gas_scenarios.hpp"

namespace sluice::contracts {
namespace {

// contracts/README.md, "Gas (hardhat 2.29.1 in-process network, hardfork: cancun)".
constexpr std::pair<const char*, std::int64_t> kHardhat[] = {
    {"deposit_eth", 73'088},
    {"deposit_eth_second", 36'007},
    {"deposit_erc20", 94'060},
    {"conclude_2", 46'296},
    {"conclude_16", 119'275},
    {"conclude_batch_per_channel_1", 46'115},
    {"conclude_batch_per_channel_10", 26'605},
    {"conclude_batch_per_channel_100", 24'657},
    {"register", 48'381},
    {"refute", 49'483},
    {"progress", 101'243},
    {"progress_liquidation", 101'977},
    {"withdraw", 66'886},
    {"dispute_total", 115'267},
    {"withdraw_after_conclude_16", 259'969},
    {"withdraw_erc20_2", 106'313},
    {"reveal_preimage", 46'115},
};

constexpr std::int64_t kBatchTarget = 25'000;    // concludeBatch per channel at 100 channels
constexpr std::int64_t kDisputeTarget = 150'000;  // register + withdraw

std::string hardhat_figure(const std::string& key) {
    for (const auto& [name, gas] : kHardhat) {
        if (key == name) return std::to_string(gas);
    }
    return "-";
}

int run(int argc, char** argv) {
    if (argc > 2) {
        std::fputs("usage: sluice-gas-report [output.json]\n", stderr);
        return 2;
    }
    const auto cancun = measure_gas(kGasReportRevision);
    if (!cancun) {
        std::fprintf(stderr, "gas report failed: %s\n", cancun.error().describe().c_str());
        return 1;
    }
    const auto prague = measure_gas(evm::Revision::prague);
    if (!prague) {
        std::fprintf(stderr, "gas report (prague) failed: %s\n", prague.error().describe().c_str());
        return 1;
    }

    std::printf("%-34s %10s %10s %10s\n", "operation", "cancun", "prague", "hardhat");
    for (const auto& [key, gas] : *cancun) {
        const auto other = prague->find(key);
        std::printf("%-34s %10lld %10lld %10s\n", key.c_str(), static_cast<long long>(gas),
                    static_cast<long long>(other == prague->end() ? -1 : other->second), hardhat_figure(key).c_str());
    }

    const std::string json = gas_table_json(*cancun);
    if (argc == 2) {
        std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
        out << json;
        if (!out.flush()) {
            std::fprintf(stderr, "cannot write %s\n", argv[1]);
            return 1;
        }
        std::printf("\nwrote %s (embedded EVM, cancun rules, as hardhat runs the contract tests)\n", argv[1]);
    } else {
        std::fputs(json.c_str(), stdout);
    }

    const bool batch_ok = cancun->at("conclude_batch_per_channel_100") <= kBatchTarget;
    const bool dispute_ok = cancun->at("dispute_total") <= kDisputeTarget;
    std::printf("targets: concludeBatch per channel at 100 <= %lld: %s; register + withdraw <= %lld: %s\n",
                static_cast<long long>(kBatchTarget), batch_ok ? "met" : "MISSED",
                static_cast<long long>(kDisputeTarget), dispute_ok ? "met" : "MISSED");
    return batch_ok && dispute_ok ? 0 : 1;
}

}  // namespace
}  // namespace sluice::contracts

int main(int argc, char** argv) { return sluice::contracts::run(argc, argv); }
