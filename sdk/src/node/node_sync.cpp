// Node: what happens around a connection's life: re-syncing shared channels when it comes up, redialling
// when it drops, and the clock that ends rounds nobody answers.
#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "node/node_peer.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/sdk/node.hpp"

namespace sluice::sdk {

namespace asio = boost::asio;

namespace {

// Waits `delay` in short slices, so a stopped or destroyed node is noticed soon. False when it is gone.
asio::awaitable<bool> wait_while_running(const std::weak_ptr<Node>& node, std::chrono::milliseconds delay,
                                         const std::function<bool(Node&)>& running) {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    const auto until = std::chrono::steady_clock::now() + delay;
    for (;;) {
        {
            auto self = node.lock();
            if (!self || !running(*self)) co_return false;
        }
        const auto now = std::chrono::steady_clock::now();
        if (now >= until) co_return true;
        timer.expires_after(
            std::min<std::chrono::steady_clock::duration>(until - now, std::chrono::milliseconds(100)));
        co_await timer.async_wait(asio::use_awaitable);
    }
}

}  // namespace

void Node::on_connected(const Address& peer) {
    const auto sync_with = [this](const Address& who, const std::vector<Hash>& ids) {
        channels_.reconnected(who, ids);
        for (const Hash& id : ids) {
            const auto point = channels_.sync_point(id);
            if (point) send_to(who, wire::Sync{id, point->latest_version, point->highest_signed});
        }
    };
    sync_with(peer, channels_.channels_with(peer));
    if (std::find(config_.relays.begin(), config_.relays.end(), peer) == config_.relays.end()) return;
    // A relay came up: every participant we reach only through it is back within reach.
    std::map<Address, std::vector<Hash>> behind;
    for (const Hash& id : channels_.channel_ids()) {
        const auto params = channels_.params(id);
        if (!params) continue;
        for (const Address& p : params->participants) {
            if (p != identity_ && p != peer && !connected(p)) behind[p].push_back(id);
        }
    }
    for (const auto& [who, ids] : behind)
        sync_with(who, ids);
}

void Node::on_sync(const Sender& from, const wire::Sync& sync) {
    const auto params = channels_.params(sync.channel_id);
    if (!params || !channel::participant_index(*params, from.address)) {
        refuse(from,
               make_error(Errc::node_unknown_channel,
                          "no channel " + to_hex(sync.channel_id.view()) + " with you"),
               "sync");
        return;
    }
    const auto latest = channels_.latest(sync.channel_id);
    // The side ahead answers; the side behind waits for that answer (its own Sync told the other).
    if (latest && latest->state.version > sync.latest_version)
        send_to(from.address, wire::SyncState{sync.channel_id, *latest});
}

void Node::on_sync_state(const Sender& from, const wire::SyncState& sync) {
    std::optional<PendingOpen> ready;
    {
        std::lock_guard lock(mutex_);
        const auto it = pending_opens_.find(sync.channel_id);
        if (it != pending_opens_.end() && !it->second.opener &&
            sync.latest.state == it->second.initial.state &&
            channel::check_fully_signed(it->second.params, sync.latest).ok()) {
            ready = std::move(it->second);
            ready->initial = sync.latest;
            pending_opens_.erase(it);
        }
    }
    if (ready) {
        complete_open(sync.channel_id, *ready);
        return;
    }
    const auto params = channels_.params(sync.channel_id);
    const auto index = params ? channel::participant_index(*params, from.address) : std::nullopt;
    if (!index || sync.latest.state.channel_id != sync.channel_id) {
        refuse(from, make_error(Errc::node_unknown_channel, "no pending open or channel for this state"),
               "sync_state");
        return;
    }
    // The machine checks every signature and the version; a refusal is answered on the channel's strand.
    if (auto s = channels_.deliver_state(*index, sync.latest); !s.ok()) refuse(from, s.error(), "sync_state");
}

asio::awaitable<void> Node::redial(std::weak_ptr<Node> node, Address peer) {
    const auto running = [peer](Node& n) {
        std::lock_guard lock(n.mutex_);
        return !n.stopped_ && !n.peers_.contains(peer) && n.dial_targets_.contains(peer);
    };
    std::optional<net::Backoff> backoff;
    for (;;) {
        asio::ip::tcp::endpoint endpoint;
        {
            auto self = node.lock();
            if (!self || !running(*self)) co_return;
            if (!backoff) backoff.emplace(self->config_.reconnect);
            std::lock_guard lock(self->mutex_);
            const auto it = self->dial_targets_.find(peer);
            if (it == self->dial_targets_.end()) co_return;
            endpoint = it->second;
        }
        if (!co_await wait_while_running(node, backoff->next(), running)) co_return;
        auto self = node.lock();
        if (!self) co_return;
        auto connection = co_await net::connect(self->executor_, endpoint, self->config_.identity, peer,
                                                self->config_.connection);
        if (connection) {
            self->attach(std::move(connection).value());
            co_return;
        }
        if (connection.error().code == Errc::net_wrong_identity) {
            // Someone else answers there now: asking again will not change that.
            std::lock_guard lock(self->mutex_);
            self->dial_targets_.erase(peer);
            co_return;
        }
    }
}

asio::awaitable<void> Node::tick_loop(std::weak_ptr<Node> node) {
    const auto running = [](Node& n) {
        std::lock_guard lock(n.mutex_);
        return !n.stopped_;
    };
    while (co_await wait_while_running(node, std::chrono::seconds(1), running)) {
        auto self = node.lock();
        if (!self) break;
        self->channels_.tick_all();
        self->act_on_all_locks();
    }
}

}  // namespace sluice::sdk
