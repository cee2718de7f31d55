// JSON forms of the round messages (messages.hpp), for the wire and for logs. Every object carries
// "type" and exactly its fields: unknown or missing fields, wrong JSON types, out-of-range numbers,
// malformed hex and high-s signatures are refused with channel_bad_message naming the field, so that what
// parses is exactly what to_json() writes (parse(serialize(m)) == m, serialize(parse(t)) round-trips).
// Byte fields are 0x-hex, counters are JSON unsigned integers, error codes their errc_name().
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "sluice/channel/messages.hpp"

namespace sluice::channel {

// Largest message text parse_message() reads: a 16-party state with many locks fits many times over.
inline constexpr std::size_t kMaxMessageBytes = 4u << 20;
// Largest number of preimages one proposal may reveal.
inline constexpr std::size_t kMaxPreimages = 4096;

nlohmann::json to_json(const Message& message);
Result<Message> message_from_json(const nlohmann::json& json);

std::string serialize(const Message& message);
// json_parse for text that is not JSON (or too large), channel_bad_message for a bad message.
Result<Message> parse_message(std::string_view text);

}  // namespace sluice::channel
