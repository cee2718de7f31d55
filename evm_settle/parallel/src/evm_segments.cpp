// EvmSegments: run, check and put together the segments of an optimistic batch (see evm_segments.hpp).
#include "evm_segments.hpp"

#include <algorithm>
#include <bit>
#include <unordered_map>
#include <utility>

#include "evm_tx_read_log.hpp"
#include "sluice/evm/transaction_processor.hpp"

namespace sluice::parallel {
namespace {

// Two bits per location in a filter of 2^k bits; the location hash is already well mixed.
std::pair<std::uint64_t, std::uint64_t> filter_bits(const EvmLocation& loc, std::uint64_t mask) noexcept {
    const auto h = static_cast<std::uint64_t>(EvmLocationHash{}(loc));
    return {h & mask, (h * 0x9E3779B97F4A7C15ULL >> 17) & mask};
}

// Marks that every slot of the account changed (deleted, or storage cleared).
EvmLocation wiped_marker(const Address& address) {
    return EvmLocation{address, EvmField::kCode, Bytes32{}};
}

// Whether a reader of `before` (the base) would have seen something else after `change`.
bool header_differs(const evm::AccountChange& change, const std::optional<evm::AccountInfo>& before) {
    if (change.deleted) return before.has_value();
    if (!before || change.storage_cleared) return true;
    // has_storage turns true once a non-zero slot is written, even if zeroed again later.
    if (!before->has_storage && !change.storage.empty()) return true;
    return change.nonce != before->nonce || change.balance != before->balance ||
           change.code_hash != before->code_hash;
}

// The change of `address` in a diff sorted by address, or where it would go.
std::vector<evm::AccountChange>::iterator find_change(std::vector<evm::AccountChange>& accounts,
                                                      const Address& address) {
    return std::lower_bound(accounts.begin(), accounts.end(), address,
                            [](const evm::AccountChange& c, const Address& a) { return c.address < a; });
}

// The coinbase `info` (absent: a new account) with `fees` added to its balance.
evm::AccountChange fee_credit(const Address& coinbase, const std::optional<evm::AccountInfo>& info,
                              const u256& fees) {
    evm::AccountChange c;
    c.address = coinbase;
    c.nonce = info ? info->nonce : 0;
    c.balance = (info ? info->balance : u256{}) + fees;
    c.code_hash = info ? info->code_hash : evm::kEmptyCodeHash;
    return c;
}

// Appends `from` to `to` with `gas` (the gas used before them) added to their cumulative gas.
void append_receipts(std::vector<Result<evm::Receipt>>& to, std::vector<Result<evm::Receipt>>& from,
                     std::int64_t gas) {
    for (Result<evm::Receipt>& r : from) {
        if (r.ok()) r->cumulative_gas_used += gas;
        to.push_back(std::move(r));
    }
}

// `lower` followed by `higher`, for the same account.
void combine(evm::AccountChange& lower, evm::AccountChange&& higher) {
    if (higher.deleted) {
        lower = std::move(higher);
        return;
    }
    const bool lower_gone = lower.deleted;
    lower.deleted = false;
    lower.nonce = higher.nonce;
    lower.balance = higher.balance;
    lower.code_hash = higher.code_hash;
    if (higher.code || lower_gone) lower.code = std::move(higher.code);
    if (higher.storage_cleared || lower_gone) {
        lower.storage_cleared = true;
        if (higher.storage_cleared || lower.storage.empty() || lower_gone) {
            lower.storage = std::move(higher.storage);
            return;
        }
    }
    std::vector<std::pair<Bytes32, u256>> merged;
    merged.reserve(lower.storage.size() + higher.storage.size());
    auto lo = lower.storage.begin();
    auto hi = higher.storage.begin();
    while (lo != lower.storage.end() || hi != higher.storage.end()) {
        if (hi == higher.storage.end() || (lo != lower.storage.end() && lo->first < hi->first)) {
            merged.push_back(*lo++);
        } else {
            if (lo != lower.storage.end() && lo->first == hi->first) ++lo;  // the higher write wins
            merged.push_back(*hi++);
        }
    }
    lower.storage = std::move(merged);
}

}  // namespace

EvmSegments::EvmSegments(unsigned segments) {
    segments_.reserve(segments);
    for (unsigned w = 0; w < segments; ++w)
        segments_.push_back(std::make_unique<Segment>());
}

void EvmSegments::start(const evm::StateView& base, const EvmBlockEnv& env,
                        std::span<const evm::Transaction> txs) {
    base_ = &base;
    env_ = &env;
    txs_ = txs;
    absorbed_ = 1;
    repaired_any_ = false;
    reruns_ = 0;
    rerun_target_.reset();
}

void EvmSegments::execute(unsigned w) {
    Segment& s = *segments_[w];
    s.repaired.reset();  // the last batch's, freed into the pool by the worker that filled it
    s.overlay.reset();
    s.reads.reset(*base_, env_->block.coinbase);
    s.overlay.emplace(s.reads, &s.memory);
    s.receipts.clear();
    s.fees = u256{};
    s.suspect.reset();
    s.history.clear();
    s.stale.clear();
    const std::size_t begin = segment_begin(w);
    const std::size_t end = segment_begin(w + 1);
    s.receipts.reserve(end - begin);
    s.history.reserve(end - begin);
    std::int64_t gas = 0;
    for (std::size_t i = begin; i < end; ++i) {
        s.reads.set_tx(i);
        const TxReadLog log(*s.overlay, s.history.read_keys, env_->block.coinbase);
        auto r =
            evm::apply_transaction(log, env_->block, txs_[i], env_->rev, gas, {.defer_coinbase_fee = true});
        if (!r) {
            s.receipts.emplace_back(std::move(r).error());
            s.history.add(evm::StateDiff{}, u256{});
            continue;
        }
        s.history.add(r->diff, r->deferred_coinbase_fee);
        s.overlay->apply(r->diff);
        gas = r->receipt.cumulative_gas_used;
        s.fees = s.fees + r->deferred_coinbase_fee;
        s.receipts.emplace_back(std::move(r->receipt));
    }
    s.gas_used = gas;
    s.diff = s.overlay->to_diff();
    build_filter(s);
}

void EvmSegments::build_filter(Segment& s) const {
    std::size_t entries = 0;
    for (const evm::AccountChange& c : s.diff.accounts)
        entries += 2 + c.storage.size();
    // ~16 bits per entry and two bits each: a few percent of false "maybe"s.
    const std::size_t bits = std::max<std::size_t>(1024, std::bit_ceil(16 * entries));
    s.filter.assign(bits / 64, 0);
    const std::uint64_t mask = bits - 1;
    const auto set = [&s, mask](const EvmLocation& loc) {
        const auto [a, b] = filter_bits(loc, mask);
        s.filter[a / 64] |= std::uint64_t{1} << (a % 64);
        s.filter[b / 64] |= std::uint64_t{1} << (b % 64);
    };
    for (const evm::AccountChange& c : s.diff.accounts) {
        set(EvmLocation{c.address, EvmField::kAccount, Bytes32{}});
        if (c.deleted || c.storage_cleared) set(wiped_marker(c.address));
        for (const auto& slot : c.storage)
            set(EvmLocation{c.address, EvmField::kStorage, slot.first});
    }
}

bool EvmSegments::maybe_changed(const Segment& s, const EvmLocation& loc) {
    const std::uint64_t mask = s.filter.size() * 64 - 1;
    const auto test = [&s, mask](const EvmLocation& l) {
        const auto [a, b] = filter_bits(l, mask);
        return (s.filter[a / 64] >> (a % 64) & 1U) != 0 && (s.filter[b / 64] >> (b % 64) & 1U) != 0;
    };
    return test(loc) || (loc.field == EvmField::kStorage && test(wiped_marker(loc.address)));
}

// The highest lower segment that changed the read's account decides: a different value there
// makes the read suspect; a slot it did not write passes the question further down.
bool EvmSegments::suspect_read(unsigned w, const SegmentReads::Read& read) const {
    const Address& address = read.loc.address;
    for (unsigned v = w; v-- > 0;) {
        auto& accounts = segments_[v]->diff.accounts;
        const auto it = find_change(accounts, address);
        if (it == accounts.end() || it->address != address) continue;
        if (read.loc.field != EvmField::kStorage) return header_differs(*it, base_->account(address));
        if (it->deleted || it->storage_cleared) return true;
        const auto slot =
            std::lower_bound(it->storage.begin(), it->storage.end(), read.loc.slot,
                             [](const auto& entry, const Bytes32& key) { return entry.first < key; });
        if (slot == it->storage.end() || slot->first != read.loc.slot) continue;
        return slot->second != base_->storage(address, read.loc.slot);
    }
    return false;
}

void EvmSegments::check(unsigned w) {
    Segment& s = *segments_[w];
    const std::optional<std::size_t> coinbase_read = s.reads.coinbase_read();
    std::optional<std::size_t> suspect = coinbase_read;
    s.stale.clear();
    if (w > 0) {
        // Many transactions read the same locations (a token's code and account): decide each once.
        std::unordered_map<EvmLocation, bool, EvmLocationHash> verdicts;
        for (const SegmentReads::Read& read : s.reads.reads()) {
            // Reads are in transaction order. A segment that read the coinbase is not repaired, so
            // its first suspect read is all it needs; otherwise a repair needs every stale location.
            if (coinbase_read && read.tx >= *suspect) break;
            bool maybe = false;
            for (unsigned v = 0; v < w && !maybe; ++v)
                maybe = maybe_changed(*segments_[v], read.loc);
            if (!maybe) continue;
            auto [it, inserted] = verdicts.try_emplace(read.loc, false);
            if (!inserted) continue;
            it->second = suspect_read(w, read);
            if (!it->second) continue;
            s.stale.push_back(static_cast<std::uint64_t>(EvmLocationHash{}(read.loc)));
            if (!suspect || read.tx < *suspect) suspect = read.tx;
        }
    }
    s.suspect = suspect;
}

unsigned EvmSegments::first_suspect() const {
    for (unsigned w = 0; w < segments_.size(); ++w) {
        if (segments_[w]->suspect) return w;
    }
    return static_cast<unsigned>(segments_.size());
}

unsigned EvmSegments::settle() {
    const auto n = static_cast<unsigned>(segments_.size());
    if (segments_[0]->suspect) return 0;
    bool changed_below = false;
    for (unsigned w = 1; w < n; ++w) {
        Segment& s = *segments_[w];
        if (changed_below) check(w);  // against the repaired diffs below
        if (!s.suspect) continue;
        if (s.reads.coinbase_read() || !repair(w)) return w;
        changed_below = true;
    }
    return n;
}

bool EvmSegments::repair(unsigned w) {
    Segment& s = *segments_[w];
    // The segment's pool: its worker is idle until the next batch, and frees these nodes then.
    s.repaired.emplace(absorb_below(w), &s.memory);
    s.repaired->reserve(s.diff.accounts.size());
    const std::size_t begin = segment_begin(w);
    RepairOutcome outcome;
    const bool ok = repair_segment(*s.repaired, *env_, txs_.subspan(begin, segment_begin(w + 1) - begin),
                                   s.history, s.receipts, s.stale, outcome);
    if (outcome.reruns > 0) {
        const bool first = reruns_ == 0;
        rerun_target_ = first || rerun_target_ == outcome.rerun_target ? outcome.rerun_target : std::nullopt;
    }
    reruns_ += outcome.reruns;
    if (!ok) {
        s.repaired.reset();
        return false;
    }
    s.gas_used = outcome.gas_used;
    s.fees = outcome.fees;
    s.diff = s.repaired->to_diff();  // over the segments below, as merge_diffs expects
    build_filter(s);
    s.suspect.reset();
    repaired_any_ = true;
    return true;
}

OverlayState& EvmSegments::absorb_below(unsigned end) {
    Segment& first = *segments_[0];
    first.reads.pass_through();  // read by others from now on (a repair, Block-STM's workers)
    OverlayState& state = *first.overlay;
    for (; absorbed_ < end; ++absorbed_) {
        const Segment& s = *segments_[absorbed_];
        state.absorb(s.repaired ? *s.repaired : *s.overlay);
    }
    return state;
}

u256 EvmSegments::fees_below(unsigned end) const {
    u256 fees;
    for (unsigned w = 0; w < end; ++w)
        fees = fees + segments_[w]->fees;
    return fees;
}

OverlayState& EvmSegments::prefix_state(unsigned end) {
    OverlayState& state = absorb_below(end);
    if (const u256 fees = fees_below(end); !fees.is_zero()) {
        const Address& coinbase = env_->block.coinbase;
        evm::StateDiff credit;
        credit.accounts.push_back(fee_credit(coinbase, state.account(coinbase), fees));
        state.apply(credit);
    }
    return state;
}

EvmBatchResult EvmSegments::merge(unsigned end, EvmBatchResult* rest) {
    EvmBatchResult out;
    out.receipts.reserve(txs_.size());
    std::int64_t gas = 0;
    std::vector<evm::StateDiff*> diffs;
    for (unsigned w = 0; w < end; ++w) {
        Segment& s = *segments_[w];
        append_receipts(out.receipts, s.receipts, gas);
        gas += s.gas_used;
        diffs.push_back(&s.diff);
    }
    if (rest != nullptr) {
        append_receipts(out.receipts, rest->receipts, gas);
        diffs.push_back(&rest->diff);
        out.stats = rest->stats;
    }
    out.diff = merge_diffs(diffs);

    // No segment below `end` read the coinbase (else it would be suspect), so their fees are still
    // to be credited; unless the rest changed the coinbase, on top of a state with them credited.
    if (const u256 fees = fees_below(end); !fees.is_zero()) {
        auto& accounts = out.diff.accounts;
        const Address& coinbase = env_->block.coinbase;
        const auto it = find_change(accounts, coinbase);
        if (it == accounts.end() || it->address != coinbase)
            accounts.insert(it, fee_credit(coinbase, base_->account(coinbase), fees));
    }
    out.stats.executions += segment_begin(end) + reruns_;
    return out;
}

// Each diff is sorted by address and changes the state after the ones before it.
evm::StateDiff EvmSegments::merge_diffs(const std::vector<evm::StateDiff*>& diffs) {
    std::size_t total = 1;
    for (const evm::StateDiff* d : diffs)
        total += d->accounts.size();
    evm::StateDiff out;
    auto& accounts = out.accounts;
    accounts.reserve(total);
    std::vector<std::size_t> next(diffs.size(), 0);
    for (;;) {
        const Address* lowest = nullptr;
        for (std::size_t v = 0; v < diffs.size(); ++v) {
            const auto& list = diffs[v]->accounts;
            if (next[v] < list.size() && (lowest == nullptr || list[next[v]].address < *lowest))
                lowest = &list[next[v]].address;
        }
        if (lowest == nullptr) break;
        const Address address = *lowest;
        bool first = true;
        for (std::size_t v = 0; v < diffs.size(); ++v) {
            auto& list = diffs[v]->accounts;
            if (next[v] >= list.size() || list[next[v]].address != address) continue;
            if (first) {
                accounts.push_back(std::move(list[next[v]]));
                first = false;
            } else {
                combine(accounts.back(), std::move(list[next[v]]));
            }
            ++next[v];
        }
    }
    return out;
}

}  // namespace sluice::parallel
