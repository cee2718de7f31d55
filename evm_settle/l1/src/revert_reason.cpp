// Revert data decoding: Solidity's two built-in errors, then the caller's custom errors by selector.
#include "sluice/l1/revert_reason.hpp"

#include <algorithm>

#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::l1 {
namespace {

constexpr std::size_t kShownBytes = 36;  // a selector and the first word: enough to recognise it

bool has_selector(ByteView data, const Selector& selector) {
    return data.size() >= 4 && std::equal(selector.begin(), selector.end(), data.begin());
}

}  // namespace

std::string_view panic_meaning(const u256& code) {
    // Solidity's documented panic codes (docs: "Panic via assert and Error via require").
    if (code == u256(0x01)) return "assertion failed";
    if (code == u256(0x11)) return "arithmetic overflow";
    if (code == u256(0x12)) return "division by zero";
    if (code == u256(0x21)) return "invalid enum value";
    if (code == u256(0x22)) return "bad storage byte array";
    if (code == u256(0x31)) return "pop on empty array";
    if (code == u256(0x32)) return "array index out of bounds";
    if (code == u256(0x41)) return "out of memory";
    if (code == u256(0x51)) return "call to a zero function";
    return "";
}

RevertReason decode_revert(ByteView data, std::span<const std::string> custom_errors) {
    RevertReason reason;
    reason.data.assign(data.begin(), data.end());
    if (data.empty()) return reason;
    reason.kind = RevertReason::Kind::unknown;
    if (has_selector(data, function_selector("Error(string)"))) {
        auto decoded = decode_params(AbiType::parse("(string)").value(), data.subspan(4));
        if (decoded.ok()) {
            reason.kind = RevertReason::Kind::error_string;
            reason.message = (*decoded)[0].as_string();
        }
        return reason;
    }
    if (has_selector(data, function_selector("Panic(uint256)"))) {
        auto decoded = decode_params(AbiType::parse("(uint256)").value(), data.subspan(4));
        if (decoded.ok()) {
            reason.kind = RevertReason::Kind::panic;
            reason.panic_code = (*decoded)[0].as_uint();
        }
        return reason;
    }
    for (const std::string& signature : custom_errors) {
        auto error = AbiFunction::parse(signature);
        if (!error.ok() || !has_selector(data, error->selector)) continue;
        reason.kind = RevertReason::Kind::custom;
        reason.custom = error->signature();
        if (auto args = error->decode_call(data); args.ok() && !args->as_list().empty()) {
            reason.message = args->describe();
        }
        return reason;
    }
    return reason;
}

std::string RevertReason::describe() const {
    switch (kind) {
        case Kind::empty:
            return "revert without data";
        case Kind::error_string:
            return "Error(\"" + message + "\")";
        case Kind::panic: {
            const std::string_view meaning = panic_meaning(panic_code);
            return "Panic(" + panic_code.to_hex() + (meaning.empty() ? "" : ": " + std::string(meaning)) +
                   ")";
        }
        case Kind::custom:
            return message.empty() ? custom : custom + " " + message;
        case Kind::unknown:
            break;
    }
    const ByteView shown = ByteView(data).first(std::min(data.size(), kShownBytes));
    return "unknown revert " + to_hex(shown) + (data.size() > kShownBytes ? "…" : "");
}

}  // namespace sluice::l1
