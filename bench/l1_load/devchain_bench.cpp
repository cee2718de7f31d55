// devchain_bench: the load generator of ./dev.sh bench-l1, the same for hardhat node and sluice-devchain.
// It runs many keep-alive connections on one thread (asio coroutines), so that the client is not what limits
// the figures; `--method chain-id` measures the client against the cheapest method to show its ceiling.
//
//   devchain_bench --url http://127.0.0.1:P --method chain-id --requests N [--connections C]
//   devchain_bench --url ... --method call --to 0x.. --data 0x.. --requests N [--connections C]
//   devchain_bench --url ... --method send --raw FILE
// FILE holds pre-signed raw transactions, one "LANE 0xRAW" a line; each lane (one sender, its nonces in
// order) is sent on its own connection, all lanes at once, each transaction after the previous one was
// accepted. The clock stops when every receipt is in (polled, so interval mining counts the wait for its
// blocks). Prints one JSON object: {"method", "count", "seconds", "per_s", "failed"}; exits 1 when any
// request failed, a transaction was refused or a receipt's status is not 1 (a figure over failures would mean
// nothing).
#include <boost/asio.hpp>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "rpc_connection.hpp"

namespace {

namespace asio = boost::asio;
namespace po = boost::program_options;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using sluice::bench::RpcConnection;

struct Outcome {
    std::size_t count = 0;
    std::size_t failed = 0;
    std::string first_failure;
    void fail(const std::string& why) {
        if (failed++ == 0) first_failure = why;
    }
};

std::string request(const std::string& method, const nlohmann::json& params, std::uint64_t id) {
    return nlohmann::json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}}.dump();
}

// The reply's result, or null with the failure recorded.
nlohmann::json result_of(const std::string& body, Outcome& out) {
    auto reply = nlohmann::json::parse(body, nullptr, false);
    if (reply.is_discarded() || !reply.is_object()) {
        out.fail("not a JSON-RPC reply: " + body.substr(0, 200));
        return nullptr;
    }
    if (reply.contains("error")) {
        out.fail(reply["error"].dump());
        return nullptr;
    }
    return reply.value("result", nlohmann::json());
}

void count_result(const nlohmann::json& result, Outcome& out) {
    if (!result.is_string()) out.fail("no result: " + result.dump());
    ++out.count;
}

// `requests` copies of one request body spread over the connections.
asio::awaitable<void> repeat(tcp::endpoint endpoint, std::string body, std::size_t requests, Outcome& out) {
    RpcConnection conn(co_await asio::this_coro::executor);
    co_await conn.connect(endpoint);
    for (std::size_t i = 0; i < requests; ++i) {
        const nlohmann::json r = result_of(co_await conn.post(body), out);
        count_result(r, out);
    }
}

// Kept out of the coroutine below: GCC 12 miscompiles string literals inside a coroutine's co_await
// expressions ("array used as initializer").
std::string send_body(const std::string& raw, std::uint64_t id) {
    return request("eth_sendRawTransaction", {raw}, id);
}
std::string receipt_body(const std::string& hash, std::uint64_t id) {
    return request("eth_getTransactionReceipt", {hash}, id);
}
void check_receipt(const nlohmann::json& receipt, const std::string& hash, Outcome& out) {
    if (receipt.value("status", std::string()) != "0x1")
        out.fail("receipt of " + hash + ": " + receipt.dump());
    ++out.count;
}

// One sender's transactions in nonce order, then its receipts.
asio::awaitable<void> lane(tcp::endpoint endpoint, std::vector<std::string> raws, Outcome& out) {
    RpcConnection conn(co_await asio::this_coro::executor);
    co_await conn.connect(endpoint);
    std::vector<std::string> hashes;
    std::uint64_t id = 0;
    for (const auto& raw : raws) {
        const nlohmann::json r = result_of(co_await conn.post(send_body(raw, ++id)), out);
        if (r.is_string()) hashes.push_back(r.get<std::string>());
    }
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (const auto& hash : hashes) {
        for (;;) {
            const nlohmann::json r = result_of(co_await conn.post(receipt_body(hash, ++id)), out);
            if (r.is_object()) {
                check_receipt(r, hash, out);
                break;
            }
            if (!r.is_null() || out.failed > 0) break;
            timer.expires_after(std::chrono::milliseconds(2));  // not mined yet (interval mining)
            co_await timer.async_wait(asio::use_awaitable);
        }
    }
}

std::map<std::string, std::vector<std::string>> read_lanes(const std::string& path) {
    std::map<std::string, std::vector<std::string>> lanes;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string lane_name, raw;
        if (fields >> lane_name >> raw) lanes[lane_name].push_back(raw);
    }
    return lanes;
}

}  // namespace

int main(int argc, char** argv) {
    std::string url, method, to, data, raw_file;
    std::size_t requests = 0, connections = 0;
    po::options_description desc("usage: devchain_bench --url http://127.0.0.1:PORT --method M [options]");
    desc.add_options()("help", "print this help")(
        "url", po::value(&url)->required(), "http://127.0.0.1:PORT")("method", po::value(&method)->required(),
                                                                     "chain-id, call or send")(
        "requests", po::value(&requests)->default_value(20000), "requests in all (chain-id, call)")(
        "connections", po::value(&connections)->default_value(8), "concurrent connections (chain-id, call)")(
        "to", po::value(&to), "eth_call target")("data", po::value(&data), "eth_call data")(
        "raw", po::value(&raw_file), "file of 'LANE 0xRAW' lines (send)");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        if (vm.count("help")) {
            std::cout << desc << "\n";
            return 0;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "devchain_bench: " << e.what() << "\n" << desc << "\n";
        return 2;
    }
    const std::string prefix = "http://";
    const auto colon = url.rfind(':');
    if (url.rfind(prefix, 0) != 0 || colon == std::string::npos || colon < prefix.size()) {
        std::cerr << "devchain_bench: --url must be http://HOST:PORT\n";
        return 2;
    }
    boost::system::error_code address_error;
    const auto address =
        asio::ip::make_address(url.substr(prefix.size(), colon - prefix.size()), address_error);
    if (address_error || !address.is_loopback()) {
        std::cerr << "devchain_bench: only loopback addresses (127.0.0.1, ::1)\n";
        return 2;
    }
    const tcp::endpoint endpoint(address, static_cast<unsigned short>(std::stoul(url.substr(colon + 1))));

    asio::io_context io;
    Outcome out;
    std::exception_ptr failure;
    auto on_done = [&](std::exception_ptr e) {
        if (e && !failure) failure = e;
    };
    if (method == "chain-id" || method == "call") {
        if (connections == 0) connections = 1;
        const std::string body = method == "chain-id"
                                     ? request("eth_chainId", nlohmann::json::array(), 1)
                                     : request("eth_call", {{{"to", to}, {"data", data}}, "latest"}, 1);
        for (std::size_t c = 0; c < connections; ++c) {
            const std::size_t share = requests / connections + (c < requests % connections ? 1 : 0);
            asio::co_spawn(io, repeat(endpoint, body, share, out), on_done);
        }
    } else if (method == "send") {
        auto lanes = read_lanes(raw_file);
        if (lanes.empty()) {
            std::cerr << "devchain_bench: no transactions in " << raw_file << "\n";
            return 2;
        }
        for (auto& [name, raws] : lanes)
            asio::co_spawn(io, lane(endpoint, std::move(raws), out), on_done);
    } else {
        std::cerr << "devchain_bench: --method is chain-id, call or send\n";
        return 2;
    }
    const auto start = Clock::now();
    io.run();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const std::exception& e) {
            out.fail(std::string("transport: ") + e.what());
        }
    }
    const nlohmann::json report{{"method", method},
                                {"count", out.count},
                                {"seconds", seconds},
                                {"per_s", seconds > 0 ? static_cast<double>(out.count) / seconds : 0.0},
                                {"failed", out.failed}};
    std::cout << report.dump() << std::endl;
    if (out.failed > 0) {
        std::cerr << "devchain_bench: " << out.failed << " failed; the first: " << out.first_failure << "\n";
        return 1;
    }
    return 0;
}
