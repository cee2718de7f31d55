// The channel types as Solidity ABI values and bytes (contracts/README.md, "Protocol details C++ must
// match"). Params are encoded by hand: the layout is fixed and short, and it keeps encode() total even for
// params that fail validate() (a challenge_duration over uint48 would make the generic encoder refuse).
#include "sluice/channel/encoding.hpp"

#include <string>

#include "sluice/core/abi.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel {
namespace {

constexpr std::string_view kParamsType = "(uint256,address,address[],uint64,uint48,address)";
constexpr std::string_view kLockType = "(bytes32,uint256,uint16,uint16,uint64)";

// abi.encode(x) of one struct x encodes the argument tuple "(T)" around the struct type.
const AbiType& params_argument_type() {
    static const AbiType type = AbiType::tuple({params_abi_type()}).value();
    return type;
}

const AbiType& state_argument_type() {
    static const AbiType type = AbiType::tuple({state_abi_type()}).value();
    return type;
}

Error mismatch(const std::string& path, const char* expected) {
    return make_error(Errc::abi_type_mismatch, path + ": expected " + expected);
}

Result<const AbiValue::List*> list_at(const AbiValue& v, const std::string& path,
                                      std::size_t size = SIZE_MAX) {
    const auto* list = v.get_if<AbiValue::List>();
    if (list == nullptr) return mismatch(path, "a list");
    if (size != SIZE_MAX && list->size() != size)
        return mismatch(path, ("a tuple of " + std::to_string(size)).c_str());
    return list;
}

Result<u256> uint_at(const AbiValue& v, const std::string& path) {
    const auto* x = v.get_if<u256>();
    if (x == nullptr) return mismatch(path, "a uint");
    return *x;
}

Result<std::uint64_t> small_uint_at(const AbiValue& v, const std::string& path, std::uint64_t max) {
    SLUICE_TRY(const u256 x, uint_at(v, path));
    if (!x.fits_u64() || x.low64() > max) {
        return make_error(Errc::abi_bad_value, path + ": " + x.to_dec() + " exceeds " + std::to_string(max));
    }
    return x.low64();
}

Result<Address> address_at(const AbiValue& v, const std::string& path) {
    const auto* x = v.get_if<Address>();
    if (x == nullptr) return mismatch(path, "an address");
    return *x;
}

Result<Bytes> bytes_at(const AbiValue& v, const std::string& path) {
    const auto* x = v.get_if<Bytes>();
    if (x == nullptr) return mismatch(path, "bytes");
    return *x;
}

Result<Hash> hash_at(const AbiValue& v, const std::string& path) {
    SLUICE_TRY(const Bytes raw, bytes_at(v, path));
    if (raw.size() != 32)
        return make_error(Errc::abi_bad_value, path + ": bytes32 of " + std::to_string(raw.size()));
    return Hash::from_view(raw).value();
}

Result<Lock> lock_from_abi(const AbiValue& v, const std::string& path) {
    SLUICE_TRY(const AbiValue::List* f, list_at(v, path, 5));
    Lock lock;
    SLUICE_TRY(lock.hashlock, hash_at((*f)[0], path + ".hashlock"));
    SLUICE_TRY(lock.amount, uint_at((*f)[1], path + ".amount"));
    SLUICE_TRY(const std::uint64_t from, small_uint_at((*f)[2], path + ".from", UINT16_MAX));
    SLUICE_TRY(const std::uint64_t to, small_uint_at((*f)[3], path + ".to", UINT16_MAX));
    SLUICE_TRY(lock.expiry, small_uint_at((*f)[4], path + ".expiry", UINT64_MAX));
    lock.from = static_cast<std::uint16_t>(from);
    lock.to = static_cast<std::uint16_t>(to);
    return lock;
}

Result<Alloc> alloc_from_abi(const AbiValue& v, const std::string& path) {
    SLUICE_TRY(const AbiValue::List* f, list_at(v, path, 3));
    Alloc alloc;
    SLUICE_TRY(alloc.asset, address_at((*f)[0], path + ".asset"));
    SLUICE_TRY(const AbiValue::List* balances, list_at((*f)[1], path + ".balances"));
    for (std::size_t i = 0; i < balances->size(); ++i) {
        SLUICE_TRY(u256 b, uint_at((*balances)[i], path + ".balances[" + std::to_string(i) + "]"));
        alloc.balances.push_back(b);
    }
    SLUICE_TRY(const AbiValue::List* locks, list_at((*f)[2], path + ".locks"));
    for (std::size_t i = 0; i < locks->size(); ++i) {
        SLUICE_TRY(Lock lock, lock_from_abi((*locks)[i], path + ".locks[" + std::to_string(i) + "]"));
        alloc.locks.push_back(lock);
    }
    return alloc;
}

void put_word(Bytes& out, const u256& word) {
    const Hash be = word.to_be();
    out.insert(out.end(), be.begin(), be.end());
}

void put_address(Bytes& out, const Address& a) {
    out.resize(out.size() + 12, 0);
    out.insert(out.end(), a.begin(), a.end());
}

}  // namespace

const AbiType& params_abi_type() {
    static const AbiType type = AbiType::parse(kParamsType).value();
    return type;
}

const AbiType& state_abi_type() {
    static const AbiType type =
        AbiType::parse("(bytes32,uint64,(address,uint256[]," + std::string(kLockType) + "[])[],bytes,bool)")
            .value();
    return type;
}

AbiValue to_abi(const Params& params) {
    AbiValue::List participants;
    participants.reserve(params.participants.size());
    for (const Address& p : params.participants)
        participants.push_back(AbiValue::address(p));
    return AbiValue::list({AbiValue::uint(params.chain_id), AbiValue::address(params.adjudicator),
                           AbiValue::list(std::move(participants)), AbiValue::uint(params.nonce),
                           AbiValue::uint(params.challenge_duration), AbiValue::address(params.app)});
}

AbiValue to_abi(const State& state) {
    AbiValue::List outcome;
    outcome.reserve(state.outcome.size());
    for (const Alloc& alloc : state.outcome) {
        AbiValue::List balances;
        balances.reserve(alloc.balances.size());
        for (const u256& b : alloc.balances)
            balances.push_back(AbiValue::uint(b));
        AbiValue::List locks;
        locks.reserve(alloc.locks.size());
        for (const Lock& l : alloc.locks) {
            locks.push_back(
                AbiValue::list({AbiValue::bytes(l.hashlock), AbiValue::uint(l.amount), AbiValue::uint(l.from),
                                AbiValue::uint(l.to), AbiValue::uint(l.expiry)}));
        }
        outcome.push_back(AbiValue::list({AbiValue::address(alloc.asset), AbiValue::list(std::move(balances)),
                                          AbiValue::list(std::move(locks))}));
    }
    return AbiValue::list({AbiValue::bytes(state.channel_id), AbiValue::uint(state.version),
                           AbiValue::list(std::move(outcome)), AbiValue::bytes(state.app_data),
                           AbiValue::boolean(state.is_final)});
}

Result<Params> params_from_abi(const AbiValue& value) {
    SLUICE_TRY(const AbiValue::List* f, list_at(value, "params", 6));
    Params params;
    SLUICE_TRY(params.chain_id, uint_at((*f)[0], "params.chain_id"));
    SLUICE_TRY(params.adjudicator, address_at((*f)[1], "params.adjudicator"));
    SLUICE_TRY(const AbiValue::List* participants, list_at((*f)[2], "params.participants"));
    for (std::size_t i = 0; i < participants->size(); ++i) {
        SLUICE_TRY(Address p,
                   address_at((*participants)[i], "params.participants[" + std::to_string(i) + "]"));
        params.participants.push_back(p);
    }
    SLUICE_TRY(params.nonce, small_uint_at((*f)[3], "params.nonce", UINT64_MAX));
    SLUICE_TRY(params.challenge_duration, small_uint_at((*f)[4], "params.challenge_duration", kMaxUint48));
    SLUICE_TRY(params.app, address_at((*f)[5], "params.app"));
    return params;
}

Result<State> state_from_abi(const AbiValue& value) {
    SLUICE_TRY(const AbiValue::List* f, list_at(value, "state", 5));
    State state;
    SLUICE_TRY(state.channel_id, hash_at((*f)[0], "state.channel_id"));
    SLUICE_TRY(state.version, small_uint_at((*f)[1], "state.version", UINT64_MAX));
    SLUICE_TRY(const AbiValue::List* outcome, list_at((*f)[2], "state.outcome"));
    for (std::size_t i = 0; i < outcome->size(); ++i) {
        SLUICE_TRY(Alloc alloc, alloc_from_abi((*outcome)[i], "state.outcome[" + std::to_string(i) + "]"));
        state.outcome.push_back(std::move(alloc));
    }
    SLUICE_TRY(state.app_data, bytes_at((*f)[3], "state.app_data"));
    const auto* is_final = (*f)[4].get_if<bool>();
    if (is_final == nullptr) return mismatch("state.is_final", "a bool");
    state.is_final = *is_final;
    return state;
}

Bytes encode(const Params& params) {
    Bytes out;
    out.reserve(32 * (8 + params.participants.size()));
    put_word(out, 0x20);  // offset of the one dynamic argument
    put_word(out, params.chain_id);
    put_address(out, params.adjudicator);
    put_word(out, 6 * 32);  // participants start after the six head words
    put_word(out, params.nonce);
    put_word(out, params.challenge_duration);
    put_address(out, params.app);
    put_word(out, params.participants.size());
    for (const Address& p : params.participants)
        put_address(out, p);
    return out;
}

Bytes encode(const State& state) {
    // Every field's C++ type fits its ABI type, so the generic encoder cannot refuse a State.
    return encode_params(state_argument_type(), AbiValue::list({to_abi(state)})).value();
}

Result<Params> decode_params(ByteView data) {
    SLUICE_TRY(const AbiValue args, sluice::decode_params(params_argument_type(), data));
    return params_from_abi(args[0]);
}

Result<State> decode_state(ByteView data) {
    SLUICE_TRY(const AbiValue args, sluice::decode_params(state_argument_type(), data));
    return state_from_abi(args[0]);
}

Hash channel_id(const Params& params) {
    return keccak256(encode(params));
}

}  // namespace sluice::channel
