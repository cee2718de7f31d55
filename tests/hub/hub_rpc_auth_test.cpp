// The cookie and the read-only token: files and modes, which header grants what, what a client sends.
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sluice/hub/rpc_auth.hpp"
#include "support/temp_dir.hpp"

namespace sluice::hub {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write(const fs::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

unsigned mode_of(const fs::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st.st_mode & 0777;
}

bool lower_hex(const std::string& s) {
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::string base64(const std::string& text) {
    std::string out(sodium_base64_ENCODED_LEN(text.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()),
                      text.size(), sodium_base64_VARIANT_ORIGINAL);
    return std::string(out.c_str());
}

using RpcAuthTest = testing::TempDirTest;

TEST_F(RpcAuthTest, WritesTheCookieAndTheTokenWithMode0600) {
    auto auth = RpcAuth::create(dir / "data");  // a missing data dir is created
    ASSERT_TRUE(auth.ok()) << auth.error().describe();
    const std::string cookie = read(dir / "data" / ".cookie");
    const std::string token = read(dir / "data" / "readonly.token");
    ASSERT_EQ(cookie.substr(0, 11), "__cookie__:");
    EXPECT_TRUE(lower_hex(cookie.substr(11))) << cookie;
    EXPECT_TRUE(lower_hex(token)) << token;
    EXPECT_EQ(mode_of(dir / "data" / ".cookie"), 0600u);
    EXPECT_EQ(mode_of(dir / "data" / "readonly.token"), 0600u);
    EXPECT_EQ(auth->cookie_path(), dir / "data" / ".cookie");
    EXPECT_FALSE(fs::exists(dir / "data" / ".cookie.tmp"));

    EXPECT_EQ(auth->check("Basic " + base64(cookie)), Access::full);
    EXPECT_EQ(auth->check("basic " + base64(cookie)), Access::full);  // the scheme is case-insensitive
    EXPECT_EQ(auth->check("Bearer " + cookie.substr(11)), Access::full);
    EXPECT_EQ(auth->check("Bearer " + token), Access::read_only);
}

TEST_F(RpcAuthTest, TheCookieChangesAtEveryStartAndTheTokenStays) {
    auto first = RpcAuth::create(dir);
    ASSERT_TRUE(first.ok());
    const std::string cookie1 = read(dir / ".cookie");
    const std::string token1 = read(dir / "readonly.token");
    auto second = RpcAuth::create(dir);
    ASSERT_TRUE(second.ok());
    const std::string cookie2 = read(dir / ".cookie");
    EXPECT_NE(cookie1, cookie2);
    EXPECT_EQ(read(dir / "readonly.token"), token1);
    EXPECT_EQ(second->check("Bearer " + token1), Access::read_only);
    EXPECT_EQ(second->check("Basic " + base64(cookie1)), std::nullopt);  // the old cookie is dead
    EXPECT_EQ(second->check("Basic " + base64(cookie2)), Access::full);
}

TEST_F(RpcAuthTest, AWellFormedTokenWithANewlineIsKeptAMalformedOneReplaced) {
    const std::string mine(64, 'a');
    write(dir / "readonly.token", mine + "\n");
    auto kept = RpcAuth::create(dir);
    ASSERT_TRUE(kept.ok());
    EXPECT_EQ(read(dir / "readonly.token"), mine + "\n");
    EXPECT_EQ(kept->check("Bearer " + mine), Access::read_only);

    for (const std::string& bad :
         std::vector<std::string>{std::string(63, 'a'), std::string(64, 'g'), std::string(), mine + "x",
                                  mine + "\n\n", " " + mine}) {
        write(dir / "readonly.token", bad);
        auto fresh = RpcAuth::create(dir);
        ASSERT_TRUE(fresh.ok());
        const std::string token = read(dir / "readonly.token");
        EXPECT_TRUE(lower_hex(token)) << "after " << bad;
        EXPECT_EQ(mode_of(dir / "readonly.token"), 0600u);
        EXPECT_EQ(fresh->check("Bearer " + token), Access::read_only);
        EXPECT_EQ(fresh->check("Bearer " + bad), std::nullopt);
    }
}

TEST_F(RpcAuthTest, RefusesWrongEmptyAndGarbledHeaders) {
    auto auth = RpcAuth::create(dir);
    ASSERT_TRUE(auth.ok());
    const std::string cookie = read(dir / ".cookie");
    const std::string hex = cookie.substr(11);
    const std::string token = read(dir / "readonly.token");
    std::string flipped = hex;
    flipped[0] = flipped[0] == '0' ? '1' : '0';
    for (const std::string& header : std::vector<std::string>{
             std::string(),
             std::string("Basic"),
             std::string("Basic "),
             std::string("Bearer"),
             std::string("Bearer "),
             "Bearer " + flipped,
             "Bearer " + hex + " ",
             "Bearer " + hex.substr(1),
             "Bearer " + hex + "00",
             "Basic " + base64("__cookie__:" + flipped),
             "Basic " + base64("someone:" + hex),
             "Basic " + base64("__cookie__:" + token),  // the token is not a cookie password
             "Basic " + base64(cookie) + "=",
             "Basic " + base64(cookie).substr(1),
             "Basic !!!!",
             "Token " + hex,
             "Digest " + hex,
             hex,
             "Bearer\t" + hex,
             std::string(5000, 'A'),
         }) {
        EXPECT_EQ(auth->check(header), std::nullopt) << header;
    }
}

TEST_F(RpcAuthTest, ClientHeadersFromTheFiles) {
    auto auth = RpcAuth::create(dir);
    ASSERT_TRUE(auth.ok());
    auto basic = RpcAuth::header_from_cookie_file(dir / ".cookie");
    ASSERT_TRUE(basic.ok()) << basic.error().describe();
    EXPECT_EQ(basic->substr(0, 6), "Basic ");
    EXPECT_EQ(auth->check(*basic), Access::full);
    auto bearer = RpcAuth::header_from_token_file(dir / "readonly.token");
    ASSERT_TRUE(bearer.ok()) << bearer.error().describe();
    EXPECT_EQ(auth->check(*bearer), Access::read_only);

    auto missing = RpcAuth::header_from_cookie_file(dir / "nope" / ".cookie");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Errc::rpc_unauthorized);
    EXPECT_NE(missing.error().message.find("is sluiced running"), std::string::npos)
        << missing.error().message;
    write(dir / "bad.cookie", "__cookie__:xyz");
    auto malformed = RpcAuth::header_from_cookie_file(dir / "bad.cookie");
    ASSERT_FALSE(malformed.ok());
    EXPECT_EQ(malformed.error().code, Errc::rpc_unauthorized);
    EXPECT_NE(malformed.error().message.find("not a sluiced cookie"), std::string::npos);
    auto no_token = RpcAuth::header_from_token_file(dir / "none.token");
    EXPECT_EQ(no_token.error().code, Errc::rpc_unauthorized);
    write(dir / "bad.token", "__cookie__:" + std::string(64, 'a'));
    auto bad_token = RpcAuth::header_from_token_file(dir / "bad.token");
    ASSERT_FALSE(bad_token.ok());
    EXPECT_NE(bad_token.error().message.find("not a sluiced read-only token"), std::string::npos);
}

TEST_F(RpcAuthTest, AnUnwritableDataDirIsAnIoError) {
    write(dir / "file", "x");
    auto auth = RpcAuth::create(dir / "file");  // a file, not a directory
    ASSERT_FALSE(auth.ok());
    EXPECT_EQ(auth.error().code, Errc::io_error);
}

}  // namespace
}  // namespace sluice::hub
