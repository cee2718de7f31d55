// The Asio transport (connection.hpp): the handshake driver and the connection's strand-bound coroutines.
#include "sluice/sdk/net/connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <optional>

#include "sluice/sdk/net/handshake.hpp"

namespace sluice::sdk::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Strand = asio::strand<asio::any_io_executor>;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

// co_spawn hands its result back through a default-constructed value, which Result<T> has not: wrap it.
template <class T>
asio::awaitable<std::optional<Result<T>>> into_optional(asio::awaitable<Result<T>> task) {
    co_return co_await std::move(task);
}

// Runs `task` on `strand` and resumes the caller with its result, whichever executor the caller is on.
template <class T>
asio::awaitable<Result<T>> run_on_strand(const Strand& strand, asio::awaitable<Result<T>> task) {
    std::optional<Result<T>> out =
        co_await asio::co_spawn(strand, into_optional(std::move(task)), asio::use_awaitable);
    co_return std::move(*out);
}

// A timer that never fires on its own serves as a condition variable on the strand: waiters wait, cancel()
// wakes them all and each checks its condition again (no wake-up can be lost: everything runs on one strand).
asio::awaitable<void> wait_for_signal(asio::steady_timer& signal) {
    error_code ignored;
    co_await signal.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

std::string millis(std::chrono::milliseconds d) {
    return std::to_string(d.count()) + " ms";
}

}  // namespace

namespace detail {

class ConnectionImpl : public std::enable_shared_from_this<ConnectionImpl> {
  public:
    ConnectionImpl(Strand strand, tcp::socket socket, Session session, const ConnectionOptions& options)
        : strand_(std::move(strand)),
          socket_(std::move(socket)),
          peer_(session.peer),
          encoder_(session.send_key, FrameOptions{options.max_frame_size, options.rekey_interval}),
          decoder_(session.receive_key, FrameOptions{options.max_frame_size, options.rekey_interval}),
          options_(options),
          inbox_signal_(strand_, Clock::time_point::max()),
          space_signal_(strand_, Clock::time_point::max()),
          write_signal_(strand_, Clock::time_point::max()),
          idle_timer_(strand_),
          ping_timer_(strand_),
          last_received_(Clock::now()) {}

    const Strand& strand() const noexcept { return strand_; }
    const Address& peer() const noexcept { return peer_; }

    void start() {
        auto self = shared_from_this();
        asio::co_spawn(strand_, read_loop(self), asio::detached);
        if (options_.ping_interval.count() > 0) asio::co_spawn(strand_, ping_loop(self), asio::detached);
        if (options_.idle_timeout.count() > 0) asio::co_spawn(strand_, idle_loop(self), asio::detached);
    }

    // On the strand. Takes the write lock, so frames leave whole and in the order they were encrypted.
    asio::awaitable<Status> send_frame(FrameKind kind, Bytes payload) {
        if (failure_) co_return *failure_;
        co_await lock_writes();
        WriteGuard guard(*this);
        if (failure_) co_return *failure_;
        auto frame = encoder_.encode(kind, payload);
        if (!frame.ok()) co_return std::move(frame).error();
        std::array<asio::const_buffer, 2> buffers{asio::const_buffer(), asio::buffer(*frame)};
        if (!header_sent_) {
            buffers[0] = asio::buffer(encoder_.stream_header().data(), encoder_.stream_header().size());
            header_sent_ = true;
        }
        error_code ec;
        co_await asio::async_write(socket_, buffers, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            fail(make_error(Errc::net_closed, "connection: write failed: " + ec.message()));
            co_return *failure_;
        }
        co_return Status{};
    }

    Async<Bytes> receive() {
        while (inbox_.empty() && !failure_)
            co_await wait_for_signal(inbox_signal_);
        if (!inbox_.empty()) {
            Bytes frame = std::move(inbox_.front());
            inbox_.pop_front();
            space_signal_.cancel();
            co_return frame;
        }
        co_return *failure_;
    }

    Async<void> close() {
        if (failure_) co_return Status{};
        {
            co_await lock_writes();
            WriteGuard guard(*this);
            if (!failure_) {
                auto frame = encoder_.encode(FrameKind::close, {});
                if (frame.ok()) {
                    std::array<asio::const_buffer, 2> buffers{asio::const_buffer(), asio::buffer(*frame)};
                    if (!header_sent_) {
                        buffers[0] =
                            asio::buffer(encoder_.stream_header().data(), encoder_.stream_header().size());
                        header_sent_ = true;
                    }
                    error_code ignored;  // best effort: the peer may be gone already
                    co_await asio::async_write(socket_, buffers,
                                               asio::redirect_error(asio::use_awaitable, ignored));
                }
            }
        }
        fail(make_error(Errc::net_closed, "connection: closed locally"));
        co_return Status{};
    }

    // On the strand. The first failure is final: the socket closes and every waiter wakes up to see it.
    void fail(Error error) {
        if (failure_) return;
        failure_ = std::move(error);
        error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_both, ignored);
        socket_.close(ignored);
        inbox_signal_.cancel();
        space_signal_.cancel();
        write_signal_.cancel();
        idle_timer_.cancel();
        ping_timer_.cancel();
    }

  private:
    // The write lock: one writer at a time on the strand, the others wait for their turn (order among waiters
    // is not guaranteed; each sender's own frames keep their order).
    asio::awaitable<void> lock_writes() {
        while (writing_)
            co_await wait_for_signal(write_signal_);
        writing_ = true;
    }
    struct WriteGuard {
        explicit WriteGuard(ConnectionImpl& c) noexcept : connection(c) {}
        ~WriteGuard() {
            connection.writing_ = false;
            connection.write_signal_.cancel();
        }
        WriteGuard(const WriteGuard&) = delete;
        WriteGuard& operator=(const WriteGuard&) = delete;
        ConnectionImpl& connection;
    };

    static asio::awaitable<void> read_loop(std::shared_ptr<ConnectionImpl> self) {
        co_await self->read_frames();
    }
    static asio::awaitable<void> ping_loop(std::shared_ptr<ConnectionImpl> self) { co_await self->ping(); }
    static asio::awaitable<void> idle_loop(std::shared_ptr<ConnectionImpl> self) {
        co_await self->watch_idle();
    }
    static asio::awaitable<void> pong(std::shared_ptr<ConnectionImpl> self, Bytes payload) {
        const Status ignored = co_await self->send_frame(FrameKind::pong, std::move(payload));
        (void)ignored;  // a failed pong has already failed the connection
    }

    asio::awaitable<void> read_frames() {
        Bytes buffer;
        while (!failure_) {
            // The application is not taking frames: stop reading, so TCP pushes back on the sender.
            while (inbox_.size() >= options_.max_queued_frames && !failure_) {
                reading_paused_ = true;
                co_await wait_for_signal(space_signal_);
            }
            if (reading_paused_) {
                reading_paused_ = false;
                last_received_ = Clock::now();
            }
            if (failure_) break;
            const std::size_t wanted = decoder_.bytes_wanted();
            if (wanted == 0) break;
            buffer.resize(wanted);
            error_code ec;
            const std::size_t got = co_await asio::async_read(socket_, asio::buffer(buffer),
                                                              asio::redirect_error(asio::use_awaitable, ec));
            if (failure_) break;
            if (ec) {
                if (ec == asio::error::eof && got == 0 && decoder_.between_frames()) {
                    fail(make_error(Errc::net_closed, "connection: the peer closed the connection"));
                } else if (ec == asio::error::eof) {
                    fail(make_error(Errc::net_decrypt_failed, "connection: the stream ended inside a frame"));
                } else {
                    fail(make_error(Errc::net_closed, "connection: read failed: " + ec.message()));
                }
                break;
            }
            auto out = decoder_.consume(buffer);
            if (!out.ok()) {
                fail(std::move(out).error());
                break;
            }
            if (!*out) continue;
            last_received_ = Clock::now();
            Frame& frame = **out;
            switch (frame.kind) {
                case FrameKind::data:
                    inbox_.push_back(std::move(frame.payload));
                    inbox_signal_.cancel();
                    break;
                case FrameKind::ping:
                    // Answered beside the reader, so a slow write never stalls reading.
                    asio::co_spawn(strand_, pong(shared_from_this(), std::move(frame.payload)),
                                   asio::detached);
                    break;
                case FrameKind::pong:
                    break;
                case FrameKind::close:
                    fail(make_error(Errc::net_closed, "connection: the peer closed the connection"));
                    break;
            }
        }
    }

    asio::awaitable<void> ping() {
        std::uint64_t counter = 0;
        while (!failure_) {
            ping_timer_.expires_after(options_.ping_interval);
            error_code ec;
            co_await ping_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (failure_) break;
            Bytes payload(8);
            ++counter;
            for (std::size_t i = 0; i < 8; ++i)
                payload[i] = static_cast<std::uint8_t>(counter >> (56 - 8 * i));
            const Status sent = co_await send_frame(FrameKind::ping, std::move(payload));
            if (!sent.ok()) break;
        }
    }

    asio::awaitable<void> watch_idle() {
        while (!failure_) {
            idle_timer_.expires_at(last_received_ + options_.idle_timeout);
            error_code ec;
            co_await idle_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (failure_) break;
            // While we hold reading back, silence is ours, not the peer's.
            if (reading_paused_) {
                last_received_ = Clock::now();
                continue;
            }
            if (Clock::now() - last_received_ >= options_.idle_timeout) {
                fail(make_error(Errc::net_timeout,
                                "connection: no frame from the peer for " + millis(options_.idle_timeout)));
            }
        }
    }

    Strand strand_;
    tcp::socket socket_;
    Address peer_;
    FrameEncoder encoder_;
    FrameDecoder decoder_;
    ConnectionOptions options_;
    bool header_sent_ = false;
    std::deque<Bytes> inbox_;
    asio::steady_timer inbox_signal_;
    asio::steady_timer space_signal_;
    asio::steady_timer write_signal_;
    bool writing_ = false;
    asio::steady_timer idle_timer_;
    asio::steady_timer ping_timer_;
    Clock::time_point last_received_;
    bool reading_paused_ = false;
    std::optional<Error> failure_;
};

}  // namespace detail

Connection::Connection(std::shared_ptr<detail::ConnectionImpl> impl) noexcept : impl_(std::move(impl)) {}

Connection& Connection::operator=(Connection&& other) noexcept {
    if (this != &other) {
        Connection dropped(std::move(*this));
        impl_ = std::move(other.impl_);
    }
    return *this;
}

Connection::~Connection() {
    if (!impl_) return;
    asio::post(impl_->strand(),
               [impl = impl_] { impl->fail(make_error(Errc::net_closed, "connection: dropped")); });
}

const Address& Connection::peer() const noexcept {
    return impl_->peer();
}

Async<void> Connection::send(ByteView payload) {
    if (!impl_) co_return make_error(Errc::net_closed, "connection: moved from");
    auto impl = impl_;
    Bytes copy(payload.begin(), payload.end());
    co_return co_await run_on_strand(impl->strand(), impl->send_frame(FrameKind::data, std::move(copy)));
}

Async<Bytes> Connection::receive() {
    if (!impl_) co_return make_error(Errc::net_closed, "connection: moved from");
    auto impl = impl_;
    co_return co_await run_on_strand(impl->strand(), impl->receive());
}

Async<void> Connection::close() {
    if (!impl_) co_return Status{};
    auto impl = impl_;
    co_return co_await run_on_strand(impl->strand(), impl->close());
}

namespace {

// The socket and the handshake timer, shared by the driver and the timer's handler (both on the strand).
struct HandshakeIo {
    HandshakeIo(tcp::socket s, const Strand& strand) : socket(std::move(s)), timer(strand) {}
    tcp::socket socket;
    asio::steady_timer timer;
    bool timed_out = false;
    bool done = false;
};

Error io_error(const HandshakeIo& io, const ConnectionOptions& options, const char* what,
               const error_code& ec) {
    if (io.timed_out) {
        return make_error(Errc::net_timeout,
                          "handshake: not complete within " + millis(options.handshake_timeout));
    }
    return make_error(Errc::net_handshake_failed, std::string("handshake: ") + what + ": " + ec.message());
}

asio::awaitable<Status> write_all(HandshakeIo& io, const ConnectionOptions& options, const Bytes& bytes) {
    error_code ec;
    co_await asio::async_write(io.socket, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return io_error(io, options, "write failed", ec);
    co_return Status{};
}

Async<Connection> drive_handshake(Strand strand, std::shared_ptr<HandshakeIo> io, Handshake handshake,
                                  ConnectionOptions options, std::optional<tcp::endpoint> dial) {
    if (dial) {
        error_code ec;
        co_await io->socket.async_connect(*dial, asio::redirect_error(asio::use_awaitable, ec));
        if (ec) {
            if (io->timed_out) {
                co_return make_error(Errc::net_timeout,
                                     "connect: no connection within " + millis(options.handshake_timeout));
            }
            co_return make_error(Errc::net_connect_failed, "connect: " + ec.message());
        }
    }
    error_code ignored;
    io->socket.set_option(tcp::no_delay(true), ignored);

    const Bytes first = handshake.start();
    if (!first.empty()) SLUICE_CO_CHECK_OK(co_await write_all(*io, options, first));
    while (!handshake.established()) {
        const std::size_t wanted = handshake.bytes_wanted();
        if (wanted == 0) co_return make_error(Errc::internal, "handshake: stalled");
        Bytes in(wanted);
        error_code ec;
        const std::size_t got = co_await asio::async_read(io->socket, asio::buffer(in),
                                                          asio::redirect_error(asio::use_awaitable, ec));
        if (ec && !(ec == asio::error::eof && got > 0)) co_return io_error(*io, options, "read failed", ec);
        // A stream that ended early still goes to the state machine: a lone refusal byte means something.
        in.resize(got);
        auto reply = handshake.receive(in);
        if (!reply.ok()) {
            if (reply.error().code == Errc::net_wrong_identity &&
                handshake.role() == Handshake::Role::responder) {
                const Bytes refusal{kRefusal};
                const Status sent = co_await write_all(*io, options, refusal);
                (void)sent;  // the refusal is a courtesy; the error stands either way
            }
            co_return std::move(reply).error();
        }
        if (!reply->empty()) SLUICE_CO_CHECK_OK(co_await write_all(*io, options, *reply));
    }
    io->done = true;
    io->timer.cancel();
    SLUICE_CO_TRY(Session session, handshake.take_session());
    auto impl =
        std::make_shared<detail::ConnectionImpl>(strand, std::move(io->socket), std::move(session), options);
    impl->start();
    co_return Connection(std::move(impl));
}

Async<Connection> run_handshake(Strand strand, tcp::socket socket, Handshake handshake,
                                ConnectionOptions options, std::optional<tcp::endpoint> dial) {
    auto io = std::make_shared<HandshakeIo>(std::move(socket), strand);
    io->timer.expires_after(options.handshake_timeout);
    io->timer.async_wait([io](const error_code& ec) {
        if (ec || io->done) return;
        io->timed_out = true;
        error_code ignored;
        io->socket.close(ignored);
    });
    auto result = co_await drive_handshake(strand, io, std::move(handshake), options, dial);
    io->done = true;
    io->timer.cancel();
    if (!result.ok()) {
        error_code ignored;
        io->socket.close(ignored);
    }
    co_return result;
}

}  // namespace

Async<Connection> connect(const asio::any_io_executor& executor, const tcp::endpoint& endpoint,
                          const PrivateKey& identity, const Address& expected_peer,
                          const ConnectionOptions& options) {
    Strand strand = asio::make_strand(executor);
    tcp::socket socket(executor);
    Handshake handshake = Handshake::initiator(identity, expected_peer);
    co_return co_await run_on_strand(
        strand, run_handshake(strand, std::move(socket), std::move(handshake), options, endpoint));
}

Async<Connection> accept(tcp::socket socket, const PrivateKey& identity, const ConnectionOptions& options) {
    Strand strand = asio::make_strand(socket.get_executor());
    Handshake handshake = Handshake::responder(identity);
    co_return co_await run_on_strand(
        strand, run_handshake(strand, std::move(socket), std::move(handshake), options, std::nullopt));
}

}  // namespace sluice::sdk::net
