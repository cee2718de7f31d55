// EIP-712 hashing of State, computed field by field with precomputed type hashes: this runs on every update
// (sign and check), so it avoids the generic JSON path of core/eip712 (tests prove both agree).
#include <array>
#include <cstring>
#include <string_view>

#include "sluice/channel/encoding.hpp"
#include "sluice/core/eip712.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel {
namespace {

constexpr std::string_view kLockType =
    "Lock(bytes32 hashlock,uint256 amount,uint16 from,uint16 to,uint64 expiry)";
constexpr std::string_view kAllocType = "Alloc(address asset,uint256[] balances,Lock[] locks)";
constexpr std::string_view kStateType =
    "State(bytes32 channelId,uint64 version,Alloc[] outcome,bytes appData,bool isFinal)";

struct TypeHashes {
    Hash lock, alloc, state;
};

// Referenced struct types follow the primary type, sorted by name (EIP-712 encodeType).
const TypeHashes& type_hashes() {
    static const TypeHashes hashes = [] {
        const std::string lock(kLockType);
        const std::string alloc = std::string(kAllocType) + lock;
        const std::string state = std::string(kStateType) + alloc;
        return TypeHashes{keccak256(as_bytes(lock)), keccak256(as_bytes(alloc)), keccak256(as_bytes(state))};
    }();
    return hashes;
}

void put(std::uint8_t* out, const Hash& h) {
    std::memcpy(out, h.data(), 32);
}
void put(std::uint8_t* out, const u256& x) {
    put(out, x.to_be());
}
void put(std::uint8_t* out, const Address& a) {
    std::memset(out, 0, 12);
    std::memcpy(out + 12, a.data(), 20);
}

Hash lock_hash(const Lock& lock) {
    std::array<std::uint8_t, 5 * 32> fields{};
    put(fields.data(), lock.hashlock);
    put(fields.data() + 32, lock.amount);
    put(fields.data() + 64, u256{lock.from});
    put(fields.data() + 96, u256{lock.to});
    put(fields.data() + 128, u256{lock.expiry});
    return hash_struct_encoded(type_hashes().lock, fields);
}

Hash alloc_hash(const Alloc& alloc) {
    Keccak256 balances;
    for (const u256& b : alloc.balances)
        balances.update(b.to_be().view());
    Keccak256 locks;
    for (const Lock& l : alloc.locks)
        locks.update(lock_hash(l).view());
    std::array<std::uint8_t, 3 * 32> fields{};
    put(fields.data(), alloc.asset);
    put(fields.data() + 32, balances.finalize());
    put(fields.data() + 64, locks.finalize());
    return hash_struct_encoded(type_hashes().alloc, fields);
}

}  // namespace

Hash state_hash(const State& state) {
    Keccak256 outcome;
    for (const Alloc& a : state.outcome)
        outcome.update(alloc_hash(a).view());
    std::array<std::uint8_t, 5 * 32> fields{};
    put(fields.data(), state.channel_id);
    put(fields.data() + 32, u256{state.version});
    put(fields.data() + 64, outcome.finalize());
    put(fields.data() + 96, keccak256(state.app_data));
    fields[4 * 32 + 31] = static_cast<std::uint8_t>(state.is_final);
    return hash_struct_encoded(type_hashes().state, fields);
}

// Core's; state_digest keeps the last one per thread, so this is not on the per-update path.
Hash domain_separator(const u256& chain_id, const Address& adjudicator) {
    return Eip712Domain{"Sluice", "1", chain_id, adjudicator}.domain_separator();
}

Hash state_digest(const Params& params, const State& state) {
    // A node signs for one adjudicator on one chain, so the last domain is nearly always the next one;
    // keeping it saves two of the ~14 keccak blocks of a small state. thread_local: no locking, no sharing.
    struct LastDomain {
        u256 chain_id;
        Address adjudicator;
        Hash separator;
        bool valid = false;
    };
    thread_local LastDomain last;
    if (!last.valid || last.chain_id != params.chain_id || last.adjudicator != params.adjudicator) {
        last = {params.chain_id, params.adjudicator, domain_separator(params.chain_id, params.adjudicator),
                true};
    }
    return typed_data_digest(last.separator, state_hash(state));
}

}  // namespace sluice::channel
