// The stored form of NodeEvent: a kind and a JSON body, each field as the struct names it.
#include <nlohmann/json.hpp>
#include <string>

#include "sluice/core/hex.hpp"
#include "sluice/sdk/events.hpp"

namespace sluice::sdk {
namespace {

using nlohmann::json;

// One visitor per direction; each event lists its fields once in `fields` below.
struct Writer {
    json out = json::object();
    void field(const char* name, const Address& v) { out[name] = v.to_hex(); }
    void field(const char* name, const Hash& v) { out[name] = to_hex(v.view(), true); }
    void field(const char* name, const u256& v) { out[name] = v.to_dec(); }
    void field(const char* name, std::uint64_t v) { out[name] = std::to_string(v); }
    void field(const char* name, const std::string& v) { out[name] = v; }
};

struct Reader {
    const json& in;
    std::string error;
    const std::string* text(const char* name) {
        const auto it = in.find(name);
        if (it == in.end() || !it->is_string()) {
            if (error.empty()) error = std::string("field ") + name;
            return nullptr;
        }
        return it->get_ptr<const std::string*>();
    }
    void field(const char* name, Address& v) {
        const auto* t = text(name);
        if (!t) return;
        auto a = Address::from_hex(*t);
        if (a)
            v = *a;
        else if (error.empty())
            error = std::string("field ") + name;
    }
    void field(const char* name, Hash& v) {
        const auto* t = text(name);
        if (!t) return;
        auto bytes = from_hex(*t);
        auto h = bytes ? Hash::from_view(*bytes) : Result<Hash>(make_error(Errc::invalid_argument, ""));
        if (h)
            v = *h;
        else if (error.empty())
            error = std::string("field ") + name;
    }
    void field(const char* name, u256& v) {
        const auto* t = text(name);
        if (!t) return;
        auto n = u256::from_dec(*t);
        if (n)
            v = *n;
        else if (error.empty())
            error = std::string("field ") + name;
    }
    void field(const char* name, std::uint64_t& v) {
        u256 n;
        field(name, n);
        if (!n.fits_u64()) {
            if (error.empty()) error = std::string("field ") + name;
            return;
        }
        v = n.low64();
    }
    void field(const char* name, std::string& v) {
        if (const auto* t = text(name)) v = *t;
    }
};

template <class V, class E>
void fields(V& v, E& e) {
    using T = std::remove_const_t<E>;
    if constexpr (std::is_same_v<T, PeerConnected> || std::is_same_v<T, PeerDisconnected>) {
        v.field("peer", e.peer);
    } else if constexpr (std::is_same_v<T, ChannelOpening> || std::is_same_v<T, ChannelOpened> ||
                         std::is_same_v<T, ChannelClosed>) {
        v.field("channel_id", e.channel_id);
    } else if constexpr (std::is_same_v<T, ChannelUpdated> || std::is_same_v<T, DisputeDetected>) {
        v.field("channel_id", e.channel_id);
        v.field("version", e.version);
    } else if constexpr (std::is_same_v<T, ChannelClosing>) {
        v.field("channel_id", e.channel_id);
        v.field("eta", e.eta);
    } else if constexpr (std::is_same_v<T, PaymentReceived>) {
        v.field("payment_hash", e.payment_hash);
        v.field("channel_id", e.channel_id);
        v.field("asset", e.asset);
        v.field("amount", e.amount);
    } else if constexpr (std::is_same_v<T, PaymentSent>) {
        v.field("payment_hash", e.payment_hash);
        v.field("channel_id", e.channel_id);
        v.field("asset", e.asset);
        v.field("amount", e.amount);
        v.field("fee", e.fee);
    } else if constexpr (std::is_same_v<T, PaymentFailed>) {
        v.field("payment_hash", e.payment_hash);
        v.field("code", e.code);
        v.field("reason", e.reason);
    } else {
        static_assert(std::is_same_v<T, DepositConfirmed>);
        v.field("channel_id", e.channel_id);
        v.field("asset", e.asset);
        v.field("total", e.total);
    }
}

template <std::size_t I = 0>
Result<NodeEvent> decode_as(std::string_view kind, const json& body) {
    if constexpr (I == std::variant_size_v<NodeEvent>) {
        return make_error(Errc::store_corrupt, "unknown event kind " + std::string(kind));
    } else {
        NodeEvent probe{std::in_place_index<I>};
        if (event_kind(probe) != kind) return decode_as<I + 1>(kind, body);
        auto& event = std::get<I>(probe);
        Reader reader{body, {}};
        fields(reader, event);
        if (!reader.error.empty())
            return make_error(Errc::store_corrupt,
                              std::string(kind) + " event: bad or missing " + reader.error);
        return probe;
    }
}

}  // namespace

std::string_view event_kind(const NodeEvent& event) noexcept {
    static constexpr std::string_view kNames[] = {"PeerConnected", "PeerDisconnected", "ChannelOpening",
                                                  "ChannelOpened", "ChannelUpdated",   "ChannelClosing",
                                                  "ChannelClosed", "PaymentReceived",  "PaymentSent",
                                                  "PaymentFailed", "DepositConfirmed", "DisputeDetected"};
    static_assert(std::size(kNames) == std::variant_size_v<NodeEvent>);
    return kNames[event.index()];
}

std::string encode_event_body(const NodeEvent& event) {
    Writer writer;
    std::visit([&](const auto& e) { fields(writer, e); }, event);
    return writer.out.dump();
}

Result<NodeEvent> decode_event(std::string_view kind, std::string_view body) {
    const auto parsed = json::parse(body, nullptr, false);
    if (!parsed.is_object())
        return make_error(Errc::store_corrupt, std::string(kind) + " event: body is not an object");
    return decode_as(kind, parsed);
}

}  // namespace sluice::sdk
