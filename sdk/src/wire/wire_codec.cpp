// The wire messages' JSON (wire.hpp, docs/wire.md). Numbers that can exceed 2^53 are decimal strings and
// bytes 0x-hex, as in the channel library's JSON, so any JSON implementation reads them exactly.
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>

#include "sluice/channel/json.hpp"
#include "sluice/channel/message_json.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/json_text.hpp"
#include "sluice/sdk/wire.hpp"

namespace sluice::sdk::wire {
namespace {

using nlohmann::json;

Error malformed(const std::string& what) {
    return make_error(Errc::wire_malformed, what);
}

std::string hex(ByteView bytes) {
    return to_hex(bytes);
}

// The object must hold exactly these keys (besides type and version).
Status exact_keys(const json& j, std::initializer_list<const char*> keys, const char* type) {
    std::set<std::string> want{"type", "version"};
    for (const char* k : keys)
        want.insert(k);
    for (const auto& [key, value] : j.items()) {
        if (!want.contains(key)) return malformed(std::string(type) + ": unknown field " + key);
    }
    for (const auto& k : want) {
        if (!j.contains(k)) return malformed(std::string(type) + ": missing field " + k);
    }
    return {};
}

Result<std::string> text_field(const json& j, const char* key) {
    const json& v = j.at(key);
    if (!v.is_string()) return malformed(std::string(key) + " is not a string");
    return v.get<std::string>();
}

Result<Bytes> bytes_field(const json& j, const char* key) {
    SLUICE_TRY(const std::string text, text_field(j, key));
    auto b = from_hex(text);
    if (!b) return malformed(std::string(key) + ": " + b.error().message);
    return std::move(b).value();
}

template <std::size_t N>
Result<FixedBytes<N>> fixed_field(const json& j, const char* key) {
    SLUICE_TRY(const Bytes b, bytes_field(j, key));
    auto v = FixedBytes<N>::from_view(b);
    if (!v) return malformed(std::string(key) + ": " + v.error().message);
    return *v;
}

Result<Address> address_field(const json& j, const char* key) {
    SLUICE_TRY(const std::string text, text_field(j, key));
    auto a = Address::from_hex(text);
    if (!a) return malformed(std::string(key) + ": " + a.error().message);
    return *a;
}

Result<Signature> signature_field(const json& j, const char* key) {
    SLUICE_TRY(const Bytes b, bytes_field(j, key));
    auto s = Signature::from_bytes(b);
    if (!s) return malformed(std::string(key) + ": " + s.error().message);
    return *s;
}

Result<u256> amount_field(const json& j, const char* key) {
    SLUICE_TRY(const std::string text, text_field(j, key));
    auto v = u256::from_dec(text);
    // Canonical only: "007" and "" would let two texts mean one message.
    if (!v || (text.size() > 1 && text[0] == '0'))
        return malformed(std::string(key) + " is not a canonical decimal");
    return *v;
}

Result<std::uint64_t> u64_field(const json& j, const char* key) {
    SLUICE_TRY(const u256 v, amount_field(j, key));
    if (v > u256{UINT64_MAX}) return malformed(std::string(key) + " is above 2^64");
    return v.low64();
}

Result<std::uint16_t> index_field(const json& j, const char* key) {
    const json& v = j.at(key);
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() > 0xffff)
        return malformed(std::string(key) + " is not a participant index");
    return static_cast<std::uint16_t>(v.get<std::uint64_t>());
}

std::string sig_hex(const Signature& s) {
    const auto b = s.to_bytes();
    return hex(ByteView(b.data(), b.size()));
}

json envelope(const char* type) {
    json j = json::object();
    j["type"] = type;
    j["version"] = kVersion;
    return j;
}

struct Encoder {
    json operator()(const OpenChannel& m) const {
        json j = envelope("open_channel");
        j["params"] = channel::to_json(m.params);
        j["initial"] = channel::to_json(m.initial);
        j["opener_signature"] = sig_hex(m.opener_signature);
        return j;
    }
    json operator()(const AcceptChannel& m) const {
        json j = envelope("accept_channel");
        j["channel_id"] = hex(m.channel_id.view());
        j["signer"] = m.signer;
        j["signature"] = sig_hex(m.signature);
        return j;
    }
    json operator()(const ChannelMessage& m) const {
        json j = envelope("channel");
        j["message"] = channel::to_json(m.message);
        return j;
    }
    json operator()(const Sync& m) const {
        json j = envelope("sync");
        j["channel_id"] = hex(m.channel_id.view());
        j["latest_version"] = std::to_string(m.latest_version);
        j["highest_signed"] = std::to_string(m.highest_signed);
        return j;
    }
    json operator()(const SyncState& m) const {
        json j = envelope("sync_state");
        j["channel_id"] = hex(m.channel_id.view());
        j["latest"] = channel::to_json(m.latest);
        return j;
    }
    json operator()(const Forward& m) const {
        json j = envelope("forward");
        j["channel_id"] = hex(m.channel_id.view());
        j["hashlock"] = hex(m.hashlock.view());
        j["payee"] = m.payee.to_hex();
        j["amount"] = m.amount.to_dec();
        j["expiry"] = std::to_string(m.expiry);
        return j;
    }
    json operator()(const ForwardFailed& m) const {
        json j = envelope("forward_failed");
        j["channel_id"] = hex(m.channel_id.view());
        j["hashlock"] = hex(m.hashlock.view());
        j["code"] = m.code;
        j["message"] = m.message;
        return j;
    }
    json operator()(const ErrorReply& m) const {
        json j = envelope("error");
        j["code"] = m.code;
        j["message"] = m.message;
        j["about"] = m.about;
        return j;
    }
    json operator()(const Relay& m) const {
        json j = envelope("relay");
        j["to"] = m.to.to_hex();
        j["message"] = m.message;
        return j;
    }
    json operator()(const Relayed& m) const {
        json j = envelope("relayed");
        j["from"] = m.from.to_hex();
        j["message"] = m.message;
        return j;
    }
};

Result<Message> decode_object(const json& j, const std::string& type) {
    if (type == "open_channel") {
        SLUICE_CHECK_OK(exact_keys(j, {"params", "initial", "opener_signature"}, "open_channel"));
        OpenChannel m;
        auto params = channel::params_from_json(j.at("params"));
        if (!params) return malformed("open_channel.params: " + params.error().message);
        m.params = std::move(params).value();
        auto initial = channel::state_from_json(j.at("initial"));
        if (!initial) return malformed("open_channel.initial: " + initial.error().message);
        m.initial = std::move(initial).value();
        SLUICE_TRY(m.opener_signature, signature_field(j, "opener_signature"));
        return Message{std::move(m)};
    }
    if (type == "accept_channel") {
        SLUICE_CHECK_OK(exact_keys(j, {"channel_id", "signer", "signature"}, "accept_channel"));
        AcceptChannel m;
        SLUICE_TRY(m.channel_id, fixed_field<32>(j, "channel_id"));
        SLUICE_TRY(m.signer, index_field(j, "signer"));
        SLUICE_TRY(m.signature, signature_field(j, "signature"));
        return Message{m};
    }
    if (type == "channel") {
        SLUICE_CHECK_OK(exact_keys(j, {"message"}, "channel"));
        auto message = channel::message_from_json(j.at("message"));
        if (!message) return malformed("channel.message: " + message.error().message);
        return Message{ChannelMessage{std::move(message).value()}};
    }
    if (type == "sync") {
        SLUICE_CHECK_OK(exact_keys(j, {"channel_id", "latest_version", "highest_signed"}, "sync"));
        Sync m;
        SLUICE_TRY(m.channel_id, fixed_field<32>(j, "channel_id"));
        SLUICE_TRY(m.latest_version, u64_field(j, "latest_version"));
        SLUICE_TRY(m.highest_signed, u64_field(j, "highest_signed"));
        return Message{m};
    }
    if (type == "sync_state") {
        SLUICE_CHECK_OK(exact_keys(j, {"channel_id", "latest"}, "sync_state"));
        SyncState m;
        SLUICE_TRY(m.channel_id, fixed_field<32>(j, "channel_id"));
        auto latest = channel::signed_state_from_json(j.at("latest"));
        if (!latest) return malformed("sync_state.latest: " + latest.error().message);
        m.latest = std::move(latest).value();
        return Message{std::move(m)};
    }
    if (type == "forward") {
        SLUICE_CHECK_OK(exact_keys(j, {"channel_id", "hashlock", "payee", "amount", "expiry"}, "forward"));
        Forward m;
        SLUICE_TRY(m.channel_id, fixed_field<32>(j, "channel_id"));
        SLUICE_TRY(m.hashlock, fixed_field<32>(j, "hashlock"));
        SLUICE_TRY(m.payee, address_field(j, "payee"));
        SLUICE_TRY(m.amount, amount_field(j, "amount"));
        SLUICE_TRY(m.expiry, u64_field(j, "expiry"));
        return Message{m};
    }
    if (type == "forward_failed") {
        SLUICE_CHECK_OK(exact_keys(j, {"channel_id", "hashlock", "code", "message"}, "forward_failed"));
        ForwardFailed m;
        SLUICE_TRY(m.channel_id, fixed_field<32>(j, "channel_id"));
        SLUICE_TRY(m.hashlock, fixed_field<32>(j, "hashlock"));
        SLUICE_TRY(m.code, text_field(j, "code"));
        SLUICE_TRY(m.message, text_field(j, "message"));
        return Message{std::move(m)};
    }
    if (type == "error") {
        SLUICE_CHECK_OK(exact_keys(j, {"code", "message", "about"}, "error"));
        ErrorReply m;
        SLUICE_TRY(m.code, text_field(j, "code"));
        SLUICE_TRY(m.message, text_field(j, "message"));
        SLUICE_TRY(m.about, text_field(j, "about"));
        return Message{std::move(m)};
    }
    if (type == "relay") {
        SLUICE_CHECK_OK(exact_keys(j, {"to", "message"}, "relay"));
        Relay m;
        SLUICE_TRY(m.to, address_field(j, "to"));
        SLUICE_TRY(m.message, text_field(j, "message"));
        return Message{std::move(m)};
    }
    if (type == "relayed") {
        SLUICE_CHECK_OK(exact_keys(j, {"from", "message"}, "relayed"));
        Relayed m;
        SLUICE_TRY(m.from, address_field(j, "from"));
        SLUICE_TRY(m.message, text_field(j, "message"));
        return Message{std::move(m)};
    }
    return make_error(Errc::wire_unknown_type, "unknown message type " + type.substr(0, 64));
}

}  // namespace

std::string_view type_name(const Message& message) noexcept {
    static constexpr std::string_view kNames[] = {"open_channel", "accept_channel", "channel",        "sync",
                                                  "sync_state",   "forward",        "forward_failed", "error",
                                                  "relay",        "relayed"};
    static_assert(std::size(kNames) == std::variant_size_v<Message>);
    return kNames[message.index()];
}

std::string encode(const Message& message) {
    return std::visit(Encoder{}, message).dump();
}

Result<Message> decode(std::string_view text) {
    auto parsed = parse_json_strict(text);
    if (!parsed) return malformed("not JSON: " + parsed.error().message);
    const json& j = *parsed;
    if (!j.is_object()) return malformed("a message is a JSON object");
    if (!j.contains("type") || !j["type"].is_string()) return malformed("no type");
    if (!j.contains("version") || !j["version"].is_number_unsigned()) return malformed("no version");
    if (j["version"].get<std::uint64_t>() != kVersion) {
        return make_error(Errc::wire_unsupported_version,
                          "protocol version " + std::to_string(j["version"].get<std::uint64_t>()) +
                              ", we speak " + std::to_string(kVersion));
    }
    return decode_object(j, j["type"].get<std::string>());
}

}  // namespace sluice::sdk::wire
