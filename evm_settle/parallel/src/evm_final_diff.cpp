// EvmFinalDiff: the batch's StateDiff built by the workers (see evm_final_diff.hpp).
#include "evm_final_diff.hpp"

#include <algorithm>
#include <tuple>

namespace sluice::parallel {
namespace {

template <class T>
T big_endian(const std::uint8_t* p) noexcept {
    T v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
        v = static_cast<T>(v << 8 | p[i]);
    return v;
}

}  // namespace

void EvmFinalDiff::reset(unsigned workers, const evm::StateView& base) {
    base_ = &base;
    items_.resize(workers);
    for (auto& per_worker : items_) {
        per_worker.resize(kBuckets);
        for (auto& bucket : per_worker)
            bucket.clear();
    }
    changes_.resize(kBuckets);
    for (auto& bucket : changes_)
        bucket.clear();
}

void EvmFinalDiff::add(unsigned worker, const EvmLocation& loc, const EvmValue& value,
                       const EvmValue* base_value) {
    items_[worker][loc.address[0]].push_back(
        Item{big_endian<std::uint64_t>(loc.address.data()), big_endian<std::uint64_t>(loc.address.data() + 8),
             big_endian<std::uint32_t>(loc.address.data() + 16), loc.field,
             big_endian<std::uint64_t>(loc.slot.data()), &loc, base_value, value});
}

void EvmFinalDiff::build(unsigned worker, unsigned workers) {
    for (std::size_t bucket = worker; bucket < kBuckets; bucket += workers)
        build_bucket(bucket);
}

void EvmFinalDiff::build_bucket(std::size_t bucket) {
    thread_local std::vector<const Item*> sorted;  // the worker's scratch, reused
    sorted.clear();
    for (const auto& per_worker : items_) {
        for (const Item& item : per_worker[bucket])
            sorted.push_back(&item);
    }
    if (sorted.empty()) return;
    std::sort(sorted.begin(), sorted.end(), [](const Item* a, const Item* b) {
        const auto key = [](const Item* i) {
            return std::tie(i->address_hi, i->address_mid, i->address_lo, i->field, i->slot_hi);
        };
        if (key(a) != key(b)) return key(a) < key(b);
        return a->loc->slot < b->loc->slot;
    });
    auto& out = changes_[bucket];
    for (auto first = sorted.begin(); first != sorted.end();) {
        auto last = std::find_if(first, sorted.end(), [&](const Item* i) {
            return i->address_hi != (*first)->address_hi || i->address_mid != (*first)->address_mid ||
                   i->address_lo != (*first)->address_lo;
        });
        build_account(&*first, &*first + (last - first), out);
        first = last;
    }
}

// The items of one address, sorted: kAccount first, then kCode, then the slots in order.
void EvmFinalDiff::build_account(const Item* const* first, const Item* const* last,
                                 std::vector<evm::AccountChange>& out) const {
    const Address& addr = (*first)->loc->address;
    std::optional<EvmAccount> header;
    std::optional<EvmAccount> before;
    if ((*first)->loc->field == EvmField::kAccount) {
        header = std::get<EvmAccount>((*first)->value);
        if ((*first)->base != nullptr) before = std::get<EvmAccount>(*(*first)->base);
        ++first;
    }
    if (!header || !before) {
        const auto info = base_->account(addr);
        before = info ? EvmAccount{true, info->has_storage, info->nonce, info->balance, info->code_hash}
                      : EvmAccount{};
        if (!header) header = before;
    }
    evm::AccountChange change;
    change.address = addr;
    if (!account_exists(*header)) {
        if (!account_exists(*before)) return;  // absent before and after: nothing to delete
        change.deleted = true;
        out.push_back(std::move(change));
        return;
    }
    const EvmCode* code = nullptr;
    if (first != last && (*first)->loc->field == EvmField::kCode) {
        code = &std::get<EvmCode>((*first)->value);
        ++first;
    }
    change.nonce = header->nonce;
    change.balance = header->balance;
    change.code_hash = header->code_hash;
    if (change.code_hash != before->code_hash) {
        change.code = change.code_hash == evm::kEmptyCodeHash || code == nullptr
                          ? std::make_shared<const Bytes>()
                          : owned_code(*code);
    }
    change.storage.reserve(static_cast<std::size_t>(last - first));
    for (; first != last; ++first)
        change.storage.emplace_back((*first)->loc->slot, std::get<u256>((*first)->value));
    out.push_back(std::move(change));
}

evm::StateDiff EvmFinalDiff::take() {
    std::size_t total = 0;
    for (const auto& bucket : changes_)
        total += bucket.size();
    evm::StateDiff diff;
    diff.accounts.reserve(total);
    for (auto& bucket : changes_) {
        for (auto& change : bucket)
            diff.accounts.push_back(std::move(change));
    }
    return diff;
}

}  // namespace sluice::parallel
