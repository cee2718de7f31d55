// HubConnection: one keep-alive HTTP/1.1 connection to a sluiced admin RPC, with the cookie's
// Authorization header. One request in flight at a time: the server runs a connection's requests one after
// another (and a JSON-RPC batch's items too), so concurrency comes from many connections on one io_context.
#pragma once

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace sluice::bench {

class HubConnection {
  public:
    using tcp = boost::asio::ip::tcp;

    HubConnection(boost::asio::any_io_executor executor, tcp::endpoint endpoint, std::string authorization)
        : stream_(std::move(executor)), endpoint_(endpoint), authorization_(std::move(authorization)) {}

    // Throws boost::system::system_error on transport errors (the run stops at the first).
    boost::asio::awaitable<void> connect();
    // One JSON-RPC call: its result; throws std::runtime_error with the error object for an error reply.
    boost::asio::awaitable<nlohmann::json> call(std::string method, nlohmann::json params);
    // A batch of calls of one method: the results in order (an error item throws as above).
    boost::asio::awaitable<nlohmann::json> batch(std::string method, nlohmann::json params_list);
    // GET /metrics: the Prometheus text.
    boost::asio::awaitable<std::string> metrics();

  private:
    boost::asio::awaitable<std::string> send(boost::beast::http::verb verb, std::string target,
                                             std::string body);
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    tcp::endpoint endpoint_;
    std::string authorization_;
    std::uint64_t next_id_ = 0;
};

}  // namespace sluice::bench
