// Fuzzes the L1 client's reply decoding: a transport answers every request with the fuzz input, either as the
// whole reply body or as the "result" (or "error") of a well-framed response, and the first byte picks which
// L1Client method reads it. Every input is a value or a typed error, never a crash.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "sluice/l1/json_rpc_client.hpp"
#include "sluice/l1/log_cursor.hpp"

namespace {

using namespace sluice;
using namespace sluice::l1;

class EchoTransport final : public RpcTransport {
  public:
    std::string input;
    std::uint8_t mode = 0;
    Async<std::string> round_trip(std::string body) override {
        if (mode % 3 == 0) co_return input;
        const auto request = nlohmann::json::parse(body, nullptr, false);
        const auto parsed = nlohmann::json::parse(input, nullptr, false);
        nlohmann::json id = request.is_object() ? request.value("id", nlohmann::json()) : nlohmann::json();
        if (request.is_array() && !request.empty()) id = request[0].value("id", nlohmann::json());
        const char* field = mode % 3 == 1 ? "result" : "error";
        nlohmann::json reply = {
            {"jsonrpc", "2.0"}, {"id", id}, {field, parsed.is_discarded() ? nlohmann::json(input) : parsed}};
        if (request.is_array()) reply = nlohmann::json::array({reply});
        co_return reply.dump();
    }
};

template <class T>
void drain(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
    // Result<T> has no default state, which co_spawn needs for a value it hands back: drop it in a wrapper.
    boost::asio::co_spawn(
        io,
        [](boost::asio::awaitable<T> w) -> boost::asio::awaitable<void> {
            (void)co_await std::move(w);
        }(std::move(work)),
        boost::asio::detached);
    io.restart();
    io.run();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2) return 0;
    auto transport = std::make_shared<EchoTransport>();
    transport->mode = data[1];
    transport->input.assign(reinterpret_cast<const char*>(data + 2), size - 2);
    JsonRpcL1Client client(transport, {{"StaleVersion()", "ChallengeTooLong(uint256)"}, 100});
    boost::asio::io_context io;
    const Address a{};
    const Bytes32 slot{};
    const std::vector<Bytes32> slots{slot};
    const std::vector<double> percentiles{50.0};
    switch (data[0] % 18) {
        case 0:
            drain(io, client.chain_id());
            break;
        case 1:
            drain(io, client.block_number());
            break;
        case 2:
            drain(io, client.block(BlockTag::latest()));
            break;
        case 3:
            drain(io, client.block_by_hash(Hash{}));
            break;
        case 4:
            drain(io, client.balance(a, BlockTag::latest()));
            break;
        case 5:
            drain(io, client.nonce(a, BlockTag::pending()));
            break;
        case 6:
            drain(io, client.code(a, BlockTag::latest()));
            break;
        case 7:
            drain(io, client.storage(a, slot, BlockTag::latest()));
            break;
        case 8:
            drain(io, client.proof(a, slots, BlockTag::latest()));
            break;
        case 9:
            drain(io, client.call(CallRequest{}, BlockTag::latest()));
            break;
        case 10:
            drain(io, client.estimate_gas(CallRequest{}, BlockTag::latest()));
            break;
        case 11:
            drain(io, client.fee_history(4, BlockTag::latest(), percentiles));
            break;
        case 12:
            drain(io, client.send_raw_transaction(Bytes{0x01}));
            break;
        case 13:
            drain(io, client.transaction(Hash{}));
            break;
        case 14:
            drain(io, client.receipt(Hash{}));
            break;
        case 15:
            drain(io, client.logs(LogQuery{}));
            break;
        case 16:
            drain(io, client.batch({{"eth_chainId", nlohmann::json::array()},
                                    {"eth_blockNumber", nlohmann::json::array()}}));
            break;
        default: {
            (void)LogCursorPosition::from_text(transport->input);
            break;
        }
    }
    return 0;
}
