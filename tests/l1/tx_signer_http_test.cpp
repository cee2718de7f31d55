// TxSigner over HTTP against a real sluice-devchain process on 127.0.0.1 (started on a free port, stopped
// by its pid): concurrent submissions get consecutive nonces, a restarted signer continues from the node's
// nonce, and a node that went away is a typed transport error with the nonce kept.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <string>

#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/json_rpc_client.hpp"
#include "sluice/l1/tx_signer.hpp"

extern char** environ;

namespace sluice::l1 {
namespace {

namespace asio = boost::asio;
const Address kPayee = Address::from_hex("0x00000000000000000000000000000000000000b0").value();

// sluice-devchain --port 0, its "listening on 127.0.0.1:PORT" line read from a pipe.
class DevchainProcess {
  public:
    DevchainProcess() {
        int out[2];
        if (::pipe(out) != 0) return;
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        posix_spawn_file_actions_addclose(&actions, out[0]);
        std::string bin = SLUICE_DEVCHAIN_BIN;
        std::string port_flag = "--port", port_value = "0";
        char* argv[] = {bin.data(), port_flag.data(), port_value.data(), nullptr};
        if (posix_spawn(&pid_, bin.c_str(), &actions, nullptr, argv, environ) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&actions);
        ::close(out[1]);
        std::FILE* lines = ::fdopen(out[0], "r");
        char line[256];
        while (pid_ > 0 && lines && std::fgets(line, sizeof line, lines)) {
            unsigned port = 0;
            if (std::sscanf(line, "listening on 127.0.0.1:%u", &port) == 1) {
                url_ = "http://127.0.0.1:" + std::to_string(port) + "/";
                break;
            }
        }
        reader_ = lines;  // kept open: the server keeps writing to it
    }
    ~DevchainProcess() { stop(); }
    void stop() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
            pid_ = -1;
        }
        if (reader_) {
            std::fclose(reader_);
            reader_ = nullptr;
        }
    }
    const std::string& url() const { return url_; }

  private:
    pid_t pid_ = -1;
    std::string url_;
    std::FILE* reader_ = nullptr;
};

asio::awaitable<void> scenario(DevchainProcess& server, std::string& failure) {
    auto fail = [&](const std::string& what) { failure += what + "\n"; };
    auto executor = co_await asio::this_coro::executor;
    auto client = HttpL1Client::connect(executor, server.url()).value();
    MemorySignerJournal journal;
    auto signer = std::move(co_await TxSigner::start(*client, dev_account_key(3), journal)).value();

    std::vector<Hash> hashes;
    std::size_t done = 0;
    auto submitter = [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 5; ++i) {
            auto h = co_await signer->submit(TxRequest{kPayee, u256{1}, {}, std::nullopt});
            if (h.ok()) {
                hashes.push_back(*h);
            } else {
                fail(h.error().describe());
            }
        }
        ++done;
    };
    for (int w = 0; w < 4; ++w)
        asio::co_spawn(executor, submitter(), asio::detached);
    asio::steady_timer timer(executor);
    while (done < 4) {
        timer.expires_after(std::chrono::milliseconds(5));
        co_await timer.async_wait(asio::use_awaitable);
    }
    std::vector<bool> seen(20, false);
    for (const Hash& h : hashes) {
        auto receipt = co_await signer->wait(h);
        if (!receipt.ok() || !receipt->status) fail("not mined");
        auto info = co_await client->transaction(h);
        if (!info.ok() || !*info || (*info)->nonce >= 20 || seen[(*info)->nonce]) {
            fail("bad or repeated nonce");
        } else {
            seen[(*info)->nonce] = true;
        }
    }
    if (hashes.size() != 20 || std::count(seen.begin(), seen.end(), true) != 20) fail("nonces are not 0..19");

    // A second life of the signer: nothing lost, it continues at the node's nonce.
    auto again = std::move(co_await TxSigner::start(*client, dev_account_key(3), journal)).value();
    if (again->next_nonce() != 20 || !again->recovery().rebroadcast.empty() ||
        !again->recovery().bumped.empty())
        fail("restart did not continue at nonce 20");

    server.stop();
    auto refused = co_await again->submit(TxRequest{kPayee, u256{1}, {}, 21'000});
    if (refused.ok() || refused.error().code != Errc::l1_transport)
        fail("a stopped node is not a transport error: " +
             (refused.ok() ? std::string("ok") : refused.error().describe()));
    if (again->next_nonce() != 20) fail("the nonce moved although nothing was sent");
}

TEST(SignerOverHttp, ConcurrentSubmissionsRestartAndANodeThatWentAway) {
    DevchainProcess server;
    ASSERT_FALSE(server.url().empty()) << "sluice-devchain did not report its port";
    asio::io_context io;
    std::string failure;
    asio::co_spawn(io, scenario(server, failure), [&](std::exception_ptr e) {
        if (e) failure += "exception\n";
    });
    io.run();
    EXPECT_EQ(failure, "");
}

}  // namespace
}  // namespace sluice::l1
