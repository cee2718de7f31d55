// EvmBase and MvStateView: base-state locations and StateView reads through a TxView.
#include "evm_mv_view.hpp"

#include <algorithm>

namespace sluice::parallel {
namespace {

const std::shared_ptr<const Bytes>& no_code() {
    static const auto kEmpty = std::make_shared<const Bytes>();
    return kEmpty;
}

EvmAccountMeta meta_of(const std::optional<evm::AccountInfo>& info) {
    if (!info) return EvmAccountMeta{false, evm::kEmptyCodeHash, false};
    return EvmAccountMeta{true, info->code_hash, info->has_storage};
}

}  // namespace

EvmValue EvmBase::operator()(const EvmLocation& loc) const {
    switch (loc.field) {
        case EvmField::kMeta: return meta_of(state->account(loc.address));
        case EvmField::kNonce: {
            const auto info = state->account(loc.address);
            return info ? info->nonce : std::uint64_t{0};
        }
        case EvmField::kBalance: {
            const auto info = state->account(loc.address);
            return info ? info->balance : u256{};
        }
        case EvmField::kCode: return state->code(loc.address);
        case EvmField::kStorage: return state->storage(loc.address, loc.slot);
    }
    return EvmValue{};
}

std::optional<evm::AccountInfo> MvStateView::account(const Address& addr) const {
    const auto meta = view_->read(EvmLocation{addr, EvmField::kMeta, {}});
    const auto nonce = view_->read(EvmLocation{addr, EvmField::kNonce, {}});
    const auto balance = view_->read(EvmLocation{addr, EvmField::kBalance, {}});
    if (!meta || !nonce || !balance) return std::nullopt;
    EvmAccountSeen s{addr, std::get<EvmAccountMeta>(*meta), std::get<std::uint64_t>(*nonce), std::get<u256>(*balance)};
    seen_.push_back(s);
    if (!account_exists(s.meta, s.nonce, s.balance)) return std::nullopt;
    return evm::AccountInfo{s.nonce, s.balance, s.meta.code_hash, s.meta.has_storage};
}

u256 MvStateView::storage(const Address& addr, const Bytes32& key) const {
    const auto v = view_->read(EvmLocation{addr, EvmField::kStorage, key});
    return v ? std::get<u256>(*v) : u256{};
}

std::shared_ptr<const Bytes> MvStateView::code(const Address& addr) const {
    const auto v = view_->read(EvmLocation{addr, EvmField::kCode, {}});
    return v ? std::get<std::shared_ptr<const Bytes>>(*v) : no_code();
}

const EvmAccountSeen* MvStateView::seen(const Address& addr) const {
    const auto it = std::find_if(seen_.begin(), seen_.end(), [&](const auto& s) { return s.address == addr; });
    return it == seen_.end() ? nullptr : &*it;
}

}  // namespace sluice::parallel
