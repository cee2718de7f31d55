// JSON of the round messages (message_json.hpp).
#include "sluice/channel/message_json.hpp"

#include <limits>

#include "json_fields.hpp"
#include "message_state_json.hpp"

namespace sluice::channel {
namespace {

using namespace json_fields;

constexpr std::uint64_t kMaxU16 = std::numeric_limits<std::uint16_t>::max();
constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();
constexpr std::size_t kMaxReason = 1024;

// Only the channel layer's own codes travel in rejections.
Result<Errc> channel_code(std::string_view name) {
    for (std::uint16_t c = 800; c <= 849; ++c) {
        const auto code = static_cast<Errc>(c);
        if (name != "unknown" && errc_name(code) == name) return code;  // "unknown": an unassigned value
    }
    return make_error(Errc::channel_bad_message, "rejection.code: not a channel error code");
}

nlohmann::json sig_list(const std::vector<Signature>& sigs) {
    auto out = nlohmann::json::array();
    for (const auto& s : sigs)
        out.push_back(hex_of(s));
    return out;
}

struct ToJson {
    nlohmann::json operator()(const Proposal& m) const {
        auto preimages = nlohmann::json::array();
        for (const auto& p : m.preimages)
            preimages.push_back(hex_of(p.view()));
        return {{"type", "proposal"},
                {"channel_id", hex_of(m.channel_id.view())},
                {"proposer", m.proposer},
                {"base_version", m.base_version},
                {"state", state_json(m.state)},
                {"preimages", std::move(preimages)},
                {"signature", hex_of(m.signature)}};
    }
    nlohmann::json operator()(const Countersignature& m) const {
        return {{"type", "countersignature"},
                {"channel_id", hex_of(m.channel_id.view())},
                {"version", m.version},
                {"signer", m.signer},
                {"signature", hex_of(m.signature)}};
    }
    nlohmann::json operator()(const Completion& m) const {
        return {{"type", "completion"},
                {"channel_id", hex_of(m.channel_id.view())},
                {"state", state_json(m.state)},
                {"signatures", sig_list(m.signatures)}};
    }
    nlohmann::json operator()(const Rejection& m) const {
        return {{"type", "rejection"},
                {"channel_id", hex_of(m.channel_id.view())},
                {"version", m.version},
                {"sender", m.sender},
                {"code", std::string(errc_name(m.code))},
                {"reason", m.reason},
                {"min_version", m.min_version}};
    }
};

template <class T>
Result<std::vector<T>> read_list(const nlohmann::json& value, std::string_view field, std::size_t max,
                                 Result<T> (*read)(const nlohmann::json&, std::string_view)) {
    if (!value.is_array())
        return make_error(Errc::channel_bad_message, std::string(field) + ": expected an array");
    if (value.size() > max)
        return make_error(Errc::channel_bad_message, std::string(field) + ": too many entries");
    std::vector<T> out;
    for (std::size_t i = 0; i < value.size(); ++i) {
        SLUICE_TRY(T item, read(value[i], std::string(field) + "[" + std::to_string(i) + "]"));
        out.push_back(std::move(item));
    }
    return out;
}

Result<Message> read_proposal(const nlohmann::json& j) {
    SLUICE_CHECK_OK(
        expect_fields(j, "proposal",
                      {"type", "channel_id", "proposer", "base_version", "state", "preimages", "signature"}));
    Proposal m;
    SLUICE_TRY(m.channel_id, read_bytes32(j["channel_id"], "proposal.channel_id"));
    SLUICE_TRY(const auto proposer, read_uint(j, "proposal", "proposer", kMaxU16));
    m.proposer = static_cast<std::uint16_t>(proposer);
    SLUICE_TRY(m.base_version, read_uint(j, "proposal", "base_version", kMaxU64));
    SLUICE_TRY(m.state, state_from_message_json(j["state"], "proposal.state"));
    SLUICE_TRY(m.preimages,
               read_list<Bytes32>(j["preimages"], "proposal.preimages", kMaxPreimages, &read_bytes32));
    SLUICE_TRY(m.signature, read_signature(j["signature"], "proposal.signature"));
    return Message{std::move(m)};
}

Result<Message> read_countersignature(const nlohmann::json& j) {
    SLUICE_CHECK_OK(
        expect_fields(j, "countersignature", {"type", "channel_id", "version", "signer", "signature"}));
    Countersignature m;
    SLUICE_TRY(m.channel_id, read_bytes32(j["channel_id"], "countersignature.channel_id"));
    SLUICE_TRY(m.version, read_uint(j, "countersignature", "version", kMaxU64));
    SLUICE_TRY(const auto signer, read_uint(j, "countersignature", "signer", kMaxU16));
    m.signer = static_cast<std::uint16_t>(signer);
    SLUICE_TRY(m.signature, read_signature(j["signature"], "countersignature.signature"));
    return Message{m};
}

Result<Message> read_completion(const nlohmann::json& j) {
    SLUICE_CHECK_OK(expect_fields(j, "completion", {"type", "channel_id", "state", "signatures"}));
    Completion m;
    SLUICE_TRY(m.channel_id, read_bytes32(j["channel_id"], "completion.channel_id"));
    SLUICE_TRY(m.state, state_from_message_json(j["state"], "completion.state"));
    SLUICE_TRY(m.signatures, read_list<Signature>(j["signatures"], "completion.signatures", kMaxParticipants,
                                                  &read_signature));
    return Message{std::move(m)};
}

Result<Message> read_rejection(const nlohmann::json& j) {
    SLUICE_CHECK_OK(expect_fields(
        j, "rejection", {"type", "channel_id", "version", "sender", "code", "reason", "min_version"}));
    Rejection m;
    SLUICE_TRY(m.channel_id, read_bytes32(j["channel_id"], "rejection.channel_id"));
    SLUICE_TRY(m.version, read_uint(j, "rejection", "version", kMaxU64));
    SLUICE_TRY(const auto sender, read_uint(j, "rejection", "sender", kMaxU16));
    m.sender = static_cast<std::uint16_t>(sender);
    SLUICE_TRY(const auto code_name, read_string(j, "rejection", "code", 64));
    SLUICE_TRY(m.code, channel_code(code_name));
    SLUICE_TRY(m.reason, read_string(j, "rejection", "reason", kMaxReason));
    SLUICE_TRY(m.min_version, read_uint(j, "rejection", "min_version", kMaxU64));
    return Message{std::move(m)};
}

}  // namespace

nlohmann::json to_json(const Message& message) {
    return std::visit(ToJson{}, message);
}

Result<Message> message_from_json(const nlohmann::json& json) {
    if (!json.is_object()) return make_error(Errc::channel_bad_message, "message: expected an object");
    const auto type = json.find("type");
    if (type == json.end() || !type->is_string()) {
        return make_error(Errc::channel_bad_message, "message.type: missing or not a string");
    }
    const auto& name = type->get_ref<const std::string&>();
    if (name == "proposal") return read_proposal(json);
    if (name == "countersignature") return read_countersignature(json);
    if (name == "completion") return read_completion(json);
    if (name == "rejection") return read_rejection(json);
    return make_error(Errc::channel_bad_message, "message.type: unknown type \"" + name.substr(0, 32) + "\"");
}

std::string serialize(const Message& message) {
    return to_json(message).dump();
}

Result<Message> parse_message(std::string_view text) {
    if (text.size() > kMaxMessageBytes) return make_error(Errc::json_parse, "message larger than the limit");
    const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) return make_error(Errc::json_parse, "message is not valid JSON");
    return message_from_json(json);
}

}  // namespace sluice::channel
