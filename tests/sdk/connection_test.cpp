// The transport over real sockets on 127.0.0.1, one io thread: handshakes, identities, hostile peers,
// timeouts, keep-alive, broken frames, size limits, many frames with rekeys, both directions at once, and an
// acceptor that keeps serving after a bad peer.
#include "sluice/sdk/net/connection.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <string>
#include <vector>

#include "support/frame_feed.hpp"
#include "support/handshake_reference.hpp"
#include "support/net_harness.hpp"

namespace sluice::sdk::net {
namespace {

using namespace std::chrono_literals;
using namespace testing;

struct Keys {
    PrivateKey client = PrivateKey::generate();
    PrivateKey server = PrivateKey::generate();
    PrivateKey other = PrivateKey::generate();
};

ConnectionOptions quick() {
    ConnectionOptions o;
    o.handshake_timeout = 1s;
    o.idle_timeout = 5s;
    o.ping_interval = 1s;
    return o;
}

Bytes text(const std::string& s) {
    return Bytes(s.begin(), s.end());
}

// Accepts one connection and returns its result (the connection is kept open until `hold` has passed).
asio::awaitable<Result<Address>> accept_one(tcp::acceptor& acceptor, const PrivateKey& key,
                                            ConnectionOptions options, std::chrono::milliseconds hold = 0ms) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return make_error(Errc::io_error, ec.message());
    auto connection = co_await accept(std::move(socket), key, options);
    if (!connection.ok()) co_return std::move(connection).error();
    co_await sleep_for(hold);
    co_return connection->peer();
}

// Accepts one connection and echoes every frame until the connection fails; returns that failure.
asio::awaitable<Result<std::size_t>> echo_server(tcp::acceptor& acceptor, const PrivateKey& key,
                                                 ConnectionOptions options) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return make_error(Errc::io_error, ec.message());
    SLUICE_CO_TRY(Connection connection, co_await accept(std::move(socket), key, options));
    std::size_t echoed = 0;
    for (;;) {
        auto frame = co_await connection.receive();
        if (!frame.ok()) co_return std::move(frame).error();
        SLUICE_CO_CHECK_OK(co_await connection.send(*frame));
        ++echoed;
    }
}

TEST(Connection, HandshakeBothWaysAndEcho) {
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    std::optional<Result<std::size_t>> server;
    asio::co_spawn(io, store_into(echo_server(acceptor, k.server, quick()), server), asio::detached);
    struct Outcome {
        Address peer;
        std::vector<Bytes> replies;
        Errc close_code = Errc::internal;
    };
    const auto outcome = run_on(io, [&]() -> Async<Outcome> {
        SLUICE_CO_TRY(Connection c, co_await connect(io.get_executor(), acceptor.local_endpoint(), k.client,
                                                     k.server.address(), quick()));
        Outcome out;
        out.peer = c.peer();
        for (const std::string s : {"hello", "", "third frame"}) {
            SLUICE_CO_CHECK_OK(co_await c.send(text(s)));
            SLUICE_CO_TRY(Bytes reply, co_await c.receive());
            out.replies.push_back(std::move(reply));
        }
        SLUICE_CO_CHECK_OK(co_await c.close());
        auto after = co_await c.send(text("late"));
        out.close_code = after.ok() ? Errc::internal : after.error().code;
        co_return out;
    }());
    ASSERT_TRUE(outcome.ok()) << outcome.error().describe();
    EXPECT_EQ(outcome->peer, k.server.address());
    ASSERT_EQ(outcome->replies.size(), 3u);
    EXPECT_EQ(outcome->replies[0], text("hello"));
    EXPECT_EQ(outcome->replies[1], text(""));
    EXPECT_EQ(outcome->replies[2], text("third frame"));
    EXPECT_EQ(outcome->close_code, Errc::net_closed);
    ASSERT_TRUE(server.has_value());
    ASSERT_FALSE(server->ok());
    EXPECT_EQ(server->error().code, Errc::net_closed) << server->error().describe();
}

TEST(Connection, ResponderSeesTheInitiatorsIdentity) {
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    std::optional<Result<Address>> server;
    asio::co_spawn(io, store_into(accept_one(acceptor, k.server, quick()), server), asio::detached);
    const auto client = run_on(io, [&]() -> Async<Address> {
        SLUICE_CO_TRY(Connection c, co_await connect(io.get_executor(), acceptor.local_endpoint(), k.client,
                                                     k.server.address(), quick()));
        co_return c.peer();
    }());
    ASSERT_TRUE(client.ok()) << client.error().describe();
    EXPECT_EQ(*client, k.server.address());
    ASSERT_TRUE(server && server->ok()) << (server ? server->error().describe() : "no result");
    EXPECT_EQ(**server, k.client.address());
}

TEST(Connection, WrongExpectedIdentityFailsBothEnds) {
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    std::optional<Result<Address>> server;
    asio::co_spawn(io, store_into(accept_one(acceptor, k.server, quick()), server), asio::detached);
    const auto client = run_on(io, [&]() -> Async<Address> {
        SLUICE_CO_TRY(Connection c, co_await connect(io.get_executor(), acceptor.local_endpoint(), k.client,
                                                     k.other.address(), quick()));
        co_return c.peer();
    }());
    ASSERT_FALSE(client.ok());
    EXPECT_EQ(client.error().code, Errc::net_wrong_identity) << client.error().describe();
    ASSERT_TRUE(server && !server->ok());
    EXPECT_EQ(server->error().code, Errc::net_wrong_identity);
}

TEST(Connection, ResponderThatProvesAnotherIdentityIsRefused) {
    // A responder that answers for anyone (no refusal), signing as itself: the initiator's own check catches
    // it.
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
            auto act1 = co_await read_raw(s, kAct1Size);
            if (!act1) co_return;
            reference::Responder liar;
            co_await write_raw(s, liar.act2(*act1, k.other));
            co_await sleep_for(200ms);
        },
        asio::detached);
    const auto client = run_on(io, [&]() -> Async<Address> {
        SLUICE_CO_TRY(Connection c, co_await connect(io.get_executor(), acceptor.local_endpoint(), k.client,
                                                     k.server.address(), quick()));
        co_return c.peer();
    }());
    ASSERT_FALSE(client.ok());
    EXPECT_EQ(client.error().code, Errc::net_wrong_identity) << client.error().describe();
}

// A raw client sends `bytes` (then, if `then_act3`, reads act 2 and sends random bytes as act 3) and closes.
asio::awaitable<void> raw_client(tcp::endpoint endpoint, Bytes bytes, bool then_act3) {
    tcp::socket s(co_await asio::this_coro::executor);
    co_await s.async_connect(endpoint, asio::use_awaitable);
    co_await write_raw(s, bytes);
    if (then_act3) {
        if (co_await read_raw(s, kAct2Size)) {
            Bytes act3(kAct3Size);
            randombytes_buf(act3.data(), act3.size());
            act3[0] = kTransportVersion;
            co_await write_raw(s, act3);
        }
    }
    co_await sleep_for(50ms);
}

Result<Address> accept_after_raw_client(const PrivateKey& key, Bytes bytes, bool then_act3,
                                        ConnectionOptions options = quick()) {
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    asio::co_spawn(io, raw_client(acceptor.local_endpoint(), std::move(bytes), then_act3), asio::detached);
    return run_on(io, accept_one(acceptor, key, options));
}

Bytes act1_for(const Address& responder, std::uint8_t version = kTransportVersion) {
    reference::Initiator ref;
    return ref.act1(responder, version);
}

TEST(Connection, GarbageFromTheInitiatorIsRefused) {
    Keys k;
    Bytes garbage(kAct1Size);
    randombytes_buf(garbage.data(), garbage.size());
    garbage[0] = 0x42;
    const auto r = accept_after_raw_client(k.server, garbage, false);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::net_handshake_failed) << r.error().describe();
    // A valid act 1, then garbage as act 3.
    const auto r3 = accept_after_raw_client(k.server, act1_for(k.server.address()), true);
    ASSERT_FALSE(r3.ok());
    EXPECT_EQ(r3.error().code, Errc::net_handshake_failed) << r3.error().describe();
}

TEST(Connection, TruncatedHandshakeIsRefused) {
    Keys k;
    Bytes act1 = act1_for(k.server.address());
    act1.resize(20);
    const auto r = accept_after_raw_client(k.server, act1, false);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::net_handshake_failed) << r.error().describe();
}

TEST(Connection, OldVersionByteIsRefused) {
    Keys k;
    const auto r = accept_after_raw_client(k.server, act1_for(k.server.address(), 0), false);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::net_handshake_failed) << r.error().describe();
    EXPECT_NE(r.error().message.find("version"), std::string::npos);
}

// A raw responder: reads act 1 and answers with `answer(act1)`, then stays silent for a while.
template <class F>
Result<Address> connect_to_raw_server(const Keys& k, F answer, ConnectionOptions options = quick()) {
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
            auto act1 = co_await read_raw(s, kAct1Size);
            if (!act1) co_return;
            const Bytes reply = answer(*act1);
            if (!reply.empty()) co_await write_raw(s, reply);
            co_await sleep_for(options.handshake_timeout + 300ms);
        },
        asio::detached);
    return run_on(io, [&]() -> Async<Address> {
        SLUICE_CO_TRY(Connection c, co_await connect(io.get_executor(), acceptor.local_endpoint(), k.client,
                                                     k.server.address(), options));
        co_return c.peer();
    }());
}

TEST(Connection, GarbageFromTheResponderIsRefused) {
    Keys k;
    const auto r = connect_to_raw_server(k, [](const Bytes&) {
        Bytes act2(kAct2Size);
        randombytes_buf(act2.data(), act2.size());
        act2[0] = kTransportVersion;
        return act2;
    });
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::net_handshake_failed) << r.error().describe();
}

TEST(Connection, BadResponderSignatureIsRefused) {
    Keys k;
    const auto high_s = connect_to_raw_server(k, [&](const Bytes& act1) {
        reference::Responder ref;
        return ref.act2(act1, k.server, false, /*high_s=*/true);
    });
    ASSERT_FALSE(high_s.ok());
    EXPECT_EQ(high_s.error().code, Errc::net_handshake_failed) << high_s.error().describe();
    const auto wrong_digest = connect_to_raw_server(k, [&](const Bytes& act1) {
        reference::Responder ref;
        return ref.act2(act1, k.server, /*wrong_digest=*/true);
    });
    ASSERT_FALSE(wrong_digest.ok());
    EXPECT_EQ(wrong_digest.error().code, Errc::net_wrong_identity) << wrong_digest.error().describe();
}

TEST(Connection, HandshakeTimesOutWhenThePeerIsSilent) {
    Keys k;
    ConnectionOptions o = quick();
    o.handshake_timeout = 300ms;
    // The responder never answers act 1.
    const auto start = std::chrono::steady_clock::now();
    const auto r = connect_to_raw_server(
        k, [](const Bytes&) { return Bytes{}; }, o);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::net_timeout) << r.error().describe();
    EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
    // The initiator never sends act 1.
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            tcp::socket s(io);
            co_await s.async_connect(acceptor.local_endpoint(), asio::use_awaitable);
            co_await sleep_for(800ms);
        },
        asio::detached);
    const auto a = run_on(io, accept_one(acceptor, k.server, o));
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error().code, Errc::net_timeout) << a.error().describe();
}

TEST(Connection, ConnectionRefusedIsConnectFailed) {
    Keys k;
    asio::io_context io;
    tcp::endpoint closed;
    {
        auto acceptor = loopback_acceptor(io);
        closed = acceptor.local_endpoint();
    }
    const auto r = run_on(io, [&]() -> Async<Address> {
        SLUICE_CO_TRY(Connection c,
                      co_await connect(io.get_executor(), closed, k.client, k.server.address(), quick()));
        co_return c.peer();
    }());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::net_connect_failed) << r.error().describe();
}

TEST(Connection, IdleTimeoutWithoutPings) {
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    ConnectionOptions silent = quick();
    silent.ping_interval = 0ms;
    ConnectionOptions watchful = silent;
    watchful.idle_timeout = 300ms;
    // The client stays connected, sends nothing and sends no pings.
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            auto c = co_await connect(io.get_executor(), acceptor.local_endpoint(), k.client,
                                      k.server.address(), silent);
            co_await sleep_for(1500ms);
        },
        asio::detached);
    std::chrono::steady_clock::duration waited{};
    const auto r = run_on(io, [&]() -> Async<Bytes> {
        tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
        SLUICE_CO_TRY(Connection c, co_await accept(std::move(s), k.server, watchful));
        const auto start = std::chrono::steady_clock::now();
        auto frame = co_await c.receive();
        waited = std::chrono::steady_clock::now() - start;
        co_return frame;
    }());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::net_timeout) << r.error().describe();
    EXPECT_GE(waited, 300ms);
    EXPECT_LT(waited, 1500ms);
}

TEST(Connection, PingsKeepAnIdleConnectionAlive) {
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    ConnectionOptions o = quick();
    // Wide margins: a loaded CI machine (sanitizers, parallel tests) may stall a thread for a while.
    o.ping_interval = 100ms;
    o.idle_timeout = 1000ms;
    std::optional<Result<std::size_t>> server;
    asio::co_spawn(io, store_into(echo_server(acceptor, k.server, o), server), asio::detached);
    const auto r = run_on(io, [&]() -> Async<Bytes> {
        SLUICE_CO_TRY(Connection c, co_await connect(io.get_executor(), acceptor.local_endpoint(), k.client,
                                                     k.server.address(), o));
        // Two and a half idle timeouts with no application frame.
        co_await sleep_for(2500ms);
        SLUICE_CO_CHECK_OK(co_await c.send(text("still here")));
        SLUICE_CO_TRY(Bytes reply, co_await c.receive());
        SLUICE_CO_CHECK_OK(co_await c.close());
        co_return reply;
    }());
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(*r, text("still here"));
    ASSERT_TRUE(server && !server->ok());
    EXPECT_EQ(server->error().code, Errc::net_closed) << server->error().describe();
}

// The server accepts one connection and returns the first `count` frames or the error that ended them.
asio::awaitable<Result<std::vector<Bytes>>> collect(tcp::acceptor& acceptor, const PrivateKey& key,
                                                    ConnectionOptions options, std::size_t count) {
    tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
    SLUICE_CO_TRY(Connection c, co_await accept(std::move(s), key, options));
    std::vector<Bytes> frames;
    while (frames.size() < count) {
        SLUICE_CO_TRY(Bytes frame, co_await c.receive());
        frames.push_back(std::move(frame));
    }
    co_return frames;
}

// The sender keeps its end open until the receiver has everything: closing earlier with the receiver's
// pings or rekey frames unread makes the kernel reset the stream, and the receiver loses what it had not
// read yet (seen under load in CI with a fixed 50 ms wait).
template <class T>
asio::awaitable<void> until_set(const std::optional<T>& result, std::chrono::milliseconds bound = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    while (!result && std::chrono::steady_clock::now() < deadline)
        co_await sleep_for(5ms);
}

// A raw initiator writes whatever `craft` makes of its encoder; the server must fail with `code` after the
// frames before the broken one.
template <class F>
void expect_broken_stream(F craft, Errc code, std::size_t good_frames,
                          ConnectionOptions server_options = quick()) {
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            auto peer = co_await raw_initiator(acceptor.local_endpoint(), k.client, k.server.address());
            if (!peer) co_return;
            co_await write_raw(peer->socket, craft(*peer->encoder));
            co_await sleep_for(100ms);  // then close: a cut stream shows as such
        },
        asio::detached);
    const auto r = run_on(io, collect(acceptor, k.server, server_options, good_frames + 1));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, code) << r.error().describe();
}

Bytes with_header(FrameEncoder& e, std::initializer_list<ByteView> frames) {
    Bytes out(e.stream_header().begin(), e.stream_header().end());
    for (const ByteView f : frames)
        out.insert(out.end(), f.begin(), f.end());
    return out;
}

TEST(Connection, TamperedFrameFails) {
    expect_broken_stream(
        [](FrameEncoder& e) {
            const Bytes good = *e.encode(FrameKind::data, text("one"));
            Bytes bad = *e.encode(FrameKind::data, text("two"));
            bad[kLengthChunkSize + 2] ^= 0x80;
            return with_header(e, {good, bad});
        },
        Errc::net_decrypt_failed, 1);
}

TEST(Connection, ReplayedFrameFails) {
    expect_broken_stream(
        [](FrameEncoder& e) {
            const Bytes one = *e.encode(FrameKind::data, text("one"));
            return with_header(e, {one, one});
        },
        Errc::net_decrypt_failed, 1);
}

TEST(Connection, ReorderedFramesFail) {
    expect_broken_stream(
        [](FrameEncoder& e) {
            const Bytes one = *e.encode(FrameKind::data, text("one"));
            const Bytes two = *e.encode(FrameKind::data, text("two"));
            return with_header(e, {two, one});
        },
        Errc::net_decrypt_failed, 0);
}

TEST(Connection, TruncatedFrameFails) {
    expect_broken_stream(
        [](FrameEncoder& e) {
            const Bytes one = *e.encode(FrameKind::data, text("one"));
            Bytes two = *e.encode(FrameKind::data, text("two, cut short"));
            two.resize(two.size() - 5);
            return with_header(e, {one, two});
        },
        Errc::net_decrypt_failed, 1);
}

TEST(Connection, OversizeFrameFromThePeerFails) {
    ConnectionOptions small = quick();
    small.max_frame_size = 1000;
    expect_broken_stream(
        [](FrameEncoder& e) {
            const Bytes big = *e.encode(FrameKind::data, Bytes(5000, 7));
            return with_header(e, {big});
        },
        Errc::net_frame_too_large, 0, small);
}

TEST(Connection, OversizeSendIsRefusedAndTheConnectionGoesOn) {
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    std::optional<Result<std::size_t>> server;
    asio::co_spawn(io, store_into(echo_server(acceptor, k.server, quick()), server), asio::detached);
    struct Outcome {
        Errc oversize = Errc::internal;
        Bytes max_reply;
    };
    const auto r = run_on(io, [&]() -> Async<Outcome> {
        SLUICE_CO_TRY(Connection c, co_await connect(io.get_executor(), acceptor.local_endpoint(), k.client,
                                                     k.server.address(), quick()));
        Outcome out;
        const Status big = co_await c.send(Bytes(kMaxFrameSize + 1, 1));
        out.oversize = big.ok() ? Errc::internal : big.error().code;
        SLUICE_CO_CHECK_OK(co_await c.send(Bytes(kMaxFrameSize, 2)));
        SLUICE_CO_TRY(out.max_reply, co_await c.receive());
        SLUICE_CO_CHECK_OK(co_await c.close());
        co_return out;
    }());
    ASSERT_TRUE(r.ok()) << r.error().describe();
    EXPECT_EQ(r->oversize, Errc::net_frame_too_large);
    EXPECT_EQ(r->max_reply, Bytes(kMaxFrameSize, 2));
}

TEST(Connection, TenThousandFramesWithRekeys) {
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    ConnectionOptions o = quick();
    o.rekey_interval = 16;
    constexpr std::size_t kFrames = 10'000;
    std::optional<Result<std::vector<Bytes>>> server;
    asio::co_spawn(io, store_into(collect(acceptor, k.server, o, kFrames), server), asio::detached);
    const auto sent = run_on(io, [&]() -> Async<std::size_t> {
        SLUICE_CO_TRY(Connection c, co_await connect(io.get_executor(), acceptor.local_endpoint(), k.client,
                                                     k.server.address(), o));
        for (std::size_t i = 0; i < kFrames; ++i)
            SLUICE_CO_CHECK_OK(co_await c.send(text(std::to_string(i))));
        co_await until_set(server);
        co_return kFrames;
    }());
    ASSERT_TRUE(sent.ok()) << sent.error().describe();
    ASSERT_TRUE(server && server->ok()) << (server ? server->error().describe() : "no result");
    ASSERT_EQ((*server)->size(), kFrames);
    for (std::size_t i = 0; i < kFrames; ++i)
        ASSERT_EQ((**server)[i], text(std::to_string(i))) << i;
}

// Sends `count` frames "<tag>:<i>" while receiving `count` frames, at the same time.
asio::awaitable<Result<std::vector<Bytes>>> send_and_receive(Connection& c, std::string tag,
                                                             std::size_t count) {
    std::optional<Status> send_result;
    auto executor = co_await asio::this_coro::executor;
    asio::co_spawn(
        executor,
        [&c, &send_result, tag, count]() -> asio::awaitable<void> {
            for (std::size_t i = 0; i < count; ++i) {
                const Status s = co_await c.send(text(tag + ":" + std::to_string(i)));
                if (!s.ok()) {
                    send_result = s;
                    co_return;
                }
            }
            send_result = Status{};
        },
        asio::detached);
    std::vector<Bytes> got;
    while (got.size() < count) {
        SLUICE_CO_TRY(Bytes frame, co_await c.receive());
        got.push_back(std::move(frame));
    }
    while (!send_result)
        co_await sleep_for(5ms);
    SLUICE_CO_CHECK_OK(*send_result);
    co_return got;
}

TEST(Connection, BothDirectionsConcurrently) {
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    constexpr std::size_t kCount = 3000;
    std::optional<Result<std::vector<Bytes>>> server;
    // A named lambda: the coroutine refers to its captures, so the lambda must outlive it.
    auto server_side = [&]() -> Async<std::vector<Bytes>> {
        tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
        SLUICE_CO_TRY(Connection c, co_await accept(std::move(s), k.server, quick()));
        auto got = co_await send_and_receive(c, "s", kCount);
        co_await sleep_for(100ms);
        co_return got;
    };
    asio::co_spawn(io, store_into(server_side(), server), asio::detached);
    const auto client = run_on(io, [&]() -> Async<std::vector<Bytes>> {
        SLUICE_CO_TRY(Connection c, co_await connect(io.get_executor(), acceptor.local_endpoint(), k.client,
                                                     k.server.address(), quick()));
        auto got = co_await send_and_receive(c, "c", kCount);
        co_await sleep_for(100ms);
        co_return got;
    }());
    ASSERT_TRUE(client.ok()) << client.error().describe();
    ASSERT_TRUE(server && server->ok()) << (server ? server->error().describe() : "no result");
    for (std::size_t i = 0; i < kCount; ++i) {
        ASSERT_EQ((*client)[i], text("s:" + std::to_string(i)));
        ASSERT_EQ((**server)[i], text("c:" + std::to_string(i)));
    }
}

TEST(Connection, SeveralSendersOnOneConnection) {
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    constexpr std::size_t kSenders = 4;
    constexpr std::size_t kEach = 500;
    std::optional<Result<std::vector<Bytes>>> server;
    asio::co_spawn(io, store_into(collect(acceptor, k.server, quick(), kSenders * kEach), server),
                   asio::detached);
    const auto r = run_on(io, [&]() -> Async<std::size_t> {
        SLUICE_CO_TRY(Connection c, co_await connect(io.get_executor(), acceptor.local_endpoint(), k.client,
                                                     k.server.address(), quick()));
        std::size_t done = 0;
        std::size_t failed = 0;
        for (std::size_t s = 0; s < kSenders; ++s) {
            asio::co_spawn(
                io,
                [&c, &done, &failed, s]() -> asio::awaitable<void> {
                    for (std::size_t i = 0; i < kEach; ++i) {
                        // Frames of every size, so writes of different senders would tear if not serialised.
                        std::string payload = std::to_string(s) + ":" + std::to_string(i) + ":";
                        payload.append(i * 37 % 3000, static_cast<char>('a' + s));
                        if (!(co_await c.send(text(payload))).ok()) ++failed;
                    }
                    ++done;
                },
                asio::detached);
        }
        while (done < kSenders)
            co_await sleep_for(5ms);
        co_await until_set(server);
        if (failed != 0) co_return make_error(Errc::internal, std::to_string(failed) + " sends failed");
        co_return done;
    }());
    ASSERT_TRUE(r.ok()) << r.error().describe();
    ASSERT_TRUE(server && server->ok()) << (server ? server->error().describe() : "no result");
    std::vector<std::size_t> next(kSenders, 0);
    for (const Bytes& frame : **server) {
        const std::string s(frame.begin(), frame.end());
        const std::size_t sender = std::stoul(s.substr(0, s.find(':')));
        const std::size_t rest = s.find(':') + 1;
        const std::size_t i = std::stoul(s.substr(rest, s.find(':', rest) - rest));
        ASSERT_LT(sender, kSenders);
        EXPECT_EQ(i, next[sender]) << "sender " << sender << " out of order";
        next[sender] = i + 1;
        EXPECT_EQ(s.size() - s.rfind(':') - 1, i * 37 % 3000);
    }
    for (std::size_t s = 0; s < kSenders; ++s)
        EXPECT_EQ(next[s], kEach);
}

TEST(Connection, DroppedConnectionIsClosedForThePeer) {
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            auto c = co_await connect(io.get_executor(), acceptor.local_endpoint(), k.client,
                                      k.server.address(), quick());
            if (c.ok()) (void)co_await c->send(text("bye"));
            // c is destroyed here without close().
        },
        asio::detached);
    const auto r = run_on(io, collect(acceptor, k.server, quick(), 2));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::net_closed) << r.error().describe();
}

TEST(Connection, AcceptorKeepsServingAfterBadPeers) {
    Keys k;
    asio::io_context io;
    auto acceptor = loopback_acceptor(io);
    std::vector<Errc> failures;
    std::size_t served = 0;
    ConnectionOptions o = quick();
    o.handshake_timeout = 800ms;
    // The acceptor loop: every socket gets its own handshake coroutine.
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            for (int n = 0; n < 5; ++n) {
                tcp::socket s = co_await acceptor.async_accept(asio::use_awaitable);
                asio::co_spawn(
                    io,
                    [&, s = std::move(s)]() mutable -> asio::awaitable<void> {
                        auto c = co_await accept(std::move(s), k.server, o);
                        if (!c.ok()) {
                            failures.push_back(c.error().code);
                            co_return;
                        }
                        auto frame = co_await c->receive();
                        if (frame.ok()) {
                            (void)co_await c->send(*frame);
                            ++served;
                        }
                        co_await sleep_for(50ms);
                    },
                    asio::detached);
            }
        },
        asio::detached);
    const auto r = run_on(io, [&]() -> Async<std::vector<Bytes>> {
        const auto endpoint = acceptor.local_endpoint();
        Bytes garbage(kAct1Size, 0x42);
        co_await raw_client(endpoint, garbage, false);                          // garbage
        co_await raw_client(endpoint, act1_for(k.server.address(), 9), false);  // unknown version
        co_await raw_client(endpoint, Bytes(10, 1), false);                     // truncated
        {
            tcp::socket silent(io);  // silent until the handshake timeout
            co_await silent.async_connect(endpoint, asio::use_awaitable);
            std::vector<Bytes> replies;
            for (int i = 0; i < 1; ++i) {
                SLUICE_CO_TRY(Connection c,
                              co_await connect(io.get_executor(), endpoint, k.client, k.server.address(), o));
                SLUICE_CO_CHECK_OK(co_await c.send(text("good peer")));
                SLUICE_CO_TRY(Bytes reply, co_await c.receive());
                replies.push_back(std::move(reply));
            }
            co_await sleep_for(
                1500ms);  // past the handshake timeout: the silent peer must time out, not close
            co_return replies;
        }
    }());
    ASSERT_TRUE(r.ok()) << r.error().describe();
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0], text("good peer"));
    EXPECT_EQ(served, 1u);
    ASSERT_EQ(failures.size(), 4u);
    EXPECT_EQ(std::count(failures.begin(), failures.end(), Errc::net_handshake_failed), 3);
    EXPECT_EQ(std::count(failures.begin(), failures.end(), Errc::net_timeout), 1);
}

}  // namespace
}  // namespace sluice::sdk::net
