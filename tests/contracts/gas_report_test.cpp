// contracts/gas.json is what sluice-gas-report measures now: the embedded EVM is deterministic, so the committed
// report is recomputed and compared exactly (a contract, compiler or EVM gas change without `./dev.sh gas`
// fails here), and the targets of issue #5 hold.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "gas_scenarios.hpp"

namespace sluice::contracts {
namespace {

std::string committed_report() {
    std::ifstream in(std::string(SLUICE_CONTRACTS_DIR) + "/gas.json", std::ios::binary);
    EXPECT_TRUE(in.good()) << "contracts/gas.json is missing: run ./dev.sh gas";
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(GasReport, CommittedReportIsCurrent) {
    const auto measured = measure_gas();
    ASSERT_TRUE(measured.ok()) << measured.error().describe();
    EXPECT_EQ(committed_report(), gas_table_json(*measured)) << "contracts/gas.json is stale: run ./dev.sh gas";
}

TEST(GasReport, IsOneFlatObjectWithEveryKeyAndMeetsTheTargets) {
    const auto report = nlohmann::json::parse(committed_report(), nullptr, false);
    ASSERT_TRUE(report.is_object());
    for (const auto& [key, value] : report.items()) EXPECT_TRUE(value.is_number_integer()) << key;
    for (const char* key : {"deposit_eth", "deposit_erc20", "conclude_2", "conclude_16", "conclude_batch_per_channel_1",
                            "conclude_batch_per_channel_10", "conclude_batch_per_channel_100", "register", "refute",
                            "progress", "withdraw", "dispute_total"}) {
        EXPECT_TRUE(report.contains(key)) << key;
    }
    EXPECT_LE(report.value("conclude_batch_per_channel_100", 0), 25'000);
    EXPECT_EQ(report.value("dispute_total", 0), report.value("register", 0) + report.value("withdraw", 0));
    EXPECT_LE(report.value("dispute_total", 0), 150'000);
    EXPECT_GT(report.value("register", 0), 21'000);
}

}  // namespace
}  // namespace sluice::contracts
