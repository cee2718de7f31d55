// The encrypted transport over TCP (Boost.Asio, C++20 coroutines): connect() and accept() run the handshake
// (handshake.hpp) under a timeout and return a Connection carrying secretstream frames (frame_codec.hpp).
//
// A Connection runs on its own strand. Three background coroutines live on it as long as the connection is
// open: a reader (decodes frames, answers pings, queues data frames for receive(), up to max_queued_frames,
// after which it stops reading so TCP pushes back on the peer), a pinger (a ping every ping_interval) and an
// idle watchdog (no frame received for idle_timeout: the connection fails with net_timeout). Any error
// (network, decryption, timeout, close) ends the connection for good: every later call returns that first
// error, after the data frames already queued have been delivered.
//
// Every public member may be called from any coroutine on any executor (it hops onto the strand). send() is
// safe from several coroutines at once: senders take turns through a FIFO async lock, each frame is encrypted
// and written whole while its sender holds the lock, and send() completes once the frame is handed to the
// kernel. No exception crosses this API; bad input from the network is always an Error.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/sdk/net/frame_codec.hpp"

namespace sluice::sdk::net {

template <class T>
using Async = boost::asio::awaitable<Result<T>>;

struct ConnectionOptions {
    std::chrono::milliseconds handshake_timeout{10'000};  // connect + the three acts; must be positive
    std::chrono::milliseconds idle_timeout{
        60'000};  // no frame received for this long: net_timeout (0: never)
    std::chrono::milliseconds ping_interval{15'000};       // 0: send no pings
    std::size_t max_frame_size = kMaxFrameSize;            // payload bytes, at most kMaxFrameSize
    std::uint32_t rekey_interval = kDefaultRekeyInterval;  // must match the peer's
    std::size_t max_queued_frames = 256;  // data frames received but not yet taken by receive()
};

namespace detail {
class ConnectionImpl;
}

class Connection {
  public:
    explicit Connection(std::shared_ptr<detail::ConnectionImpl> impl) noexcept;
    Connection(Connection&&) noexcept = default;
    Connection& operator=(Connection&&) noexcept;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    // Drops the connection at once (no close frame) if close() was not awaited.
    ~Connection();

    // The identity the peer proved in the handshake.
    const Address& peer() const noexcept;

    // One application frame. Errors: net_frame_too_large (nothing sent; the connection stays open), or the
    // connection's failure (net_closed, net_timeout, net_decrypt_failed, ...).
    Async<void> send(ByteView payload);

    // The next application frame from the peer (pings are answered inside). Errors: the connection's failure
    // once no queued frame is left: net_closed when the peer closed (or we did), net_timeout after
    // idle_timeout, net_decrypt_failed for a frame that does not authenticate or a stream cut mid-frame,
    // net_frame_too_large.
    Async<Bytes> receive();

    // Sends a close frame (best effort) and closes the socket. Later calls fail with net_closed.
    Async<void> close();

  private:
    std::shared_ptr<detail::ConnectionImpl> impl_;
};

// Dials `endpoint` and authenticates `expected_peer` (net_wrong_identity when another identity answers).
// Errors: net_connect_failed, net_timeout (no complete handshake within handshake_timeout),
// net_handshake_failed.
Async<Connection> connect(const boost::asio::any_io_executor& executor,
                          const boost::asio::ip::tcp::endpoint& endpoint, const PrivateKey& identity,
                          const Address& expected_peer, const ConnectionOptions& options = {});

// Runs the responder's side on an accepted socket; the same errors as connect() (net_wrong_identity when the
// initiator dialled another identity).
Async<Connection> accept(boost::asio::ip::tcp::socket socket, const PrivateKey& identity,
                         const ConnectionOptions& options = {});

}  // namespace sluice::sdk::net
