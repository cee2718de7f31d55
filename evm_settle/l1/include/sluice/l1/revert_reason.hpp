// The reason in a revert's data: Solidity's Error(string) and Panic(uint256), a custom error of a known
// contract (named by its signature, e.g. "ChallengeTooLong()"), or bytes nobody declared.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"

namespace sluice::l1 {

struct RevertReason {
    enum class Kind : std::uint8_t { empty, error_string, panic, custom, unknown };
    Kind kind = Kind::empty;
    std::string message;  // Error(string)'s text
    u256 panic_code;      // Panic(uint256)'s code
    std::string custom;   // the matching signature, e.g. "ChallengeTooLong()"
    Bytes data;           // the revert data as returned

    // One line for logs and error messages: `Error("not enough")`, `Panic(0x11: arithmetic overflow)`,
    // `ChallengeTooLong()`, `unknown revert 0x1234abcd…`, `revert without data`.
    std::string describe() const;
};

// `custom_errors` are error signatures ("Name(type,...)") whose selectors are matched against the data's
// first four bytes. Never fails: data that fits nothing is Kind::unknown (a malformed Error(string)
// included).
RevertReason decode_revert(ByteView data, std::span<const std::string> custom_errors = {});

// Solidity's meaning of a panic code ("arithmetic overflow", "division by zero", ...), or "".
std::string_view panic_meaning(const u256& code);

}  // namespace sluice::l1
