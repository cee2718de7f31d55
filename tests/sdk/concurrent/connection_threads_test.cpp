// The transport with several io threads (run under TSan in CI): many connections at once, each with senders
// on other executors than the connection's strand, both directions, and a bad peer among them.
#include <gtest/gtest.h>

#include <atomic>

#include "../support/net_harness.hpp"
#include "sluice/sdk/net/connection.hpp"

namespace sluice::sdk::net {
namespace {

using namespace std::chrono_literals;
using namespace testing;

constexpr int kClients = 6;
constexpr int kSenders = 3;
constexpr int kFramesPerSender = 300;

struct Totals {
    std::atomic<int> server_frames{0};
    std::atomic<int> server_errors{0};
    std::atomic<int> echoes{0};
    std::atomic<int> client_failures{0};
    std::atomic<int> clients_done{0};
    std::atomic<int> handshake_refused{0};
};

asio::awaitable<void> serve(tcp::socket socket, const PrivateKey& key, Totals& totals) {
    auto connection = co_await accept(std::move(socket), key);
    if (!connection.ok()) {
        ++totals.handshake_refused;
        co_return;
    }
    for (;;) {
        auto frame = co_await connection->receive();
        if (!frame.ok()) {
            if (frame.error().code != Errc::net_closed) ++totals.server_errors;
            co_return;
        }
        ++totals.server_frames;
        // Echo from another coroutine on the pool, not the connection's strand.
        if (!(co_await connection->send(*frame)).ok()) ++totals.server_errors;
    }
}

asio::awaitable<void> client(asio::thread_pool& pool, tcp::endpoint endpoint, const PrivateKey& key,
                             Address server, Totals& totals) {
    auto connection = co_await connect(pool.get_executor(), endpoint, key, server);
    if (!connection.ok()) {
        ++totals.client_failures;
        ++totals.clients_done;
        co_return;
    }
    auto shared = std::make_shared<Connection>(std::move(*connection));
    std::atomic<int> senders_done{0};
    for (int s = 0; s < kSenders; ++s) {
        asio::co_spawn(
            pool,
            [shared, &senders_done, &totals, s]() -> asio::awaitable<void> {
                for (int i = 0; i < kFramesPerSender; ++i) {
                    const std::string text = std::to_string(s) + ":" + std::to_string(i);
                    if (!(co_await shared->send(Bytes(text.begin(), text.end()))).ok())
                        ++totals.client_failures;
                }
                ++senders_done;
            },
            asio::detached);
    }
    for (int n = 0; n < kSenders * kFramesPerSender; ++n) {
        auto echo = co_await shared->receive();
        if (!echo.ok()) {
            ++totals.client_failures;
            break;
        }
        ++totals.echoes;
    }
    while (senders_done.load() < kSenders)
        co_await sleep_for(2ms);
    (void)co_await shared->close();
    ++totals.clients_done;
}

TEST(ConnectionThreads, ManyConnectionsOnFourThreads) {
    asio::thread_pool pool(4);
    const PrivateKey server_key = PrivateKey::generate();
    tcp::acceptor acceptor(pool, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const tcp::endpoint endpoint = acceptor.local_endpoint();
    Totals totals;
    asio::co_spawn(
        pool,
        [&]() -> asio::awaitable<void> {
            for (int n = 0; n < kClients + 1; ++n) {
                boost::system::error_code ec;
                tcp::socket s = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
                if (ec) co_return;
                asio::co_spawn(pool, serve(std::move(s), server_key, totals), asio::detached);
            }
        },
        asio::detached);
    // A bad peer first: garbage instead of act 1.
    asio::co_spawn(
        pool,
        [&]() -> asio::awaitable<void> {
            tcp::socket s(pool);
            co_await s.async_connect(endpoint, asio::use_awaitable);
            const Bytes garbage(53, 0x17);
            co_await write_raw(s, garbage);
            co_await sleep_for(100ms);
        },
        asio::detached);
    std::vector<PrivateKey> keys;
    for (int c = 0; c < kClients; ++c)
        keys.push_back(PrivateKey::generate());
    for (int c = 0; c < kClients; ++c) {
        asio::co_spawn(
            pool, client(pool, endpoint, keys[static_cast<std::size_t>(c)], server_key.address(), totals),
            asio::detached);
    }
    // join() returns when every coroutine above has finished.
    pool.join();
    EXPECT_EQ(totals.clients_done.load(), kClients);
    EXPECT_EQ(totals.client_failures.load(), 0);
    EXPECT_EQ(totals.server_errors.load(), 0);
    EXPECT_EQ(totals.handshake_refused.load(), 1);
    EXPECT_EQ(totals.server_frames.load(), kClients * kSenders * kFramesPerSender);
    EXPECT_EQ(totals.echoes.load(), kClients * kSenders * kFramesPerSender);
}

TEST(ConnectionThreads, CloseWhileOthersSendAndReceive) {
    asio::thread_pool pool(4);
    const PrivateKey server_key = PrivateKey::generate();
    const PrivateKey client_key = PrivateKey::generate();
    tcp::acceptor acceptor(pool, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    std::atomic<int> server_frames{0};
    std::atomic<int> server_end{-1};
    asio::co_spawn(
        pool,
        [&]() -> asio::awaitable<void> {
            tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
            auto c = co_await accept(std::move(s), server_key);
            if (!c.ok()) co_return;
            for (;;) {
                auto frame = co_await c->receive();
                if (!frame.ok()) {
                    server_end = static_cast<int>(frame.error().code);
                    co_return;
                }
                ++server_frames;
            }
        },
        asio::detached);
    std::atomic<int> sent_ok{0};
    std::atomic<int> sent_closed{0};
    std::atomic<int> sent_other{0};
    std::atomic<int> receive_end{-1};
    asio::co_spawn(
        pool,
        [&]() -> asio::awaitable<void> {
            auto c = co_await connect(pool.get_executor(), acceptor.local_endpoint(), client_key,
                                      server_key.address());
            if (!c.ok()) co_return;
            auto shared = std::make_shared<Connection>(std::move(*c));
            std::atomic<int> running{4};
            for (int s = 0; s < 4; ++s) {
                asio::co_spawn(
                    pool,
                    [shared, &running, &sent_ok, &sent_closed, &sent_other]() -> asio::awaitable<void> {
                        for (int i = 0; i < 2000; ++i) {
                            const Bytes payload(64, static_cast<std::uint8_t>(i));
                            const Status st = co_await shared->send(payload);
                            if (st.ok()) {
                                ++sent_ok;
                            } else if (st.error().code == Errc::net_closed) {
                                ++sent_closed;
                                break;
                            } else {
                                ++sent_other;
                                break;
                            }
                        }
                        --running;
                    },
                    asio::detached);
            }
            // A receiver waiting on the client side is woken by the close.
            asio::co_spawn(
                pool,
                [shared, &receive_end]() -> asio::awaitable<void> {
                    auto frame = co_await shared->receive();
                    receive_end = frame.ok() ? 0 : static_cast<int>(frame.error().code);
                },
                asio::detached);
            while (sent_ok.load() < 500)
                co_await sleep_for(1ms);
            (void)co_await shared->close();
            while (running.load() > 0)
                co_await sleep_for(1ms);
        },
        asio::detached);
    pool.join();
    EXPECT_GE(sent_ok.load(), 500);
    EXPECT_EQ(sent_other.load(), 0);
    // Each sender either sent all its frames or stopped at the close with net_closed.
    EXPECT_LE(sent_closed.load(), 4);
    if (sent_ok.load() < 4 * 2000) {
        EXPECT_GE(sent_closed.load(), 1);
    }
    // Every send that succeeded was written before the close frame, so the peer got exactly those.
    EXPECT_EQ(server_frames.load(), sent_ok.load());
    EXPECT_EQ(server_end.load(), static_cast<int>(Errc::net_closed));
    EXPECT_EQ(receive_end.load(), static_cast<int>(Errc::net_closed));
}

}  // namespace
}  // namespace sluice::sdk::net
