// RLP: known answers from the Ethereum wiki's RLP page and the yellow paper's appendix B, every decoder
// error path, borrowed views, the nesting limit and a seeded encode/decode round trip.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "sluice/core/hex.hpp"
#include "sluice/core/rlp.hpp"

namespace sluice {
namespace {

Bytes hex(std::string_view text) { return from_hex(text, HexPrefix::optional).value(); }
std::string str(ByteView v) { return std::string(v.begin(), v.end()); }

Errc decode_error(std::string_view encoded_hex) {
    const Bytes in = hex(encoded_hex);
    const auto r = rlp::decode_item(in);
    EXPECT_FALSE(r.ok()) << encoded_hex << " decoded";
    return r.ok() ? Errc::internal : r.error().code;
}

// ---- known answers --------------------------------------------------------------------------------

TEST(RlpEncode, WikiStringExamples) {
    EXPECT_EQ(to_hex(rlp::encode_bytes(as_bytes("dog"))), "0x83646f67");
    EXPECT_EQ(to_hex(rlp::encode_bytes(as_bytes(""))), "0x80");
    EXPECT_EQ(to_hex(rlp::encode_bytes(hex("00"))), "0x00");
    EXPECT_EQ(to_hex(rlp::encode_bytes(hex("0f"))), "0x0f");
    EXPECT_EQ(to_hex(rlp::encode_bytes(hex("7f"))), "0x7f");
    EXPECT_EQ(to_hex(rlp::encode_bytes(hex("80"))), "0x8180");
    EXPECT_EQ(to_hex(rlp::encode_bytes(hex("0400"))), "0x820400");
    const std::string lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit";
    EXPECT_EQ(to_hex(rlp::encode_bytes(as_bytes(lorem))), "0xb838" + to_hex(as_bytes(lorem), false));
}

TEST(RlpEncode, WikiIntegerExamples) {
    EXPECT_EQ(to_hex(rlp::encode_uint(0)), "0x80");
    EXPECT_EQ(to_hex(rlp::encode_uint(15)), "0x0f");
    EXPECT_EQ(to_hex(rlp::encode_uint(1024)), "0x820400");
    EXPECT_EQ(to_hex(rlp::encode_uint(0x7f)), "0x7f");
    EXPECT_EQ(to_hex(rlp::encode_uint(0x80)), "0x8180");
    EXPECT_EQ(to_hex(rlp::encode_uint(0xffffffffffffffffULL)), "0x88ffffffffffffffff");
}

TEST(RlpEncode, U256Integers) {
    EXPECT_EQ(to_hex(rlp::encode_uint(u256{})), "0x80");
    EXPECT_EQ(to_hex(rlp::encode_uint(u256{0x7f})), "0x7f");
    EXPECT_EQ(to_hex(rlp::encode_uint(u256{0x80})), "0x8180");
    EXPECT_EQ(to_hex(rlp::encode_uint(u256{1024})), "0x820400");
    EXPECT_EQ(to_hex(rlp::encode_uint(u256::max())), "0xa0" + std::string(64, 'f'));
    EXPECT_EQ(to_hex(rlp::encode_uint(u256{0, 0, 0, 0x8000000000000000ULL})), "0xa080" + std::string(62, '0'));
    // 2^64 needs nine bytes.
    EXPECT_EQ(to_hex(rlp::encode_uint(u256{0, 1})), "0x89010000000000000000");
    Bytes out;
    rlp::append_uint(out, u256{15});
    EXPECT_EQ(to_hex(out), "0x0f");
}

TEST(RlpEncode, WikiListExamples) {
    const std::vector<Bytes> cat_dog{rlp::encode_bytes(as_bytes("cat")), rlp::encode_bytes(as_bytes("dog"))};
    EXPECT_EQ(to_hex(rlp::encode_list(cat_dog)), "0xc88363617483646f67");
    EXPECT_EQ(to_hex(rlp::encode_list({})), "0xc0");
    // The set-theoretical representation of three: [ [], [[]], [ [], [[]] ] ].
    const Bytes empty = rlp::encode_list({});
    const Bytes one = rlp::encode_list(std::vector<Bytes>{empty});
    const Bytes two = rlp::encode_list(std::vector<Bytes>{empty, one});
    EXPECT_EQ(to_hex(rlp::encode_list(std::vector<Bytes>{empty, one, two})), "0xc7c0c1c0c3c0c1c0");
}

TEST(RlpEncode, LengthPrefixBoundaries) {
    EXPECT_EQ(rlp::encode_bytes(Bytes(55, 0xaa))[0], 0xb7);
    const Bytes s56 = rlp::encode_bytes(Bytes(56, 0xaa));
    EXPECT_EQ(to_hex(ByteView(s56).first(2)), "0xb838");
    EXPECT_EQ(s56.size(), 58U);
    EXPECT_EQ(to_hex(ByteView(rlp::encode_bytes(Bytes(256, 0))).first(3)), "0xb90100");
    EXPECT_EQ(to_hex(ByteView(rlp::encode_bytes(Bytes(1024, 0))).first(3)), "0xb90400");
    EXPECT_EQ(to_hex(ByteView(rlp::encode_bytes(Bytes(0x10000, 0))).first(4)), "0xba010000");

    Bytes header;
    rlp::append_list_header(header, 55);
    EXPECT_EQ(to_hex(header), "0xf7");
    header.clear();
    rlp::append_list_header(header, 56);
    EXPECT_EQ(to_hex(header), "0xf838");
    header.clear();
    rlp::append_list_header(header, 0x0200);
    EXPECT_EQ(to_hex(header), "0xf90200");
}

TEST(RlpEncode, AppendBuildsNestedStructuresInPlace) {
    // [ "cat", 1024 ] built by appending children, then prefixing.
    Bytes payload;
    rlp::append_bytes(payload, as_bytes("cat"));
    rlp::append_uint(payload, 1024);
    Bytes out;
    rlp::append_list_header(out, payload.size());
    out.insert(out.end(), payload.begin(), payload.end());
    EXPECT_EQ(to_hex(out), "0xc7836361748204" "00");
}

// ---- decoding -------------------------------------------------------------------------------------

TEST(RlpDecode, StringsAndBorrowedViews) {
    const Bytes in = hex("83646f67");
    const auto item = rlp::decode_item(in);
    ASSERT_TRUE(item.ok()) << item.error().describe();
    EXPECT_FALSE(item->is_list);
    EXPECT_EQ(str(item->payload), "dog");
    // Views into the caller's buffer, not copies.
    EXPECT_EQ(item->payload.data(), in.data() + 1);
    EXPECT_EQ(item->encoded.data(), in.data());
    EXPECT_EQ(item->encoded.size(), in.size());

    const Bytes single = hex("7f");
    const auto byte = rlp::decode_item(single);
    ASSERT_TRUE(byte.ok());
    EXPECT_EQ(byte->payload.size(), 1U);
    EXPECT_EQ(byte->payload.data(), single.data());

    const Bytes empty = hex("80");
    ASSERT_TRUE(rlp::decode_item(empty).ok());
    EXPECT_TRUE(rlp::decode_item(empty)->payload.empty());
}

TEST(RlpDecode, ListChildren) {
    const Bytes in = hex("c88363617483646f67");
    const auto children = rlp::decode_list(in);
    ASSERT_TRUE(children.ok()) << children.error().describe();
    ASSERT_EQ(children->size(), 2U);
    EXPECT_EQ(str((*children)[0].payload), "cat");
    EXPECT_EQ(str((*children)[1].payload), "dog");
    EXPECT_EQ((*children)[1].encoded.data(), in.data() + 5);

    const Bytes three = hex("c7c0c1c0c3c0c1c0");
    const auto top = rlp::decode_list(three);
    ASSERT_TRUE(top.ok());
    ASSERT_EQ(top->size(), 3U);
    EXPECT_TRUE(rlp::list_items((*top)[0]).value().empty());
    EXPECT_EQ(rlp::list_items((*top)[1]).value().size(), 1U);
    EXPECT_EQ(rlp::list_items((*top)[2]).value().size(), 2U);
}

TEST(RlpDecode, LongFormLengths) {
    Bytes in = hex("b838");
    in.resize(2 + 56, 'x');
    const auto item = rlp::decode_item(in);
    ASSERT_TRUE(item.ok()) << item.error().describe();
    EXPECT_EQ(item->payload.size(), 56U);

    const Bytes list = rlp::encode_list(std::vector<Bytes>(300, rlp::encode_uint(0)));
    EXPECT_EQ(to_hex(ByteView(list).first(3)), "0xf9012c");
    const auto children = rlp::decode_list(list);
    ASSERT_TRUE(children.ok()) << children.error().describe();
    EXPECT_EQ(children->size(), 300U);
}

TEST(RlpDecode, PrefixReturnsTheRest) {
    const Bytes in = hex("83646f67c0ff");
    const auto first = rlp::decode_prefix(in);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(str(first->first.payload), "dog");
    ASSERT_EQ(first->second.size(), 2U);
    EXPECT_EQ(first->second.data(), in.data() + 4);
    const auto second = rlp::decode_prefix(first->second);
    ASSERT_TRUE(second.ok());
    EXPECT_TRUE(second->first.is_list);
    EXPECT_EQ(second->second.size(), 1U);
}

TEST(RlpDecode, Integers) {
    EXPECT_EQ(rlp::to_uint64(rlp::decode_item(hex("80")).value()).value(), 0U);
    EXPECT_EQ(rlp::to_uint64(rlp::decode_item(hex("0f")).value()).value(), 15U);
    EXPECT_EQ(rlp::to_uint64(rlp::decode_item(hex("820400")).value()).value(), 1024U);
    EXPECT_EQ(rlp::to_uint64(rlp::decode_item(hex("88ffffffffffffffff")).value()).value(),
              0xffffffffffffffffULL);
}

TEST(RlpDecode, IntegerRoundTripAtByteBoundaries) {
    for (int bits = 0; bits < 64; ++bits) {
        const std::uint64_t p = std::uint64_t{1} << bits;
        for (const std::uint64_t v : {p - 1, p, p + 1}) {
            const Bytes enc = rlp::encode_uint(v);
            const auto item = rlp::decode_item(enc);
            ASSERT_TRUE(item.ok()) << v << ": " << item.error().describe();
            EXPECT_EQ(rlp::to_uint64(*item).value(), v);
        }
    }
}

TEST(RlpDecode, U256RoundTripAtByteBoundaries) {
    for (unsigned bits = 0; bits < 256; ++bits) {
        const u256 p = u256{1} << bits;
        for (const u256& v : {p - 1, p, p + 1}) {
            const Bytes enc = rlp::encode_uint(v);
            const auto item = rlp::decode_item(enc);
            ASSERT_TRUE(item.ok()) << v.to_hex() << ": " << item.error().describe();
            EXPECT_EQ(rlp::to_uint(*item).value(), v) << v.to_hex();
            if (v.fits_u64()) {
                EXPECT_EQ(enc, rlp::encode_uint(v.w[0]));
            }
        }
    }
}

// ---- decoder errors -------------------------------------------------------------------------------

TEST(RlpDecodeErrors, Truncated) {
    EXPECT_EQ(decode_error(""), Errc::rlp_truncated);
    EXPECT_EQ(decode_error("81"), Errc::rlp_truncated);
    EXPECT_EQ(decode_error("83646f"), Errc::rlp_truncated);
    EXPECT_EQ(decode_error("b8"), Errc::rlp_truncated);          // length byte missing
    EXPECT_EQ(decode_error("b901"), Errc::rlp_truncated);        // second length byte missing
    EXPECT_EQ(decode_error("b838" "0000"), Errc::rlp_truncated);  // 56 declared, 2 present
    EXPECT_EQ(decode_error("c3" "0102"), Errc::rlp_truncated);
    EXPECT_EQ(decode_error("f90180"), Errc::rlp_truncated);
    EXPECT_EQ(decode_error("bf7fffffffffffffff"), Errc::rlp_truncated);  // huge but representable
}

TEST(RlpDecodeErrors, ChildRunningPastItsListIsTruncated) {
    // The list's payload is [82 61]; the child declares 2 bytes but the list ends after one,
    // even though the input itself holds enough bytes after the list.
    EXPECT_EQ(decode_error("c28261" "62"), Errc::rlp_truncated);
    EXPECT_EQ(decode_error("c3c28261" "62"), Errc::rlp_truncated);
}

TEST(RlpDecodeErrors, SingleByteWrapped) {
    EXPECT_EQ(decode_error("8100"), Errc::rlp_non_canonical);
    EXPECT_EQ(decode_error("817f"), Errc::rlp_non_canonical);
    EXPECT_TRUE(rlp::decode_item(hex("8180")).ok());
}

TEST(RlpDecodeErrors, LongFormForShortLength) {
    Bytes s55 = hex("b837");
    s55.resize(2 + 55, 'x');
    EXPECT_EQ(rlp::decode_item(s55).error().code, Errc::rlp_non_canonical);
    Bytes l55 = hex("f837");
    l55.resize(2 + 55, 0x80);
    EXPECT_EQ(rlp::decode_item(l55).error().code, Errc::rlp_non_canonical);
    EXPECT_EQ(decode_error("b801ff"), Errc::rlp_non_canonical);
    EXPECT_EQ(decode_error("f80180"), Errc::rlp_non_canonical);
}

TEST(RlpDecodeErrors, LengthWithLeadingZero) {
    EXPECT_EQ(decode_error("b800"), Errc::rlp_non_canonical);
    EXPECT_EQ(decode_error("f800"), Errc::rlp_non_canonical);
    Bytes padded = hex("b90038");
    padded.resize(3 + 56, 'x');
    EXPECT_EQ(rlp::decode_item(padded).error().code, Errc::rlp_non_canonical);
}

TEST(RlpDecodeErrors, LengthOverflowingSizeT) {
    if (sizeof(std::size_t) == 8) {
        // 1 + 8 header bytes plus 2^64 - 1 payload bytes cannot be represented.
        EXPECT_EQ(decode_error("bfffffffffffffffff"), Errc::rlp_length_overflow);
        EXPECT_EQ(decode_error("ffffffffffffffffff" "00"), Errc::rlp_length_overflow);
        EXPECT_EQ(decode_error("bffffffffffffffff7"), Errc::rlp_length_overflow);
    } else {
        EXPECT_EQ(decode_error("bf0100000000000000"), Errc::rlp_length_overflow);
    }
}

TEST(RlpDecodeErrors, TrailingBytes) {
    EXPECT_EQ(decode_error("8080"), Errc::rlp_trailing_bytes);
    EXPECT_EQ(decode_error("c000"), Errc::rlp_trailing_bytes);
    EXPECT_EQ(rlp::decode_list(hex("c080")).error().code, Errc::rlp_trailing_bytes);
}

TEST(RlpDecodeErrors, NonCanonicalDeepInsideAList) {
    EXPECT_EQ(decode_error("c4c3c28105"), Errc::rlp_non_canonical);
    // decode_prefix validates the whole tree too.
    EXPECT_EQ(rlp::decode_prefix(hex("c4c3c28105" "80")).error().code, Errc::rlp_non_canonical);
}

TEST(RlpDecodeErrors, UnexpectedType) {
    EXPECT_EQ(rlp::decode_list(hex("83646f67")).error().code, Errc::rlp_unexpected_type);
    EXPECT_EQ(rlp::list_items(rlp::decode_item(hex("80")).value()).error().code, Errc::rlp_unexpected_type);
    EXPECT_EQ(rlp::to_uint64(rlp::decode_item(hex("c0")).value()).error().code, Errc::rlp_unexpected_type);
}

TEST(RlpDecodeErrors, U256LeadingZeroTooWideOrList) {
    EXPECT_EQ(rlp::to_uint(rlp::decode_item(hex("00")).value()).error().code, Errc::rlp_non_canonical);
    EXPECT_EQ(rlp::to_uint(rlp::decode_item(hex("a000" + std::string(62, 'f'))).value()).error().code,
              Errc::rlp_non_canonical);
    EXPECT_EQ(rlp::to_uint(rlp::decode_item(hex("a1" "01" + std::string(64, '0'))).value()).error().code,
              Errc::overflow);
    EXPECT_EQ(rlp::to_uint(rlp::decode_item(hex("c180")).value()).error().code, Errc::rlp_unexpected_type);
}

TEST(RlpDecodeErrors, IntegerLeadingZeroOrTooWide) {
    EXPECT_EQ(rlp::to_uint64(rlp::decode_item(hex("00")).value()).error().code, Errc::rlp_non_canonical);
    EXPECT_EQ(rlp::to_uint64(rlp::decode_item(hex("820001")).value()).error().code, Errc::rlp_non_canonical);
    EXPECT_EQ(rlp::to_uint64(rlp::decode_item(hex("89010000000000000000")).value()).error().code,
              Errc::overflow);
}

TEST(RlpDecodeErrors, ListItemsChecksHandBuiltItems) {
    // An Item not produced by a decoder: its children are still bounds- and canonically checked.
    const Bytes payload = hex("83646f");
    const rlp::Item list{true, payload, payload};
    EXPECT_EQ(rlp::list_items(list).error().code, Errc::rlp_truncated);
    const Bytes wrapped = hex("8105");
    EXPECT_EQ(rlp::list_items(rlp::Item{true, wrapped, wrapped}).error().code, Errc::rlp_non_canonical);
}

// `depth` lists, each the only child of its parent. Built innermost first and back to front so that
// deep nestings take linear time.
Bytes nested_empty_lists(std::size_t depth) {
    Bytes reversed = rlp::encode_list({});
    for (std::size_t i = 1; i < depth; ++i) {
        Bytes header;
        rlp::append_list_header(header, reversed.size());
        reversed.insert(reversed.end(), header.rbegin(), header.rend());
    }
    return Bytes(reversed.rbegin(), reversed.rend());
}

TEST(RlpDecodeErrors, NestingLimit) {
    EXPECT_EQ(to_hex(nested_empty_lists(3)), "0xc2c1c0");
    const Bytes at_limit = nested_empty_lists(rlp::kMaxDepth);
    ASSERT_TRUE(rlp::decode_item(at_limit).ok()) << rlp::decode_item(at_limit).error().describe();
    EXPECT_EQ(rlp::decode_item(nested_empty_lists(rlp::kMaxDepth + 1)).error().code, Errc::rlp_too_deep);
    // Far deeper than any stack would take if the decoder recursed.
    EXPECT_EQ(rlp::decode_item(nested_empty_lists(200000)).error().code, Errc::rlp_too_deep);
}

// ---- property: random trees round-trip --------------------------------------------------------------

struct Tree {
    bool is_list = false;
    Bytes bytes;
    std::vector<Tree> children;
};

Tree random_tree(std::mt19937_64& rng, int depth) {
    Tree t;
    t.is_list = depth < 4 && rng() % 3 == 0;
    if (t.is_list) {
        const std::size_t n = rng() % 6;
        for (std::size_t i = 0; i < n; ++i) t.children.push_back(random_tree(rng, depth + 1));
        return t;
    }
    // Lengths clustered around the prefix boundaries (0, 1, 55, 56, 256).
    static constexpr std::size_t kLengths[] = {0, 1, 1, 2, 54, 55, 56, 57, 255, 256, 300};
    t.bytes.resize(kLengths[rng() % std::size(kLengths)]);
    for (auto& b : t.bytes) b = static_cast<std::uint8_t>(rng());
    return t;
}

Bytes encode_tree(const Tree& t) {
    if (!t.is_list) return rlp::encode_bytes(t.bytes);
    std::vector<Bytes> encoded;
    for (const Tree& c : t.children) encoded.push_back(encode_tree(c));
    return rlp::encode_list(encoded);
}

void expect_matches(const rlp::Item& item, const Tree& t) {
    ASSERT_EQ(item.is_list, t.is_list);
    if (!t.is_list) {
        EXPECT_EQ(Bytes(item.payload.begin(), item.payload.end()), t.bytes);
        return;
    }
    const auto children = rlp::list_items(item);
    ASSERT_TRUE(children.ok());
    ASSERT_EQ(children->size(), t.children.size());
    for (std::size_t i = 0; i < t.children.size(); ++i) expect_matches((*children)[i], t.children[i]);
}

TEST(RlpProperty, RandomTreesRoundTripAndEveryTruncationFails) {
    std::mt19937_64 rng(20261125);
    for (int round = 0; round < 500; ++round) {
        const Tree t = random_tree(rng, 0);
        const Bytes enc = encode_tree(t);
        const auto item = rlp::decode_item(enc);
        ASSERT_TRUE(item.ok()) << to_hex(enc) << ": " << item.error().describe();
        expect_matches(*item, t);
        // Any strict prefix is incomplete; the decoder must say so rather than read past it.
        const std::size_t cut = rng() % enc.size();
        const Bytes truncated(enc.begin(), enc.begin() + static_cast<std::ptrdiff_t>(cut));
        EXPECT_EQ(rlp::decode_item(truncated).error().code, Errc::rlp_truncated) << to_hex(enc) << " cut " << cut;
    }
}

}  // namespace
}  // namespace sluice
