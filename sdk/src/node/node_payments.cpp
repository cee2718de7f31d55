// Node: payments. Direct payments inside a channel, invoices, hashlocked payments to a payee directly or
// through an intermediary (DESIGN.md §3), and the intermediary's forwarding. What a lock asks of us is read
// from the latest fully signed state each time it changes and once a second (act_on_locks), so a restart
// resumes where the states are, not where memory was; the bookkeeping is PaymentBook's.
#include <sodium.h>

#include "node/node_peer.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/sdk/node.hpp"

namespace sluice::sdk {
namespace {

Hash random_hash() {
    Hash h;
    randombytes_buf(h.data(), h.size());
    return h;
}

u256 balance_in(const channel::State& s, const Address& asset, std::size_t who) {
    for (const auto& alloc : s.outcome) {
        if (alloc.asset == asset && who < alloc.balances.size()) return alloc.balances[who];
    }
    return u256{};
}

// What `who` has locked toward others in `asset`: its outgoing locks.
u256 locked_by(const channel::State& s, const Address& asset, std::size_t who) {
    u256 total;
    for (const auto& alloc : s.outcome) {
        if (alloc.asset != asset) continue;
        for (const auto& l : alloc.locks)
            if (l.from == who) total += l.amount;
    }
    return total;
}

}  // namespace

Result<Hash> Node::pay(const Hash& channel_id, std::uint16_t to, const Address& asset, const u256& amount) {
    const auto params = channels_.params(channel_id);
    if (!params) return make_error(Errc::node_unknown_channel, "no channel " + to_hex(channel_id.view()));
    if (to >= params->participants.size())
        return make_error(Errc::invalid_argument, "no participant " + std::to_string(to));
    PaymentRecord record;
    record.id = random_hash();
    record.channel_id = channel_id;
    record.asset = asset;
    record.amount = amount;
    record.counterparty = params->participants[to];
    record.created = record.updated = now();
    book_.post_direct(record);
    SLUICE_CHECK_OK(channels_.submit(channel_id, channel::Pay{asset, to, amount}, record.id));
    return record.id;
}

Result<std::string> Node::create_invoice(const u256& amount, const Address& asset, std::string description,
                                         std::uint64_t expires_in_seconds) {
    InvoiceRecord record;
    randombytes_buf(record.preimage.data(), record.preimage.size());
    record.hash = keccak256(record.preimage.view());
    Invoice invoice{identity_,
                    amount,
                    asset,
                    record.hash,
                    now() + expires_in_seconds,
                    config_.invoice_hub,
                    std::move(description)};
    SLUICE_TRY(record.text, encode_invoice(invoice));
    record.amount = amount;
    record.asset = asset;
    record.expiry = invoice.expiry;
    record.created = now();
    SLUICE_CHECK_OK(book_.add_invoice(record));
    return record.text;
}

Result<Hash> Node::pay_invoice(std::string_view text, const u256& fee) {
    SLUICE_TRY(const Invoice invoice, decode_invoice(text));
    SLUICE_CHECK_OK(check_not_expired(invoice, now()));
    if (invoice.payee == identity_) return make_error(Errc::invalid_argument, "the invoice is our own");
    SLUICE_TRY(const auto existing, book_.payment(invoice.payment_hash));
    if (existing && existing->status != PaymentStatus::failed)
        return make_error(Errc::node_payment_failed, "this invoice is paid or being paid already");
    // Directly when we share a channel with the payee; else through its hub.
    std::optional<Address> hop;
    Hash channel_id;
    std::size_t to = 0;
    std::size_t me = 0;
    const auto pick = [&](const Address& next, const u256& needed) {
        for (const Hash& id : channels_.channels_with(next)) {
            const auto params = channels_.params(id);
            const auto latest = channels_.latest(id);
            if (!params || !latest || latest->state.is_final) continue;
            const auto mine = channel::participant_index(*params, identity_);
            if (mine && balance_in(latest->state, invoice.asset, *mine) >= needed) {
                channel_id = id;
                to = *channel::participant_index(*params, next);
                me = *mine;
                return true;
            }
        }
        return false;
    };
    u256 total = invoice.amount;
    if (pick(invoice.payee, invoice.amount)) {
        hop = invoice.payee;
    } else if (invoice.hub && pick(invoice.hub->identity, invoice.amount + fee)) {
        hop = invoice.hub->identity;
        total = invoice.amount + fee;
    } else {
        const bool any = !channels_.channels_with(invoice.payee).empty() ||
                         (invoice.hub && !channels_.channels_with(invoice.hub->identity).empty());
        if (!any) return make_error(Errc::node_unknown_peer, "no channel to the payee or its hub");
        return make_error(Errc::node_insufficient_balance,
                          "no channel to the payee or its hub carries " + total.to_dec());
    }
    const std::uint64_t expiry = now() + config_.payment_lock_lifetime;
    PaymentRecord record;
    record.id = invoice.payment_hash;
    record.hashlocked = true;
    record.channel_id = channel_id;
    record.asset = invoice.asset;
    record.amount = invoice.amount;
    record.fee = total - invoice.amount;
    record.counterparty = invoice.payee;
    record.lock_expiry = expiry;
    record.created = record.updated = now();
    if (existing) {
        // A failed attempt before: this one starts over under the same hash.
        SLUICE_CHECK_OK(store_->write([&](sqlite::Database& db) -> Status {
            SLUICE_TRY(auto drop, db.prepare("DELETE FROM payments WHERE id = ?1 AND status = 3"));
            return drop.bind(1, record.id.view()).run();
        }));
    }
    SLUICE_CHECK_OK(book_.add(record));
    if (*hop != invoice.payee) {
        // Sent before the lock's proposal on the same connection, so the hub knows where it goes first.
        send_to(*hop, wire::Forward{channel_id, invoice.payment_hash, invoice.payee, invoice.amount,
                                    expiry - forwarding().delta});
    }
    channel::Lock lock{invoice.payment_hash, total, static_cast<std::uint16_t>(me),
                       static_cast<std::uint16_t>(to), expiry};
    SLUICE_CHECK_OK(
        channels_.submit(channel_id, channel::AddLock{invoice.asset, lock}, invoice.payment_hash));
    return invoice.payment_hash;
}

void Node::on_channel_event(const ChannelEvent& event) {
    if (const auto* done = std::get_if<channel::UpdateCompleted>(&event.event)) {
        {
            std::lock_guard lock(mutex_);
            // What the new state no longer holds may be acted on again if it comes back.
            std::erase_if(acting_, [&](const auto& key) { return key.first == event.channel_id; });
        }
        if (done->state.state.is_final)
            on_final_state(event.channel_id);
        else
            act_on_locks(event.channel_id, done->state.state);
        return;
    }
    const auto* failed = std::get_if<channel::UpdateFailed>(&event.event);
    if (!failed) return;
    for (const Hash& tag : event.failed_tags) {
        {
            std::lock_guard lock(mutex_);
            acting_.erase({event.channel_id, tag});
        }
        (void)book_.fail(tag, std::string(errc_name(failed->error.code)), failed->error.message);
        // An outgoing lock of a forward that could not be placed: the payment fails back upstream.
        const auto forward = book_.forward_out(event.channel_id, tag);
        if (forward && *forward && (*forward)->status == ForwardStatus::forwarded) {
            ForwardRecord f = **forward;
            f.status = ForwardStatus::failed;
            (void)book_.put_forward(f);
        }
    }
}

void Node::resume_payments() {
    const auto pending = book_.unresolved();
    if (!pending) return;
    for (const PaymentRecord& p : *pending) {
        if (p.hashlocked || p.status != PaymentStatus::pending) continue;  // locks resolve from the states
        // Not in any fully signed state (book_round would have marked it): it was never paid. Again.
        const auto params = channels_.params(p.channel_id);
        const auto to = params ? channel::participant_index(*params, p.counterparty) : std::nullopt;
        if (!to) {
            (void)book_.fail(p.id, "node_unknown_channel", "the channel is gone");
            continue;
        }
        (void)channels_.submit(p.channel_id, channel::Pay{p.asset, static_cast<std::uint16_t>(*to), p.amount},
                               p.id);
    }
}

void Node::act_once(const Hash& channel_id, const Hash& hashlock, channel::Operation op) {
    {
        std::lock_guard lock(mutex_);
        if (!acting_.insert({channel_id, hashlock}).second) return;
    }
    if (!channels_.submit(channel_id, std::move(op), hashlock).ok()) {
        std::lock_guard lock(mutex_);
        acting_.erase({channel_id, hashlock});
    }
}

void Node::act_on_all_locks() {
    for (const Hash& id : channels_.channel_ids()) {
        const auto latest = channels_.latest(id);
        if (latest) act_on_locks(id, latest->state);
    }
}

void Node::act_on_locks(const Hash& channel_id, const channel::State& state) {
    const auto params = channels_.params(channel_id);
    if (!params) return;
    const auto me = channel::participant_index(*params, identity_);
    if (!me) return;
    const std::uint64_t t = now();
    for (const auto& alloc : state.outcome) {
        for (const auto& lock : alloc.locks) {
            if (lock.from == *me) {
                // Ours and expired: take it back (the machine refuses this if L1 saw its preimage in time).
                if (lock.expiry <= t)
                    act_once(channel_id, lock.hashlock, channel::CancelLock{alloc.asset, lock.hashlock});
                continue;
            }
            if (lock.to != *me) continue;
            const auto cancel = channel::CancelLock{alloc.asset, lock.hashlock};
            const auto preimage = book_.seen_preimage(lock.hashlock);
            if (!preimage) continue;  // the store is failing: try again at the next tick
            const auto invoice = book_.invoice(lock.hashlock);
            if (!invoice) continue;
            if (*invoice) {
                const InvoiceRecord& inv = **invoice;
                const bool fits = inv.asset == alloc.asset && lock.amount >= inv.amount &&
                                  lock.expiry > t + config_.machine.lock_margin / 2;
                if (fits && !inv.paid) {
                    act_once(channel_id, lock.hashlock,
                             channel::SettleLock{alloc.asset, lock.hashlock,
                                                 Secret<32>::from_view(inv.preimage.view()).value()});
                } else if (!inv.paid) {
                    act_once(channel_id, lock.hashlock, cancel);
                }
                continue;
            }
            const auto forward = book_.forward(channel_id, lock.hashlock);
            if (!forward) continue;
            if (*preimage) {
                // Downstream revealed it: collect upstream.
                act_once(channel_id, lock.hashlock,
                         channel::SettleLock{alloc.asset, lock.hashlock,
                                             Secret<32>::from_view((*preimage)->view()).value()});
            } else if (!*forward) {
                act_once(channel_id, lock.hashlock, cancel);  // nobody asked us to take it
            } else if ((*forward)->status == ForwardStatus::pending) {
                try_forward(channel_id, lock, alloc.asset, **forward);
            } else if ((*forward)->status == ForwardStatus::failed) {
                act_once(channel_id, lock.hashlock, cancel);
            }
        }
    }
}

void Node::on_forward(const Sender& from, const wire::Forward& forward) {
    const auto params = channels_.params(forward.channel_id);
    if (!params || !channel::participant_index(*params, from.address)) {
        refuse(from,
               make_error(Errc::node_unknown_channel,
                          "no channel " + to_hex(forward.channel_id.view()) + " with you"),
               "forward");
        return;
    }
    if (!forwarding().enabled) {
        send_to(from.address, wire::ForwardFailed{forward.channel_id, forward.hashlock, "not_supported",
                                                  "this node does not forward payments"});
        return;
    }
    const auto existing = book_.forward(forward.channel_id, forward.hashlock);
    if (!existing || *existing) return;  // a repeat (the payer resumed): the first one stands
    (void)book_.put_forward(ForwardRecord{forward.channel_id, forward.hashlock, forward.payee, forward.amount,
                                          forward.expiry, std::nullopt, ForwardStatus::pending});
}

void Node::on_forward_failed(const Sender& from, const wire::ForwardFailed& failed) {
    const auto record = book_.payment(failed.hashlock);
    if (!record || !*record || (*record)->channel_id != failed.channel_id) {
        refuse(from, make_error(Errc::node_unknown_payment, "no payment of ours with this hash"),
               "forward_failed");
        return;
    }
    // Kept for the PaymentFailed that the cancel of our lock brings.
    book_.post_failure_reason(failed.hashlock, failed.code, failed.message);
}

void Node::try_forward(const Hash& in_channel, const channel::Lock& lock, const Address& asset,
                       ForwardRecord forward) {
    const std::uint64_t t = now();
    const ForwardingPolicy policy = forwarding();
    if (forward.expiry + policy.delta > lock.expiry || forward.expiry <= t + config_.machine.lock_margin)
        return fail_forward(
            in_channel, lock, asset, forward,
            make_error(Errc::node_payment_failed, "the lock expiries leave no room to forward"));
    // The first refusal that is not for want of balance is the one the payer hears (fee, limit).
    std::optional<Error> refusal;
    for (const Hash& out : channels_.channels_with(forward.payee)) {
        if (out == in_channel) continue;
        const auto params = channels_.params(out);
        const auto latest = channels_.latest(out);
        if (!params || !latest || latest->state.is_final) continue;
        const auto me = channel::participant_index(*params, identity_);
        const auto payee = channel::participant_index(*params, forward.payee);
        if (!me || !payee || balance_in(latest->state, asset, *me) < forward.amount) continue;
        const u256 fee = policy.fee_for(forward.amount, out);
        if (lock.amount < forward.amount + fee) {
            if (!refusal) refusal = make_error(Errc::node_payment_failed, "the fee is below " + fee.to_dec());
            continue;
        }
        if (const u256 limit = policy.limit_for(out); limit != u256{}) {
            const u256 locked = locked_by(latest->state, asset, *me);
            if (locked + forward.amount > limit) {
                if (!refusal)
                    refusal = make_error(Errc::hub_liquidity_limit, "the channel toward the payee has " +
                                                                        locked.to_dec() + " of its limit " +
                                                                        limit.to_dec() + " locked already");
                continue;
            }
        }
        forward.out_channel = out;
        forward.status = ForwardStatus::forwarded;
        if (!book_.put_forward(forward).ok()) return;  // retried at the next tick
        channel::Lock next{lock.hashlock, forward.amount, static_cast<std::uint16_t>(*me),
                           static_cast<std::uint16_t>(*payee), forward.expiry};
        act_once(out, lock.hashlock, channel::AddLock{asset, next});
        return;
    }
    if (refusal) return fail_forward(in_channel, lock, asset, forward, *refusal);
    fail_forward(
        in_channel, lock, asset, forward,
        make_error(Errc::node_insufficient_balance, "no channel to " + forward.payee.to_checksum_hex() +
                                                        " carries " + forward.amount.to_dec()));
}

void Node::fail_forward(const Hash& in_channel, const channel::Lock& lock, const Address& asset,
                        ForwardRecord forward, const Error& why) {
    forward.status = ForwardStatus::failed;
    if (!book_.put_forward(forward).ok()) return;
    const auto params = channels_.params(in_channel);
    if (params && lock.from < params->participants.size()) {
        send_to(
            params->participants[lock.from],
            wire::ForwardFailed{in_channel, lock.hashlock, std::string(errc_name(why.code)), why.message});
    }
    act_once(in_channel, lock.hashlock, channel::CancelLock{asset, lock.hashlock});
}

void Node::on_revealed(const Hash& channel_id, const std::vector<Bytes32>& preimages) {
    for (const Bytes32& preimage : preimages) {
        book_.post_seen_preimage(preimage);
        // The payee settled our outgoing lock of a forward: we may now collect the incoming one, and must
        // refuse its refund.
        const Hash hashlock = keccak256(preimage.view());
        const auto forward = book_.forward_out(channel_id, hashlock);
        if (!forward || !*forward) continue;
        const Hash in = (*forward)->in_channel;
        (void)channels_.learn_preimage(in, preimage);
        const auto upstream = channels_.latest(in);
        if (!upstream) continue;
        for (const auto& alloc : upstream->state.outcome) {
            for (const auto& lock : alloc.locks) {
                if (lock.hashlock == hashlock)
                    act_once(in, hashlock,
                             channel::SettleLock{alloc.asset, hashlock,
                                                 Secret<32>::from_view(preimage.view()).value()});
            }
        }
    }
}

}  // namespace sluice::sdk
