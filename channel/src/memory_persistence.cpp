// The in-memory Persistence used by tests and tools, with injectable failures.
#include <algorithm>

#include "sluice/channel/persistence.hpp"

namespace sluice::channel {

bool MemoryPersistence::should_fail() noexcept {
    if (fail_always_) return true;
    if (fail_after_ > 0 && --fail_after_ == 0) return true;
    if (fail_next_ > 0) {
        --fail_next_;
        return true;
    }
    return false;
}

PersistResult MemoryPersistence::save_signing(const Hash& channel_id, const State& state) {
    if (should_fail()) return PersistResult::failed;
    auto& record = channels_[channel_id];
    record.last_signed = state;
    if (std::find(record.outstanding.begin(), record.outstanding.end(), state) == record.outstanding.end())
        record.outstanding.push_back(state);
    ++saves_;
    return PersistResult::completed;
}

PersistResult MemoryPersistence::save_fully_signed(const Hash& channel_id, const SignedState& state) {
    if (should_fail()) return PersistResult::failed;
    auto& record = channels_[channel_id];
    record.latest = state;
    if (record.last_signed && record.last_signed->version <= state.state.version) record.last_signed.reset();
    std::erase_if(record.outstanding, [&](const State& s) { return s.version <= state.state.version; });
    ++saves_;
    return PersistResult::completed;
}

PersistResult MemoryPersistence::save_preimage(const Hash& channel_id, const Bytes32& preimage) {
    if (should_fail()) return PersistResult::failed;
    channels_[channel_id].known.add_preimage(preimage);
    ++saves_;
    return PersistResult::completed;
}

PersistResult MemoryPersistence::save_reveal(const Hash& channel_id, const Hash& hashlock,
                                             std::uint64_t revealed_at) {
    if (should_fail()) return PersistResult::failed;
    channels_[channel_id].known.add_reveal(hashlock, revealed_at);
    ++saves_;
    return PersistResult::completed;
}

std::optional<PersistedChannel> MemoryPersistence::load(const Hash& channel_id) const {
    const auto it = channels_.find(channel_id);
    if (it == channels_.end()) return std::nullopt;
    return it->second;
}

}  // namespace sluice::channel
