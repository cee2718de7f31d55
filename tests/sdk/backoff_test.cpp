// Backoff (growth, cap, jitter bounds, reset) and dial_with_backoff against real loopback sockets.
#include "sluice/sdk/net/backoff.hpp"

#include <gtest/gtest.h>

#include <set>

#include "support/net_harness.hpp"

namespace sluice::sdk::net {
namespace {

using namespace std::chrono_literals;
using namespace testing;

TEST(Backoff, GrowsToTheCapWithoutJitter) {
    BackoffOptions o;
    o.initial = 100ms;
    o.max = 1000ms;
    o.multiplier = 2.0;
    o.jitter = 0.0;
    Backoff b(o, 1);
    const std::vector<std::chrono::milliseconds> expected = {100ms,  200ms,  400ms, 800ms,
                                                             1000ms, 1000ms, 1000ms};
    for (const auto e : expected)
        EXPECT_EQ(b.next(), e);
    EXPECT_EQ(b.failures(), expected.size());
    b.reset();
    EXPECT_EQ(b.failures(), 0u);
    EXPECT_EQ(b.next(), 100ms);
}

TEST(Backoff, JitterStaysWithinItsBandAndVaries) {
    BackoffOptions o;
    o.initial = 1000ms;
    o.max = 1000ms;
    o.jitter = 0.5;
    Backoff b(o, 7);
    std::set<std::int64_t> seen;
    for (int i = 0; i < 500; ++i) {
        const auto d = b.next();
        EXPECT_GE(d, 500ms);
        EXPECT_LE(d, 1000ms);
        seen.insert(d.count());
    }
    EXPECT_GT(seen.size(), 100u);
}

TEST(Backoff, SameSeedSameDelays) {
    Backoff a({}, 99);
    Backoff b({}, 99);
    for (int i = 0; i < 20; ++i)
        EXPECT_EQ(a.next(), b.next());
}

TEST(Backoff, ManyFailuresNeverOverflow) {
    BackoffOptions o;
    o.initial = 1ms;
    o.max = 60'000ms;
    o.multiplier = 10.0;
    Backoff b(o, 3);
    for (int i = 0; i < 10'000; ++i) {
        const auto d = b.next();
        ASSERT_GE(d, 0ms);
        ASSERT_LE(d, 60'000ms);
    }
}

TEST(DialWithBackoff, GivesUpAfterMaxAttempts) {
    asio::io_context io;
    tcp::endpoint closed;
    {
        auto acceptor = loopback_acceptor(io);
        closed = acceptor.local_endpoint();
    }
    const PrivateKey us = PrivateKey::generate();
    const PrivateKey them = PrivateKey::generate();
    BackoffOptions o;
    o.initial = 10ms;
    o.max = 40ms;
    Backoff backoff(o, 5);
    const auto start = std::chrono::steady_clock::now();
    const auto r = run_on(io, [&]() -> Async<Address> {
        SLUICE_CO_TRY(Connection c,
                      co_await dial_with_backoff(io.get_executor(), closed, us, them.address(), backoff, 3));
        co_return c.peer();
    }());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::net_connect_failed);
    EXPECT_NE(r.error().message.find("after 3 attempts"), std::string::npos) << r.error().message;
    EXPECT_EQ(backoff.failures(), 2u);  // two waits between three attempts
    EXPECT_GE(std::chrono::steady_clock::now() - start, 10ms);
}

TEST(DialWithBackoff, SucceedsOnceThePeerListensAndResets) {
    asio::io_context io;
    const PrivateKey us = PrivateKey::generate();
    const PrivateKey them = PrivateKey::generate();
    tcp::endpoint endpoint;
    {
        auto probe = loopback_acceptor(io);
        endpoint = probe.local_endpoint();
    }
    BackoffOptions o;
    o.initial = 50ms;
    o.max = 50ms;
    o.jitter = 0.0;
    Backoff backoff(o, 5);
    // The listener comes up on that port only after the first attempts have failed.
    std::optional<Result<Address>> server;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            co_await sleep_for(120ms);
            tcp::acceptor acceptor(io);
            acceptor.open(endpoint.protocol());
            acceptor.set_option(tcp::acceptor::reuse_address(true));
            boost::system::error_code ec;
            acceptor.bind(endpoint, ec);
            if (ec) {
                server = make_error(Errc::io_error, "rebind: " + ec.message());
                co_return;
            }
            acceptor.listen();
            tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
            auto c = co_await accept(std::move(s), them);
            if (!c.ok()) {
                server = std::move(c).error();
                co_return;
            }
            server = c->peer();
            co_await sleep_for(50ms);
        },
        asio::detached);
    const auto r = run_on(io, [&]() -> Async<Address> {
        SLUICE_CO_TRY(Connection c, co_await dial_with_backoff(io.get_executor(), endpoint, us,
                                                               them.address(), backoff, 20));
        co_return c.peer();
    }());
    ASSERT_TRUE(server.has_value());
    ASSERT_TRUE(server->ok()) << server->error().describe();
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(*r, them.address());
    EXPECT_EQ(**server, us.address());
    EXPECT_EQ(backoff.failures(), 0u);  // reset on success
}

TEST(DialWithBackoff, WrongIdentityIsNotRetried) {
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    const PrivateKey us = PrivateKey::generate();
    const PrivateKey server_key = PrivateKey::generate();
    const PrivateKey expected = PrivateKey::generate();
    std::size_t accepted = 0;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
            ++accepted;
            (void)co_await accept(std::move(s), server_key);
            acceptor.close();
        },
        asio::detached);
    Backoff backoff;
    const auto r = run_on(io, [&]() -> Async<Address> {
        SLUICE_CO_TRY(Connection c, co_await dial_with_backoff(io.get_executor(), acceptor.local_endpoint(),
                                                               us, expected.address(), backoff, 5));
        co_return c.peer();
    }());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::net_wrong_identity) << r.error().describe();
    EXPECT_EQ(accepted, 1u);
    EXPECT_EQ(backoff.failures(), 0u);
}

}  // namespace
}  // namespace sluice::sdk::net
