// EvmBase, EvmCodeKeeper and MvStateView: base-state locations and StateView reads through a TxView.
#include "evm_mv_view.hpp"

#include <algorithm>

namespace sluice::parallel {
namespace {

const Bytes no_code_bytes;

// Without a control block, so copies count nothing.
std::shared_ptr<const Bytes> borrowed(const Bytes* bytes) {
    return {std::shared_ptr<const Bytes>{}, bytes != nullptr ? bytes : &no_code_bytes};
}

}  // namespace

EvmCode EvmCodeKeeper::keep(std::shared_ptr<const Bytes> code) {
    if (!code || code->empty()) return EvmCode{};
    std::lock_guard guard(mutex_);
    owned_.push_back(std::move(code));
    return EvmCode{owned_.back().get(), &owned_.back()};
}

std::shared_ptr<const Bytes> owned_code(const EvmCode& code) {
    return code.owner != nullptr ? *code.owner : std::make_shared<const Bytes>();
}

EvmValue EvmBase::operator()(const EvmLocation& loc) const {
    switch (loc.field) {
        case EvmField::kAccount: {
            const auto info = state->account(loc.address);
            if (!info) return EvmAccount{};
            return EvmAccount{true, info->has_storage, info->nonce, info->balance, info->code_hash};
        }
        case EvmField::kCode:
            return codes->keep(state->code(loc.address));
        case EvmField::kStorage:
            return state->storage(loc.address, loc.slot);
    }
    return EvmValue{};
}

std::optional<evm::AccountInfo> MvStateView::account(const Address& addr) const {
    const auto v = view_->read(EvmLocation{addr, EvmField::kAccount, {}});
    if (!v) return std::nullopt;
    const EvmAccount& a = std::get<EvmAccount>(*v);
    seen_->push_back({addr, a});
    if (!account_exists(a)) return std::nullopt;
    return evm::AccountInfo{a.nonce, a.balance, a.code_hash, a.has_storage};
}

u256 MvStateView::storage(const Address& addr, const Bytes32& key) const {
    const auto v = view_->read(EvmLocation{addr, EvmField::kStorage, key});
    return v ? std::get<u256>(*v) : u256{};
}

std::shared_ptr<const Bytes> MvStateView::code(const Address& addr) const {
    const auto v = view_->read(EvmLocation{addr, EvmField::kCode, {}});
    return borrowed(v ? std::get<EvmCode>(*v).bytes : nullptr);
}

const EvmAccountSeen* MvStateView::seen(const Address& addr) const {
    const auto it =
        std::find_if(seen_->begin(), seen_->end(), [&](const auto& s) { return s.address == addr; });
    return it == seen_->end() ? nullptr : &*it;
}

}  // namespace sluice::parallel
