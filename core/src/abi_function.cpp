// Function selectors and calldata: selector || abi-encoded arguments.
#include <algorithm>
#include <cstring>

#include "abi_word.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice {
namespace {

bool is_identifier_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$'; }
bool is_identifier_char(char c) { return is_identifier_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

Selector function_selector(std::string_view signature) {
    const Hash h = keccak256(as_bytes(signature));
    Selector s;
    std::memcpy(s.data(), h.data(), Selector::size());
    return s;
}

Result<AbiFunction> AbiFunction::parse(std::string_view signature) {
    const std::size_t open = signature.find('(');
    if (open == std::string_view::npos) {
        return make_error(Errc::abi_bad_type, "function signature \"" + std::string(signature) + "\" has no '('");
    }
    const std::string_view name = signature.substr(0, open);
    if (name.empty() || !is_identifier_start(name.front()) || !std::all_of(name.begin(), name.end(), is_identifier_char)) {
        return make_error(Errc::abi_bad_type, "bad function name \"" + std::string(name) + "\"");
    }
    SLUICE_TRY(AbiType params, AbiType::parse(signature.substr(open)));
    if (params.kind() != AbiType::Kind::tuple) {
        return make_error(Errc::abi_bad_type, "function parameters of \"" + std::string(signature) + "\" are not a list");
    }
    AbiFunction f;
    f.name = std::string(name);
    f.params = std::move(params);
    f.selector = function_selector(signature);
    return f;
}

std::string AbiFunction::signature() const { return name + params.canonical(); }

Result<Bytes> AbiFunction::encode_call(const AbiValue& args) const { return sluice::encode_call(selector, params, args); }

Result<AbiValue> AbiFunction::decode_call(ByteView calldata) const {
    if (calldata.size() < Selector::size()) {
        return make_error(Errc::abi_truncated, "calldata shorter than a selector");
    }
    if (!std::equal(selector.begin(), selector.end(), calldata.begin())) {
        return make_error(Errc::abi_bad_value, "calldata is not a call to " + signature());
    }
    return decode_params(params, calldata.subspan(Selector::size()));
}

Result<Bytes> encode_call(const Selector& selector, const AbiType& params, const AbiValue& args) {
    SLUICE_CHECK_OK(abi_detail::require_params_tuple(params));
    Bytes out(selector.begin(), selector.end());
    SLUICE_CHECK_OK(encode_into(out, params, args));
    return out;
}

}  // namespace sluice
