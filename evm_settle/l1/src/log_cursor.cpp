#include "sluice/l1/log_cursor.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sluice/core/hex.hpp"

namespace sluice::l1 {

std::string LogCursorPosition::to_text() const {
    nlohmann::json recent_json = nlohmann::json::array();
    for (const auto& [number, hash] : recent)
        recent_json.push_back({number, to_hex(hash.view())});
    return nlohmann::json{{"next_block", next_block}, {"recent", std::move(recent_json)}}.dump();
}

Result<LogCursorPosition> LogCursorPosition::from_text(std::string_view text) {
    const auto bad = [](const std::string& why) {
        return make_error(Errc::l1_bad_cursor, "log cursor: " + why);
    };
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
    const auto next = j.find("next_block");
    const auto recent = j.find("recent");
    if (next == j.end() || !next->is_number_integer() || next->get<std::int64_t>() < 0) {
        return bad("next_block must be a block number");
    }
    if (recent == j.end() || !recent->is_array()) return bad("recent must be an array");
    LogCursorPosition p;
    p.next_block = next->get<std::int64_t>();
    for (const auto& entry : *recent) {
        if (!entry.is_array() || entry.size() != 2 || !entry[0].is_number_integer() ||
            !entry[1].is_string()) {
            return bad("each recent entry is [number, hash]");
        }
        const std::int64_t number = entry[0].get<std::int64_t>();
        auto hash = fixed_from_hex<32>(entry[1].get<std::string>());
        if (!hash.ok()) return bad("bad block hash: " + hash.error().message);
        if (number < 0 || number >= p.next_block || (!p.recent.empty() && number <= p.recent.back().first)) {
            return bad("recent blocks must ascend and lie below next_block");
        }
        p.recent.emplace_back(number, *hash);
    }
    return p;
}

LogCursor::LogCursor(L1Client& client, std::vector<Address> addresses,
                     std::vector<std::vector<Bytes32>> topics, LogCursorPosition start,
                     LogCursorOptions options)
    : client_(client),
      addresses_(std::move(addresses)),
      topics_(std::move(topics)),
      position_(std::move(start)),
      options_(options) {
    options_.max_blocks_per_poll = std::max<std::int64_t>(1, options_.max_blocks_per_poll);
    options_.keep_blocks = std::max<std::size_t>(1, options_.keep_blocks);
}

Async<LogPoll> LogCursor::poll() {
    LogPoll out;
    SLUICE_CO_TRY(out.head, co_await client_.block_number());

    // Reorg check, newest remembered block first.
    while (!position_.recent.empty()) {
        const auto [number, hash] = position_.recent.back();
        SLUICE_CO_TRY(const std::optional<BlockSummary> now, co_await client_.block(BlockTag::at(number)));
        if (now && now->hash == hash) break;
        position_.recent.pop_back();
        out.rewound_to = number - 1;
        if (position_.recent.empty()) {
            co_return make_error(Errc::l1_reorg_too_deep,
                                 "log cursor: none of the remembered blocks down to " +
                                     std::to_string(number) + " is canonical any more");
        }
    }
    if (out.rewound_to) position_.next_block = *out.rewound_to + 1;

    const std::int64_t last_ready = out.head - options_.lag;
    if (position_.next_block > last_ready) {
        out.caught_up = true;
        co_return out;
    }
    const std::int64_t to = std::min(last_ready, position_.next_block + options_.max_blocks_per_poll - 1);
    LogQuery query;
    query.from_block = BlockTag::at(position_.next_block);
    query.to_block = BlockTag::at(to);
    query.addresses = addresses_;
    query.topics = topics_;
    SLUICE_CO_TRY(out.logs, co_await client_.logs(query));
    // The range's last block pins what was read: if it is replaced before the next poll, the check above
    // finds it. A log from another version of a block in the range (a reorg during the read) is caught here.
    SLUICE_CO_TRY(const std::optional<BlockSummary> end, co_await client_.block(BlockTag::at(to)));
    if (!end)
        co_return make_error(Errc::l1_malformed_reply,
                             "log cursor: block " + std::to_string(to) + " vanished");
    for (const LogRecord& log : out.logs) {
        if (log.block_number < position_.next_block || log.block_number > to ||
            (log.block_number == to && log.block_hash != end->hash)) {
            // Read during a reorg: deliver nothing from this poll; the next one starts over.
            out.logs.clear();
            co_return out;
        }
    }
    position_.recent.emplace_back(to, end->hash);
    if (position_.recent.size() > options_.keep_blocks) {
        position_.recent.erase(
            position_.recent.begin(),
            position_.recent.begin() +
                static_cast<std::ptrdiff_t>(position_.recent.size() - options_.keep_blocks));
    }
    position_.next_block = to + 1;
    out.caught_up = to == last_ready;
    co_return out;
}

}  // namespace sluice::l1
