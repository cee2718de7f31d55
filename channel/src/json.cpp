// JSON for Params, Lock, Alloc, State and SignedState (format in json.hpp, as in channel_vectors.json).
#include "sluice/channel/json.hpp"

#include <string>
#include <vector>

#include "json_fields.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::channel {
namespace {

using namespace json_fields;  // NOLINT(google-build-using-namespace): the readers are this file's vocabulary

Json number_text(const u256& value) {
    return value.to_dec();
}
Json number_text(std::uint64_t value) {
    return std::to_string(value);
}

// Member `key` of object `j`, read by `read(member, member_path, extra...)`.
template <class Read, class... Extra>
auto field(const Json& j, const std::string& path, std::string_view key, Read read, Extra... extra) {
    return read(member(j, key), member_path(path, key), extra...);
}

// The array member `key` of object `j`, each element read by `read(element, element_path)`.
template <class T, class Read>
Result<std::vector<T>> read_array(const Json& j, const std::string& path, std::string_view key, Read read) {
    const Json& array = member(j, key);
    const std::string array_path = member_path(path, key);
    SLUICE_CHECK_OK(expect_array(array, array_path));
    std::vector<T> out;
    out.reserve(array.size());
    for (std::size_t i = 0; i < array.size(); ++i) {
        SLUICE_TRY(T item, read(array[i], element_path(array_path, i)));
        out.push_back(std::move(item));
    }
    return out;
}

Result<Params> read_params(const Json& j, const std::string& path) {
    SLUICE_CHECK_OK(expect_object(
        j, path, {"chain_id", "adjudicator", "participants", "nonce", "challenge_duration", "app"}));
    Params p;
    SLUICE_TRY(p.chain_id, field(j, path, "chain_id", read_u256));
    SLUICE_TRY(p.adjudicator, field(j, path, "adjudicator", read_address));
    SLUICE_TRY(p.participants, read_array<Address>(j, path, "participants", read_address));
    SLUICE_TRY(p.nonce, field(j, path, "nonce", read_uint, UINT64_MAX));
    SLUICE_TRY(p.challenge_duration, field(j, path, "challenge_duration", read_uint, kMaxUint48));
    SLUICE_TRY(p.app, field(j, path, "app", read_address));
    return p;
}

Result<Lock> read_lock(const Json& j, const std::string& path) {
    SLUICE_CHECK_OK(expect_object(j, path, {"hashlock", "amount", "from", "to", "expiry"}));
    Lock lock;
    SLUICE_TRY(lock.hashlock, field(j, path, "hashlock", read_hash));
    SLUICE_TRY(lock.amount, field(j, path, "amount", read_u256));
    SLUICE_TRY(lock.from, field(j, path, "from", read_uint16_number));
    SLUICE_TRY(lock.to, field(j, path, "to", read_uint16_number));
    SLUICE_TRY(lock.expiry, field(j, path, "expiry", read_uint, UINT64_MAX));
    return lock;
}

Result<Alloc> read_alloc(const Json& j, const std::string& path) {
    SLUICE_CHECK_OK(expect_object(j, path, {"asset", "balances", "locks"}));
    Alloc alloc;
    SLUICE_TRY(alloc.asset, field(j, path, "asset", read_address));
    SLUICE_TRY(alloc.balances, read_array<u256>(j, path, "balances", read_u256));
    SLUICE_TRY(alloc.locks, read_array<Lock>(j, path, "locks", read_lock));
    return alloc;
}

Result<State> read_state(const Json& j, const std::string& path) {
    SLUICE_CHECK_OK(expect_object(j, path, {"channel_id", "version", "outcome", "app_data", "is_final"}));
    State s;
    SLUICE_TRY(s.channel_id, field(j, path, "channel_id", read_hash));
    SLUICE_TRY(s.version, field(j, path, "version", read_uint, UINT64_MAX));
    SLUICE_TRY(s.outcome, read_array<Alloc>(j, path, "outcome", read_alloc));
    SLUICE_TRY(s.app_data, field(j, path, "app_data", read_bytes));
    SLUICE_TRY(s.is_final, field(j, path, "is_final", read_bool));
    return s;
}

Result<SignedState> read_signed_state(const Json& j) {
    SLUICE_CHECK_OK(expect_object(j, "", {"state", "sigs"}));
    SignedState out;
    SLUICE_TRY(out.state, read_state(member(j, "state"), "state"));
    const auto read_slot = [](const Json& sig,
                              const std::string& sig_path) -> Result<std::optional<Signature>> {
        if (sig.is_null()) return std::optional<Signature>{};  // not signed yet
        SLUICE_TRY(const Signature s, read_signature(sig, sig_path));
        return std::optional<Signature>{s};
    };
    SLUICE_TRY(out.sigs, read_array<std::optional<Signature>>(j, "", "sigs", read_slot));
    return out;
}

// The readers above do not throw; this keeps json.hpp's no-throw promise should nlohmann (or an allocation)
// do so.
template <class F>
auto guarded(F&& read) -> decltype(read()) {
    try {
        return read();
    } catch (const std::exception& e) {
        return make_error(Errc::json_bad_field, e.what());
    }
}

template <class F>
auto from_text(std::string_view text, F&& read) -> decltype(read(std::declval<const Json&>())) {
    SLUICE_TRY(const Json json, parse_text(text));
    return read(json);
}

}  // namespace

Json to_json(const Params& params) {
    Json participants = Json::array();
    for (const Address& a : params.participants)
        participants.push_back(a.to_checksum_hex());
    return {{"chain_id", number_text(params.chain_id)},
            {"adjudicator", params.adjudicator.to_checksum_hex()},
            {"participants", std::move(participants)},
            {"nonce", number_text(params.nonce)},
            {"challenge_duration", number_text(params.challenge_duration)},
            {"app", params.app.to_checksum_hex()}};
}

Json to_json(const Lock& lock) {
    return {{"hashlock", to_hex(lock.hashlock.view())},
            {"amount", number_text(lock.amount)},
            {"from", lock.from},
            {"to", lock.to},
            {"expiry", number_text(lock.expiry)}};
}

Json to_json(const Alloc& alloc) {
    Json balances = Json::array();
    for (const u256& b : alloc.balances)
        balances.push_back(number_text(b));
    Json locks = Json::array();
    for (const Lock& l : alloc.locks)
        locks.push_back(to_json(l));
    return {{"asset", alloc.asset.to_checksum_hex()},
            {"balances", std::move(balances)},
            {"locks", std::move(locks)}};
}

Json to_json(const State& state) {
    Json outcome = Json::array();
    for (const Alloc& a : state.outcome)
        outcome.push_back(to_json(a));
    return {{"channel_id", to_hex(state.channel_id.view())},
            {"version", number_text(state.version)},
            {"outcome", std::move(outcome)},
            {"app_data", to_hex(state.app_data)},
            {"is_final", state.is_final}};
}

Json to_json(const SignedState& signed_state) {
    Json sigs = Json::array();
    for (const auto& sig : signed_state.sigs) {
        if (sig) {
            sigs.push_back(to_hex(sig->to_bytes()));
        } else {
            sigs.push_back(nullptr);
        }
    }
    return {{"state", to_json(signed_state.state)}, {"sigs", std::move(sigs)}};
}

Result<Params> params_from_json(const Json& json) {
    return guarded([&] { return read_params(json, ""); });
}
Result<Lock> lock_from_json(const Json& json) {
    return guarded([&] { return read_lock(json, ""); });
}
Result<Alloc> alloc_from_json(const Json& json) {
    return guarded([&] { return read_alloc(json, ""); });
}
Result<State> state_from_json(const Json& json) {
    return guarded([&] { return read_state(json, ""); });
}
Result<SignedState> signed_state_from_json(const Json& json) {
    return guarded([&] { return read_signed_state(json); });
}

Result<State> state_from_json_text(std::string_view text) {
    return guarded([&] { return from_text(text, state_from_json); });
}
Result<SignedState> signed_state_from_json_text(std::string_view text) {
    return guarded([&] { return from_text(text, signed_state_from_json); });
}

}  // namespace sluice::channel
