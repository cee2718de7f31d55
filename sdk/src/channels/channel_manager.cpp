#include "sluice/sdk/channel_manager.hpp"

#include <algorithm>
#include <boost/asio/post.hpp>
#include <string>
#include <utility>

#include "sluice/channel/signing.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::sdk {
namespace {

const Hash& channel_of(const channel::Message& message) {
    return std::visit([](const auto& m) -> const Hash& { return m.channel_id; }, message);
}

}  // namespace

ChannelManager::ChannelManager(boost::asio::any_io_executor executor, PrivateKey key, NodeStore& store,
                               channel::Clock clock, Send send, OnEvent on_event,
                               channel::MachineOptions options)
    : executor_(std::move(executor)),
      key_(std::move(key)),
      store_(store),
      clock_(std::move(clock)),
      options_(options),
      send_(std::move(send)),
      on_event_(std::move(on_event)) {}

channel::MachineSetup ChannelManager::setup_for(const ChannelRecord& record) const {
    channel::MachineSetup setup;
    setup.params = record.params;
    setup.index = record.my_index;
    setup.deposits = record.deposits;
    setup.clock = clock_;
    setup.options = options_;
    return setup;
}

Status ChannelManager::add(ChannelRecord record, const channel::SignedState& initial) {
    SLUICE_CHECK_OK(store_.save_channel(record));
    SLUICE_TRY(auto machine, channel::Machine::open(setup_for(record), key_, initial, store_));
    auto s = std::make_shared<Slot>(executor_);
    s->machine.emplace(std::move(machine));
    std::lock_guard lock(slots_mutex_);
    slots_[record.id] = std::move(s);
    return {};
}

Status ChannelManager::restore() {
    SLUICE_TRY(const auto records, store_.channels());
    for (const ChannelRecord& record : records) {
        if (record.status == ChannelStatus::closed) continue;
        SLUICE_TRY(auto persisted, store_.load(record.id));
        if (!persisted) continue;  // never got its initial state signed: nothing to restore
        SLUICE_TRY(auto machine,
                   channel::Machine::restore(setup_for(record), key_, std::move(*persisted), store_));
        auto s = std::make_shared<Slot>(executor_);
        s->machine.emplace(std::move(machine));
        std::lock_guard lock(slots_mutex_);
        slots_[record.id] = std::move(s);
    }
    return {};
}

std::shared_ptr<ChannelManager::Slot> ChannelManager::slot(const Hash& channel_id) const {
    std::lock_guard lock(slots_mutex_);
    const auto it = slots_.find(channel_id);
    return it == slots_.end() ? nullptr : it->second;
}

Status ChannelManager::submit(const Hash& channel_id, channel::Operation op, std::optional<Hash> tag) {
    auto s = slot(channel_id);
    if (!s) return make_error(Errc::node_unknown_channel, "no channel " + to_hex(channel_id.view()));
    boost::asio::post(s->strand, [this, s, op = std::move(op), tag]() mutable {
        {
            std::lock_guard lock(s->mutex);
            if (tag && pending_already(*s, *tag, op.index())) return;
            s->queue.push_back(Queued{std::move(op), tag});
        }
        pump(s);
    });
    return {};
}

bool ChannelManager::pending_already(const Slot& s, const Hash& tag, std::size_t kind) {
    const auto same = [&](const Queued& q) { return q.tag == tag && q.op.index() == kind; };
    return std::any_of(s.queue.begin(), s.queue.end(), same) ||
           std::any_of(s.in_flight.begin(), s.in_flight.end(), same) ||
           std::any_of(s.deferred.begin(), s.deferred.end(), same);
}

Status ChannelManager::learn_preimage(const Hash& channel_id, const Bytes32& preimage) {
    auto s = slot(channel_id);
    if (!s) return make_error(Errc::node_unknown_channel, "no channel " + to_hex(channel_id.view()));
    boost::asio::post(s->strand, [s, preimage] {
        std::lock_guard lock(s->mutex);
        // A store failure leaves the knowledge in memory (it only makes us refuse more); the next
        // restart would lack it, so try once more.
        if (!s->machine->learn_preimage(preimage).ok()) (void)s->machine->learn_preimage(preimage);
    });
    return {};
}

Status ChannelManager::record_deposit(const Hash& channel_id, const Address& asset, const u256& total) {
    auto s = slot(channel_id);
    if (!s) return make_error(Errc::node_unknown_channel, "no channel " + to_hex(channel_id.view()));
    boost::asio::post(s->strand, [this, s, asset, total] {
        {
            std::lock_guard lock(s->mutex);
            s->machine->record_deposit(asset, total);
        }
        pump(s);
    });
    return {};
}

Status ChannelManager::reserve_deposit(const Hash& channel_id, const Address& asset, const u256& amount) {
    auto s = slot(channel_id);
    if (!s) return make_error(Errc::node_unknown_channel, "no channel " + to_hex(channel_id.view()));
    boost::asio::post(s->strand, [s, asset, amount] {
        std::lock_guard lock(s->mutex);
        s->machine->reserve_deposit(asset, amount);
    });
    return {};
}

Status ChannelManager::release_deposit(const Hash& channel_id, const Address& asset, const u256& amount) {
    auto s = slot(channel_id);
    if (!s) return make_error(Errc::node_unknown_channel, "no channel " + to_hex(channel_id.view()));
    boost::asio::post(s->strand, [s, asset, amount] {
        std::lock_guard lock(s->mutex);
        s->machine->release_deposit(asset, amount);
    });
    return {};
}

Status ChannelManager::deliver(std::size_t from, const channel::Message& message) {
    const Hash& id = channel_of(message);
    auto s = slot(id);
    if (!s) return make_error(Errc::node_unknown_channel, "no channel " + to_hex(id.view()));
    boost::asio::post(s->strand, [this, s, from, message]() {
        if (const auto* proposal = std::get_if<channel::Proposal>(&message);
            proposal && !proposal->preimages.empty() && hooks_.revealed) {
            hooks_.revealed(proposal->channel_id, proposal->preimages);
        }
        Result<channel::Output> out = make_error(Errc::internal, "not run");
        {
            std::lock_guard lock(s->mutex);
            out = s->machine->receive(message);
        }
        if (!out) {
            // Refused before any state changed: the sender hears why, nothing else happens.
            send_(s->machine->channel_id(), from,
                  wire::ErrorReply{std::string(errc_name(out.error().code)), out.error().message, "channel"});
        } else {
            emit(s, *out);
        }
        pump(s);
    });
    return {};
}

Status ChannelManager::deliver_state(std::size_t from, const channel::SignedState& state) {
    if (!state.fully_signed())
        return make_error(Errc::channel_bad_message, "a re-sync state must carry every signature");
    channel::Completion completion{state.state.channel_id, state.state, {}};
    for (const auto& sig : state.sigs)
        completion.signatures.push_back(*sig);
    return deliver(from, completion);
}

void ChannelManager::reconnected(const Address& peer, const std::vector<Hash>& ids) {
    for (const Hash& id : ids) {
        auto s = slot(id);
        if (!s) continue;
        boost::asio::post(s->strand, [this, s, peer] {
            channel::Output out;
            {
                std::lock_guard lock(s->mutex);
                const auto index = channel::participant_index(s->machine->params(), peer);
                if (!index) return;
                out = s->machine->peer_reconnected(*index);
            }
            emit(s, out);
            pump(s);
        });
    }
}

void ChannelManager::tick_all() {
    std::vector<std::shared_ptr<Slot>> all;
    {
        std::lock_guard lock(slots_mutex_);
        for (const auto& entry : slots_)
            all.push_back(entry.second);
    }
    for (auto& s : all) {
        boost::asio::post(s->strand, [this, s] {
            channel::Output out;
            {
                std::lock_guard lock(s->mutex);
                out = s->machine->tick();
                // What a participant refused for want of confirmed deposits goes out again, first.
                s->queue.insert(s->queue.begin(), std::make_move_iterator(s->deferred.begin()),
                                std::make_move_iterator(s->deferred.end()));
                s->deferred.clear();
            }
            emit(s, out);
            pump(s);
        });
    }
}

Result<channel::Output> ChannelManager::propose_batch(Slot& s, const std::vector<Queued>& batch) {
    std::vector<channel::Operation> ops;
    ops.reserve(batch.size());
    for (const auto& q : batch)
        ops.push_back(q.op);
    auto out = s.machine->propose(ops);
    if (!out) return out;
    s.in_flight = batch;
    s.proposed_at = std::chrono::steady_clock::now();
    std::lock_guard stats(stats_mutex_);
    ++stats_.rounds_proposed;
    stats_.operations_sent += ops.size();
    return out;
}

void ChannelManager::pump(const std::shared_ptr<Slot>& s) {
    for (;;) {
        channel::Output out;
        std::optional<ChannelEvent> failed;
        std::vector<Hash> tags;
        {
            std::lock_guard lock(s->mutex);
            if (s->queue.empty() || s->machine->round_pending()) return;
            std::vector<Queued> batch = std::move(s->queue);
            s->queue.clear();
            auto proposed = propose_batch(*s, batch);
            if (!proposed && batch.size() > 1) {
                // One operation spoils the batch: the first goes alone, the rest wait, so a bad one is
                // isolated within a few rounds instead of failing everything queued with it.
                s->queue.assign(std::make_move_iterator(batch.begin() + 1),
                                std::make_move_iterator(batch.end()));
                batch.resize(1);
                proposed = propose_batch(*s, batch);
            }
            if (proposed) {
                out = std::move(proposed).value();
                for (const auto& q : s->in_flight) {
                    if (q.tag) tags.push_back(*q.tag);
                }
            } else {
                failed = ChannelEvent{
                    s->machine->channel_id(),
                    channel::UpdateFailed{s->machine->latest().state.version + 1, proposed.error()},
                    {}};
                if (batch.front().tag) failed->failed_tags.push_back(*batch.front().tag);
            }
        }
        if (failed) {
            on_event_(*failed);
            continue;  // the rest of the queue may still go
        }
        announce(s, out, tags);
        emit(s, out);
        return;
    }
}

void ChannelManager::announce(const std::shared_ptr<Slot>& s, const channel::Output& out,
                              const std::vector<Hash>& tags) {
    for (const auto& outgoing : out.messages) {
        const auto* proposal = std::get_if<channel::Proposal>(&outgoing.message);
        if (!proposal) continue;
        if (hooks_.proposed) hooks_.proposed(s->machine->channel_id(), proposal->state.version, tags);
        if (hooks_.revealed && !proposal->preimages.empty())
            hooks_.revealed(proposal->channel_id, proposal->preimages);
        return;
    }
}

namespace {

// Withdrawals that say nothing against the operations themselves: they go out again.
bool retry_after(Errc code) {
    return code == Errc::channel_conflict || code == Errc::channel_timeout ||
           code == Errc::channel_persist_failed || code == Errc::channel_behind ||
           code == Errc::channel_update_pending;
}

}  // namespace

void ChannelManager::emit(const std::shared_ptr<Slot>& s, const channel::Output& out) {
    const Hash id = s->machine->channel_id();
    // A withdrawn round whose operations go out again is not a failure the application hears of.
    std::vector<bool> retried(out.events.size(), false);
    std::vector<std::vector<Hash>> failed_tags(out.events.size());
    std::optional<std::pair<std::chrono::microseconds, std::size_t>> our_round;
    {
        std::lock_guard lock(s->mutex);
        for (std::size_t i = 0; i < out.events.size(); ++i) {
            const auto& event = out.events[i];
            if (const auto* done = std::get_if<channel::UpdateCompleted>(&event)) {
                if (done->proposer == s->machine->index()) {
                    our_round.emplace(std::chrono::duration_cast<std::chrono::microseconds>(
                                          std::chrono::steady_clock::now() - s->proposed_at),
                                      s->in_flight.size());
                    s->in_flight.clear();
                }
            } else if (const auto* failed = std::get_if<channel::UpdateFailed>(&event)) {
                if (!s->in_flight.empty() && retry_after(failed->error.code)) {
                    s->queue.insert(s->queue.begin(), std::make_move_iterator(s->in_flight.begin()),
                                    std::make_move_iterator(s->in_flight.end()));
                    retried[i] = true;
                } else if (!s->in_flight.empty() && failed->error.code == Errc::channel_exceeds_deposits) {
                    // Our deposits covered the round (the machine checked them when we proposed), so a
                    // participant has not confirmed every deposit yet: its confirmation policy, or its L1
                    // polling, lags ours. Proposed again at the next ticks, until round_timeout since the
                    // first such refusal, after which the operations fail for good.
                    const std::uint64_t t = clock_();
                    for (auto& q : s->in_flight) {
                        if (!q.deferred_until) q.deferred_until = t + options_.round_timeout;
                        if (t < *q.deferred_until) {
                            s->deferred.push_back(std::move(q));
                        } else if (q.tag) {
                            failed_tags[i].push_back(*q.tag);
                        }
                    }
                    retried[i] = failed_tags[i].empty();
                } else {
                    for (const auto& q : s->in_flight) {
                        if (q.tag) failed_tags[i].push_back(*q.tag);
                    }
                }
                s->in_flight.clear();
            }
        }
    }
    bool deposits_refused = false;
    for (const auto& outgoing : out.messages) {
        for (const std::size_t to : outgoing.to)
            send_(id, to, wire::ChannelMessage{outgoing.message});
        // Also our own withdrawal for that reason (a reorg lowered the holdings): a read costs little.
        const auto* rejection = std::get_if<channel::Rejection>(&outgoing.message);
        deposits_refused |= rejection && rejection->code == Errc::channel_exceeds_deposits;
    }
    if (deposits_refused && hooks_.deposits_refused) hooks_.deposits_refused(id);
    for (std::size_t i = 0; i < out.events.size(); ++i) {
        if (std::holds_alternative<channel::UpdateCompleted>(out.events[i])) {
            std::lock_guard stats(stats_mutex_);
            ++stats_.rounds_completed;
        }
        if (!retried[i]) on_event_(ChannelEvent{id, out.events[i], std::move(failed_tags[i])});
    }
    if (our_round && hooks_.round_completed) hooks_.round_completed(our_round->first, our_round->second);
}

std::optional<channel::SignedState> ChannelManager::latest(const Hash& channel_id) const {
    auto s = slot(channel_id);
    if (!s) return std::nullopt;
    std::lock_guard lock(s->mutex);
    return s->machine->latest();
}

std::optional<channel::Params> ChannelManager::params(const Hash& channel_id) const {
    auto s = slot(channel_id);
    if (!s) return std::nullopt;
    std::lock_guard lock(s->mutex);
    return s->machine->params();
}

std::size_t ChannelManager::queued(const Hash& channel_id) const {
    auto s = slot(channel_id);
    if (!s) return 0;
    std::lock_guard lock(s->mutex);
    return s->queue.size();
}

std::optional<SyncPoint> ChannelManager::sync_point(const Hash& channel_id) const {
    auto s = slot(channel_id);
    if (!s) return std::nullopt;
    std::lock_guard lock(s->mutex);
    return SyncPoint{s->machine->latest().state.version, s->machine->highest_signed_version()};
}

std::vector<Hash> ChannelManager::channels_with(const Address& peer) const {
    std::vector<std::pair<Hash, std::shared_ptr<Slot>>> all;
    {
        std::lock_guard lock(slots_mutex_);
        all.assign(slots_.begin(), slots_.end());
    }
    std::vector<Hash> ids;
    for (const auto& [id, s] : all) {
        std::lock_guard lock(s->mutex);
        if (channel::participant_index(s->machine->params(), peer)) ids.push_back(id);
    }
    return ids;
}

ChannelStats ChannelManager::stats() const {
    std::lock_guard lock(stats_mutex_);
    return stats_;
}

std::vector<Hash> ChannelManager::channel_ids() const {
    std::lock_guard lock(slots_mutex_);
    std::vector<Hash> ids;
    for (const auto& [id, s] : slots_)
        ids.push_back(id);
    return ids;
}

}  // namespace sluice::sdk
