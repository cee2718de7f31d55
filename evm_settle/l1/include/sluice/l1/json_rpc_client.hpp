// JsonRpcL1Client: L1Client spoken as Ethereum JSON-RPC 2.0 over any RpcTransport, and the two clients
// users build: HttpL1Client (a real node or sluice-devchain over HTTP) and InProcessL1Client (a Devchain in
// this process, through its dispatcher, no sockets). Both share every line of request building and reply
// parsing, so a test suite run against one checks the other's codec too.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/l1/http_transport.hpp"
#include "sluice/l1/in_process_transport.hpp"
#include "sluice/l1/l1_client.hpp"
#include "sluice/l1/rpc_dispatcher.hpp"
#include "sluice/l1/rpc_transport.hpp"

namespace sluice::l1 {

struct RpcCall {
    std::string method;
    nlohmann::json params = nlohmann::json::array();
};

struct JsonRpcClientOptions {
    // Error signatures ("ChallengeTooLong()", ...) the revert decoder names (revert_reason.hpp); the
    // adjudicator's come from sluice_contracts.
    std::vector<std::string> custom_errors;
    std::size_t max_batch = 100;  // larger batches are split: nodes cap them (geth 1000, ethers sends 100)
};

class JsonRpcL1Client : public L1Client {
  public:
    explicit JsonRpcL1Client(std::shared_ptr<RpcTransport> transport, JsonRpcClientOptions options = {});

    // One method, its result as JSON (the L1Client methods are typed wrappers of this).
    Async<nlohmann::json> request(std::string method, nlohmann::json params);
    // Many methods in as few round trips as max_batch allows; one Result per call, in order. Only a
    // transport failure (or a reply that is not a batch reply) fails the whole batch.
    Async<std::vector<Result<nlohmann::json>>> batch(std::vector<RpcCall> calls);

    Async<u256> chain_id() override;
    Async<std::int64_t> block_number() override;
    Async<std::optional<BlockSummary>> block(BlockTag tag) override;
    Async<std::optional<BlockSummary>> block_by_hash(const Hash& hash) override;
    Async<u256> balance(const Address& account, BlockTag tag) override;
    Async<std::uint64_t> nonce(const Address& account, BlockTag tag) override;
    Async<Bytes> code(const Address& account, BlockTag tag) override;
    Async<u256> storage(const Address& account, const Bytes32& slot, BlockTag tag) override;
    Async<AccountProof> proof(const Address& account, std::span<const Bytes32> slots, BlockTag tag) override;
    Async<CallOutcome> call(const CallRequest& request, BlockTag tag) override;
    Async<std::uint64_t> estimate_gas(const CallRequest& request, BlockTag tag) override;
    Async<u256> gas_price() override;
    Async<u256> max_priority_fee_per_gas() override;
    Async<FeeHistory> fee_history(std::uint64_t block_count, BlockTag newest,
                                  std::span<const double> reward_percentiles) override;
    Async<Hash> send_raw_transaction(ByteView raw) override;
    Async<std::optional<TransactionInfo>> transaction(const Hash& hash) override;
    Async<std::optional<TxReceipt>> receipt(const Hash& hash) override;
    Async<std::vector<LogRecord>> logs(const LogQuery& query) override;

    const JsonRpcClientOptions& options() const noexcept { return options_; }

  private:
    // One request's response object, its id checked; its error (if any) is left for the caller to read.
    Async<nlohmann::json> response(const std::string& method, nlohmann::json params);

    std::shared_ptr<RpcTransport> transport_;
    JsonRpcClientOptions options_;
    std::atomic<std::uint64_t> next_id_{1};
};

class HttpL1Client final : public JsonRpcL1Client {
  public:
    // l1_bad_url when `url` does not parse.
    static Result<std::unique_ptr<HttpL1Client>> connect(boost::asio::any_io_executor executor,
                                                         std::string_view url,
                                                         HttpTransportOptions transport = {},
                                                         JsonRpcClientOptions options = {});
    HttpTransport& transport() noexcept { return *http_; }

  private:
    HttpL1Client(std::shared_ptr<HttpTransport> http, JsonRpcClientOptions options);
    std::shared_ptr<HttpTransport> http_;
};

class InProcessL1Client final : public JsonRpcL1Client {
  public:
    explicit InProcessL1Client(RpcDispatcher& dispatcher, JsonRpcClientOptions options = {});
    // For code that drives the devchain directly between calls (mining, time): hold this lock.
    std::mutex& chain_mutex() noexcept { return in_process_->mutex(); }

  private:
    InProcessL1Client(std::shared_ptr<InProcessTransport> transport, JsonRpcClientOptions options);
    std::shared_ptr<InProcessTransport> in_process_;
};

}  // namespace sluice::l1
