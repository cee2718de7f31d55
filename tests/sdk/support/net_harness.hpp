// Test helpers for the transport over real sockets on 127.0.0.1: run a coroutine to completion, listen on an
// ephemeral loopback port, and a raw peer that speaks the protocol by hand (to send what a correct peer never
// does).
#pragma once

#include <boost/asio.hpp>
#include <exception>
#include <optional>

#include "sluice/sdk/net/connection.hpp"
#include "sluice/sdk/net/frame_codec.hpp"
#include "sluice/sdk/net/handshake.hpp"

namespace sluice::sdk::net::testing {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

template <class T>
asio::awaitable<void> store_into(asio::awaitable<T> task, std::optional<T>& out) {
    out.emplace(co_await std::move(task));
}

// Runs `task` (and whatever else is spawned on `io`) until `io` runs out of work.
template <class T>
T run_on(asio::io_context& io, asio::awaitable<T> task) {
    std::optional<T> out;
    std::exception_ptr failure;
    asio::co_spawn(io, store_into(std::move(task), out), [&](std::exception_ptr e) { failure = e; });
    io.restart();
    io.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*out);
}

inline tcp::acceptor loopback_acceptor(asio::io_context& io) {
    return tcp::acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
}

inline asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    timer.expires_after(d);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

inline asio::awaitable<bool> write_raw(tcp::socket& socket, ByteView bytes) {
    boost::system::error_code ec;
    co_await asio::async_write(socket, asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
}

inline asio::awaitable<std::optional<Bytes>> read_raw(tcp::socket& socket, std::size_t n) {
    Bytes out(n);
    boost::system::error_code ec;
    co_await asio::async_read(socket, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return std::nullopt;
    co_return out;
}

// A hand-driven initiator: a real handshake on a raw socket, then frames from its own encoder, written as the
// test likes (tampered, replayed, cut short).
struct RawPeer {
    tcp::socket socket;
    std::optional<FrameEncoder> encoder;
    std::optional<FrameDecoder> decoder;
    Bytes header() const { return Bytes(encoder->stream_header().begin(), encoder->stream_header().end()); }
};

inline asio::awaitable<std::optional<RawPeer>> raw_initiator(tcp::endpoint endpoint,
                                                             const PrivateKey& identity, Address expected,
                                                             FrameOptions options = {}) {
    tcp::socket socket(co_await asio::this_coro::executor);
    boost::system::error_code ec;
    co_await socket.async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return std::nullopt;
    Handshake hs = Handshake::initiator(identity, expected);
    if (!co_await write_raw(socket, hs.start())) co_return std::nullopt;
    auto act2 = co_await read_raw(socket, kAct2Size);
    if (!act2) co_return std::nullopt;
    auto act3 = hs.receive(*act2);
    if (!act3.ok()) co_return std::nullopt;
    if (!co_await write_raw(socket, *act3)) co_return std::nullopt;
    auto session = hs.take_session();
    if (!session.ok()) co_return std::nullopt;
    RawPeer peer{std::move(socket), std::nullopt, std::nullopt};
    peer.encoder.emplace(session->send_key, options);
    peer.decoder.emplace(session->receive_key, options);
    co_return std::move(peer);
}

}  // namespace sluice::sdk::net::testing
