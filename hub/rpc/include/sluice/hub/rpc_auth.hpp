// RpcAuth: who may call the admin RPC. Two secrets in the data dir, both 32 random bytes (libsodium) written
// as 64 lower-case hex characters in files of mode 0600:
//
// * `.cookie`, as bitcoind's: `__cookie__:<hex>`, written anew at every start (the old one stops working),
// for
//   whoever can read the daemon's data dir (sluice-cli on the same account). Full access.
// * `readonly.token`, as lnd's read-only macaroon: `<hex>`, kept across restarts while it is well-formed, so
// a
//   monitoring consumer's config stays valid; a malformed one is replaced. Read methods and /metrics only.
//
// Accepted Authorization headers: `Basic base64("__cookie__:<cookie hex>")` (what bitcoin-cli sends) and
// `Bearer <cookie hex>` give full access, `Bearer <token hex>` read-only. Secrets are compared in constant
// time (sodium_memcmp). The secrets are wiped when the RpcAuth is destroyed.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/core/result.hpp"
#include "sluice/core/secret.hpp"

namespace sluice::hub {

enum class Access { read_only, full };

class RpcAuth {
  public:
    static constexpr std::string_view kCookieUser = "__cookie__";
    static constexpr const char* kCookieFile = ".cookie";
    static constexpr const char* kTokenFile = "readonly.token";

    // Creates `data_dir` if it is missing, writes a fresh .cookie (atomically: temp file, then rename), keeps
    // or writes readonly.token. Errors: io_error naming the file.
    static Result<RpcAuth> create(const std::filesystem::path& data_dir);

    // The access an Authorization header value grants; nullopt for anything else (missing, another scheme,
    // bad base64, a wrong user or secret, stray characters).
    std::optional<Access> check(std::string_view authorization_header) const;

    // The Authorization header value a client sends, from the daemon's files: "Basic <base64>" from
    // .cookie, "Bearer <hex>" from readonly.token. Errors: rpc_unauthorized saying what is wrong with the
    // file (missing or unreadable: is sluiced running with that data dir?; not a cookie/token).
    static Result<std::string> header_from_cookie_file(const std::filesystem::path& cookie_file);
    static Result<std::string> header_from_token_file(const std::filesystem::path& token_file);

    const std::filesystem::path& cookie_path() const noexcept { return cookie_path_; }
    const std::filesystem::path& token_path() const noexcept { return token_path_; }

  private:
    RpcAuth() = default;
    Secret<32> cookie_;
    Secret<32> token_;
    std::filesystem::path cookie_path_;
    std::filesystem::path token_path_;
};

}  // namespace sluice::hub
