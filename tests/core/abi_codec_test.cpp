// ABI encoding and decoding: the Solidity ABI spec's own examples, the channel State shape of
// DESIGN.md §3, and every malformed-input error path of the strict decoder.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "abi_test_support.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"

namespace sluice {
namespace {

using abi_test::kStateType;
using abi_test::parsed;

// Hex of 32-byte words given as their last significant digits, e.g. word("45") = 0x00..0045.
std::string word(const std::string& low_hex) { return std::string(64 - low_hex.size(), '0') + low_hex; }
// A word holding left-aligned bytes (bytes<M>, string/bytes data), e.g. left("616263") = 0x616263 00..00.
std::string left(const std::string& high_hex) { return high_hex + std::string(64 - high_hex.size(), '0'); }

Bytes hex(const std::string& text) {
    auto r = from_hex(text, HexPrefix::optional);
    if (!r.ok()) ADD_FAILURE() << r.error().describe();
    return r.ok() ? std::move(r).value() : Bytes{};
}

Bytes words(std::initializer_list<std::string> parts) {
    std::string all;
    for (const auto& p : parts) all += p;
    return hex(all);
}

AbiValue u(std::uint64_t v) { return AbiValue::uint(u256(v)); }
AbiValue str(const std::string& s) { return AbiValue::string(s); }
AbiValue raw(const std::string& s) { return AbiValue::bytes(as_bytes(s)); }

void expect_call(const std::string& signature, const AbiValue& args, const std::string& expected_hex) {
    auto f = AbiFunction::parse(signature);
    ASSERT_TRUE(f.ok()) << f.error().describe();
    auto call = f->encode_call(args);
    ASSERT_TRUE(call.ok()) << call.error().describe();
    EXPECT_EQ(to_hex(*call), "0x" + expected_hex) << signature;
    auto back = f->decode_call(*call);
    ASSERT_TRUE(back.ok()) << back.error().describe();
    EXPECT_EQ(*back, args) << back->describe() << " vs " << args.describe();
}

Errc decode_error(const std::string& type, const Bytes& data) {
    auto r = decode(parsed(type), data);
    if (r.ok()) {
        ADD_FAILURE() << type << " accepted " << to_hex(data) << " as " << r->describe();
        return Errc::internal;
    }
    return r.error().code;
}

Errc encode_error(const std::string& type, const AbiValue& value) {
    auto r = encode(parsed(type), value);
    if (r.ok()) {
        ADD_FAILURE() << type << " encoded " << value.describe();
        return Errc::internal;
    }
    return r.error().code;
}

// ---- the Solidity ABI specification's examples ----

TEST(AbiSpecExamples, Selectors) {
    EXPECT_EQ(to_hex(function_selector("baz(uint32,bool)").view()), "0xcdcd77c0");
    EXPECT_EQ(to_hex(function_selector("bar(bytes3[2])").view()), "0xfce353f6");
    EXPECT_EQ(to_hex(function_selector("sam(bytes,bool,uint256[])").view()), "0xa5643bf2");
    EXPECT_EQ(to_hex(function_selector("f(uint256,uint32[],bytes10,bytes)").view()), "0x8be65246");
    EXPECT_EQ(to_hex(function_selector("g(uint256[][],string[])").view()), "0x2289b18c");
    EXPECT_EQ(to_hex(function_selector("transfer(address,uint256)").view()), "0xa9059cbb");
}

TEST(AbiSpecExamples, Baz) {
    expect_call("baz(uint32,bool)", AbiValue::list({u(69), AbiValue::boolean(true)}),
                "cdcd77c0" + word("45") + word("1"));
    // "If it were to return false, its output would be the single byte array 0x00..00."
    auto ret = decode_params(parsed("(bool)"), hex(word("0")));
    ASSERT_TRUE(ret.ok());
    EXPECT_FALSE((*ret)[0].as_bool());
}

TEST(AbiSpecExamples, Bar) {
    expect_call("bar(bytes3[2])", AbiValue::list({AbiValue::list({raw("abc"), raw("def")})}),
                "fce353f6" + left("616263") + left("646566"));
}

TEST(AbiSpecExamples, Sam) {
    expect_call("sam(bytes,bool,uint256[])",
                AbiValue::list({raw("dave"), AbiValue::boolean(true), AbiValue::list({u(1), u(2), u(3)})}),
                "a5643bf2" + word("60") + word("1") + word("a0") + word("4") + left("64617665") + word("3") + word("1") +
                    word("2") + word("3"));
}

TEST(AbiSpecExamples, DynamicTypesF) {
    expect_call("f(uint256,uint32[],bytes10,bytes)",
                AbiValue::list({u(0x123), AbiValue::list({u(0x456), u(0x789)}), raw("1234567890"), raw("Hello, world!")}),
                "8be65246" + word("123") + word("80") + left("31323334353637383930") + word("e0") + word("2") +
                    word("456") + word("789") + word("d") + left("48656c6c6f2c20776f726c6421"));
}

TEST(AbiSpecExamples, NestedDynamicArraysG) {
    expect_call("g(uint256[][],string[])",
                AbiValue::list({AbiValue::list({AbiValue::list({u(1), u(2)}), AbiValue::list({u(3)})}),
                                AbiValue::list({str("one"), str("two"), str("three")})}),
                "2289b18c" + word("40") + word("140") + word("2") + word("40") + word("a0") + word("2") + word("1") +
                    word("2") + word("1") + word("3") + word("3") + word("60") + word("a0") + word("e0") + word("3") +
                    left("6f6e65") + word("3") + left("74776f") + word("5") + left("7468726565"));
}

// ---- elementary values ----

TEST(AbiCodec, SignedIntegers) {
    const std::string ff(64, 'f');
    EXPECT_EQ(to_hex(encode(parsed("int256"), AbiValue::int_(-1)).value()), "0x" + ff);
    EXPECT_EQ(to_hex(encode(parsed("int8"), AbiValue::int_(-1)).value()), "0x" + ff);
    EXPECT_EQ(to_hex(encode(parsed("int8"), AbiValue::int_(-128)).value()), "0x" + std::string(62, 'f') + "80");
    EXPECT_EQ(to_hex(encode(parsed("int8"), AbiValue::int_(127)).value()), "0x" + word("7f"));
    EXPECT_EQ(to_hex(encode(parsed("int64"), AbiValue::int_(INT64_MIN)).value()),
              "0x" + std::string(48, 'f') + "8000000000000000");
    auto back = decode(parsed("int16"), hex(std::string(60, 'f') + "fe0c"));
    ASSERT_TRUE(back.ok()) << back.error().describe();
    EXPECT_EQ(*back, AbiValue::int_(-500));
}

TEST(AbiCodec, UnsignedLimits) {
    EXPECT_EQ(to_hex(encode(parsed("uint8"), u(255)).value()), "0x" + word("ff"));
    EXPECT_EQ(to_hex(encode(parsed("uint256"), AbiValue::uint(u256(~0ULL, ~0ULL, ~0ULL, ~0ULL))).value()),
              "0x" + std::string(64, 'f'));
    EXPECT_EQ(to_hex(encode(parsed("uint64"), u(~0ULL)).value()), "0x" + word("ffffffffffffffff"));
}

TEST(AbiCodec, AddressBoolAndFixedBytes) {
    const Address a = Address::from_hex("0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826").value();
    const Bytes enc = encode_params(parsed("(address,bool,bytes1,bytes32)"),
                                    AbiValue::list({AbiValue::address(a), AbiValue::boolean(false), raw("\x7f"),
                                                    AbiValue::bytes(Hash{})}))
                          .value();
    EXPECT_EQ(enc, words({word("cd2a3d9f938e13cd947ec05abc7fe734df8dd826"), word("0"), left("7f"), word("0")}));
}

TEST(AbiCodec, EmptyDynamicValues) {
    const AbiType t = parsed("(bytes,string,uint8[],())");
    const AbiValue v = AbiValue::list({raw(""), str(""), AbiValue::list({}), AbiValue::list({})});
    const Bytes enc = encode(t, v).value();
    EXPECT_EQ(enc, words({word("60"), word("80"), word("a0"), word("0"), word("0"), word("0")}));
    EXPECT_EQ(decode(t, enc).value(), v);
    EXPECT_TRUE(encode(parsed("()"), AbiValue()).value().empty());
}

TEST(AbiCodec, LongBytesSpanSeveralWords) {
    const std::string text(70, 'x');
    const Bytes enc = encode(parsed("bytes"), raw(text)).value();
    ASSERT_EQ(enc.size(), 32u + 96u);
    EXPECT_EQ(enc[31], 70);
    EXPECT_EQ(decode(parsed("bytes"), enc).value(), raw(text));
}

TEST(AbiCodec, FixedArrayOfDynamicIsOutOfLine) {
    const AbiType t = parsed("(string[2],uint8)");
    const AbiValue v = AbiValue::list({AbiValue::list({str("a"), str("bc")}), u(7)});
    const Bytes enc = encode(t, v).value();
    EXPECT_EQ(enc, words({word("40"), word("7"), word("40"), word("80"), word("1"), left("61"), word("2"), left("6263")}));
    EXPECT_EQ(decode(t, enc).value(), v);
}

// ---- the channel State of DESIGN.md §3 ----

AbiValue sample_state() {
    const Hash channel_id = fixed_from_hex<32>("0x" + std::string(62, '0') + "c1").value();
    const Hash hashlock = fixed_from_hex<32>("0x" + std::string(62, '0') + "1c").value();
    const Address asset = Address::from_hex("0x" + std::string(38, '0') + "a5").value();
    const AbiValue lock = AbiValue::list({AbiValue::bytes(hashlock), u(5), u(0), u(1), u(1000)});
    const AbiValue alloc =
        AbiValue::list({AbiValue::address(asset), AbiValue::list({u(10), u(20)}), AbiValue::list({lock})});
    return AbiValue::list(
        {AbiValue::bytes(channel_id), u(3), AbiValue::list({alloc}), raw("\x12\x34"), AbiValue::boolean(true)});
}

TEST(AbiChannelState, LayoutIsTheSolidityLayout) {
    // Heads of State (5 words), then outcome (Alloc[]: length, one offset, the Alloc: 3 head words,
    // balances, locks), then appData.
    const Bytes expected = words({
        word("c1"), word("3"), word("a0"), word("260"), word("1"),  // State heads
        word("1"), word("20"),                                      // outcome: length 1, offset of [0]
        word("a5"), word("60"), word("c0"),                         // Alloc heads
        word("2"), word("a"), word("14"),                           // balances
        word("1"), word("1c"), word("5"), word("0"), word("1"), word("3e8"),  // locks
        word("2"), left("1234"),                                    // appData
    });
    const Bytes enc = encode(parsed(kStateType), sample_state()).value();
    EXPECT_EQ(to_hex(enc), to_hex(expected));
    // abi.encode(state) in Solidity wraps the single dynamic struct: one leading offset word 0x20.
    const AbiType wrapped = AbiType::tuple({parsed(kStateType)}).value();
    const Bytes abi_encode = encode_params(wrapped, AbiValue::list({sample_state()})).value();
    EXPECT_EQ(to_hex(abi_encode), "0x" + word("20") + to_hex(expected, false));
}

TEST(AbiChannelState, RoundTrip) {
    const AbiType t = parsed(kStateType);
    const Bytes enc = encode(t, sample_state()).value();
    auto back = decode(t, enc);
    ASSERT_TRUE(back.ok()) << back.error().describe();
    EXPECT_EQ(*back, sample_state());
    EXPECT_EQ((*back)[2][0][2][0][4].as_uint(), u256(1000));
    EXPECT_EQ((*back)[3].as_bytes(), (Bytes{0x12, 0x34}));
}

TEST(AbiChannelState, EveryTruncationIsRejected) {
    const AbiType t = parsed(kStateType);
    const Bytes enc = encode(t, sample_state()).value();
    for (std::size_t n = 0; n < enc.size(); ++n) {
        auto r = decode(t, ByteView(enc.data(), n));
        ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes decoded";
    }
}

TEST(AbiChannelState, EveryBitFlipIsRejectedOrReencodesIdentically) {
    // A strict canonical decoder accepts a flipped input only as a different valid value, which must
    // then encode back to exactly the flipped bytes.
    const AbiType t = parsed(kStateType);
    const Bytes enc = encode(t, sample_state()).value();
    std::size_t rejected = 0;
    for (std::size_t bit = 0; bit < enc.size() * 8; ++bit) {
        Bytes mutated = enc;
        mutated[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
        auto r = decode(t, mutated);
        if (!r.ok()) {
            ++rejected;
            continue;
        }
        EXPECT_EQ(encode(t, *r).value(), mutated) << "bit " << bit;
    }
    EXPECT_GT(rejected, enc.size() * 8 / 2);
}

// ---- encoder errors ----

TEST(AbiEncodeErrors, TypeMismatch) {
    EXPECT_EQ(encode_error("uint256", AbiValue::boolean(true)), Errc::abi_type_mismatch);
    EXPECT_EQ(encode_error("int256", u(1)), Errc::abi_type_mismatch);
    EXPECT_EQ(encode_error("address", u(1)), Errc::abi_type_mismatch);
    EXPECT_EQ(encode_error("bool", u(1)), Errc::abi_type_mismatch);
    EXPECT_EQ(encode_error("bytes", str("x")), Errc::abi_type_mismatch);
    EXPECT_EQ(encode_error("string", raw("x")), Errc::abi_type_mismatch);
    EXPECT_EQ(encode_error("uint8[]", u(1)), Errc::abi_type_mismatch);
    EXPECT_EQ(encode_error("(uint8,bool)", AbiValue::list({u(1)})), Errc::abi_type_mismatch);
    EXPECT_EQ(encode_error("uint8[2]", AbiValue::list({u(1), u(2), u(3)})), Errc::abi_type_mismatch);
    EXPECT_EQ(encode_error("(uint8,bool)", AbiValue::list({u(1), u(1)})), Errc::abi_type_mismatch);
}

TEST(AbiEncodeErrors, OutOfRange) {
    EXPECT_EQ(encode_error("uint8", u(256)), Errc::abi_bad_value);
    EXPECT_EQ(encode_error("uint64", AbiValue::uint(u256(0, 1, 0, 0))), Errc::abi_bad_value);
    EXPECT_EQ(encode_error("int8", AbiValue::int_(128)), Errc::abi_bad_value);
    EXPECT_EQ(encode_error("int8", AbiValue::int_(-129)), Errc::abi_bad_value);
    EXPECT_EQ(encode_error("int32", AbiValue::int_(INT64_MAX)), Errc::abi_bad_value);
    EXPECT_EQ(encode_error("bytes3", raw("abcd")), Errc::abi_bad_value);
    EXPECT_EQ(encode_error("bytes3", raw("ab")), Errc::abi_bad_value);
}

TEST(AbiEncodeErrors, ErrorNamesPathAndLeavesOutputUntouched) {
    const AbiType t = parsed(kStateType);
    AbiValue::List state = sample_state().as_list();
    AbiValue::List alloc = state[2][0].as_list();
    AbiValue::List lock = alloc[2][0].as_list();
    lock[2] = u(70000);  // uint16 "from"
    alloc[2] = AbiValue::list({AbiValue::list(lock)});
    state[2] = AbiValue::list({AbiValue::list(alloc)});
    Bytes out{0xaa};
    const Status s = encode_into(out, t, AbiValue::list(state));
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, Errc::abi_bad_value);
    EXPECT_EQ(s.error().message.rfind("[2][0][2][0][2]: ", 0), 0u) << s.error().message;
    EXPECT_EQ(out, Bytes{0xaa});
}

TEST(AbiEncodeErrors, ParamsMustBeATuple) {
    EXPECT_EQ(encode_params(parsed("uint8[]"), AbiValue::list({})).error().code, Errc::abi_type_mismatch);
    EXPECT_EQ(decode_params(parsed("uint8[]"), hex(word("0"))).error().code, Errc::abi_type_mismatch);
}

// ---- decoder errors ----

TEST(AbiDecodeErrors, Truncated) {
    EXPECT_EQ(decode_error("uint256", {}), Errc::abi_truncated);
    EXPECT_EQ(decode_error("uint256", Bytes(31, 0)), Errc::abi_truncated);
    EXPECT_EQ(decode_error("(uint256,uint256)", Bytes(63, 0)), Errc::abi_truncated);
    EXPECT_EQ(decode_error("(bytes)", {}), Errc::abi_truncated);
    EXPECT_EQ(decode_error("(bytes)", hex(word("20"))), Errc::abi_truncated);          // no length word
    EXPECT_EQ(decode_error("bytes", hex(word("1") + "ab")), Errc::abi_truncated);       // padding missing
    EXPECT_EQ(decode_error("uint8[3]", hex(word("1") + word("2"))), Errc::abi_truncated);
}

TEST(AbiDecodeErrors, DirtyHighBytesAndPadding) {
    EXPECT_EQ(decode_error("uint8", hex(word("100"))), Errc::abi_bad_value);
    EXPECT_EQ(decode_error("uint248", hex("01" + std::string(62, '0'))), Errc::abi_bad_value);
    EXPECT_EQ(decode_error("int8", hex(word("80"))), Errc::abi_bad_value);  // 128 is not sign-extended
    EXPECT_EQ(decode_error("int8", hex(std::string(60, 'f') + "ff7f")), Errc::abi_bad_value);
    EXPECT_EQ(decode_error("address", hex(word("1" + std::string(40, '0')))), Errc::abi_bad_value);
    EXPECT_EQ(decode_error("bytes3", hex(left("61626364"))), Errc::abi_bad_value);
    EXPECT_EQ(decode_error("bytes", hex(word("1") + left("abcd"))), Errc::abi_bad_value);
    EXPECT_EQ(decode_error("string", hex(word("2") + left("61620001"))), Errc::abi_bad_value);
}

TEST(AbiDecodeErrors, BoolNotZeroOrOne) {
    EXPECT_EQ(decode_error("bool", hex(word("2"))), Errc::abi_bad_value);
    EXPECT_EQ(decode_error("bool", hex(word("101"))), Errc::abi_bad_value);
    EXPECT_EQ(decode_error("bool", hex("01" + std::string(62, '0'))), Errc::abi_bad_value);
}

TEST(AbiDecodeErrors, BadLengths) {
    // Length that does not fit in 64 bits.
    EXPECT_EQ(decode_error("bytes", hex("01" + std::string(62, '0'))), Errc::abi_bad_length);
    EXPECT_EQ(decode_error("uint8[]", hex(word("10000000000000000"))), Errc::abi_bad_length);
    // Lengths past the input, including ones that would overflow when padded or multiplied.
    EXPECT_EQ(decode_error("bytes", hex(word("21") + left("00"))), Errc::abi_bad_length);
    EXPECT_EQ(decode_error("bytes", hex(word("ffffffffffffffff"))), Errc::abi_bad_length);
    EXPECT_EQ(decode_error("uint8[]", hex(word("2") + word("1"))), Errc::abi_bad_length);
    EXPECT_EQ(decode_error("uint8[]", hex(word("ffffffffffffffff") + word("1"))), Errc::abi_bad_length);
    EXPECT_EQ(decode_error("string[]", hex(word("8000000000000000"))), Errc::abi_bad_length);
    EXPECT_EQ(decode_error("(uint256,uint256)[]", hex(word("1") + word("1"))), Errc::abi_bad_length);
}

TEST(AbiDecodeErrors, NonCanonicalOrOutOfRangeOffsets) {
    const Bytes good = encode_params(parsed("(uint8,bytes)"), AbiValue::list({u(1), raw("ab")})).value();
    ASSERT_EQ(good, words({word("1"), word("40"), word("2"), left("6162")}));
    EXPECT_EQ(decode_error("(uint8,bytes)", words({word("1"), word("60"), word("0"), word("2"), left("6162")})),
              Errc::abi_bad_offset);  // skips a word
    EXPECT_EQ(decode_error("(uint8,bytes)", words({word("1"), word("20"), word("2"), left("6162")})),
              Errc::abi_bad_offset);  // points into the heads
    EXPECT_EQ(decode_error("(uint8,bytes)", words({word("1"), word("1000"), word("2"), left("6162")})),
              Errc::abi_bad_offset);  // past the end
    EXPECT_EQ(decode_error("(uint8,bytes)", words({word("1"), std::string(64, 'f'), word("2"), left("6162")})),
              Errc::abi_bad_offset);  // beyond 64 bits
    EXPECT_EQ(decode_error("(uint8,bytes)", words({word("1"), word("41"), word("2"), left("6162")})),
              Errc::abi_bad_offset);  // unaligned
    // Two dynamic components sharing one tail: the second offset must follow the first's data.
    EXPECT_EQ(decode_error("(bytes,bytes)", words({word("40"), word("40"), word("2"), left("6162")})),
              Errc::abi_bad_offset);
    // Nested offsets are relative to their own tuple and checked the same way.
    EXPECT_EQ(decode_error("string[]", words({word("1"), word("40"), word("0"), word("1"), left("61")})),
              Errc::abi_bad_offset);
}

TEST(AbiDecodeErrors, TrailingBytes) {
    EXPECT_EQ(decode_error("uint8", hex(word("1") + "00")), Errc::abi_trailing_bytes);
    EXPECT_EQ(decode_error("(bytes)", words({word("20"), word("1"), left("61"), word("0")})), Errc::abi_trailing_bytes);
    EXPECT_EQ(decode_error("()", hex("00")), Errc::abi_trailing_bytes);
}

TEST(AbiDecodeErrors, ErrorNamesPath) {
    auto r = decode(parsed("(uint8,(bool,bool)[])"), words({word("1"), word("40"), word("1"), word("0"), word("2")}));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Errc::abi_bad_value);
    EXPECT_EQ(r.error().message.rfind("[1][0][1]: ", 0), 0u) << r.error().message;
}

// ---- function signatures and calldata ----

TEST(AbiFunctionSignature, ParsesAndEncodesCall) {
    auto f = AbiFunction::parse("transfer(address,uint256)");
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->name, "transfer");
    EXPECT_EQ(f->signature(), "transfer(address,uint256)");
    const Address to = Address::from_hex("0x" + std::string(40, '1')).value();
    const Bytes call = f->encode_call(AbiValue::list({AbiValue::address(to), u(1000)})).value();
    EXPECT_EQ(to_hex(call), "0xa9059cbb" + word(std::string(40, '1')) + word("3e8"));
    EXPECT_EQ(encode_call(f->selector, f->params, AbiValue::list({AbiValue::address(to), u(1000)})).value(), call);
    const AbiFunction no_args = AbiFunction::parse("noArgs()").value();
    const Selector selector = function_selector("noArgs()");
    EXPECT_EQ(no_args.encode_call(AbiValue()).value(), Bytes(selector.begin(), selector.end()));
}

TEST(AbiFunctionSignature, RejectsBadSignatures) {
    for (const char* s : {"transfer", "(uint256)", "1f(uint256)", "f-g(uint256)", "f(uint)", "f(uint256", "f(uint256))",
                          "f (uint256)", "f(uint256)[]", "f(uint256,)"}) {
        auto r = AbiFunction::parse(s);
        ASSERT_FALSE(r.ok()) << s;
        EXPECT_EQ(r.error().code, Errc::abi_bad_type) << s;
    }
}

TEST(AbiFunctionSignature, DecodeCallChecksSelector) {
    const AbiFunction f = AbiFunction::parse("baz(uint32,bool)").value();
    const Bytes call = hex("cdcd77c0" + word("45") + word("1"));
    EXPECT_TRUE(f.decode_call(call).ok());
    Bytes other = call;
    other[0] ^= 1;
    EXPECT_EQ(f.decode_call(other).error().code, Errc::abi_bad_value);
    EXPECT_EQ(f.decode_call(hex("cdcd77")).error().code, Errc::abi_truncated);
    EXPECT_EQ(f.decode_call(hex("cdcd77c0" + word("45"))).error().code, Errc::abi_truncated);
}

}  // namespace
}  // namespace sluice
