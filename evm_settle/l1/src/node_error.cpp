#include "node_error.hpp"

#include <algorithm>
#include <cctype>

#include "sluice/core/hex.hpp"
#include "sluice/l1/revert_reason.hpp"

namespace sluice::l1 {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool has(const std::string& haystack, std::string_view needle) {
    return haystack.find(needle) != std::string::npos;
}

// The refusal of a transaction, from geth's wording (core/txpool errors) and hardhat's.
std::optional<Errc> refusal_code(const std::string& message) {
    if (has(message, "nonce too low")) return Errc::tx_nonce_too_low;
    if (has(message, "already known") || has(message, "known transaction")) return Errc::l1_tx_already_known;
    if (has(message, "replacement transaction underpriced") || has(message, "replacement underpriced"))
        return Errc::l1_replacement_underpriced;
    if (has(message, "insufficient funds") || has(message, "doesn't have enough funds"))
        return Errc::tx_insufficient_funds;
    if (has(message, "max fee per gas less than block base fee") ||
        (has(message, "maxfeepergas") && has(message, "too low")))
        return Errc::tx_fee_cap_below_base_fee;
    if (has(message, "intrinsic gas too low")) return Errc::tx_intrinsic_gas_too_low;
    return std::nullopt;
}

}  // namespace

std::optional<Bytes> revert_data_of(const rpc::Json& error) {
    if (!error.is_object()) return std::nullopt;
    const auto it = error.find("data");
    if (it == error.end()) return std::nullopt;
    const rpc::Json* data = &*it;
    if (data->is_object()) {
        const auto inner = data->find("data");
        if (inner == data->end()) return std::nullopt;
        data = &*inner;
    }
    if (!data->is_string()) return std::nullopt;
    auto bytes = from_hex(data->get<std::string>(), HexPrefix::required);
    if (!bytes.ok()) return std::nullopt;
    return std::move(bytes).value();
}

bool is_revert(const rpc::Json& error) {
    if (!error.is_object()) return false;
    const auto code = error.find("code");
    if (code != error.end() && code->is_number_integer() && code->get<long long>() == rpc::kExecutionReverted)
        return true;
    const auto message = error.find("message");
    return message != error.end() && message->is_string() &&
           has(lower(message->get<std::string>()), "revert");
}

Error node_error(const rpc::Json& error, std::string_view method,
                 std::span<const std::string> custom_errors) {
    if (!error.is_object())
        return make_error(Errc::l1_malformed_reply, std::string(method) + ": error is not an object");
    const auto code_it = error.find("code");
    const auto message_it = error.find("message");
    if (code_it == error.end() || !code_it->is_number_integer() || message_it == error.end() ||
        !message_it->is_string()) {
        return make_error(Errc::l1_malformed_reply,
                          std::string(method) + ": error without integer code and string message");
    }
    const long long code = code_it->get<long long>();
    const std::string& message = message_it->get_ref<const std::string&>();
    const std::string where = std::string(method) + ": ";
    // -32004 is hardhat's "Method ... is not supported".
    if (code == rpc::kMethodNotFound || code == -32004)
        return make_error(Errc::l1_method_not_found, where + message);
    if (is_revert(error)) {
        const Bytes data = revert_data_of(error).value_or(Bytes{});
        return make_error(Errc::l1_reverted, where + decode_revert(data, custom_errors).describe() +
                                                 " (data " + to_hex(data) + ")");
    }
    if (method == "eth_sendRawTransaction") {
        if (const auto refused = refusal_code(lower(message))) return make_error(*refused, where + message);
        return make_error(Errc::l1_tx_rejected, where + message);
    }
    return make_error(Errc::l1_rpc_error, where + "JSON-RPC error " + std::to_string(code) + ": " + message);
}

}  // namespace sluice::l1
