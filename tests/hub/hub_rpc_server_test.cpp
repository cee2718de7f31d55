// The admin RPC server over real sockets on 127.0.0.1: the server runs on an io_context thread, the client is
// l1::HttpTransport (with its authorization option) or a raw Beast client for the HTTP-level cases.
#include <gtest/gtest.h>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "hub/support/test_methods.hpp"
#include "l1/support/run_async.hpp"
#include "sluice/hub/rpc_params.hpp"
#include "sluice/hub/rpc_server.hpp"
#include "sluice/l1/http_transport.hpp"
#include "support/await_on.hpp"
#include "support/temp_dir.hpp"

namespace sluice::hub {
namespace {

using nlohmann::json;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct RawReply {
    unsigned status = 0;
    std::string body;
    std::string content_type;
    std::string www_authenticate;
    bool keep_alive = false;
};

// One client connection, driven synchronously from the test thread.
class RawConnection {
  public:
    explicit RawConnection(std::uint16_t port) : socket_(io_) {
        socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    }

    RawReply send(http::verb verb, const std::string& target, const std::string& body,
                  const std::string& authorization, const std::string& content_type = "application/json") {
        http::request<http::string_body> req{verb, target, 11};
        req.set(http::field::host, "127.0.0.1");
        if (!content_type.empty()) req.set(http::field::content_type, content_type);
        if (!authorization.empty()) req.set(http::field::authorization, authorization);
        req.keep_alive(true);
        req.body() = body;
        req.prepare_payload();
        http::write(socket_, req);
        return read();
    }

    RawReply read() {
        http::response<http::string_body> res;
        http::read(socket_, buffer_, res);
        return RawReply{res.result_int(), res.body(), std::string(res[http::field::content_type]),
                        std::string(res[http::field::www_authenticate]), res.keep_alive()};
    }

    // True when the server closed this connection (EOF or reset on a read).
    bool closed_by_server() {
        char byte = 0;
        beast::error_code ec;
        socket_.read_some(asio::buffer(&byte, 1), ec);
        return ec == asio::error::eof || ec == asio::error::connection_reset;
    }

  private:
    asio::io_context io_;
    tcp::socket socket_;
    beast::flat_buffer buffer_;
};

class RpcServerTest : public testing::TempDirTest {
  protected:
    void SetUp() override {
        TempDirTest::SetUp();
        auto created = RpcAuth::create(dir);
        ASSERT_TRUE(created.ok()) << created.error().describe();
        auth.emplace(std::move(created).value());
        cookie = RpcAuth::header_from_cookie_file(dir / ".cookie").value();
        token = RpcAuth::header_from_token_file(dir / "readonly.token").value();
        test_support::add_test_methods(dispatcher, Access::full);
        dispatcher.add("stop", Access::full, "stops the server from inside a handler",
                       [this](json) -> asio::awaitable<RpcReply> {
                           server->stop();
                           co_return json("stopping");
                       });
    }

    void start(RpcServerOptions options = {}) {
        auto started = RpcServer::start(io.get_executor(), std::move(options), dispatcher, *auth, metrics);
        ASSERT_TRUE(started.ok()) << started.error().describe();
        server = *started;
        runner = std::thread([this] { io.run(); });
    }

    void TearDown() override {
        if (server) server->stop();
        server.reset();
        guard.reset();
        io.stop();
        if (runner.joinable()) runner.join();
        TempDirTest::TearDown();
    }

    std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()) + "/"; }

    std::shared_ptr<l1::HttpTransport> client(const std::string& authorization) {
        l1::HttpTransportOptions options;
        options.authorization = authorization;
        options.max_retries = 0;
        return l1::HttpTransport::create(client_io.get_executor(), url(), options).value();
    }

    Result<std::string> post(l1::HttpTransport& transport, const std::string& body) {
        return l1::testing::run_on(client_io, transport.round_trip(body));
    }

    json call(const std::string& authorization, const std::string& body) {
        auto transport = client(authorization);
        auto reply = post(*transport, body);
        EXPECT_TRUE(reply.ok()) << reply.error().describe();
        return reply.ok() ? json::parse(*reply) : json();
    }

    // A good request still works: the server survived whatever came before.
    void expect_serving() {
        EXPECT_EQ(call(cookie, R"({"jsonrpc":"2.0","id":99,"method":"add","params":[40,2]})"),
                  json::parse(R"({"jsonrpc":"2.0","id":99,"result":42})"));
    }

    std::uint64_t counter(const std::string& name, const MetricLabels& labels = {}) {
        return metrics.counter(name, "", labels).value();
    }

    static int code_of(const json& reply) { return reply.at("error").at("code").get<int>(); }

    // Declared before the io_context: the server's coroutines, destroyed with it, may still hold them.
    Metrics metrics;
    RpcDispatcher dispatcher;
    std::optional<RpcAuth> auth;
    std::string cookie;
    std::string token;
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> guard = asio::make_work_guard(io);
    std::thread runner;
    std::shared_ptr<RpcServer> server;
    asio::io_context client_io;
};

TEST_F(RpcServerTest, AFullMethodWithTheCookie) {
    start();
    EXPECT_NE(server->port(), 0);
    EXPECT_EQ(call(cookie, R"({"jsonrpc":"2.0","id":1,"method":"add","params":[2,3]})"),
              json::parse(R"({"jsonrpc":"2.0","id":1,"result":5})"));
    // The cookie's secret as a bearer token works too.
    std::string file_hex;
    {
        std::ifstream in(dir / ".cookie");
        std::getline(in, file_hex);
    }
    EXPECT_EQ(call("Bearer " + file_hex.substr(11),
                   R"({"jsonrpc":"2.0","id":2,"method":"add","params":{"a":1,"b":1}})")
                  .at("result"),
              2);
}

TEST_F(RpcServerTest, TheReadOnlyTokenReadsButDoesNotWrite) {
    start();
    EXPECT_EQ(call(token, R"({"jsonrpc":"2.0","id":1,"method":"echo","params":["hi"]})").at("result"),
              json::array({"hi"}));
    const json refused = call(token, R"({"jsonrpc":"2.0","id":2,"method":"add","params":[1,2]})");
    EXPECT_EQ(code_of(refused), 1205);
    EXPECT_NE(refused["error"]["message"].get<std::string>().find("add"), std::string::npos);
    expect_serving();
}

TEST_F(RpcServerTest, NoWrongOrGarbledCredentialsAre401) {
    start();
    std::string wrong = cookie;
    wrong[wrong.size() - 3] = wrong[wrong.size() - 3] == 'A' ? 'B' : 'A';
    for (const std::string& header :
         std::vector<std::string>{std::string(), wrong, std::string("Basic"), std::string("garbage"),
                                  std::string("Bearer ") + std::string(64, '0'), std::string("Bearer zz")}) {
        RawConnection connection(server->port());
        const RawReply reply =
            connection.send(http::verb::post, "/", R"({"jsonrpc":"2.0","id":1,"method":"echo"})", header);
        EXPECT_EQ(reply.status, 401u) << header;
        EXPECT_EQ(reply.www_authenticate, "Basic realm=\"sluiced\"");
        EXPECT_EQ(reply.content_type, "application/json");
        const json body = json::parse(reply.body);
        EXPECT_EQ(code_of(body), 1204);
        EXPECT_EQ(body["error"]["data"]["name"], "rpc_unauthorized");
    }
    // Through the client: a typed transport error naming the status.
    auto transport = client("");
    auto reply = post(*transport, R"({"jsonrpc":"2.0","id":1,"method":"echo"})");
    ASSERT_FALSE(reply.ok());
    EXPECT_NE(reply.error().message.find("HTTP 401"), std::string::npos) << reply.error().message;
    EXPECT_EQ(counter("sluice_rpc_unauthorized_total"), 7u);
    expect_serving();
}

TEST_F(RpcServerTest, MalformedBodiesGetTheirErrorAndTheServerGoesOn) {
    start();
    struct Case {
        std::string body;
        int code;
    };
    const std::vector<Case> cases = {
        {"{not json", -32700},
        {"", -32700},
        {R"({"a":1,"a":2})", -32700},
        {"[]", -32600},
        {"42", -32600},
        {R"({"id":1,"method":"echo"})", -32600},
        {R"({"jsonrpc":"2.0","id":true,"method":"echo"})", -32600},
        {R"({"jsonrpc":"2.0","id":1,"method":7})", -32600},
        {R"({"jsonrpc":"2.0","id":1,"method":"nope"})", -32601},
        {R"({"jsonrpc":"2.0","id":1,"method":"add","params":["1",2]})", -32602},
        {R"({"jsonrpc":"2.0","id":1,"method":"boom"})", -32603},
    };
    auto transport = client(cookie);
    for (const Case& c : cases) {
        auto reply = post(*transport, c.body);
        ASSERT_TRUE(reply.ok()) << c.body << ": " << reply.error().describe();
        EXPECT_EQ(code_of(json::parse(*reply)), c.code) << c.body;
        auto good = post(*transport, R"({"jsonrpc":"2.0","id":5,"method":"echo","params":[5]})");
        ASSERT_TRUE(good.ok()) << "after " << c.body;
        EXPECT_EQ(json::parse(*good).at("result"), json::array({5}));
    }
    // All on one kept-alive connection.
    EXPECT_EQ(transport->connections_opened(), 1u);
}

TEST_F(RpcServerTest, BatchesAndNotifications) {
    start();
    const json reply = call(cookie, R"([
        {"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]},
        {"jsonrpc":"2.0","method":"echo"},
        {"jsonrpc":"2.0","id":2,"method":"nope"},
        {"jsonrpc":"2.0","id":3,"method":"boom"},
        {"foo":"boo"},
        {"jsonrpc":"2.0","id":4,"method":"echo","params":{"x":1}}
    ])");
    ASSERT_TRUE(reply.is_array());
    ASSERT_EQ(reply.size(), 5u);
    EXPECT_EQ(reply[0]["result"], 3);
    EXPECT_EQ(code_of(reply[1]), -32601);
    EXPECT_EQ(code_of(reply[2]), -32603);
    EXPECT_EQ(code_of(reply[3]), -32600);
    EXPECT_EQ(reply[4]["result"], (json{{"x", 1}}));
    // Only notifications: 204 and no body.
    RawConnection connection(server->port());
    const RawReply none =
        connection.send(http::verb::post, "/",
                        R"([{"jsonrpc":"2.0","method":"echo"},{"jsonrpc":"2.0","method":"echo"}])", cookie);
    EXPECT_EQ(none.status, 204u);
    EXPECT_EQ(none.body, "");
    const json empty = call(cookie, "[]");
    EXPECT_EQ(code_of(empty), -32600);
    expect_serving();
}

TEST_F(RpcServerTest, AnOversizeBodyIs413AndTheClientReadsIt) {
    RpcServerOptions options;
    options.max_body_bytes = 1024;
    start(options);
    const std::string big =
        R"({"jsonrpc":"2.0","id":1,"method":"echo","params":[")" + std::string(3000, 'x') + "\"]}";
    {
        RawConnection connection(server->port());
        const RawReply reply = connection.send(http::verb::post, "/", big, cookie);
        EXPECT_EQ(reply.status, 413u);
        EXPECT_FALSE(reply.keep_alive);
        EXPECT_EQ(code_of(json::parse(reply.body)), 1206);
    }
    {
        // Without credentials the answer is the 401, not the size.
        RawConnection connection(server->port());
        EXPECT_EQ(connection.send(http::verb::post, "/", big, "").status, 401u);
    }
    EXPECT_EQ(counter("sluice_rpc_errors_total", {{"code", "1206"}}), 1u);
    // Just below the limit is fine.
    const std::string fits =
        R"({"jsonrpc":"2.0","id":1,"method":"echo","params":[")" + std::string(900, 'x') + "\"]}";
    EXPECT_EQ(call(cookie, fits).at("result")[0].get<std::string>().size(), 900u);
    expect_serving();
}

TEST_F(RpcServerTest, MetricsNeedCredentialsAndCountTheRequests) {
    start();
    (void)call(cookie, R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]})");
    (void)call(cookie, R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]})");
    (void)call(token, R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]})");  // 1205
    (void)call(cookie, R"({"jsonrpc":"2.0","id":1,"method":"nope"})");
    (void)call(cookie, R"({"jsonrpc":"2.0","id":1})");
    RawConnection connection(server->port());
    EXPECT_EQ(connection.send(http::verb::post, "/", "{}", "").status, 401u);
    const RawReply scrape = connection.send(http::verb::get, "/metrics", "", token, "");
    EXPECT_EQ(scrape.status, 200u);
    EXPECT_EQ(scrape.content_type, "text/plain; version=0.0.4; charset=utf-8");
    for (const char* line : {
             "# TYPE sluice_rpc_requests_total counter\n",
             "sluice_rpc_requests_total{method=\"add\"} 3\n",
             "sluice_rpc_requests_total{method=\"(unknown)\"} 1\n",
             "sluice_rpc_requests_total{method=\"(invalid)\"} 1\n",
             "sluice_rpc_errors_total{code=\"1205\"} 1\n",
             "sluice_rpc_errors_total{code=\"-32601\"} 1\n",
             "sluice_rpc_errors_total{code=\"-32600\"} 1\n",
             "sluice_rpc_errors_total{code=\"1204\"} 1\n",
             "sluice_rpc_unauthorized_total 1\n",
             "# TYPE sluice_rpc_connections gauge\n",
         }) {
        EXPECT_NE(scrape.body.find(line), std::string::npos) << line << "in\n" << scrape.body;
    }
    EXPECT_EQ(connection.send(http::verb::get, "/metrics", "", cookie, "").status, 200u);
    const RawReply anonymous = connection.send(http::verb::get, "/metrics", "", "", "");
    EXPECT_EQ(anonymous.status, 401u);
    EXPECT_EQ(anonymous.www_authenticate, "Basic realm=\"sluiced\"");
}

TEST_F(RpcServerTest, OtherPathsVerbsAndTypes) {
    start();
    RawConnection connection(server->port());
    EXPECT_EQ(connection.send(http::verb::get, "/", "", cookie).status, 405u);
    EXPECT_EQ(connection.send(http::verb::post, "/metrics", "", cookie).status, 405u);
    EXPECT_EQ(connection.send(http::verb::post, "/other", "{}", cookie).status, 404u);
    EXPECT_EQ(connection.send(http::verb::get, "/metrics/x", "", cookie).status, 404u);
    EXPECT_EQ(connection.send(http::verb::post, "/", "{}", cookie, "text/plain").status, 415u);
    EXPECT_EQ(connection.send(http::verb::post, "/", "{}", cookie, "").status, 415u);
    // All on the same connection, which is still good.
    const RawReply ok =
        connection.send(http::verb::post, "/", R"({"jsonrpc":"2.0","id":1,"method":"echo"})", cookie);
    EXPECT_EQ(ok.status, 200u);
    EXPECT_TRUE(ok.keep_alive);
}

TEST_F(RpcServerTest, OverTheConnectionLimitAConnectionIsClosedAtOnce) {
    RpcServerOptions options;
    options.max_connections = 2;
    start(options);
    auto first = std::make_unique<RawConnection>(server->port());
    RawConnection second(server->port());
    EXPECT_EQ(
        first->send(http::verb::post, "/", R"({"jsonrpc":"2.0","id":1,"method":"echo"})", cookie).status,
        200u);
    EXPECT_EQ(
        second.send(http::verb::post, "/", R"({"jsonrpc":"2.0","id":1,"method":"echo"})", cookie).status,
        200u);
    RawConnection third(server->port());
    EXPECT_TRUE(third.closed_by_server());
    EXPECT_EQ(counter("sluice_rpc_connections_rejected_total"), 1u);
    first.reset();  // frees a place
    ASSERT_TRUE(
        sluice::testing::wait_for([&] { return metrics.gauge("sluice_rpc_connections", "").value() == 1; }));
    RawConnection fourth(server->port());
    EXPECT_EQ(
        fourth.send(http::verb::post, "/", R"({"jsonrpc":"2.0","id":1,"method":"echo"})", cookie).status,
        200u);
}

TEST_F(RpcServerTest, AnIdleConnectionIsClosedAfterTheTimeout) {
    RpcServerOptions options;
    options.idle_timeout = std::chrono::seconds(1);
    start(options);
    RawConnection connection(server->port());
    EXPECT_EQ(
        connection.send(http::verb::post, "/", R"({"jsonrpc":"2.0","id":1,"method":"echo"})", cookie).status,
        200u);
    EXPECT_TRUE(connection.closed_by_server());  // blocks about a second, until the server's deadline
}

TEST_F(RpcServerTest, StopClosesConnectionsAndIsIdempotent) {
    start();
    RawConnection idle(server->port());
    EXPECT_EQ(idle.send(http::verb::post, "/", R"({"jsonrpc":"2.0","id":1,"method":"echo"})", cookie).status,
              200u);
    const std::uint16_t port = server->port();
    server->stop();
    server->stop();
    EXPECT_TRUE(idle.closed_by_server());
    EXPECT_THROW(
        {
            RawConnection late(port);
            (void)late.send(http::verb::post, "/", "{}", cookie);
        },
        boost::system::system_error);
}

TEST_F(RpcServerTest, AStopFromAHandlerStillAnswersIt) {
    start();
    RawConnection connection(server->port());
    const RawReply reply =
        connection.send(http::verb::post, "/", R"({"jsonrpc":"2.0","id":1,"method":"stop"})", cookie);
    EXPECT_EQ(reply.status, 200u);
    EXPECT_FALSE(reply.keep_alive);
    EXPECT_EQ(json::parse(reply.body).at("result"), "stopping");
    EXPECT_TRUE(connection.closed_by_server());
}

TEST_F(RpcServerTest, OnlyLoopbackHostsAndAFreePort) {
    for (const char* host : {"0.0.0.0", "192.168.1.10", "localhost", "::", "", "127.0.0.2"}) {
        RpcServerOptions options;
        options.host = host;
        auto refused = RpcServer::start(io.get_executor(), options, dispatcher, *auth, metrics);
        ASSERT_FALSE(refused.ok()) << host;
        EXPECT_EQ(refused.error().code, Errc::hub_bad_config);
    }
    start();
    RpcServerOptions same;
    same.port = server->port();
    auto taken = RpcServer::start(io.get_executor(), same, dispatcher, *auth, metrics);
    ASSERT_FALSE(taken.ok());
    EXPECT_EQ(taken.error().code, Errc::io_error);
    expect_serving();
}

TEST_F(RpcServerTest, ListensOnIpv6Loopback) {
    RpcServerOptions options;
    options.host = "::1";
    auto started = RpcServer::start(io.get_executor(), options, dispatcher, *auth, metrics);
    if (!started.ok()) GTEST_SKIP() << "no ::1 here: " << started.error().describe();
    server = *started;
    runner = std::thread([this] { io.run(); });
    l1::HttpTransportOptions client_options;
    client_options.authorization = cookie;
    auto transport =
        l1::HttpTransport::create(client_io.get_executor(),
                                  "http://[::1]:" + std::to_string(server->port()) + "/", client_options)
            .value();
    auto reply = post(*transport, R"({"jsonrpc":"2.0","id":1,"method":"add","params":[1,2]})");
    ASSERT_TRUE(reply.ok()) << reply.error().describe();
    EXPECT_EQ(json::parse(*reply).at("result"), 3);
}

}  // namespace
}  // namespace sluice::hub
