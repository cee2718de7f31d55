#include "sluice/hub/rpc_auth.hpp"

#include "sluice/hub/private_file.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace sluice::hub {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kHexChars = 64;
constexpr std::size_t kMaxFileBytes = 4096;
constexpr std::size_t kMaxHeaderBytes = 1024;
constexpr std::string_view kCookiePrefix = "__cookie__:";

// A string that is wiped when it goes: the hex and base64 forms of the secrets.
struct WipedString {
    std::string text;
    WipedString() = default;
    WipedString(const WipedString&) = delete;
    WipedString& operator=(const WipedString&) = delete;
    ~WipedString() { secure_zero(text.data(), text.size()); }
};

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Exactly 64 hex digits into 32 bytes.
std::optional<Secret<32>> secret_from_hex(std::string_view text) {
    if (text.size() != kHexChars) return std::nullopt;
    Secret<32> out;
    for (std::size_t i = 0; i < 32; ++i) {
        const int hi = hex_digit(text[2 * i]);
        const int lo = hex_digit(text[2 * i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.mutable_data()[i] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return out;
}

void hex_of(const Secret<32>& secret, WipedString& out) {
    out.text.assign(kHexChars + 1, '\0');
    sodium_bin2hex(out.text.data(), out.text.size(), secret.data(), secret.size());
    out.text.resize(kHexChars);
}

bool same(const Secret<32>& a, const Secret<32>& b) {
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// A file's content (at most kMaxFileBytes), or nullopt when it cannot be read.
std::optional<std::string> read_small_file(const fs::path& path, std::string& why) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        why = std::strerror(errno);
        return std::nullopt;
    }
    std::string out(kMaxFileBytes + 1, '\0');
    std::size_t got = 0;
    while (got < out.size()) {
        const ssize_t n = ::read(fd, out.data() + got, out.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            why = std::strerror(errno);
            ::close(fd);
            secure_zero(out.data(), out.size());
            return std::nullopt;
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (got > kMaxFileBytes) {
        why = "larger than " + std::to_string(kMaxFileBytes) + " bytes";
        secure_zero(out.data(), out.size());
        return std::nullopt;
    }
    out.resize(got);
    return out;
}

// One optional trailing newline (an editor's) is allowed after the secret.
std::string_view strip_newline(std::string_view text) {
    if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    return text;
}

Status fresh_secret_file(const fs::path& path, Secret<32>& secret, std::string_view prefix) {
    randombytes_buf(secret.mutable_data(), secret.size());
    WipedString hex;
    hex_of(secret, hex);
    WipedString content;
    content.text = std::string(prefix) + hex.text;
    return write_private_file(path, content.text);
}

// A client's credential file without its trailing newline; rpc_unauthorized when it cannot be read.
Status read_credential(const fs::path& path, const std::string& what, WipedString& out) {
    std::string why;
    auto text = read_small_file(path, why);
    if (!text) {
        return make_error(Errc::rpc_unauthorized, "cannot read " + what + " " + path.string() + " (" + why +
                                                      "): is sluiced running with this data dir?");
    }
    out.text = std::string(strip_newline(*text));
    secure_zero(text->data(), text->size());
    return {};
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

}  // namespace

Result<RpcAuth> RpcAuth::create(const fs::path& data_dir) {
    std::error_code ec;
    fs::create_directories(data_dir, ec);
    if (ec)
        return make_error(Errc::io_error,
                          "cannot create the data dir " + data_dir.string() + ": " + ec.message());
    RpcAuth auth;
    auth.cookie_path_ = data_dir / kCookieFile;
    auth.token_path_ = data_dir / kTokenFile;
    SLUICE_CHECK_OK(fresh_secret_file(auth.cookie_path_, auth.cookie_, kCookiePrefix));

    std::string why;
    bool kept = false;
    if (auto text = read_small_file(auth.token_path_, why)) {
        if (auto token = secret_from_hex(strip_newline(*text))) {
            auth.token_ = std::move(*token);
            kept = true;
        }
        secure_zero(text->data(), text->size());
    }
    if (!kept) SLUICE_CHECK_OK(fresh_secret_file(auth.token_path_, auth.token_, ""));
    return auth;
}

std::optional<Access> RpcAuth::check(std::string_view header) const {
    if (header.size() > kMaxHeaderBytes) return std::nullopt;
    const std::size_t space = header.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    const std::string_view scheme = header.substr(0, space);
    std::string_view credentials = header.substr(space + 1);
    while (!credentials.empty() && credentials.front() == ' ')
        credentials.remove_prefix(1);
    if (iequals(scheme, "Bearer")) {
        const auto secret = secret_from_hex(credentials);
        if (!secret) return std::nullopt;
        // Both comparisons always run, so the timing does not tell which secret was near.
        const bool full = same(*secret, cookie_);
        const bool read_only = same(*secret, token_);
        if (full) return Access::full;
        if (read_only) return Access::read_only;
        return std::nullopt;
    }
    if (!iequals(scheme, "Basic")) return std::nullopt;
    WipedString decoded;
    decoded.text.assign(credentials.size(), '\0');
    std::size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.text.data()), decoded.text.size(),
                          credentials.data(), credentials.size(), nullptr, &length, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != credentials.data() + credentials.size()) {
        return std::nullopt;
    }
    const std::string_view text(decoded.text.data(), length);
    if (text.substr(0, kCookiePrefix.size()) != kCookiePrefix) return std::nullopt;
    const auto secret = secret_from_hex(text.substr(kCookiePrefix.size()));
    if (!secret || !same(*secret, cookie_)) return std::nullopt;
    return Access::full;
}

Result<std::string> RpcAuth::header_from_cookie_file(const fs::path& cookie_file) {
    WipedString content;
    SLUICE_CHECK_OK(read_credential(cookie_file, "the cookie file", content));
    if (content.text.substr(0, kCookiePrefix.size()) != kCookiePrefix ||
        !secret_from_hex(std::string_view(content.text).substr(kCookiePrefix.size()))) {
        return make_error(Errc::rpc_unauthorized,
                          cookie_file.string() + " is not a sluiced cookie (__cookie__: and 64 hex digits)");
    }
    WipedString encoded;
    encoded.text.assign(sodium_base64_ENCODED_LEN(content.text.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(encoded.text.data(), encoded.text.size(),
                      reinterpret_cast<const unsigned char*>(content.text.data()), content.text.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    return "Basic " + std::string(encoded.text.c_str());
}

Result<std::string> RpcAuth::header_from_token_file(const fs::path& token_file) {
    WipedString content;
    SLUICE_CHECK_OK(read_credential(token_file, "the read-only token", content));
    if (!secret_from_hex(content.text)) {
        return make_error(Errc::rpc_unauthorized,
                          token_file.string() + " is not a sluiced read-only token (64 hex digits)");
    }
    return "Bearer " + content.text;
}

}  // namespace sluice::hub
