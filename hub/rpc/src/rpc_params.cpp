#include "sluice/hub/rpc_params.hpp"

namespace sluice::hub {
namespace {

using nlohmann::json;

Error bad(std::string_view name, const std::string& why) {
    return make_error(Errc::rpc_invalid_params, "parameter \"" + std::string(name) + "\" " + why);
}

// The parameter, or nullptr when it is absent (null counts as absent).
const json* find(const json& params, std::size_t position, std::string_view name) {
    const json* found = nullptr;
    if (params.is_array() && position < params.size()) {
        found = &params[position];
    } else if (params.is_object()) {
        const auto it = params.find(std::string(name));
        if (it != params.end()) found = &*it;
    }
    return found != nullptr && !found->is_null() ? found : nullptr;
}

Error missing(std::string_view name, std::size_t position) {
    return bad(name, "is missing (position " + std::to_string(position) + " or by name)");
}

Result<std::string> read_string(const json& value, std::string_view name) {
    if (!value.is_string()) return bad(name, "must be a string");
    return value.get<std::string>();
}

Result<u256> read_u256(const json& value, std::string_view name) {
    if (!value.is_string()) return bad(name, "must be a decimal string (amounts are never JSON numbers)");
    const auto& text = value.get_ref<const std::string&>();
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
        return bad(name, "must be a decimal string of digits only (no hex, sign or spaces)");
    }
    if (text.size() > 1 && text[0] == '0') return bad(name, "must not have leading zeros");
    auto parsed = u256::from_dec(text);
    if (!parsed) return bad(name, "does not fit in 256 bits");
    return *parsed;
}

Result<std::uint64_t> read_u64(const json& value, std::string_view name) {
    if (value.is_number_unsigned()) return value.get<std::uint64_t>();
    if (value.is_number_integer()) return bad(name, "must not be negative");
    return bad(name, "must be a non-negative integer up to 2^64-1");
}

Result<bool> read_bool(const json& value, std::string_view name) {
    if (!value.is_boolean()) return bad(name, "must be true or false");
    return value.get<bool>();
}

template <class T, class Read>
Result<T> required(const json& params, std::size_t position, std::string_view name, Read read) {
    const json* value = find(params, position, name);
    if (value == nullptr) return missing(name, position);
    return read(*value, name);
}

template <class T, class Read>
Result<std::optional<T>> optional(const json& params, std::size_t position, std::string_view name,
                                  Read read) {
    const json* value = find(params, position, name);
    if (value == nullptr) return std::optional<T>();
    SLUICE_TRY(T v, read(*value, name));
    return std::optional<T>(std::move(v));
}

}  // namespace

Result<std::string> param_string(const json& params, std::size_t position, std::string_view name) {
    return required<std::string>(params, position, name, read_string);
}
Result<u256> param_u256(const json& params, std::size_t position, std::string_view name) {
    return required<u256>(params, position, name, read_u256);
}
Result<std::uint64_t> param_u64(const json& params, std::size_t position, std::string_view name) {
    return required<std::uint64_t>(params, position, name, read_u64);
}
Result<bool> param_bool(const json& params, std::size_t position, std::string_view name) {
    return required<bool>(params, position, name, read_bool);
}

Result<std::optional<std::string>> param_optional_string(const json& params, std::size_t position,
                                                         std::string_view name) {
    return optional<std::string>(params, position, name, read_string);
}
Result<std::optional<u256>> param_optional_u256(const json& params, std::size_t position,
                                                std::string_view name) {
    return optional<u256>(params, position, name, read_u256);
}
Result<std::optional<std::uint64_t>> param_optional_u64(const json& params, std::size_t position,
                                                        std::string_view name) {
    return optional<std::uint64_t>(params, position, name, read_u64);
}
Result<std::optional<bool>> param_optional_bool(const json& params, std::size_t position,
                                                std::string_view name) {
    return optional<bool>(params, position, name, read_bool);
}

std::optional<json> param_raw(const json& params, std::size_t position, std::string_view name) {
    const json* value = find(params, position, name);
    if (value == nullptr) return std::nullopt;
    return *value;
}

Status params_at_most(const json& params, std::initializer_list<std::string_view> names) {
    if (params.is_null()) return {};
    if (params.is_array()) {
        if (params.size() <= names.size()) return {};
        return make_error(Errc::rpc_invalid_params, std::to_string(params.size()) + " parameters, at most " +
                                                        std::to_string(names.size()) + " taken");
    }
    if (!params.is_object())
        return make_error(Errc::rpc_invalid_params, "params must be an array or an object");
    for (const auto& item : params.items()) {
        bool known = false;
        for (const std::string_view name : names)
            known = known || item.key() == name;
        if (!known) {
            return make_error(Errc::rpc_invalid_params,
                              "unknown parameter \"" + item.key().substr(0, 64) + "\"");
        }
    }
    return {};
}

}  // namespace sluice::hub
