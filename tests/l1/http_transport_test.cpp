// HttpTransport against a scripted HTTP server on 127.0.0.1 (a fake inside this unit test: real sockets, but
// a server that misbehaves on purpose), and the URL parser. The suite against real nodes is l1_client_test.
#include "sluice/l1/http_transport.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <thread>

#include "sluice/l1/json_rpc_client.hpp"
#include "support/run_async.hpp"

namespace sluice::l1 {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

enum class Script { answer, answer_then_close, never_answer, huge_answer, status_500, not_json };

// Serves each connection by `script` on its own thread until the test ends.
class ScriptedServer {
  public:
    explicit ScriptedServer(Script script)
        : script_(script), acceptor_(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        thread_ = std::thread([this] { accept_loop(); });
    }
    ~ScriptedServer() {
        stopping_ = true;
        // A blocking accept() is not woken by close() from another thread: connect once to release it.
        {
            asio::io_context io;
            tcp::socket wake(io);
            beast::error_code ignored;
            wake.connect(acceptor_.local_endpoint(), ignored);
        }
        thread_.join();
        for (auto& t : sessions_)
            t.join();
    }
    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/";
    }
    int requests() const { return requests_.load(); }
    int connections() const { return connections_.load(); }

  private:
    void accept_loop() {
        while (!stopping_) {
            beast::error_code ec;
            tcp::socket socket(io_);
            acceptor_.accept(socket, ec);
            if (ec || stopping_) return;
            ++connections_;
            sessions_.emplace_back([this, s = std::move(socket)]() mutable { serve(std::move(s)); });
        }
    }
    void serve(tcp::socket socket) {
        beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> request;
            beast::error_code ec;
            http::read(socket, buffer, request, ec);
            if (ec) return;
            ++requests_;
            if (script_ == Script::never_answer) {
                while (!stopping_)
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                return;
            }
            http::response<http::string_body> response{http::status::ok, 11};
            response.set(http::field::content_type, "application/json");
            response.keep_alive(true);
            // Echo the request id so the client accepts the answer.
            const auto id = nlohmann::json::parse(request.body(), nullptr, false);
            const std::string id_text = id.is_object() && id.contains("id") ? id["id"].dump() : "1";
            response.body() = R"({"jsonrpc":"2.0","id":)" + id_text + R"(,"result":"0x7a69"})";
            if (script_ == Script::huge_answer) response.body() = std::string(4096, ' ') + response.body();
            if (script_ == Script::status_500) response.result(http::status::internal_server_error);
            if (script_ == Script::not_json) response.body() = "<html>proxy error</html>";
            response.prepare_payload();
            http::write(socket, response, ec);
            if (ec || script_ == Script::answer_then_close) return;  // closes despite keep-alive
        }
    }

    Script script_;
    asio::io_context io_;
    tcp::acceptor acceptor_;
    std::thread thread_;
    std::vector<std::thread> sessions_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> requests_{0};
    std::atomic<int> connections_{0};
};

struct Client {
    asio::io_context io;
    std::unique_ptr<HttpL1Client> l1;
    Client(const std::string& url, HttpTransportOptions options = {}) {
        options.first_backoff = std::chrono::milliseconds(1);
        l1 = HttpL1Client::connect(io.get_executor(), url, options).value();
    }
    Result<u256> chain_id() { return testing::run_on(io, l1->chain_id()); }
};

TEST(HttpTransport, KeepAliveReusesOneConnection) {
    ScriptedServer server(Script::answer);
    Client client(server.url());
    for (int i = 0; i < 10; ++i) {
        const auto id = client.chain_id();
        ASSERT_TRUE(id.ok()) << id.error().describe();
        EXPECT_EQ(*id, u256{31337});
    }
    EXPECT_EQ(client.l1->transport().connections_opened(), 1u);
    EXPECT_EQ(server.connections(), 1);
    EXPECT_EQ(client.l1->transport().retries(), 0u);
}

TEST(HttpTransport, AConnectionTheNodeClosedIsRetriedOnAFreshOne) {
    ScriptedServer server(Script::answer_then_close);
    Client client(server.url());
    for (int i = 0; i < 3; ++i) {
        const auto id = client.chain_id();
        ASSERT_TRUE(id.ok()) << id.error().describe();
    }
    EXPECT_EQ(server.requests(), 3);  // nothing was sent twice to the node
    EXPECT_EQ(client.l1->transport().connections_opened(), 3u);
    EXPECT_EQ(client.l1->transport().retries(), 2u);
}

TEST(HttpTransport, ARefusedConnectionFailsAfterTheRetries) {
    // A port that was free a moment ago: nobody listens on it.
    std::string url;
    {
        asio::io_context io;
        tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        url = "http://127.0.0.1:" + std::to_string(probe.local_endpoint().port());
    }
    HttpTransportOptions options;
    options.max_retries = 2;
    Client client(url, options);
    const auto id = client.chain_id();
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, Errc::l1_transport) << id.error().describe();
    EXPECT_EQ(client.l1->transport().retries(), 2u);
}

TEST(HttpTransport, ANodeThatNeverAnswersTimesOutWithoutARetry) {
    ScriptedServer server(Script::never_answer);
    HttpTransportOptions options;
    options.timeout = std::chrono::milliseconds(200);
    Client client(server.url(), options);
    const auto id = client.chain_id();
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, Errc::l1_timeout) << id.error().describe();
    EXPECT_EQ(server.requests(), 1);
}

TEST(HttpTransport, SizeLimitsHoldBothWays) {
    ScriptedServer server(Script::huge_answer);
    HttpTransportOptions options;
    options.max_reply_bytes = 1024;
    options.max_request_bytes = 4096;
    Client client(server.url(), options);
    const auto id = client.chain_id();
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, Errc::l1_reply_too_large) << id.error().describe();
    const Bytes big(4096, 0xab);
    const auto sent = testing::run_on(client.io, client.l1->send_raw_transaction(big));
    ASSERT_FALSE(sent.ok());
    EXPECT_EQ(sent.error().code, Errc::l1_request_too_large);
    EXPECT_EQ(server.requests(), 1);  // the oversize request never left
}

TEST(HttpTransport, AnHttpErrorIsATransportErrorAndNotRetried) {
    ScriptedServer server(Script::status_500);
    Client client(server.url());
    const auto id = client.chain_id();
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, Errc::l1_transport);
    EXPECT_NE(id.error().message.find("HTTP 500"), std::string::npos) << id.error().message;
    EXPECT_EQ(server.requests(), 1);
}

TEST(HttpTransport, AReplyThatIsNotJsonIsMalformed) {
    ScriptedServer server(Script::not_json);
    Client client(server.url());
    const auto id = client.chain_id();
    ASSERT_FALSE(id.ok());
    EXPECT_EQ(id.error().code, Errc::l1_malformed_reply);
}

TEST(HttpUrl, ParsesWhatNodesAreReachedAt) {
    auto e = parse_http_url("http://127.0.0.1:8545");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->host, "127.0.0.1");
    EXPECT_EQ(e->port, "8545");
    EXPECT_EQ(e->target, "/");
    e = parse_http_url("http://[::1]:8545/rpc/v1");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->host, "::1");
    EXPECT_EQ(e->target, "/rpc/v1");
    e = parse_http_url("http://localhost/");
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->port, "80");
    for (const char* bad : {"https://127.0.0.1:8545", "127.0.0.1:8545", "http://", "http://:8545",
                            "http://h:0", "http://h:65536", "http://h:12ab", "http://[::1", "http://[::1]x",
                            "http://u@h:1", "ws://127.0.0.1:8546"}) {
        const auto parsed = parse_http_url(bad);
        ASSERT_FALSE(parsed.ok()) << bad;
        EXPECT_EQ(parsed.error().code, Errc::l1_bad_url) << bad;
    }
}

}  // namespace
}  // namespace sluice::l1
