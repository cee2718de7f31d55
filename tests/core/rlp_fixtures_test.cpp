// Runs every case of ethereum/tests RLPTests (rlptest.json, invalidRLPTest.json, RandomRLPTests/*).
// Valid cases: encoding "in" gives "out", decoding "out" matches "in" (strings, "#" big integers,
// nested lists) and re-encoding the decoded tree gives "out" again. Invalid cases: decoding is rejected
// with the error code this file expects. Case counts are asserted so that nothing is skipped silently.
#include <gmp.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sluice/core/hex.hpp"
#include "sluice/core/rlp.hpp"

namespace sluice {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// What the fixture files held when this runner was written; a changed file must be looked at.
constexpr std::size_t kValidCases = 28;
constexpr std::size_t kInvalidCases = 26;
constexpr std::size_t kRandomFiles = 1;
constexpr std::size_t kRandomCases = 1;

const fs::path kRlpDir = fs::path(SLUICE_FIXTURES_DIR) / "ethereum_tests" / "RLPTests";

json load(const fs::path& path) {
    std::ifstream file(path);
    if (!file) {
        ADD_FAILURE() << "missing fixture file " << path;
        return json::object();
    }
    return json::parse(file);
}

Bytes fixture_hex(const json& text) { return from_hex(text.get<std::string>(), HexPrefix::optional).value(); }

// "#123..." in the fixtures is a decimal integer of any size; its RLP payload is the minimal big-endian form.
Bytes big_integer_bytes(const std::string& decimal) {
    mpz_t z;
    EXPECT_EQ(mpz_init_set_str(z, decimal.c_str(), 10), 0) << decimal;
    Bytes out((mpz_sizeinbase(z, 2) + 7) / 8);
    std::size_t written = 0;
    mpz_export(out.data(), &written, 1, 1, 1, 0, z);
    mpz_clear(z);
    out.resize(written);
    return out;
}

bool is_big_integer(const json& in) { return in.is_string() && !in.get<std::string>().empty() && in.get<std::string>()[0] == '#'; }

Bytes string_payload(const json& in) {
    const auto& s = in.get_ref<const std::string&>();
    return is_big_integer(in) ? big_integer_bytes(s.substr(1)) : Bytes(s.begin(), s.end());
}

// The encoder's answer for a fixture's "in" value.
Bytes encode_json(const json& in) {
    if (in.is_array()) {
        std::vector<Bytes> children;
        for (const json& child : in) children.push_back(encode_json(child));
        return rlp::encode_list(children);
    }
    if (in.is_number_unsigned()) return rlp::encode_uint(in.get<std::uint64_t>());
    EXPECT_TRUE(in.is_string()) << "unsupported fixture value " << in.dump();
    return rlp::encode_bytes(string_payload(in));
}

void expect_matches(const rlp::Item& item, const json& in) {
    if (in.is_array()) {
        ASSERT_TRUE(item.is_list) << in.dump();
        const auto children = rlp::list_items(item);
        ASSERT_TRUE(children.ok()) << children.error().describe();
        ASSERT_EQ(children->size(), in.size()) << in.dump();
        for (std::size_t i = 0; i < in.size(); ++i) expect_matches((*children)[i], in[i]);
        return;
    }
    ASSERT_FALSE(item.is_list) << in.dump();
    if (in.is_number_unsigned()) {
        const auto value = rlp::to_uint64(item);
        ASSERT_TRUE(value.ok()) << value.error().describe();
        EXPECT_EQ(*value, in.get<std::uint64_t>());
        return;
    }
    EXPECT_EQ(to_hex(item.payload), to_hex(string_payload(in))) << in.dump();
    if (is_big_integer(in)) {
        // Cross-check the 256-bit path: values that fit decode to the same u256 and re-encode
        // identically; wider ones (the fixtures hold 2^256) are an overflow.
        const auto expected = u256::from_dec(in.get<std::string>().substr(1));
        const auto decoded = rlp::to_uint(item);
        if (expected.ok()) {
            ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
            EXPECT_EQ(*decoded, *expected);
            EXPECT_EQ(to_hex(rlp::encode_uint(*expected)), to_hex(item.encoded));
        } else {
            EXPECT_EQ(expected.error().code, Errc::overflow);
            ASSERT_FALSE(decoded.ok());
            EXPECT_EQ(decoded.error().code, Errc::overflow);
        }
    }
}

// Re-encodes a decoded tree from its parts only (never from item.encoded).
Bytes reencode(const rlp::Item& item) {
    if (!item.is_list) return rlp::encode_bytes(item.payload);
    const std::vector<rlp::Item> children = rlp::list_items(item).value();
    std::vector<Bytes> encoded;
    for (const rlp::Item& child : children) encoded.push_back(reencode(child));
    return rlp::encode_list(encoded);
}

void check_decodes_and_reencodes(const std::string& name, const Bytes& out, const json* in) {
    const auto item = rlp::decode_item(out);
    ASSERT_TRUE(item.ok()) << name << ": " << item.error().describe();
    if (in != nullptr) expect_matches(*item, *in);
    EXPECT_EQ(to_hex(reencode(*item)), to_hex(out)) << name;
}

TEST(RlpFixtures, ValidCases) {
    const json cases = load(kRlpDir / "rlptest.json");
    std::size_t ran = 0;
    for (const auto& [name, c] : cases.items()) {
        SCOPED_TRACE(name);
        const Bytes out = fixture_hex(c.at("out"));
        EXPECT_EQ(to_hex(encode_json(c.at("in"))), to_hex(out));
        check_decodes_and_reencodes(name, out, &c.at("in"));
        ++ran;
    }
    EXPECT_EQ(ran, kValidCases);
}

TEST(RlpFixtures, InvalidCases) {
    // Why each case is invalid, as the error code our decoder must give.
    const std::map<std::string, Errc> expected{
        {"int32Overflow", Errc::rlp_truncated},
        {"int32Overflow2", Errc::rlp_truncated},
        {"wrongSizeList", Errc::rlp_non_canonical},
        {"wrongSizeList2", Errc::rlp_non_canonical},
        {"incorrectLengthInArray", Errc::rlp_non_canonical},
        {"randomRLP", Errc::rlp_non_canonical},
        {"bytesShouldBeSingleByte00", Errc::rlp_non_canonical},
        {"bytesShouldBeSingleByte01", Errc::rlp_non_canonical},
        {"bytesShouldBeSingleByte7F", Errc::rlp_non_canonical},
        {"leadingZerosInLongLengthArray1", Errc::rlp_non_canonical},
        {"leadingZerosInLongLengthArray2", Errc::rlp_non_canonical},
        {"leadingZerosInLongLengthList1", Errc::rlp_non_canonical},
        {"leadingZerosInLongLengthList2", Errc::rlp_non_canonical},
        {"nonOptimalLongLengthArray1", Errc::rlp_non_canonical},
        {"nonOptimalLongLengthArray2", Errc::rlp_non_canonical},
        {"nonOptimalLongLengthList1", Errc::rlp_non_canonical},
        {"nonOptimalLongLengthList2", Errc::rlp_non_canonical},
        {"emptyEncoding", Errc::rlp_truncated},
        {"lessThanShortLengthArray1", Errc::rlp_truncated},
        {"lessThanShortLengthArray2", Errc::rlp_truncated},
        {"lessThanShortLengthList1", Errc::rlp_truncated},
        {"lessThanShortLengthList2", Errc::rlp_truncated},
        {"lessThanLongLengthArray1", Errc::rlp_truncated},
        {"lessThanLongLengthArray2", Errc::rlp_truncated},
        {"lessThanLongLengthList1", Errc::rlp_truncated},
        {"lessThanLongLengthList2", Errc::rlp_length_overflow},
    };
    const json cases = load(kRlpDir / "invalidRLPTest.json");
    std::size_t ran = 0;
    for (const auto& [name, c] : cases.items()) {
        SCOPED_TRACE(name);
        ASSERT_EQ(c.at("in"), "INVALID");
        const auto decoded = rlp::decode_item(fixture_hex(c.at("out")));
        ASSERT_FALSE(decoded.ok()) << "accepted";
        const auto want = expected.find(name);
        ASSERT_NE(want, expected.end()) << "no expected error recorded for this case";
        EXPECT_EQ(errc_name(decoded.error().code), errc_name(want->second)) << decoded.error().describe();
        ++ran;
    }
    EXPECT_EQ(ran, kInvalidCases);
}

TEST(RlpFixtures, RandomCases) {
    std::size_t files = 0;
    std::size_t ran = 0;
    const fs::path dir = kRlpDir / "RandomRLPTests";
    ASSERT_TRUE(fs::is_directory(dir)) << "missing fixture folder " << dir;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".json") continue;
        ++files;
        const json cases = load(entry.path());
        for (const auto& [name, c] : cases.items()) {
            SCOPED_TRACE(entry.path().filename().string() + ": " + name);
            ASSERT_EQ(c.at("in"), "VALID");
            check_decodes_and_reencodes(name, fixture_hex(c.at("out")), nullptr);
            ++ran;
        }
    }
    EXPECT_EQ(files, kRandomFiles);
    EXPECT_EQ(ran, kRandomCases);
}

}  // namespace
}  // namespace sluice
