// JSON forms of the round messages (messages.hpp), for the wire and for logs, in the conventions of json.hpp
// (states in its State form, versions as canonical decimal strings, participant indices as JSON numbers,
// bytes as 0x-hex, error codes as their errc_name()). Every object carries "type" and exactly its fields:
// unknown or missing fields, wrong JSON types, out-of-range numbers, malformed hex and high-s signatures are
// refused with an error naming the field ("proposal.state: outcome[0]...", json_bad_field for shape,
// otherwise the core hex / number / signature code). What parses serializes back to text that parses to the
// same message.
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
// json_parse for text that is not JSON (or too large), otherwise as message_from_json().
Result<Message> parse_message(std::string_view text);

}  // namespace sluice::channel
