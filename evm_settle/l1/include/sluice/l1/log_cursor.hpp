// LogCursor: follows a contract's logs block by block from a position that survives restarts and reorgs
// (what a watchtower or a channel's funding watcher needs; like LDK's chain::Listen fed from block hashes).
//
// The position is the next block to read plus the hashes of the last blocks read (a window of
// `keep_blocks`). Each poll first checks, newest first, that those blocks are still canonical; at a reorg it
// resumes after the newest one that is, reports the height it rewound to, and reads the replaced blocks
// again. Logs are delivered once per canonical block: a consumer that keeps (block hash, log index)
// de-duplicates across rewinds, and one that only keeps state per block just drops what it had above
// `rewound_to`. The position is plain text (to_text / from_text) for the caller to store next to what it
// derived from the logs, in one database transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sluice/l1/l1_client.hpp"

namespace sluice::l1 {

struct LogCursorPosition {
    std::int64_t next_block = 0;
    std::vector<std::pair<std::int64_t, Hash>> recent;  // ascending block numbers, at most keep_blocks

    std::string to_text() const;
    // l1_bad_cursor for text that is not a position (to_text's output).
    static Result<LogCursorPosition> from_text(std::string_view text);
    friend bool operator==(const LogCursorPosition&, const LogCursorPosition&) = default;
};

struct LogCursorOptions {
    std::int64_t max_blocks_per_poll = 2'000;  // nodes cap eth_getLogs ranges (and results)
    std::size_t keep_blocks = 64;              // reorg depth it can recover from
    // Read only up to head - lag: logs in the last `lag` blocks are not delivered yet (confirmations).
    std::int64_t lag = 0;
};

struct LogPoll {
    std::vector<LogRecord> logs;             // in chain order, from the blocks read by this poll
    std::optional<std::int64_t> rewound_to;  // set after a reorg: blocks above it were replaced
    std::int64_t head = 0;                   // the node's head when polled
    bool caught_up = false;                  // nothing more to read below head - lag
};

class LogCursor {
  public:
    LogCursor(L1Client& client, std::vector<Address> addresses, std::vector<std::vector<Bytes32>> topics,
              LogCursorPosition start, LogCursorOptions options = {});

    // One step: reorg check, then up to max_blocks_per_poll blocks. l1_reorg_too_deep when no remembered
    // block is canonical any more (the caller restarts from an older known position).
    Async<LogPoll> poll();

    const LogCursorPosition& position() const noexcept { return position_; }

  private:
    L1Client& client_;
    std::vector<Address> addresses_;
    std::vector<std::vector<Bytes32>> topics_;
    LogCursorPosition position_;
    LogCursorOptions options_;
};

}  // namespace sluice::l1
