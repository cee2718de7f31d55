// The L1 a client test talks to: a real node at $SLUICE_L1_URL over HTTP (sluice-devchain or hardhat, started
// by tests/l1/run_with_node.sh), or, without it, a devchain in this process behind InProcessL1Client. The
// same test body runs against all three, so every one of them checks the same JSON codec.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <memory>
#include <string>

#include "sluice/contracts/abi_errors.hpp"
#include "sluice/l1/dev_accounts.hpp"
#include "sluice/l1/devchain.hpp"
#include "sluice/l1/json_rpc_client.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"
#include "sluice/l1/signed_transaction.hpp"
#include "run_async.hpp"

namespace sluice::l1::testing {

struct L1Backend {
    boost::asio::io_context io;
    std::unique_ptr<Devchain> chain;            // in-process only
    std::unique_ptr<RpcDispatcher> dispatcher;  // in-process only
    std::unique_ptr<JsonRpcL1Client> client;
    std::string url;  // empty in-process

    bool over_http() const { return !url.empty(); }

    // Runs one coroutine to completion on `io` (the test's only thread).
    template <class T>
    T run(boost::asio::awaitable<T> work) {
        return run_on(io, std::move(work));
    }
};

inline std::unique_ptr<L1Backend> make_l1_backend() {
    auto backend = std::make_unique<L1Backend>();
    JsonRpcClientOptions options;
    for (const char* contract : {"Adjudicator", "TestToken"}) {
        for (auto& signature : contracts::error_signatures(contract))
            options.custom_errors.push_back(signature);
    }
    if (const char* url = std::getenv("SLUICE_L1_URL"); url && *url) {
        backend->url = url;
        auto client = HttpL1Client::connect(backend->io.get_executor(), backend->url, {}, options);
        if (!client.ok()) std::abort();  // the harness passes a well-formed URL
        backend->client = std::move(client).value();
        return backend;
    }
    backend->chain = std::make_unique<Devchain>(dev_accounts_config());
    backend->dispatcher = std::make_unique<RpcDispatcher>(*backend->chain);
    backend->client = std::make_unique<InProcessL1Client>(*backend->dispatcher, options);
    return backend;
}

}  // namespace sluice::l1::testing
