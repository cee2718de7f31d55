// JsonRpcL1Client: request framing and the typed methods; reply shapes are l1_reply_parse.cpp's, error
// wording node_error.cpp's.
#include "sluice/l1/json_rpc_client.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "l1_reply_parse.hpp"
#include "node_error.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::l1 {
namespace {

using Json = nlohmann::json;

Json call_object(const CallRequest& request) {
    Json out = Json::object();
    if (request.from) out["from"] = request.from->to_hex();
    if (request.to) out["to"] = request.to->to_hex();
    out["data"] = to_hex(request.data);
    if (!request.value.is_zero()) out["value"] = request.value.to_hex();
    if (request.gas) out["gas"] = u256{*request.gas}.to_hex();
    if (request.max_fee_per_gas) out["maxFeePerGas"] = request.max_fee_per_gas->to_hex();
    if (request.max_priority_fee_per_gas)
        out["maxPriorityFeePerGas"] = request.max_priority_fee_per_gas->to_hex();
    return out;
}

Error malformed(std::string_view method, const std::string& what) {
    return make_error(Errc::l1_malformed_reply, std::string(method) + ": " + what);
}

Result<Json> parse_body(const std::string& body, std::string_view method) {
    Json reply = Json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (reply.is_discarded()) return malformed(method, "the reply is not JSON");
    return reply;
}

// One response object's result, or its error as a typed Error.
Result<Json> result_of(const Json& response, std::string_view method,
                       std::span<const std::string> custom_errors) {
    if (!response.is_object()) return malformed(method, "the response is not an object");
    const auto version = response.find("jsonrpc");
    if (version == response.end() || *version != "2.0")
        return malformed(method, "the response is not JSON-RPC 2.0");
    if (const auto error = response.find("error"); error != response.end() && !error->is_null()) {
        return node_error(*error, method, custom_errors);
    }
    const auto result = response.find("result");
    if (result == response.end()) return malformed(method, "the response has neither result nor error");
    return *result;
}

template <class T, class Parse>
Result<T> typed(Result<Json> result, Parse parse) {
    if (!result.ok()) return std::move(result).error();
    return parse(*result);
}

}  // namespace

JsonRpcL1Client::JsonRpcL1Client(std::shared_ptr<RpcTransport> transport, JsonRpcClientOptions options)
    : transport_(std::move(transport)), options_(std::move(options)) {
    options_.max_batch = std::max<std::size_t>(1, options_.max_batch);
}

Async<Json> JsonRpcL1Client::response(const std::string& method, Json params) {
    const std::uint64_t id = next_id_.fetch_add(1, std::memory_order_relaxed);
    Json body = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
    SLUICE_CO_TRY(const std::string reply, co_await transport_->round_trip(body.dump()));
    SLUICE_CO_TRY(Json answer, parse_body(reply, method));
    if (answer.is_object() && answer.contains("id") && answer["id"] != id &&
        !(answer.contains("error") && answer["id"].is_null())) {
        co_return malformed(method, "the response answers another request id");
    }
    co_return answer;
}

Async<Json> JsonRpcL1Client::request(std::string method, Json params) {
    SLUICE_CO_TRY(const Json answer, co_await response(method, std::move(params)));
    co_return result_of(answer, method, options_.custom_errors);
}

Async<std::vector<Result<Json>>> JsonRpcL1Client::batch(std::vector<RpcCall> calls) {
    std::vector<Result<Json>> results;
    results.reserve(calls.size());
    for (std::size_t start = 0; start < calls.size(); start += options_.max_batch) {
        const std::size_t end = std::min(calls.size(), start + options_.max_batch);
        Json body = Json::array();
        std::map<std::uint64_t, std::size_t> slot_of_id;
        for (std::size_t i = start; i < end; ++i) {
            const std::uint64_t id = next_id_.fetch_add(1, std::memory_order_relaxed);
            slot_of_id.emplace(id, i - start);
            body.push_back(
                {{"jsonrpc", "2.0"}, {"id", id}, {"method", calls[i].method}, {"params", calls[i].params}});
        }
        SLUICE_CO_TRY(const std::string reply, co_await transport_->round_trip(body.dump()));
        SLUICE_CO_TRY(const Json responses, parse_body(reply, "batch"));
        if (!responses.is_array()) {
            // A node that refuses the whole batch answers one error object.
            if (responses.is_object() && responses.contains("error")) {
                co_return result_of(responses, "batch", options_.custom_errors).error();
            }
            co_return malformed("batch", "a batch reply must be an array");
        }
        std::vector<std::optional<Result<Json>>> chunk(end - start);
        for (const Json& response : responses) {
            const auto id = response.is_object() ? response.find("id") : response.end();
            if (!response.is_object() || id == response.end() || !id->is_number_unsigned()) continue;
            const auto slot = slot_of_id.find(id->get<std::uint64_t>());
            if (slot == slot_of_id.end() || chunk[slot->second]) continue;
            chunk[slot->second] =
                result_of(response, calls[start + slot->second].method, options_.custom_errors);
        }
        for (std::size_t i = 0; i < chunk.size(); ++i) {
            results.push_back(chunk[i] ? std::move(*chunk[i])
                                       : Result<Json>(malformed(calls[start + i].method,
                                                                "no response in the batch reply")));
        }
    }
    co_return results;
}

Async<u256> JsonRpcL1Client::chain_id() {
    Json params = Json::array();
    auto answer = co_await request("eth_chainId", std::move(params));
    co_return typed<u256>(std::move(answer), [](const Json& r) { return reply::quantity(r, "eth_chainId"); });
}

Async<std::int64_t> JsonRpcL1Client::block_number() {
    Json params = Json::array();
    auto answer = co_await request("eth_blockNumber", std::move(params));
    co_return typed<std::int64_t>(std::move(answer),
                                  [](const Json& r) { return reply::block_number(r, "eth_blockNumber"); });
}

namespace {
Result<std::optional<BlockSummary>> optional_block(const Json& r) {
    if (r.is_null()) return std::optional<BlockSummary>{};
    SLUICE_TRY(BlockSummary b, reply::block(r));
    return std::optional<BlockSummary>{std::move(b)};
}
}  // namespace

Async<std::optional<BlockSummary>> JsonRpcL1Client::block(BlockTag tag) {
    Json params = Json::array({tag.to_param(), false});
    auto answer = co_await request("eth_getBlockByNumber", std::move(params));
    co_return typed<std::optional<BlockSummary>>(std::move(answer), optional_block);
}

Async<std::optional<BlockSummary>> JsonRpcL1Client::block_by_hash(const Hash& hash) {
    Json params = Json::array({to_hex(hash.view()), false});
    auto answer = co_await request("eth_getBlockByHash", std::move(params));
    co_return typed<std::optional<BlockSummary>>(std::move(answer), optional_block);
}

Async<u256> JsonRpcL1Client::balance(const Address& account, BlockTag tag) {
    Json params = Json::array({account.to_hex(), tag.to_param()});
    auto answer = co_await request("eth_getBalance", std::move(params));
    co_return typed<u256>(std::move(answer),
                          [](const Json& r) { return reply::quantity(r, "eth_getBalance"); });
}

Async<std::uint64_t> JsonRpcL1Client::nonce(const Address& account, BlockTag tag) {
    Json params = Json::array({account.to_hex(), tag.to_param()});
    auto answer = co_await request("eth_getTransactionCount", std::move(params));
    co_return typed<std::uint64_t>(
        std::move(answer), [](const Json& r) { return reply::quantity64(r, "eth_getTransactionCount"); });
}

Async<Bytes> JsonRpcL1Client::code(const Address& account, BlockTag tag) {
    Json params = Json::array({account.to_hex(), tag.to_param()});
    auto answer = co_await request("eth_getCode", std::move(params));
    co_return typed<Bytes>(std::move(answer), [](const Json& r) { return reply::data(r, "eth_getCode"); });
}

Async<u256> JsonRpcL1Client::storage(const Address& account, const Bytes32& slot, BlockTag tag) {
    Json params = Json::array({account.to_hex(), to_hex(slot.view()), tag.to_param()});
    auto answer = co_await request("eth_getStorageAt", std::move(params));
    co_return typed<u256>(std::move(answer), [](const Json& r) -> Result<u256> {
        // A 32-byte word as DATA; some nodes shorten it to a quantity.
        SLUICE_TRY(const Bytes word, reply::data(r, "eth_getStorageAt"));
        if (word.size() > 32)
            return make_error(Errc::l1_malformed_reply, "eth_getStorageAt: more than 32 bytes");
        return u256::from_be(word);
    });
}

Async<AccountProof> JsonRpcL1Client::proof(const Address& account, std::span<const Bytes32> slots,
                                           BlockTag tag) {
    Json keys = Json::array();
    for (const Bytes32& slot : slots)
        keys.push_back(to_hex(slot.view()));
    Json params = Json::array({account.to_hex(), std::move(keys), tag.to_param()});
    auto answer = co_await request("eth_getProof", std::move(params));
    co_return typed<AccountProof>(std::move(answer), reply::account_proof);
}

Async<CallOutcome> JsonRpcL1Client::call(const CallRequest& call_request, BlockTag tag) {
    Json params = Json::array({call_object(call_request), tag.to_param()});
    SLUICE_CO_TRY(const Json answer, co_await response("eth_call", std::move(params)));
    // A revert is an outcome here: the caller wants its data, not only its description.
    if (answer.is_object()) {
        const auto error = answer.find("error");
        if (error != answer.end() && is_revert(*error)) {
            co_return CallOutcome{true, revert_data_of(*error).value_or(Bytes{})};
        }
    }
    SLUICE_CO_TRY(const Json result, result_of(answer, "eth_call", options_.custom_errors));
    SLUICE_CO_TRY(Bytes data, reply::data(result, "eth_call"));
    co_return CallOutcome{false, std::move(data)};
}

Async<std::uint64_t> JsonRpcL1Client::estimate_gas(const CallRequest& call_request, BlockTag tag) {
    Json params = Json::array({call_object(call_request), tag.to_param()});
    auto answer = co_await request("eth_estimateGas", std::move(params));
    co_return typed<std::uint64_t>(std::move(answer),
                                   [](const Json& r) { return reply::quantity64(r, "eth_estimateGas"); });
}

Async<u256> JsonRpcL1Client::gas_price() {
    Json params = Json::array();
    auto answer = co_await request("eth_gasPrice", std::move(params));
    co_return typed<u256>(std::move(answer),
                          [](const Json& r) { return reply::quantity(r, "eth_gasPrice"); });
}

Async<u256> JsonRpcL1Client::max_priority_fee_per_gas() {
    Json params = Json::array();
    auto answer = co_await request("eth_maxPriorityFeePerGas", std::move(params));
    co_return typed<u256>(std::move(answer),
                          [](const Json& r) { return reply::quantity(r, "eth_maxPriorityFeePerGas"); });
}

Async<FeeHistory> JsonRpcL1Client::fee_history(std::uint64_t block_count, BlockTag newest,
                                               std::span<const double> reward_percentiles) {
    Json percentiles = Json::array();
    for (double p : reward_percentiles)
        percentiles.push_back(p);
    Json params = Json::array({u256{block_count}.to_hex(), newest.to_param(), std::move(percentiles)});
    auto answer = co_await request("eth_feeHistory", std::move(params));
    co_return typed<FeeHistory>(std::move(answer), reply::fee_history);
}

Async<Hash> JsonRpcL1Client::send_raw_transaction(ByteView raw) {
    Json params = Json::array({to_hex(raw)});
    auto answer = co_await request("eth_sendRawTransaction", std::move(params));
    // hardhat in automine mode mines a transaction that reverts and then answers the send with the revert:
    // the transaction is on chain all the same, under its own hash.
    if (!answer.ok() && answer.error().code == Errc::l1_reverted) co_return keccak256(raw);
    co_return typed<Hash>(std::move(answer),
                          [](const Json& r) { return reply::hash(r, "eth_sendRawTransaction"); });
}

Async<std::optional<TransactionInfo>> JsonRpcL1Client::transaction(const Hash& hash) {
    Json params = Json::array({to_hex(hash.view())});
    auto answer = co_await request("eth_getTransactionByHash", std::move(params));
    co_return typed<std::optional<TransactionInfo>>(
        std::move(answer), [](const Json& r) -> Result<std::optional<TransactionInfo>> {
            if (r.is_null()) return std::optional<TransactionInfo>{};
            SLUICE_TRY(TransactionInfo t, reply::transaction(r));
            return std::optional<TransactionInfo>{std::move(t)};
        });
}

Async<std::optional<TxReceipt>> JsonRpcL1Client::receipt(const Hash& hash) {
    Json params = Json::array({to_hex(hash.view())});
    auto answer = co_await request("eth_getTransactionReceipt", std::move(params));
    co_return typed<std::optional<TxReceipt>>(std::move(answer),
                                              [](const Json& r) -> Result<std::optional<TxReceipt>> {
                                                  if (r.is_null()) return std::optional<TxReceipt>{};
                                                  SLUICE_TRY(TxReceipt t, reply::receipt(r));
                                                  return std::optional<TxReceipt>{std::move(t)};
                                              });
}

Async<std::vector<LogRecord>> JsonRpcL1Client::logs(const LogQuery& query) {
    Json filter = Json::object();
    if (query.block_hash) {
        filter["blockHash"] = to_hex(query.block_hash->view());
    } else {
        filter["fromBlock"] = query.from_block.to_param();
        filter["toBlock"] = query.to_block.to_param();
    }
    if (!query.addresses.empty()) {
        Json addresses = Json::array();
        for (const Address& a : query.addresses)
            addresses.push_back(a.to_hex());
        filter["address"] = std::move(addresses);
    }
    if (!query.topics.empty()) {
        Json topics = Json::array();
        for (const auto& position : query.topics) {
            if (position.empty()) {
                topics.push_back(nullptr);
                continue;
            }
            Json any = Json::array();
            for (const Bytes32& t : position)
                any.push_back(to_hex(t.view()));
            topics.push_back(std::move(any));
        }
        filter["topics"] = std::move(topics);
    }
    Json params = Json::array({std::move(filter)});
    auto answer = co_await request("eth_getLogs", std::move(params));
    co_return typed<std::vector<LogRecord>>(
        std::move(answer), [](const Json& r) -> Result<std::vector<LogRecord>> {
            if (!r.is_array()) return make_error(Errc::l1_malformed_reply, "eth_getLogs: expected an array");
            std::vector<LogRecord> out;
            out.reserve(r.size());
            for (std::size_t i = 0; i < r.size(); ++i) {
                SLUICE_TRY(LogRecord entry, reply::log(r[i], "eth_getLogs[" + std::to_string(i) + "]"));
                out.push_back(std::move(entry));
            }
            return out;
        });
}

// ---- the two clients users build ----

Result<std::unique_ptr<HttpL1Client>> HttpL1Client::connect(boost::asio::any_io_executor executor,
                                                            std::string_view url,
                                                            HttpTransportOptions transport,
                                                            JsonRpcClientOptions options) {
    SLUICE_TRY(auto http, HttpTransport::create(std::move(executor), url, transport));
    return std::unique_ptr<HttpL1Client>(new HttpL1Client(std::move(http), std::move(options)));
}

HttpL1Client::HttpL1Client(std::shared_ptr<HttpTransport> http, JsonRpcClientOptions options)
    : JsonRpcL1Client(http, std::move(options)), http_(std::move(http)) {}

InProcessL1Client::InProcessL1Client(RpcDispatcher& dispatcher, JsonRpcClientOptions options)
    : InProcessL1Client(std::make_shared<InProcessTransport>(dispatcher), std::move(options)) {}

InProcessL1Client::InProcessL1Client(std::shared_ptr<InProcessTransport> transport,
                                     JsonRpcClientOptions options)
    : JsonRpcL1Client(transport, std::move(options)), in_process_(std::move(transport)) {}

}  // namespace sluice::l1
