// Node: the L1 side of a channel's life: funding (ChannelFunding) and the cooperative close
// (CooperativeClose), each as a coroutine on its own strand, since both objects expect one executor.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sluice/channel/signing.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/sdk/cooperative_close.hpp"
#include "sluice/sdk/node.hpp"

namespace sluice::sdk {

namespace asio = boost::asio;

Status Node::set_channel_status(const Hash& channel_id, ChannelStatus status,
                                const channel::Deposits* deposits) {
    SLUICE_TRY(auto records, store_->channels());
    for (auto& r : records) {
        if (r.id != channel_id) continue;
        r.status = status;
        if (deposits) r.deposits = *deposits;
        return store_->save_channel(r);
    }
    return make_error(Errc::node_unknown_channel, "no channel " + to_hex(channel_id.view()));
}

void Node::start_funding(const Hash& channel_id) {
    asio::co_spawn(asio::make_strand(executor_), fund(weak_from_this(), channel_id), asio::detached);
}

asio::awaitable<void> Node::fund(std::weak_ptr<Node> weak, Hash channel_id) {
    std::shared_ptr<ChannelFunding> funding;
    {
        auto self = weak.lock();
        if (!self) co_return;
        const auto params = self->channels_.params(channel_id);
        const auto latest = self->channels_.latest(channel_id);
        const auto me = params ? channel::participant_index(*params, self->identity_) : std::nullopt;
        if (!me || !latest) co_return;
        auto created = ChannelFunding::create(*self->config_.l1.client, *self->config_.l1.signer, *params,
                                              *me, latest->state, self->config_.l1.funding);
        if (!created) co_return;
        funding = std::shared_ptr<ChannelFunding>(std::move(created).value());
        std::lock_guard lock(self->mutex_);
        if (self->stopped_ || self->funding_.contains(channel_id)) co_return;
        self->funding_[channel_id] = funding;
    }
    // Our deposits, unless a run before a restart made them already.
    for (const Address& asset : funding->assets()) {
        const auto share = funding->our_share(asset);
        const auto before = funding->held_before_us(asset);
        if (!share || !before || share->is_zero()) continue;
        const auto held = co_await funding->holdings(asset);
        if (held && *held >= *before + *share) continue;
        (void)co_await funding->deposit(asset);  // a failure shows as a channel that never opens
    }
    // A named local, not a temporary in the co_await expression: g++ 12 destroys those twice (docs §6).
    std::function<void(const HoldingsChange&)> on_change = [weak, funding,
                                                            channel_id](const HoldingsChange& change) {
        auto self = weak.lock();
        if (!self) {
            funding->stop();
            return;
        }
        (void)self->channels_.record_deposit(channel_id, change.asset, change.total);
        const bool open = funding->fully_funded();
        const channel::Deposits confirmed(funding->confirmed().begin(), funding->confirmed().end());
        (void)self->set_channel_status(channel_id, open ? ChannelStatus::open : ChannelStatus::opening,
                                       &confirmed);
        std::vector<NodeEvent> events{DepositConfirmed{channel_id, change.asset, change.total}};
        if (open) events.emplace_back(ChannelOpened{channel_id});
        self->emit_events(std::move(events));
        // Once open, later reorgs are not followed (the watchtower's part, #15).
        if (open) funding->stop();
    };
    (void)co_await funding->watch_confirmed(std::move(on_change));
    if (auto self = weak.lock()) {
        std::lock_guard lock(self->mutex_);
        self->funding_.erase(channel_id);
    }
}

net::Async<void> Node::close_channel(const Hash& channel_id) {
    auto self = shared_from_this();
    const auto latest = channels_.latest(channel_id);
    if (!latest) co_return make_error(Errc::node_unknown_channel, "no channel " + to_hex(channel_id.view()));
    if (!latest->state.is_final) SLUICE_CO_CHECK_OK(channels_.submit(channel_id, channel::Finalize{}));
    asio::steady_timer timer(executor_);
    const auto deadline = std::chrono::steady_clock::now() + config_.close_timeout;
    for (;;) {
        const auto now_latest = channels_.latest(channel_id);
        if (now_latest && now_latest->state.is_final) break;
        if (std::chrono::steady_clock::now() > deadline)
            co_return make_error(Errc::net_timeout, "not every participant signed the final state in time");
        timer.expires_after(std::chrono::milliseconds(5));
        co_await timer.async_wait(asio::use_awaitable);
    }
    // Our node's own completion of the final state started settle_final (on_channel_event); its outcome:
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (const auto it = close_results_.find(channel_id); it != close_results_.end())
                co_return it->second;
            if (stopped_) co_return make_error(Errc::node_not_running, "the node stopped while closing");
        }
        timer.expires_after(std::chrono::milliseconds(20));
        co_await timer.async_wait(asio::use_awaitable);
    }
}

void Node::on_final_state(const Hash& channel_id) {
    asio::co_spawn(asio::make_strand(executor_), settle_final(shared_from_this(), channel_id),
                   asio::detached);
}

asio::awaitable<void> Node::settle_final(std::shared_ptr<Node> self, Hash channel_id) {
    {
        std::lock_guard lock(self->mutex_);
        if (!self->closing_.insert(channel_id).second) co_return;  // another one runs it
        self->close_results_.erase(channel_id);
    }
    const auto latest = self->channels_.latest(channel_id);
    const auto params = self->channels_.params(channel_id);
    Status outcome;
    if (latest && params) {
        (void)self->set_channel_status(channel_id, ChannelStatus::closing);
        self->emit_events({ChannelClosing{channel_id, self->now()}});
        if (self->config_.l1.client) {
            CooperativeClose close(*self->config_.l1.client, *self->config_.l1.signer, *params);
            auto closed = co_await close.close(*latest);
            if (!closed) outcome = closed.error();
        }
        if (outcome.ok()) {
            (void)self->set_channel_status(channel_id, ChannelStatus::closed);
            self->emit_events({ChannelClosed{channel_id}});
        }
    }
    std::lock_guard lock(self->mutex_);
    self->closing_.erase(channel_id);
    self->close_results_[channel_id] = outcome;
}

}  // namespace sluice::sdk
