// sluiced's configuration (daemon_config.hpp): flags and config-file keys are the same names, the command
// line wins over the file, and every bad value is hub_bad_config naming the flag, before anything starts.
#include "sluice/hub/daemon_config.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.hpp"

namespace sluice::hub {
namespace {

Result<ParsedConfig> parse(std::vector<std::string> args) {
    args.insert(args.begin(), "sluiced");
    return parse_daemon_config(args);
}

void expect_bad(std::vector<std::string> args, const std::string& mention) {
    const auto parsed = parse(args);
    ASSERT_FALSE(parsed.ok()) << mention;
    EXPECT_EQ(parsed.error().code, Errc::hub_bad_config);
    EXPECT_NE(parsed.error().message.find(mention), std::string::npos) << parsed.error().message;
}

using DaemonConfigTest = testing::TempDirTest;

TEST_F(DaemonConfigTest, FlagsAndDefaults) {
    const auto parsed = parse({"--datadir", dir.string(), "--dev-key", "3", "--hub", "--fee-ppm", "1000",
                               "--base-fee", "7", "--relay-via", "0x70997970c51812dc3a010c7d01b50e0d17dc79c8",
                               "--relay-via", "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"});
    ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
    const DaemonConfig& c = parsed->config;
    EXPECT_EQ(c.data_dir, dir);
    EXPECT_EQ(c.dev_key, std::size_t{3});
    EXPECT_TRUE(c.hub);
    EXPECT_EQ(c.fee_ppm, 1000u);
    EXPECT_EQ(c.base_fee, u256{7});
    EXPECT_EQ(c.relay_via.size(), 2u);
    EXPECT_EQ(c.network, "devchain");
    EXPECT_EQ(c.listen_port, 9736);
    EXPECT_EQ(c.rpc_port, 9737);
    EXPECT_EQ(c.rpc_host, "127.0.0.1");
}

TEST_F(DaemonConfigTest, TheFileHasTheSameKeysAndTheCommandLineWins) {
    {
        std::ofstream conf(dir / "sluiced.conf");
        conf << "dev-key = 4\nfee-ppm = 250\nrpc-port = 19000\nl1-rpc = http://127.0.0.1:8545\n";
    }
    const auto parsed = parse({"--datadir", dir.string(), "--fee-ppm", "9"});
    ASSERT_TRUE(parsed.ok()) << parsed.error().describe();
    EXPECT_EQ(parsed->config.dev_key, std::size_t{4});
    EXPECT_EQ(parsed->config.fee_ppm, 9u);  // the command line over the file's 250
    EXPECT_EQ(parsed->config.rpc_port, 19000);
    EXPECT_EQ(parsed->config.network, "rpc");  // implied by l1-rpc
    EXPECT_EQ(parsed->config.l1_rpc, "http://127.0.0.1:8545");
}

TEST_F(DaemonConfigTest, HelpNeedsNothingElse) {
    const auto parsed = parse({"--help"});
    ASSERT_TRUE(parsed.ok());
    EXPECT_TRUE(parsed->help);
    EXPECT_NE(parsed->usage.find("--relay-via"), std::string::npos);
}

TEST_F(DaemonConfigTest, BadValuesAreTypedAndNameTheFlag) {
    const std::string d = dir.string();
    expect_bad({"--dev-key", "1"}, "--datadir");
    expect_bad({"--datadir", d}, "identity");
    expect_bad({"--datadir", d, "--dev-key", "20"}, "--dev-key");
    expect_bad({"--datadir", d, "--dev-key", "-3"}, "--dev-key");
    expect_bad({"--datadir", d, "--dev-key", "1", "--fee-ppm", "1000001"}, "--fee-ppm");
    expect_bad({"--datadir", d, "--dev-key", "1", "--rpc-host", "0.0.0.0"}, "--rpc-host");
    expect_bad({"--datadir", d, "--dev-key", "1", "--listen-host", "10.0.0.1"}, "--listen-host");
    expect_bad({"--datadir", d, "--dev-key", "1", "--rpc-port", "70000"}, "--rpc-port");
    expect_bad({"--datadir", d, "--dev-key", "1", "--base-fee", "1.5"}, "--base-fee");
    expect_bad({"--datadir", d, "--dev-key", "1", "--network", "mainnet"}, "--network");
    expect_bad({"--datadir", d, "--dev-key", "1", "--network", "rpc"}, "--l1-rpc");
    expect_bad({"--datadir", d, "--dev-key", "1", "--adjudicator", "0x12"}, "--adjudicator");
    expect_bad({"--datadir", d, "--dev-key", "1", "--relay-via", "hub"}, "--relay-via");
    expect_bad({"--datadir", d, "--dev-key", "1", "--keystore", "k.json"}, "exclude");
    expect_bad({"--datadir", d, "--keystore", "k.json"}, "--password-file");
    expect_bad({"--datadir", d, "--dev-key", "1", "--threads", "0"}, "--threads");
    expect_bad({"--datadir", d, "--dev-key", "1", "--no-such-flag"}, "no-such-flag");
    expect_bad({"--datadir", d, "--dev-key", "1", "--conf", (dir / "missing.conf").string()}, "config file");
}

}  // namespace
}  // namespace sluice::hub
