#include "demo_l1.hpp"

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "sluice/core/hex.hpp"

namespace sluice::demo {

l1::Async<bool> DemoL1::add_parties(const std::vector<PrivateKey>& keys) {
    l1::SignerOptions options;
    options.poll_interval = std::chrono::milliseconds{20};
    for (const PrivateKey& key : keys) {
        journals_.push_back(std::make_unique<l1::MemorySignerJournal>());
        SLUICE_CO_TRY(auto signer, co_await l1::TxSigner::start(client_, key, *journals_.back(), options));
        signers_.push_back(std::move(signer));
        gas_paid_.emplace_back();
    }
    co_return true;
}

l1::Async<l1::TxReceipt> DemoL1::send(std::size_t party, std::optional<Address> to, const u256& value, Bytes data) {
    l1::TxRequest request;
    request.to = to;
    request.value = value;
    request.data = std::move(data);
    SLUICE_CO_TRY(const Hash hash, co_await signers_.at(party)->submit(std::move(request)));
    SLUICE_CO_TRY(l1::TxReceipt receipt, co_await signers_[party]->wait(hash));
    gas_paid_[party] += u256{static_cast<std::uint64_t>(receipt.gas_used)} * receipt.effective_gas_price;
    if (!receipt.status) {
        co_return make_error(Errc::l1_reverted, "transaction " + to_hex(hash.view()) + " reverted when mined");
    }
    co_return receipt;
}

l1::Async<Bytes> DemoL1::view(const Address& to, Bytes data) {
    l1::CallRequest call;
    call.to = to;
    call.data = std::move(data);
    SLUICE_CO_TRY(const l1::CallOutcome outcome, co_await client_.call(call, l1::BlockTag::latest()));
    if (outcome.reverted) co_return make_error(Errc::l1_reverted, "view reverted");
    co_return outcome.data;
}

l1::Async<u256> DemoL1::balance(const Address& account) {
    co_return co_await client_.balance(account, l1::BlockTag::latest());
}

l1::Async<std::uint64_t> DemoL1::now() {
    SLUICE_CO_TRY(const auto block, co_await client_.block(l1::BlockTag::latest()));
    if (!block) co_return make_error(Errc::l1_malformed_reply, "no latest block");
    co_return static_cast<std::uint64_t>(block->timestamp);
}

l1::Async<bool> DemoL1::advance_time(std::uint64_t seconds) {
    nlohmann::json increase = nlohmann::json::array();
    increase.push_back(seconds);
    SLUICE_CO_TRY(const auto moved, co_await client_.request("evm_increaseTime", std::move(increase)));
    (void)moved;
    SLUICE_CO_TRY(const auto mined, co_await client_.request("evm_mine", nlohmann::json::array()));
    (void)mined;
    co_return true;
}

}  // namespace sluice::demo
