// JSON of the round messages (message_json.hpp), in the conventions of json.hpp: states in its State form,
// versions as canonical decimal strings, participant indices as JSON numbers, bytes as 0x-hex.
#include "sluice/channel/message_json.hpp"

#include <limits>

#include "json_fields.hpp"
#include "sluice/channel/json.hpp"
#include "sluice/core/hex.hpp"

namespace sluice::channel {
namespace {

using namespace json_fields;

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();

std::string hex_of(ByteView bytes) {
    return to_hex(bytes);
}
std::string hex_of(const Signature& signature) {
    const auto bytes = signature.to_bytes();
    return to_hex(ByteView{bytes.data(), bytes.size()});
}

// Only the channel layer's own codes travel in rejections.
Result<Errc> read_channel_code(const Json& json, const std::string& path) {
    if (!json.is_string()) return at(path, Errc::json_bad_field, "expected an error code name");
    const auto& name = json.get_ref<const std::string&>();
    for (std::uint16_t c = 800; c <= 849; ++c) {
        const auto code = static_cast<Errc>(c);
        if (name != "unknown" && errc_name(code) == name) return code;  // "unknown": an unassigned value
    }
    return at(path, Errc::json_bad_field, "not a channel error code");
}

Result<State> read_state(const Json& json, const std::string& path) {
    auto state = state_from_json(json);
    if (!state.ok()) return at(path, state.error().code, state.error().message);
    return std::move(state).value();
}

template <class T>
Result<std::vector<T>> read_list(const Json& json, const std::string& path, std::size_t max,
                                 Result<T> (*read)(const Json&, const std::string&)) {
    SLUICE_CHECK_OK(expect_array(json, path));
    if (json.size() > max)
        return at(path, Errc::json_bad_field, "more than " + std::to_string(max) + " entries");
    std::vector<T> out;
    for (std::size_t i = 0; i < json.size(); ++i) {
        SLUICE_TRY(T item, read(json[i], element_path(path, i)));
        out.push_back(std::move(item));
    }
    return out;
}

struct ToJson {
    Json operator()(const Proposal& m) const {
        auto preimages = Json::array();
        for (const auto& p : m.preimages)
            preimages.push_back(hex_of(p.view()));
        return {{"type", "proposal"},
                {"channel_id", hex_of(m.channel_id.view())},
                {"proposer", m.proposer},
                {"base_version", std::to_string(m.base_version)},
                {"state", to_json(m.state)},
                {"preimages", std::move(preimages)},
                {"signature", hex_of(m.signature)}};
    }
    Json operator()(const Countersignature& m) const {
        return {{"type", "countersignature"},
                {"channel_id", hex_of(m.channel_id.view())},
                {"version", std::to_string(m.version)},
                {"signer", m.signer},
                {"signature", hex_of(m.signature)}};
    }
    Json operator()(const Completion& m) const {
        auto sigs = Json::array();
        for (const auto& s : m.signatures)
            sigs.push_back(hex_of(s));
        return {{"type", "completion"},
                {"channel_id", hex_of(m.channel_id.view())},
                {"state", to_json(m.state)},
                {"signatures", std::move(sigs)}};
    }
    Json operator()(const Rejection& m) const {
        return {{"type", "rejection"},
                {"channel_id", hex_of(m.channel_id.view())},
                {"version", std::to_string(m.version)},
                {"sender", m.sender},
                {"code", std::string(errc_name(m.code))},
                {"reason", m.reason},
                {"min_version", std::to_string(m.min_version)},
                {"signature", hex_of(m.signature)}};
    }
};

Result<Message> read_proposal(const Json& j) {
    SLUICE_CHECK_OK(
        expect_object(j, "proposal",
                      {"type", "channel_id", "proposer", "base_version", "state", "preimages", "signature"}));
    Proposal m;
    SLUICE_TRY(m.channel_id, read_hash(member(j, "channel_id"), "proposal.channel_id"));
    SLUICE_TRY(m.proposer, read_uint16_number(member(j, "proposer"), "proposal.proposer"));
    SLUICE_TRY(m.base_version, read_uint(member(j, "base_version"), "proposal.base_version", kMaxU64));
    SLUICE_TRY(m.state, read_state(member(j, "state"), "proposal.state"));
    SLUICE_TRY(m.preimages,
               read_list<Hash>(member(j, "preimages"), "proposal.preimages", kMaxPreimages, &read_hash));
    SLUICE_TRY(m.signature, read_signature(member(j, "signature"), "proposal.signature"));
    return Message{std::move(m)};
}

Result<Message> read_countersignature(const Json& j) {
    SLUICE_CHECK_OK(
        expect_object(j, "countersignature", {"type", "channel_id", "version", "signer", "signature"}));
    Countersignature m;
    SLUICE_TRY(m.channel_id, read_hash(member(j, "channel_id"), "countersignature.channel_id"));
    SLUICE_TRY(m.version, read_uint(member(j, "version"), "countersignature.version", kMaxU64));
    SLUICE_TRY(m.signer, read_uint16_number(member(j, "signer"), "countersignature.signer"));
    SLUICE_TRY(m.signature, read_signature(member(j, "signature"), "countersignature.signature"));
    return Message{m};
}

Result<Message> read_completion(const Json& j) {
    SLUICE_CHECK_OK(expect_object(j, "completion", {"type", "channel_id", "state", "signatures"}));
    Completion m;
    SLUICE_TRY(m.channel_id, read_hash(member(j, "channel_id"), "completion.channel_id"));
    SLUICE_TRY(m.state, read_state(member(j, "state"), "completion.state"));
    SLUICE_TRY(m.signatures, read_list<Signature>(member(j, "signatures"), "completion.signatures",
                                                  kMaxParticipants, &read_signature));
    return Message{std::move(m)};
}

Result<Message> read_rejection(const Json& j) {
    SLUICE_CHECK_OK(expect_object(
        j, "rejection",
        {"type", "channel_id", "version", "sender", "code", "reason", "min_version", "signature"}));
    Rejection m;
    SLUICE_TRY(m.channel_id, read_hash(member(j, "channel_id"), "rejection.channel_id"));
    SLUICE_TRY(m.version, read_uint(member(j, "version"), "rejection.version", kMaxU64));
    SLUICE_TRY(m.sender, read_uint16_number(member(j, "sender"), "rejection.sender"));
    SLUICE_TRY(m.code, read_channel_code(member(j, "code"), "rejection.code"));
    const Json& reason = member(j, "reason");
    if (!reason.is_string()) return at("rejection.reason", Errc::json_bad_field, "expected a string");
    if (reason.get_ref<const std::string&>().size() > kMaxReasonBytes) {
        return at("rejection.reason", Errc::json_bad_field, "longer than " + std::to_string(kMaxReasonBytes));
    }
    m.reason = reason.get<std::string>();
    SLUICE_TRY(m.min_version, read_uint(member(j, "min_version"), "rejection.min_version", kMaxU64));
    SLUICE_TRY(m.signature, read_signature(member(j, "signature"), "rejection.signature"));
    return Message{std::move(m)};
}

}  // namespace

Json to_json(const Message& message) {
    return std::visit(ToJson{}, message);
}

Result<Message> message_from_json(const Json& json) {
    if (!json.is_object()) return at("message", Errc::json_bad_field, "expected an object");
    const auto type = json.find("type");
    if (type == json.end() || !type->is_string())
        return at("message.type", Errc::json_bad_field, "missing or not a string");
    const auto& name = type->get_ref<const std::string&>();
    if (name == "proposal") return read_proposal(json);
    if (name == "countersignature") return read_countersignature(json);
    if (name == "completion") return read_completion(json);
    if (name == "rejection") return read_rejection(json);
    return at("message.type", Errc::json_bad_field, "unknown type \"" + name.substr(0, 32) + "\"");
}

std::string serialize(const Message& message) {
    return to_json(message).dump();
}

Result<Message> parse_message(std::string_view text) {
    if (text.size() > kMaxMessageBytes) return make_error(Errc::json_parse, "message larger than the limit");
    SLUICE_TRY(const Json json, parse_text(text));
    return message_from_json(json);
}

}  // namespace sluice::channel
