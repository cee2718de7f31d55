// JSON-RPC 2.0 framing without sockets: request shapes, batches and notifications, access, handler errors and
// exceptions, and the parameter readers.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "hub/support/test_methods.hpp"
#include "sluice/hub/rpc_dispatcher.hpp"
#include "sluice/hub/rpc_params.hpp"

namespace sluice::hub {
namespace {

using nlohmann::json;
namespace asio = boost::asio;

class RpcDispatcherTest : public ::testing::Test {
  protected:
    RpcDispatcherTest() {
        test_support::add_test_methods(d, Access::read_only);
        d.add("fail", Access::read_only, "an application error", [](json) -> asio::awaitable<RpcReply> {
            co_return to_rpc_error(make_error(Errc::hub_no_route, "no route to x"));
        });
        d.add("sync_boom", Access::read_only, "throws before making a coroutine",
              [](json) -> asio::awaitable<RpcReply> { throw std::logic_error("early"); });
        d.add("count", Access::full, "a side effect for notifications",
              [this](json) -> asio::awaitable<RpcReply> {
                  ++calls;
                  co_return json(calls);
              });
    }

    std::string call(std::string_view body, Access access = Access::full) {
        asio::io_context io;
        auto task = d.handle(body, access, observer);
        auto future = asio::co_spawn(io, std::move(task), asio::use_future);
        io.run();
        return future.get();
    }
    json call_json(std::string_view body, Access access = Access::full) {
        const std::string reply = call(body, access);
        return json::parse(reply);
    }
    static int code_of(const json& reply) { return reply.at("error").at("code").get<int>(); }

    RpcDispatcher d;
    int calls = 0;
    std::vector<std::pair<std::string, int>> seen;  // (method, code or 0)
    RpcCallObserver observer = [this](std::string_view method, const RpcError* error) {
        seen.emplace_back(std::string(method), error ? error->code : 0);
    };
};

TEST_F(RpcDispatcherTest, AnswersARequest) {
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":7,"method":"add","params":[2,3]})"),
              R"({"id":7,"jsonrpc":"2.0","result":5})");
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":"x","method":"add","params":{"b":3,"a":4}})"),
              R"({"id":"x","jsonrpc":"2.0","result":7})");
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":null,"method":"echo"})"),
              R"({"id":null,"jsonrpc":"2.0","result":null})");
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1.5,"method":"echo","params":{"k":[1]}})"),
              R"({"id":1.5,"jsonrpc":"2.0","result":{"k":[1]}})");
    EXPECT_EQ(seen.size(), 4u);
    EXPECT_EQ(seen[0], (std::pair<std::string, int>{"add", 0}));
}

TEST_F(RpcDispatcherTest, ParseErrors) {
    for (const std::string& body :
         std::vector<std::string>{std::string(), std::string("{"), std::string("nope"),
                                  std::string(R"({"jsonrpc":"2.0","jsonrpc":"2.0","id":1,"method":"echo"})"),
                                  std::string(1000, '[') + std::string(1000, ']'), std::string("\xff\xfe")}) {
        const json reply = call_json(body);
        EXPECT_EQ(code_of(reply), kRpcParseError) << body.substr(0, 40);
        EXPECT_TRUE(reply.at("id").is_null());
        EXPECT_EQ(reply.at("error").at("data").at("name"), "rpc_parse_error");
    }
    // 128 levels are fine.
    const std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"echo","params":)" + std::string(127, '[') +
                             std::string(127, ']') + "}";
    EXPECT_TRUE(call_json(deep).contains("result"));
}

TEST_F(RpcDispatcherTest, InvalidRequestShapes) {
    struct Case {
        const char* body;
        json id;
    };
    const std::vector<Case> cases = {
        {R"(5)", nullptr},
        {R"("echo")", nullptr},
        {R"(null)", nullptr},
        {R"({"id":1,"method":"echo"})", 1},                              // no jsonrpc
        {R"({"jsonrpc":"1.0","id":1,"method":"echo"})", 1},              // wrong version
        {R"({"jsonrpc":2.0,"id":1,"method":"echo"})", 1},                // not a string
        {R"({"jsonrpc":"2.0","id":true,"method":"echo"})", nullptr},     // id of a bad type
        {R"({"jsonrpc":"2.0","id":[1],"method":"echo"})", nullptr},      // id of a bad type
        {R"({"jsonrpc":"2.0","id":{"a":1},"method":"echo"})", nullptr},  // id of a bad type
        {R"({"jsonrpc":"2.0","id":2,"method":5})", 2},                   // method not a string
        {R"({"jsonrpc":"2.0","id":2})", 2},                              // no method
        {R"({"jsonrpc":"2.0","id":3,"method":"echo","params":5})", 3},   // params not array/object
        {R"({"jsonrpc":"2.0","id":3,"method":"echo","params":"x"})", 3},
        {R"({"jsonrpc":"2.0","id":4,"method":"echo","extra":1})", nullptr},  // unknown member
        {R"({"jsonrpc":"2.0","method":"echo","extra":1})", nullptr},         // even without an id
    };
    for (const Case& c : cases) {
        const json reply = call_json(c.body);
        EXPECT_EQ(code_of(reply), kRpcInvalidRequest) << c.body;
        EXPECT_EQ(reply.at("id"), c.id) << c.body;
        EXPECT_EQ(reply.at("jsonrpc"), "2.0");
    }
}

TEST_F(RpcDispatcherTest, MethodNotFoundAndParamsErrors) {
    json reply = call_json(R"({"jsonrpc":"2.0","id":1,"method":"nope"})");
    EXPECT_EQ(code_of(reply), kRpcMethodNotFound);
    EXPECT_NE(reply["error"]["message"].get<std::string>().find("\"nope\""), std::string::npos);
    EXPECT_EQ(seen.back(),
              (std::pair<std::string, int>{"", kRpcMethodNotFound}));  // unknown names not echoed
    reply = call_json(R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1]})");
    EXPECT_EQ(code_of(reply), kRpcInvalidParams);
    EXPECT_NE(reply["error"]["message"].get<std::string>().find("\"b\""), std::string::npos);
    EXPECT_EQ(reply["error"]["data"]["name"], "rpc_invalid_params");
    reply = call_json(R"({"jsonrpc":"2.0","id":1,"method":"add","params":{"a":1,"b":"2"}})");
    EXPECT_EQ(code_of(reply), kRpcInvalidParams);
}

TEST_F(RpcDispatcherTest, ApplicationErrorsAndExceptions) {
    json reply = call_json(R"({"jsonrpc":"2.0","id":1,"method":"fail"})");
    EXPECT_EQ(code_of(reply), static_cast<int>(Errc::hub_no_route));
    EXPECT_EQ(reply["error"]["message"], "hub_no_route: no route to x");
    EXPECT_EQ(reply["error"]["data"], (json{{"name", "hub_no_route"}}));
    for (const char* method : {"boom", "sync_boom"}) {
        reply = call_json(std::string(R"({"jsonrpc":"2.0","id":1,"method":")") + method + "\"}");
        EXPECT_EQ(code_of(reply), kRpcInternalError) << method;
        EXPECT_NE(reply["error"]["message"].get<std::string>().find(method), std::string::npos);
    }
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":2,"method":"add","params":[1,1]})"),
              R"({"id":2,"jsonrpc":"2.0","result":2})");
}

TEST_F(RpcDispatcherTest, ReadOnlyCallersCannotCallFullMethods) {
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","id":1,"method":"echo","params":[1]})", Access::read_only),
              R"({"id":1,"jsonrpc":"2.0","result":[1]})");
    const json reply =
        call_json(R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]})", Access::read_only);
    EXPECT_EQ(code_of(reply), static_cast<int>(Errc::rpc_forbidden));
    EXPECT_NE(reply["error"]["message"].get<std::string>().find("add"), std::string::npos);
    EXPECT_EQ(reply["error"]["data"]["name"], "rpc_forbidden");
    // A forbidden notification does not run either.
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","method":"count"})", Access::read_only), "");
    EXPECT_EQ(calls, 0);
}

TEST_F(RpcDispatcherTest, NotificationsRunAndAreNotAnswered) {
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","method":"count"})"), "");
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","method":"nope"})"), "");  // errors of notifications are silent too
    EXPECT_EQ(call(R"({"jsonrpc":"2.0","method":"boom"})"), "");
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(call(R"([{"jsonrpc":"2.0","method":"count"},{"jsonrpc":"2.0","method":"count"}])"), "");
    EXPECT_EQ(calls, 3);
}

TEST_F(RpcDispatcherTest, BatchesAreAnsweredInOrder) {
    const json reply = call_json(R"([
        {"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]},
        {"jsonrpc":"2.0","method":"count"},
        {"jsonrpc":"2.0","id":2,"method":"nope"},
        5,
        {"jsonrpc":"2.0","id":3,"method":"count"},
        {"jsonrpc":"2.0","id":4,"method":"add","params":["x"]},
        {"jsonrpc":"2.0","id":5,"method":"boom"}
    ])");
    ASSERT_TRUE(reply.is_array());
    ASSERT_EQ(reply.size(), 6u);
    EXPECT_EQ(reply[0]["result"], 3);
    EXPECT_EQ(code_of(reply[1]), kRpcMethodNotFound);
    EXPECT_EQ(reply[1]["id"], 2);
    EXPECT_EQ(code_of(reply[2]), kRpcInvalidRequest);
    EXPECT_TRUE(reply[2]["id"].is_null());
    EXPECT_EQ(reply[3]["result"], 2);  // the notification ran first, in order
    EXPECT_EQ(code_of(reply[4]), kRpcInvalidParams);
    EXPECT_EQ(code_of(reply[5]), kRpcInternalError);
    EXPECT_EQ(seen.size(), 7u);
}

TEST_F(RpcDispatcherTest, EmptyAndOversizeBatches) {
    json reply = call_json("[]");
    EXPECT_FALSE(reply.is_array());
    EXPECT_EQ(code_of(reply), kRpcInvalidRequest);
    json batch = json::array();
    for (std::size_t i = 0; i < RpcDispatcher::kMaxBatch; ++i)
        batch.push_back({{"jsonrpc", "2.0"}, {"id", i}, {"method", "count"}});
    reply = call_json(batch.dump());
    ASSERT_TRUE(reply.is_array());
    EXPECT_EQ(reply.size(), RpcDispatcher::kMaxBatch);
    batch.push_back({{"jsonrpc", "2.0"}, {"id", 1000}, {"method", "count"}});
    const int before = calls;
    reply = call_json(batch.dump());
    EXPECT_EQ(code_of(reply), kRpcInvalidRequest);
    EXPECT_NE(reply["error"]["message"].get<std::string>().find("101"), std::string::npos);
    EXPECT_EQ(calls, before);  // nothing of a refused batch runs
}

TEST_F(RpcDispatcherTest, HelpListsTheMethods) {
    const auto methods = d.methods();
    ASSERT_EQ(methods.size(), 6u);
    EXPECT_EQ(methods[0], (std::pair<std::string, std::string>{"add", "add a b"}));
    EXPECT_EQ(d.access_of("add"), Access::full);
    EXPECT_EQ(d.access_of("echo"), Access::read_only);
    EXPECT_EQ(d.access_of("none"), std::nullopt);
}

TEST(RpcErrors, ToRpcErrorMapsTheProtocolCodes) {
    EXPECT_EQ(to_rpc_error(make_error(Errc::rpc_parse_error, "x")).code, -32700);
    EXPECT_EQ(to_rpc_error(make_error(Errc::rpc_invalid_request, "x")).code, -32600);
    EXPECT_EQ(to_rpc_error(make_error(Errc::rpc_method_not_found, "x")).code, -32601);
    EXPECT_EQ(to_rpc_error(make_error(Errc::rpc_invalid_params, "x")).code, -32602);
    const RpcError e = to_rpc_error(make_error(Errc::rpc_forbidden, "why"));
    EXPECT_EQ(e.code, 1205);
    EXPECT_EQ(e.message, "rpc_forbidden: why");
    EXPECT_EQ(e.data, (json{{"name", "rpc_forbidden"}}));
    EXPECT_EQ(rpc_error_body(RpcError{1, "m", nullptr}),
              R"({"error":{"code":1,"message":"m"},"id":null,"jsonrpc":"2.0"})");
}

TEST(RpcParams, PositionalAndNamed) {
    const json array = json::parse(R"(["s", "12", 7, true, null])");
    const json object = json::parse(R"({"name":"s", "amount":"12", "n":7, "flag":true, "gone":null})");
    for (const json& p : {array, object}) {
        EXPECT_EQ(param_string(p, 0, "name").value(), "s");
        EXPECT_EQ(param_u256(p, 1, "amount").value(), u256{12});
        EXPECT_EQ(param_u64(p, 2, "n").value(), 7u);
        EXPECT_EQ(param_bool(p, 3, "flag").value(), true);
        EXPECT_EQ(param_optional_string(p, 4, "gone").value(), std::nullopt);
        EXPECT_EQ(param_optional_u64(p, 5, "absent").value(), std::nullopt);
        EXPECT_EQ(param_optional_u256(p, 1, "amount").value(), u256{12});
        EXPECT_EQ(param_optional_bool(p, 3, "flag").value(), true);
        EXPECT_EQ(param_raw(p, 2, "n"), json(7));
        EXPECT_EQ(param_raw(p, 4, "gone"), std::nullopt);
        const auto missing = param_string(p, 9, "other");
        ASSERT_FALSE(missing.ok());
        EXPECT_EQ(missing.error().code, Errc::rpc_invalid_params);
        EXPECT_NE(missing.error().message.find("\"other\""), std::string::npos);
        EXPECT_FALSE(param_u64(p, 4, "gone").ok());  // null is absent
    }
    EXPECT_FALSE(param_string(nullptr, 0, "x").ok());
    EXPECT_EQ(param_optional_string(nullptr, 0, "x").value(), std::nullopt);
}

TEST(RpcParams, TypesAreStrict) {
    const auto u256_of = [](const json& v) { return param_u256(json::array({v}), 0, "amount"); };
    EXPECT_EQ(u256_of("0").value(), u256{0});
    EXPECT_EQ(
        u256_of("115792089237316195423570985008687907853269984665640564039457584007913129639935").value(),
        ~u256{0});
    for (const json& bad :
         {json("0x10"), json(10), json("-1"), json(""), json(" 1"), json("1.0"), json("01"),
          json("115792089237316195423570985008687907853269984665640564039457584007913129639936"), json(true),
          json::array()}) {
        const auto r = u256_of(bad);
        ASSERT_FALSE(r.ok()) << bad;
        EXPECT_EQ(r.error().code, Errc::rpc_invalid_params);
        EXPECT_NE(r.error().message.find("amount"), std::string::npos);
    }
    const auto u64_of = [](const json& v) { return param_u64(json::array({v}), 0, "n"); };
    EXPECT_EQ(u64_of(json(18446744073709551615ull)).value(), 18446744073709551615ull);
    for (const json& bad : {json(-1), json(1.5), json("5"), json(1e30), json(false)})
        EXPECT_FALSE(u64_of(bad).ok()) << bad;
    EXPECT_FALSE(param_bool(json::array({1}), 0, "b").ok());
    EXPECT_FALSE(param_bool(json::array({"true"}), 0, "b").ok());
    EXPECT_FALSE(param_string(json::array({5}), 0, "s").ok());
    EXPECT_FALSE(param_optional_string(json::array({5}), 0, "s").ok());  // present but ill-typed
}

TEST(RpcParams, AtMost) {
    EXPECT_TRUE(params_at_most(nullptr, {"a"}).ok());
    EXPECT_TRUE(params_at_most(json::array({1}), {"a"}).ok());
    EXPECT_FALSE(params_at_most(json::array({1, 2}), {"a"}).ok());
    EXPECT_TRUE(params_at_most(json{{"a", 1}}, {"a", "b"}).ok());
    const Status unknown = params_at_most(json{{"c", 1}}, {"a", "b"});
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().code, Errc::rpc_invalid_params);
    EXPECT_NE(unknown.error().message.find("\"c\""), std::string::npos);
    EXPECT_FALSE(params_at_most(json(5), {"a"}).ok());
}

}  // namespace
}  // namespace sluice::hub
