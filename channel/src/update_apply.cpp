// Turning a batch of operations into the proposer's next state (update.hpp). Only the proposer runs this;
// receivers judge the resulting state with update_rules.hpp, so nothing here is trusted by anyone else.
#include <algorithm>
#include <string>

#include "sluice/channel/update.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel {
namespace {

Result<Alloc*> find_alloc(State& state, const Address& asset) {
    for (auto& alloc : state.outcome) {
        if (alloc.asset == asset) return &alloc;
    }
    return make_error(Errc::channel_bad_shape, "asset " + asset.to_hex() + " is not in the channel");
}

Result<std::vector<Lock>::iterator> find_lock(Alloc& alloc, const Hash& hashlock) {
    const auto it = std::find_if(alloc.locks.begin(), alloc.locks.end(),
                                 [&](const Lock& lock) { return lock.hashlock == hashlock; });
    if (it == alloc.locks.end())
        return make_error(Errc::channel_bad_lock, "no lock " + to_hex(hashlock.view()));
    return it;
}

Status debit(Alloc& alloc, std::size_t who, const u256& amount, const char* what) {
    if (alloc.balances[who] < amount) {
        return make_error(Errc::channel_overspend, std::string(what) + " of " + amount.to_dec() +
                                                       " exceeds the balance " +
                                                       alloc.balances[who].to_dec());
    }
    alloc.balances[who] -= amount;
    return {};
}

Status credit(Alloc& alloc, std::size_t who, const u256& amount) {
    if (alloc.balances[who] + amount < amount) return make_error(Errc::channel_bad_shape, "balance overflow");
    alloc.balances[who] += amount;
    return {};
}

struct Applier {
    const Params& params;
    std::size_t proposer;
    NextState& next;

    Status check_index(std::size_t index) const {
        if (index >= params.participants.size() || index == proposer) {
            return make_error(Errc::channel_bad_shape, "participant index " + std::to_string(index) +
                                                           " is out of range or the proposer itself");
        }
        return {};
    }

    Status operator()(const Pay& op) {
        SLUICE_CHECK_OK(check_index(op.to));
        SLUICE_TRY(Alloc * alloc, find_alloc(next.state, op.asset));
        SLUICE_CHECK_OK(debit(*alloc, proposer, op.amount, "payment"));
        return credit(*alloc, op.to, op.amount);
    }
    Status operator()(const AddLock& op) {
        if (op.lock.from != proposer)
            return make_error(Errc::channel_overspend, "a lock must be funded by the proposer");
        SLUICE_CHECK_OK(check_index(op.lock.to));
        SLUICE_TRY(Alloc * alloc, find_alloc(next.state, op.asset));
        if (find_lock(*alloc, op.lock.hashlock).ok()) {
            return make_error(Errc::channel_bad_lock,
                              "hashlock " + to_hex(op.lock.hashlock.view()) + " is already locked");
        }
        SLUICE_CHECK_OK(debit(*alloc, proposer, op.lock.amount, "lock"));
        alloc->locks.push_back(op.lock);
        return {};
    }
    Status operator()(const SettleLock& op) {
        SLUICE_TRY(Alloc * alloc, find_alloc(next.state, op.asset));
        SLUICE_TRY(auto it, find_lock(*alloc, op.hashlock));
        if (keccak256(op.preimage.reveal()) != op.hashlock) {
            return make_error(Errc::channel_bad_lock,
                              "the preimage does not hash to " + to_hex(op.hashlock.view()));
        }
        const Lock lock = *it;
        alloc->locks.erase(it);
        next.preimages.push_back(Bytes32::from_view(op.preimage.reveal()).value());
        return credit(*alloc, lock.to, lock.amount);
    }
    Status operator()(const CancelLock& op) {
        SLUICE_TRY(Alloc * alloc, find_alloc(next.state, op.asset));
        SLUICE_TRY(auto it, find_lock(*alloc, op.hashlock));
        const Lock lock = *it;
        alloc->locks.erase(it);
        return credit(*alloc, lock.from, lock.amount);
    }
    Status operator()(const Finalize&) {
        next.state.is_final = true;
        return {};
    }
    // Whether L1 holds it is for the rules (check_deposit_credit) to say, ours as the receivers'.
    Status operator()(const Deposit& op) {
        if (op.amount.is_zero()) return make_error(Errc::channel_bad_shape, "a deposit of zero");
        SLUICE_TRY(Alloc * alloc, find_alloc(next.state, op.asset));
        return credit(*alloc, proposer, op.amount);
    }
};

}  // namespace

Result<NextState> apply_operations(const Params& params, const State& base, std::size_t proposer,
                                   const std::vector<Operation>& ops) {
    NextState next{base, {}};
    next.state.is_final = false;
    Applier applier{params, proposer, next};
    for (std::size_t i = 0; i < ops.size(); ++i) {
        const Status status = std::visit(applier, ops[i]);
        if (!status.ok()) {
            return make_error(status.error().code,
                              "operation " + std::to_string(i) + ": " + status.error().message);
        }
    }
    return next;
}

}  // namespace sluice::channel
