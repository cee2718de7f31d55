// parse_json_strict: nlohmann's parser with a callback that tracks the keys of every open object.
#include "sluice/core/json_text.hpp"

#include <set>
#include <string>
#include <vector>

namespace sluice {

Result<nlohmann::json> parse_json_strict(std::string_view text) {
    std::vector<std::set<std::string>> keys;  // one per open object
    std::string duplicate;
    const nlohmann::json::parser_callback_t check = [&](int, nlohmann::json::parse_event_t event,
                                                        nlohmann::json& parsed) {
        switch (event) {
            case nlohmann::json::parse_event_t::object_start:
                keys.emplace_back();
                break;
            case nlohmann::json::parse_event_t::object_end:
                if (!keys.empty()) keys.pop_back();
                break;
            case nlohmann::json::parse_event_t::key:
                if (!keys.empty() && !keys.back().insert(parsed.get<std::string>()).second &&
                    duplicate.empty()) {
                    duplicate = parsed.get<std::string>();
                }
                break;
            case nlohmann::json::parse_event_t::array_start:
            case nlohmann::json::parse_event_t::array_end:
            case nlohmann::json::parse_event_t::value:
                break;
        }
        return true;
    };
    nlohmann::json json = nlohmann::json::parse(text.begin(), text.end(), check, false);
    if (json.is_discarded()) return make_error(Errc::json_parse, "malformed JSON text");
    if (!duplicate.empty()) return make_error(Errc::json_parse, "duplicate key \"" + duplicate + "\"");
    return json;
}

}  // namespace sluice
