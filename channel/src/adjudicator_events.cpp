// Decoding the adjudicator's event logs: indexed fields from the topics, the rest from the ABI-encoded data.
#include <array>
#include <string>
#include <vector>

#include "adjudicator_signatures.hpp"
#include "sluice/channel/adjudicator_abi.hpp"
#include "sluice/channel/encoding.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel::adjudicator {
namespace {

enum class Kind : std::uint8_t {
    deposited,
    registered,
    progressed,
    concluded,
    conclusion_skipped,
    preimage_revealed,
    withdrawn,
    locks_pending,
    payout_deferred,
    claimed,
};

struct EventDef {
    Kind kind;
    std::string_view signature;
    std::size_t indexed;          // indexed fields, each one topic after topic0
    std::string_view data_type;  // the non-indexed fields as a tuple
};

constexpr std::array<EventDef, 10> kEvents = {{
    {Kind::deposited, "Deposited(bytes32,address,address,uint256,uint256)", 2, "(address,uint256,uint256)"},
    {Kind::registered, "Registered(bytes32,uint64,uint48,bytes32,uint64,uint48)", 1,
     "(uint64,uint48,bytes32,uint64,uint48)"},
    {Kind::progressed, "Progressed(bytes32,uint64,uint48,bytes32,uint64,uint48,uint256," SLUICE_ABI_STATE ")",
     1, "(uint64,uint48,bytes32,uint64,uint48,uint256," SLUICE_ABI_STATE ")"},
    {Kind::concluded, "Concluded(bytes32,uint64)", 1, "(uint64)"},
    {Kind::conclusion_skipped, "ConclusionSkipped(uint256,bytes4)", 0, "(uint256,bytes4)"},
    {Kind::preimage_revealed, "PreimageRevealed(bytes32,bytes32)", 1, "(bytes32)"},
    {Kind::withdrawn, "Withdrawn(bytes32,address,address,uint256)", 3, "(uint256)"},
    {Kind::locks_pending, "LocksPending(bytes32,uint256)", 1, "(uint256)"},
    {Kind::payout_deferred, "PayoutDeferred(address,address,uint256)", 2, "(uint256)"},
    {Kind::claimed, "Claimed(address,address,address,uint256)", 2, "(address,uint256)"},
}};

struct ParsedEvent {
    Hash topic;
    AbiType data_type;
};

// In kEvents order.
const std::vector<ParsedEvent>& parsed_events() {
    static const auto parsed = [] {
        std::vector<ParsedEvent> out;
        for (const auto& def : kEvents) {
            out.push_back({keccak256(as_bytes(def.signature)), AbiType::parse(def.data_type).value()});
        }
        return out;
    }();
    return parsed;
}

// An indexed address is a word with 12 zero bytes in front; anything else was not emitted by Solidity.
Result<Address> topic_address(const Bytes32& topic) {
    for (std::size_t i = 0; i < 12; ++i) {
        if (topic[i] != 0) return make_error(Errc::abi_bad_value, "indexed address with dirty high bytes");
    }
    return Address::from_view(ByteView(topic.data() + 12, 20));
}

// uint64/uint48 fields, already range-checked by the decoder against their type.
std::uint64_t small_uint(const AbiValue& v) { return v.as_uint().low64(); }

Hash word(const AbiValue& v) { return Hash::from_view(v.as_bytes()).value(); }

Registration registration_of(const AbiValue& data) {
    return Registration{small_uint(data[0]), small_uint(data[1]), word(data[2]), small_uint(data[3]),
                        small_uint(data[4])};
}

Result<Event> build(Kind kind, std::span<const Bytes32> topics, const AbiValue& data) {
    switch (kind) {
        case Kind::deposited: {
            SLUICE_TRY(const Address asset, topic_address(topics[2]));
            return Event{Deposited{topics[1], asset, data[0].as_address(), data[1].as_uint(), data[2].as_uint()}};
        }
        case Kind::registered: return Event{Registered{topics[1], registration_of(data)}};
        case Kind::progressed: {
            SLUICE_TRY(State state, state_from_abi(data[6]));
            const u256& actor = data[5].as_uint();
            if (!actor.fits_u64()) return make_error(Errc::abi_bad_value, "actor index out of range");
            return Event{Progressed{topics[1], registration_of(data), actor.low64(), std::move(state)}};
        }
        case Kind::concluded: return Event{Concluded{topics[1], small_uint(data[0])}};
        case Kind::conclusion_skipped: {
            const u256& index = data[0].as_uint();
            if (!index.fits_u64()) return make_error(Errc::abi_bad_value, "item index out of range");
            SLUICE_TRY(const Selector reason, Selector::from_view(data[1].as_bytes()));
            return Event{ConclusionSkipped{index.low64(), reason}};
        }
        case Kind::locks_pending:
            return Event{LocksPending{topics[1], data[0].as_uint()}};
        case Kind::preimage_revealed: return Event{PreimageRevealed{topics[1], word(data[0])}};
        case Kind::withdrawn: {
            SLUICE_TRY(const Address participant, topic_address(topics[2]));
            SLUICE_TRY(const Address asset, topic_address(topics[3]));
            return Event{Withdrawn{topics[1], participant, asset, data[0].as_uint()}};
        }
        case Kind::payout_deferred:
        case Kind::claimed: {
            SLUICE_TRY(const Address recipient, topic_address(topics[1]));
            SLUICE_TRY(const Address asset, topic_address(topics[2]));
            if (kind == Kind::payout_deferred) return Event{PayoutDeferred{recipient, asset, data[0].as_uint()}};
            return Event{Claimed{recipient, asset, data[0].as_address(), data[1].as_uint()}};
        }
    }
    return make_error(Errc::internal, "unknown event kind");
}

}  // namespace

std::span<const std::string_view> event_signatures() {
    static const auto signatures = [] {
        std::array<std::string_view, kEvents.size()> out;
        for (std::size_t i = 0; i < kEvents.size(); ++i) out[i] = kEvents[i].signature;
        return out;
    }();
    return signatures;
}

Hash event_topic(std::string_view event_name) {
    for (const auto& def : kEvents) {
        if (def.signature.substr(0, def.signature.find('(')) == event_name) return keccak256(as_bytes(def.signature));
    }
    return Hash{};
}

Result<std::optional<Event>> decode_event(std::span<const Bytes32> topics, ByteView data) {
    if (topics.empty()) return std::optional<Event>{};
    const auto& parsed = parsed_events();
    for (std::size_t i = 0; i < parsed.size(); ++i) {
        if (parsed[i].topic != topics[0]) continue;
        const std::string_view signature = kEvents[i].signature;
        const std::string name(signature.substr(0, signature.find('(')));
        if (topics.size() != kEvents[i].indexed + 1) {
            return make_error(Errc::bad_length, name + " has " + std::to_string(kEvents[i].indexed + 1) +
                                                    " topics, the log " + std::to_string(topics.size()));
        }
        auto values = decode_params(parsed[i].data_type, data);
        if (!values) return make_error(values.error().code, name + " data: " + values.error().message);
        SLUICE_TRY(Event event, build(kEvents[i].kind, topics, *values));
        return std::optional<Event>{std::move(event)};
    }
    return std::optional<Event>{};
}

}  // namespace sluice::channel::adjudicator
