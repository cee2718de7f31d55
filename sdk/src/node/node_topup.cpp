// Node: adding funds to an open channel (issue #14). Our side deposits on L1, waits for the confirmations
// and proposes the Deposit operation; the other side learns of the higher holdings when its machine refuses
// that proposal with channel_exceeds_deposits (ChannelHooks::deposits_refused): it reads them from L1 again,
// and the proposer's ChannelManager proposes the refused operation again at each tick (a lagging peer).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sluice/channel/signing.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/sdk/node.hpp"

namespace sluice::sdk {

namespace asio = boost::asio;

namespace {

const channel::Alloc* alloc_of(const channel::State& state, const Address& asset) {
    for (const auto& alloc : state.outcome) {
        if (alloc.asset == asset) return &alloc;
    }
    return nullptr;
}

// A ChannelFunding for a channel already open: it wants a lock-free state for the initial shares, which
// neither a top-up nor a read of the holdings uses, so the latest state without its locks does.
Result<std::unique_ptr<ChannelFunding>> funding_for(const ChannelManager& channels, const NodeL1& l1,
                                                    const Address& identity, const Hash& channel_id) {
    const auto params = channels.params(channel_id);
    auto latest = channels.latest(channel_id);
    const auto me = params ? channel::participant_index(*params, identity) : std::nullopt;
    if (!me || !latest)
        return make_error(Errc::node_unknown_channel, "no channel " + to_hex(channel_id.view()));
    for (auto& alloc : latest->state.outcome)
        alloc.locks.clear();
    return ChannelFunding::create(*l1.client, *l1.signer, *params, *me, latest->state, l1.funding);
}

}  // namespace

void Node::record_holdings(const Hash& channel_id, const std::vector<HoldingsChange>& changes) {
    auto records = store_->channels();
    if (!records) return;
    std::vector<NodeEvent> events;
    for (auto& r : *records) {
        if (r.id != channel_id) continue;
        for (const HoldingsChange& change : changes) {
            const auto it = r.deposits.find(change.asset);
            if (it != r.deposits.end() && it->second >= change.total) continue;
            (void)channels_.record_deposit(channel_id, change.asset, change.total);
            r.deposits[change.asset] = change.total;
            events.emplace_back(DepositConfirmed{channel_id, change.asset, change.total});
        }
        if (!events.empty()) (void)store_->save_channel(r);
    }
    if (!events.empty()) emit_events(std::move(events));
}

net::Async<u256> Node::topup(const Hash& channel_id, const Address& asset, const u256& amount) {
    auto self = shared_from_this();
    if (amount.is_zero()) co_return make_error(Errc::invalid_argument, "a top-up of zero");
    if (!config_.l1.client || !config_.l1.signer)
        co_return make_error(Errc::invalid_argument, "the node has no L1 to deposit on");
    const auto latest = channels_.latest(channel_id);
    const auto params = channels_.params(channel_id);
    if (!latest || !params)
        co_return make_error(Errc::node_unknown_channel, "no channel " + to_hex(channel_id.view()));
    const auto me = channel::participant_index(*params, identity_);
    if (!me) co_return make_error(Errc::node_unknown_channel, "we are not in the channel");
    SLUICE_CO_TRY(const auto records, store_->channels());
    for (const auto& r : records) {
        if (r.id != channel_id) continue;
        if (r.status == ChannelStatus::opening)
            co_return make_error(Errc::funding_bad_request, "the channel is not open yet");
        if (r.status != ChannelStatus::open)
            co_return make_error(Errc::channel_final, "the channel is closing or closed");
    }
    if (latest->state.is_final) co_return make_error(Errc::channel_final, "the channel is final");
    const channel::Alloc* alloc = alloc_of(latest->state, asset);
    if (!alloc)
        co_return make_error(Errc::funding_bad_request,
                             "asset " + asset.to_checksum_hex() + " is not in the channel");
    SLUICE_CO_TRY(const u256 total_before, channel::total_of(*alloc));
    {
        std::lock_guard lock(mutex_);
        if (stopped_) co_return make_error(Errc::node_not_running, "the node is stopped");
    }
    SLUICE_CO_TRY(auto funding, funding_for(channels_, config_.l1, identity_, channel_id));

    // Before the transaction exists: from then on a peer's credit may not take it (deposit_credit.hpp).
    SLUICE_CO_CHECK_OK(channels_.reserve_deposit(channel_id, asset, amount));
    auto deposited = co_await funding->top_up(asset, amount);
    if (!deposited) {
        (void)channels_.release_deposit(channel_id, asset, amount);
        co_return deposited.error();
    }
    // Confirmed once the holdings as of `confirmations` blocks back cover what it was deposited on.
    const u256 wanted = deposited->expected_held + amount;
    asio::steady_timer timer(executor_);
    const auto confirm_by = std::chrono::steady_clock::now() + config_.l1.funding.turn_timeout;
    for (;;) {
        SLUICE_CO_TRY(const auto changes, co_await funding->poll_once());
        record_holdings(channel_id, changes);
        const auto it = funding->confirmed().find(asset);
        if (it != funding->confirmed().end() && it->second >= wanted) break;
        if (std::chrono::steady_clock::now() > confirm_by)
            co_return make_error(Errc::net_timeout, "the top-up was not confirmed in time");
        timer.expires_after(config_.l1.funding.poll_interval);
        co_await timer.async_wait(asio::use_awaitable);
    }

    SLUICE_CO_CHECK_OK(channels_.submit(channel_id, channel::Deposit{asset, amount}));
    // Payments move money within the total; only a credit raises it.
    const auto credit_by =
        std::chrono::steady_clock::now() + std::chrono::seconds(2 * config_.machine.round_timeout);
    for (;;) {
        const auto now_latest = channels_.latest(channel_id);
        if (!now_latest) co_return make_error(Errc::node_unknown_channel, "the channel is gone");
        const channel::Alloc* now_alloc = alloc_of(now_latest->state, asset);
        if (now_alloc) {
            SLUICE_CO_TRY(const u256 total, channel::total_of(*now_alloc));
            if (total >= total_before + amount) co_return now_alloc->balances[*me];
        }
        if (now_latest->state.is_final)
            co_return make_error(Errc::channel_final, "the channel was closed before the credit");
        if (std::chrono::steady_clock::now() > credit_by)
            co_return make_error(Errc::net_timeout, "the other participants did not sign the credit");
        {
            std::lock_guard lock(mutex_);
            if (stopped_) co_return make_error(Errc::node_not_running, "the node stopped");
        }
        timer.expires_after(std::chrono::milliseconds(10));
        co_await timer.async_wait(asio::use_awaitable);
    }
}

void Node::on_deposits_refused(const Hash& channel_id) {
    if (!config_.l1.client) return;
    {
        // At most one read per poll interval (and second) per channel: a peer cannot make us hammer L1.
        std::lock_guard lock(mutex_);
        if (stopped_) return;
        const auto now = std::chrono::steady_clock::now();
        const auto gap = std::max<std::chrono::steady_clock::duration>(config_.l1.funding.poll_interval,
                                                                       std::chrono::seconds(1));
        auto [it, fresh] = holdings_read_.try_emplace(channel_id, now);
        if (!fresh && now - it->second < gap) return;
        it->second = now;
    }
    asio::co_spawn(asio::make_strand(executor_), reread_holdings(weak_from_this(), channel_id),
                   asio::detached);
}

asio::awaitable<void> Node::reread_holdings(std::weak_ptr<Node> weak, Hash channel_id) {
    std::unique_ptr<ChannelFunding> funding;
    {
        auto self = weak.lock();
        if (!self) co_return;
        auto created = funding_for(self->channels_, self->config_.l1, self->identity_, channel_id);
        if (!created) co_return;
        funding = std::move(created).value();
    }
    auto changes = co_await funding->poll_once();
    auto self = weak.lock();
    if (self && changes) self->record_holdings(channel_id, *changes);
}

}  // namespace sluice::sdk
