// sluice-cli's arguments to JSON-RPC params (cli_commands.hpp): positional in the documented order or all
// name=value, lists comma-separated, numbers and booleans checked; every mistake is cli_bad_arguments.
#include <gtest/gtest.h>

#include "sluice/hub/cli_commands.hpp"

namespace sluice::hub {
namespace {

using nlohmann::json;

Result<json> params(std::string_view command, std::vector<std::string> args) {
    const CliCommand* c = find_cli_command(command);
    if (!c) return make_error(Errc::internal, "no command");
    return cli_params(*c, args);
}

void expect_bad(std::string_view command, std::vector<std::string> args, const std::string& mention) {
    const auto p = params(command, args);
    ASSERT_FALSE(p.ok()) << mention;
    EXPECT_EQ(p.error().code, Errc::cli_bad_arguments);
    EXPECT_NE(p.error().message.find(mention), std::string::npos) << p.error().message;
}

TEST(CliParams, PositionalInOrder) {
    const auto p = params("connect", {"0xabc", "127.0.0.1", "9736"});
    ASSERT_TRUE(p.ok()) << p.error().describe();
    EXPECT_EQ(*p, json::array({"0xabc", "127.0.0.1", 9736}));
    const auto pay = params("pay", {"sluice1x", "5", "false"});
    ASSERT_TRUE(pay.ok());
    EXPECT_EQ(*pay, json::array({"sluice1x", "5", false}));
}

TEST(CliParams, NamedWithLists) {
    const auto p = params("openchannel", {"peers=0xb,0xc", "amounts=1,2,3"});
    ASSERT_TRUE(p.ok()) << p.error().describe();
    EXPECT_EQ((*p)["peers"], json::array({"0xb", "0xc"}));
    EXPECT_EQ((*p)["amounts"], json::array({"1", "2", "3"}));
}

TEST(CliParams, MistakesAreTyped) {
    expect_bad("connect", {"0xabc", "127.0.0.1", "port"}, "port");
    expect_bad("connect", {"0xabc", "127.0.0.1", "-1"}, "port");
    expect_bad("connect", {"0xabc"}, "needs host");
    expect_bad("closechannel", {}, "needs channel_id");
    expect_bad("closechannel", {"0x1", "0x2"}, "at most");
    expect_bad("pay", {"invoice=x", "wait=maybe"}, "wait");
    expect_bad("pay", {"x", "wait=true"}, "cannot mix");
    expect_bad("pay", {"invoice=x", "invoice=y"}, "twice");
    expect_bad("pay", {"invoice=x", "color=red"}, "color");
    expect_bad("openchannel", {"peers=0xb,,0xc"}, "empty item");
    expect_bad("openchannel", {"peers="}, "empty item");
    expect_bad("invoice", {"10", "\xed"}, "UTF-8");
}

TEST(CliParams, EveryCommandHasUsage) {
    for (const auto& c : cli_commands()) {
        const std::string usage = cli_usage(c);
        EXPECT_NE(usage.find(c.name), std::string::npos);
        for (const auto& a : c.args)
            EXPECT_NE(usage.find(a.name), std::string::npos) << c.name << " " << a.name;
    }
}

}  // namespace
}  // namespace sluice::hub
