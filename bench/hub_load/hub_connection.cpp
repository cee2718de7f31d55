#include "hub_connection.hpp"

#include <stdexcept>

namespace sluice::bench {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using nlohmann::json;

asio::awaitable<void> HubConnection::connect() {
    co_await stream_.async_connect(endpoint_, asio::use_awaitable);
    // The request body would otherwise wait for the delayed ACK of its header.
    stream_.socket().set_option(tcp::no_delay(true));
}

asio::awaitable<std::string> HubConnection::send(http::verb verb, std::string target, std::string body) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::authorization, authorization_);
    if (verb == http::verb::post) req.set(http::field::content_type, "application/json");
    req.keep_alive(true);
    req.body() = std::move(body);
    req.prepare_payload();
    co_await http::async_write(stream_, req, asio::use_awaitable);
    http::response<http::string_body> res;
    co_await http::async_read(stream_, buffer_, res, asio::use_awaitable);
    if (res.result() != http::status::ok)
        throw std::runtime_error("HTTP " + std::to_string(res.result_int()) + ": " + res.body());
    co_return std::move(res.body());
}

namespace {

json result_of(const json& reply) {
    if (!reply.is_object() || reply.contains("error"))
        throw std::runtime_error("RPC error: " + reply.dump().substr(0, 400));
    return reply.at("result");
}

}  // namespace

asio::awaitable<json> HubConnection::call(std::string method, json params) {
    const json request{{"jsonrpc", "2.0"}, {"id", next_id_++}, {"method", method}, {"params", params}};
    // Named locals before each co_await: g++ 12 miscompiles temporaries inside one (architecture.md §6).
    auto task = send(http::verb::post, std::string("/"), request.dump());
    const std::string body = co_await std::move(task);
    co_return result_of(json::parse(body));
}

asio::awaitable<json> HubConnection::batch(std::string method, json params_list) {
    json requests = json::array();
    for (auto& params : params_list)
        requests.push_back({{"jsonrpc", "2.0"}, {"id", next_id_++}, {"method", method}, {"params", params}});
    auto task = send(http::verb::post, std::string("/"), requests.dump());
    const std::string body = co_await std::move(task);
    const json replies = json::parse(body);
    json results = json::array();
    for (const auto& reply : replies)
        results.push_back(result_of(reply));
    co_return results;
}

asio::awaitable<std::string> HubConnection::metrics() {
    auto task = send(http::verb::get, std::string("/metrics"), std::string());
    std::string text = co_await std::move(task);
    co_return text;
}

}  // namespace sluice::bench
