// ChannelFunding (funding.hpp): deposits in participant order and the confirmed holdings of one channel.
#include "sluice/sdk/funding.hpp"

#include <string>
#include <utility>
#include <variant>

#include "l1_send.hpp"
#include "sluice/channel/adjudicator_abi.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/abi_value.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::sdk {

namespace adj = channel::adjudicator;

namespace {

Error bad_request(std::string message) {
    return make_error(Errc::funding_bad_request, std::move(message));
}

// ERC-20 approve(spender, amount).
Result<Bytes> approve_call(const Address& spender, const u256& amount) {
    SLUICE_TRY(const AbiFunction approve, AbiFunction::parse("approve(address,uint256)"));
    return approve.encode_call(AbiValue::list({AbiValue::address(spender), AbiValue::uint(amount)}));
}

}  // namespace

Result<std::unique_ptr<ChannelFunding>> ChannelFunding::create(l1::L1Client& client, l1::TxSigner& signer,
                                                               channel::Params params, std::size_t our_index,
                                                               const channel::State& initial,
                                                               FundingOptions options) {
    if (our_index >= params.participants.size()) {
        return bad_request("index " + std::to_string(our_index) + " is not a participant");
    }
    if (auto shape = channel::validate_shape(params, initial); !shape.ok()) {
        return bad_request("initial state: " + shape.error().describe());
    }
    for (const channel::Alloc& alloc : initial.outcome) {
        if (!alloc.locks.empty()) return bad_request("initial state holds locks");
    }
    if (options.confirmations == 0) options.confirmations = 1;
    return std::unique_ptr<ChannelFunding>(
        new ChannelFunding(client, signer, std::move(params), our_index, initial, options));
}

ChannelFunding::ChannelFunding(l1::L1Client& client, l1::TxSigner& signer, channel::Params params,
                               std::size_t our_index, const channel::State& initial, FundingOptions options)
    : client_(client),
      signer_(signer),
      params_(std::move(params)),
      channel_id_(channel::channel_id(params_)),
      index_(our_index),
      initial_(initial.outcome),
      options_(options) {
    for (const channel::Alloc& alloc : initial_)
        confirmed_[alloc.asset] = u256{};
}

std::vector<Address> ChannelFunding::assets() const {
    std::vector<Address> out;
    out.reserve(initial_.size());
    for (const channel::Alloc& alloc : initial_)
        out.push_back(alloc.asset);
    return out;
}

const channel::Alloc* ChannelFunding::alloc_of(const Address& asset) const {
    for (const channel::Alloc& alloc : initial_) {
        if (alloc.asset == asset) return &alloc;
    }
    return nullptr;
}

Result<u256> ChannelFunding::our_share(const Address& asset) const {
    const channel::Alloc* alloc = alloc_of(asset);
    if (alloc == nullptr)
        return bad_request("asset " + asset.to_checksum_hex() + " is not in the initial state");
    return alloc->balances[index_];
}

Result<u256> ChannelFunding::held_before_us(const Address& asset) const {
    const channel::Alloc* alloc = alloc_of(asset);
    if (alloc == nullptr)
        return bad_request("asset " + asset.to_checksum_hex() + " is not in the initial state");
    u256 sum;  // no overflow: validate_shape checked the whole total
    for (std::size_t i = 0; i < index_; ++i)
        sum += alloc->balances[i];
    return sum;
}

l1::Async<DepositResult> ChannelFunding::deposit(const Address& asset) {
    SLUICE_CO_TRY(const u256 share, our_share(asset));
    if (share == u256{}) co_return bad_request("our share of " + asset.to_checksum_hex() + " is zero");
    co_return co_await deposit(asset, share);
}

l1::Async<DepositResult> ChannelFunding::deposit(const Address& asset, const u256& amount) {
    SLUICE_CO_TRY(const u256 before, held_before_us(asset));
    co_return co_await deposit_after(asset, before, amount);
}

l1::Async<DepositResult> ChannelFunding::top_up(const Address& asset, const u256& amount) {
    SLUICE_CO_TRY(const u256 held, co_await holdings(asset));
    co_return co_await deposit_after(asset, held, amount);
}

l1::Async<u256> ChannelFunding::holdings(const Address& asset) {
    l1::CallRequest call;
    call.to = params_.adjudicator;
    call.data = adj::holdings_call(channel_id_, asset);
    SLUICE_CO_TRY(const l1::CallOutcome outcome, co_await client_.call(call, l1::BlockTag::latest()));
    if (outcome.reverted) co_return make_error(Errc::l1_reverted, "holdings() reverted");
    co_return adj::decode_uint256_return(outcome.data);
}

l1::Async<DepositResult> ChannelFunding::deposit_after(const Address& asset, const u256& expected_held,
                                                       const u256& amount) {
    if (amount == u256{}) co_return bad_request("a deposit of zero");
    SLUICE_CO_TRY(Bytes deposit_data, adj::deposit_call(params_, asset, expected_held, amount));
    const auto deadline = std::chrono::steady_clock::now() + options_.turn_timeout;
    for (;;) {
        SLUICE_CO_TRY(const u256 held, co_await holdings(asset));
        if (held >= expected_held) break;
        if (std::chrono::steady_clock::now() + options_.poll_interval > deadline) {
            co_return make_error(Errc::funding_timeout,
                                 "channel " + to_hex(channel_id_.view()) + " holds " + held.to_dec() +
                                     " of " + asset.to_checksum_hex() + ", waiting for " +
                                     expected_held.to_dec() + " from the lower indices for " +
                                     std::to_string(options_.turn_timeout.count()) + " ms");
        }
        co_await detail::pause(options_.poll_interval);
    }
    DepositResult result;
    result.expected_held = expected_held;
    result.amount = amount;
    l1::TxRequest request;
    request.to = params_.adjudicator;
    request.data = std::move(deposit_data);
    if (asset == Address{}) {
        request.value = amount;
    } else {
        SLUICE_CO_TRY(Bytes approve_data, approve_call(params_.adjudicator, amount));
        l1::TxRequest approve;
        approve.to = asset;
        approve.data = std::move(approve_data);
        SLUICE_CO_TRY(SentTx approval, co_await detail::send_and_wait(signer_, std::move(approve),
                                                                      Errc::funding_reverted, "approve"));
        result.approval = std::move(approval);
    }
    SLUICE_CO_TRY(SentTx sent, co_await detail::send_and_wait(signer_, std::move(request),
                                                              Errc::funding_reverted, "deposit"));
    result.deposit = std::move(sent);
    co_return result;
}

l1::Async<std::vector<HoldingsChange>> ChannelFunding::poll_once() {
    SLUICE_CO_TRY(const std::int64_t head, co_await client_.block_number());
    const std::int64_t confirmed_at = head - static_cast<std::int64_t>(options_.confirmations) + 1;
    std::map<Address, u256> now;
    for (const auto& entry : confirmed_)
        now[entry.first] = u256{};
    if (confirmed_at >= options_.from_block) {
        l1::LogQuery query;
        query.from_block = l1::BlockTag::at(options_.from_block);
        query.to_block = l1::BlockTag::at(confirmed_at);
        query.addresses.push_back(params_.adjudicator);
        query.topics.push_back({adj::event_topic("Deposited")});
        query.topics.push_back({channel_id_});
        SLUICE_CO_TRY(const std::vector<l1::LogRecord> logs, co_await client_.logs(query));
        // Nodes answer in chain order; the newest Deposited per asset holds the holdings at confirmed_at.
        for (const l1::LogRecord& record : logs) {
            SLUICE_CO_TRY(const std::optional<adj::Event> event,
                          adj::decode_event(record.log.topics, record.log.data));
            if (!event) continue;
            if (const auto* deposited = std::get_if<adj::Deposited>(&*event)) {
                if (deposited->channel_id == channel_id_) now[deposited->asset] = deposited->held;
            }
        }
    }
    std::vector<HoldingsChange> changes;
    for (const auto& entry : now) {
        u256& known = confirmed_[entry.first];
        if (known != entry.second) {
            known = entry.second;
            changes.push_back(HoldingsChange{entry.first, entry.second});
        }
    }
    co_return changes;
}

l1::Async<bool> ChannelFunding::watch_confirmed(std::function<void(const HoldingsChange&)> on_change) {
    while (!stopped_.load()) {
        SLUICE_CO_TRY(const std::vector<HoldingsChange> changes, co_await poll_once());
        for (const HoldingsChange& change : changes)
            on_change(change);
        if (stopped_.load()) break;
        co_await detail::pause(options_.poll_interval);
    }
    co_return true;
}

bool ChannelFunding::fully_funded() const {
    for (const channel::Alloc& alloc : initial_) {
        const auto total = channel::total_of(alloc);
        const auto it = confirmed_.find(alloc.asset);
        if (!total.ok() || it == confirmed_.end() || it->second < *total) return false;
    }
    return true;
}

}  // namespace sluice::sdk
