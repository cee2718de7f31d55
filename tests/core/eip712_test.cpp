// EIP-712 hashing: the EIP's own "Mail" example end to end, arrays and nested structs built from their
// definitions, the typed fast path, and every bad type / bad value error path.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/core/abi.hpp"
#include "sluice/core/eip712.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice {
namespace {

using nlohmann::json;

const json kMailTypes = json::parse(R"({
  "EIP712Domain": [
    {"name": "name", "type": "string"}, {"name": "version", "type": "string"},
    {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}
  ],
  "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
  "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}]
})");

const json kMail = json::parse(R"({
  "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
  "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
  "contents": "Hello, Bob!"
})");

Eip712Types mail_types() { return eip712_types_from_json(kMailTypes).value(); }

Eip712Domain mail_domain() {
    return Eip712Domain{"Ether Mail", "1", u256(1),
                        Address::from_hex("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC").value()};
}

std::string hex_of(const Hash& h) { return to_hex(h.view()); }

Errc value_error(const Eip712Types& types, std::string_view primary, const json& value) {
    auto r = hash_struct(primary, types, value);
    if (r.ok()) {
        ADD_FAILURE() << "accepted " << value.dump();
        return Errc::internal;
    }
    return r.error().code;
}

Errc type_error(const Eip712Types& types, std::string_view primary) {
    auto r = encode_type(primary, types);
    if (r.ok()) {
        ADD_FAILURE() << "accepted type " << *r;
        return Errc::internal;
    }
    return r.error().code;
}

// ---- the EIP's example ----

TEST(Eip712Mail, EncodeType) {
    EXPECT_EQ(encode_type("Mail", mail_types()).value(),
              "Mail(Person from,Person to,string contents)Person(string name,address wallet)");
    EXPECT_EQ(encode_type("Person", mail_types()).value(), "Person(string name,address wallet)");
}

TEST(Eip712Mail, TypeHash) {
    EXPECT_EQ(hex_of(type_hash("Mail", mail_types()).value()),
              "0xa0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2");
}

TEST(Eip712Mail, DomainSeparator) {
    const std::string expected = "0xf2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f";
    EXPECT_EQ(hex_of(mail_domain().domain_separator()), expected);
    // The generic path over the same domain as JSON gives the same hash.
    const json domain = {{"name", "Ether Mail"},
                         {"version", "1"},
                         {"chainId", 1},
                         {"verifyingContract", "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"}};
    EXPECT_EQ(hex_of(hash_struct("EIP712Domain", mail_types(), domain).value()), expected);
    EXPECT_EQ(encode_type("EIP712Domain", mail_types()).value(), Eip712Domain::kEncodedType);
}

TEST(Eip712Mail, StructHashAndDigest) {
    const Hash struct_hash = hash_struct("Mail", mail_types(), kMail).value();
    EXPECT_EQ(hex_of(struct_hash), "0xc52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e");
    EXPECT_EQ(hex_of(typed_data_digest(mail_domain().domain_separator(), struct_hash)),
              "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
}

TEST(Eip712Mail, FastPathMatchesGenericPath) {
    const Bytes data = encode_data("Mail", mail_types(), kMail).value();
    ASSERT_EQ(data.size(), 3u * 32u);
    EXPECT_EQ(hash_struct_encoded(type_hash("Mail", mail_types()).value(), data),
              hash_struct("Mail", mail_types(), kMail).value());
    // encodeData of Mail: hashStruct(from), hashStruct(to), keccak(contents).
    const Hash contents = keccak256(as_bytes("Hello, Bob!"));
    EXPECT_TRUE(std::equal(contents.begin(), contents.end(), data.begin() + 64));
    const Hash from = hash_struct("Person", mail_types(), kMail["from"]).value();
    EXPECT_TRUE(std::equal(from.begin(), from.end(), data.begin()));
}

TEST(Eip712Mail, ExtraFieldsAreIgnored) {
    json mail = kMail;
    mail["note"] = "not part of the type";
    EXPECT_EQ(hash_struct("Mail", mail_types(), mail).value(), hash_struct("Mail", mail_types(), kMail).value());
}

// ---- encodeType rules ----

TEST(Eip712Types, DependenciesSortedByNameAfterPrimary) {
    const Eip712Types types = {
        {"Zoo", {{"b", "Bee"}, {"a", "Ant[]"}}},
        {"Ant", {{"x", "uint8"}}},
        {"Bee", {{"ants", "Ant[2][]"}, {"queen", "Bee[]"}}},  // self reference is listed once
        {"Unused", {{"y", "bool"}}},
    };
    EXPECT_EQ(encode_type("Zoo", types).value(), "Zoo(Bee b,Ant[] a)Ant(uint8 x)Bee(Ant[2][] ants,Bee[] queen)");
    EXPECT_EQ(encode_type("Bee", types).value(), "Bee(Ant[2][] ants,Bee[] queen)Ant(uint8 x)");
}

TEST(Eip712Types, FromJsonErrors) {
    EXPECT_EQ(eip712_types_from_json(json::array()).error().code, Errc::eip712_bad_type);
    EXPECT_EQ(eip712_types_from_json(json::parse(R"({"A": {}})")).error().code, Errc::eip712_bad_type);
    EXPECT_EQ(eip712_types_from_json(json::parse(R"({"A": [{"name": "x"}]})")).error().code, Errc::eip712_bad_type);
    EXPECT_EQ(eip712_types_from_json(json::parse(R"({"A": [{"name": "x", "type": 3}]})")).error().code,
              Errc::eip712_bad_type);
    EXPECT_EQ(eip712_types_from_json(json::parse(R"({"A": ["uint8 x"]})")).error().code, Errc::eip712_bad_type);
}

TEST(Eip712Types, BadTypes) {
    EXPECT_EQ(type_error(mail_types(), "Letter"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"x", "Missing"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"x", "uint"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"x", "uint7"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"x", "(uint8,bool)"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"x", "uint8[0]"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"x", "uint8[01]"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"x", "uint8[x]"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"x", "uint8]"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"x", "[]"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"x", "B"}}}, {"B", {{"y", "Nope[]"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"1A", {{"x", "uint8"}}}}, "1A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"uint8", {{"x", "bool"}}}}, "uint8"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"x y", "uint8"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"", "uint8"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(type_error({{"A", {{"x", "uint8"}, {"x", "bool"}}}}, "A"), Errc::eip712_bad_type);
    EXPECT_EQ(hash_struct("Letter", mail_types(), kMail).error().code, Errc::eip712_bad_type);
}

// ---- encodeData of arrays, nested structs and atomic values, from the EIP's definitions ----

Bytes word_of(const AbiType& type, const AbiValue& v) { return encode(type, v).value(); }

TEST(Eip712Data, ArraysHashTheirConcatenatedEncodings) {
    const Eip712Types types = {{"P", {{"name", "string"}}},
                               {"Group", {{"ids", "uint16[]"}, {"tags", "string[2]"}, {"members", "P[]"},
                                          {"grid", "bool[][]"}}}};
    const json value = json::parse(
        R"({"ids": [1, 513], "tags": ["a", "b"], "members": [{"name": "x"}], "grid": [[true], [false, true], []]})");

    Bytes ids = word_of(AbiType::uint(16), AbiValue::uint(u256(1)));
    const Bytes second = word_of(AbiType::uint(16), AbiValue::uint(u256(513)));
    ids.insert(ids.end(), second.begin(), second.end());
    Bytes tags;
    for (const char* t : {"a", "b"}) {
        const Hash h = keccak256(as_bytes(t));
        tags.insert(tags.end(), h.begin(), h.end());
    }
    const Hash member = hash_struct("P", types, value["members"][0]).value();
    const Hash t_true = keccak256(word_of(AbiType::boolean(), AbiValue::boolean(true)));
    Bytes ft = word_of(AbiType::boolean(), AbiValue::boolean(false));
    const Bytes tw = word_of(AbiType::boolean(), AbiValue::boolean(true));
    ft.insert(ft.end(), tw.begin(), tw.end());
    const Hash t_false_true = keccak256(ft);
    const Hash t_empty = keccak256(ByteView{});
    Bytes grid;
    for (const Hash& h : {t_true, t_false_true, t_empty}) grid.insert(grid.end(), h.begin(), h.end());

    Bytes expected;
    for (const Hash& h : {keccak256(ids), keccak256(tags), keccak256(member.view()), keccak256(grid)}) {
        expected.insert(expected.end(), h.begin(), h.end());
    }
    EXPECT_EQ(to_hex(encode_data("Group", types, value).value()), to_hex(expected));
    EXPECT_EQ(encode_type("Group", types).value(), "Group(uint16[] ids,string[2] tags,P[] members,bool[][] grid)P(string name)");
}

TEST(Eip712Data, AtomicValueForms) {
    const Eip712Types types = {{"V", {{"u", "uint256"}, {"i", "int8"}, {"b", "bytes"}, {"f", "bytes2"}, {"t", "bool"}}}};
    const json numbers = json::parse(R"({"u": 255, "i": -2, "b": "0x0102", "f": "0xabcd", "t": true})");
    const json strings = json::parse(R"({"u": "0xff", "i": "-2", "b": "0x0102", "f": "0xABCD", "t": true})");
    const json decimal = json::parse(R"({"u": "255", "i": "-0x2", "b": "0x0102", "f": "0xabcd", "t": true})");
    const Bytes a = encode_data("V", types, numbers).value();
    EXPECT_EQ(encode_data("V", types, strings).value(), a);
    EXPECT_EQ(encode_data("V", types, decimal).value(), a);
    Bytes expected = word_of(AbiType::uint(256), AbiValue::uint(u256(255)));
    const Hash bytes_hash = keccak256(Bytes{1, 2});
    for (const Bytes& w : {word_of(AbiType::int_(8), AbiValue::int_(-2)), Bytes(bytes_hash.begin(), bytes_hash.end()),
                           word_of(AbiType::fixed_bytes(2), AbiValue::bytes(Bytes{0xab, 0xcd})),
                           word_of(AbiType::boolean(), AbiValue::boolean(true))}) {
        expected.insert(expected.end(), w.begin(), w.end());
    }
    EXPECT_EQ(to_hex(a), to_hex(expected));
}

TEST(Eip712Data, IntegerLimits) {
    const Eip712Types types = {{"I", {{"x", "int256"}}}, {"U", {{"x", "uint256"}}}};
    const std::string min = "-0x8000000000000000000000000000000000000000000000000000000000000000";
    EXPECT_TRUE(hash_struct("I", types, json{{"x", min}}).ok());
    EXPECT_EQ(value_error(types, "I", json{{"x", "-0x8000000000000000000000000000000000000000000000000000000000000001"}}),
              Errc::eip712_bad_value);
    EXPECT_EQ(value_error(types, "I", json{{"x", "0x8000000000000000000000000000000000000000000000000000000000000000"}}),
              Errc::eip712_bad_value);
    EXPECT_EQ(value_error(types, "I", json{{"x", "-" + std::string("0x") + std::string(64, 'f')}}),
              Errc::eip712_bad_value);
    EXPECT_TRUE(hash_struct("U", types, json{{"x", "0x" + std::string(64, 'f')}}).ok());
    EXPECT_EQ(value_error(types, "U", json{{"x", "0x1" + std::string(64, '0')}}), Errc::eip712_bad_value);
    EXPECT_EQ(value_error(types, "U", json{{"x", -1}}), Errc::eip712_bad_value);
    EXPECT_EQ(value_error(types, "U", json{{"x", "-1"}}), Errc::eip712_bad_value);
    EXPECT_TRUE(hash_struct("U", types, json{{"x", "-0"}}).ok());
}

// ---- bad values ----

TEST(Eip712Values, BadValues) {
    const Eip712Types t = mail_types();
    json missing = kMail;
    missing.erase("contents");
    EXPECT_EQ(value_error(t, "Mail", missing), Errc::eip712_bad_value);
    EXPECT_EQ(value_error(t, "Mail", json::array()), Errc::eip712_bad_value);
    json not_object = kMail;
    not_object["from"] = "Cow";
    EXPECT_EQ(value_error(t, "Mail", not_object), Errc::eip712_bad_value);
    json bad_checksum = kMail;
    bad_checksum["from"]["wallet"] = "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827";
    EXPECT_EQ(value_error(t, "Mail", bad_checksum), Errc::eip712_bad_value);
    json short_address = kMail;
    short_address["to"]["wallet"] = "0x1234";
    EXPECT_EQ(value_error(t, "Mail", short_address), Errc::eip712_bad_value);
    json number_string = kMail;
    number_string["contents"] = 5;
    EXPECT_EQ(value_error(t, "Mail", number_string), Errc::eip712_bad_value);

    const Eip712Types v = {{"V", {{"u8", "uint8"}, {"i8", "int8"}, {"b", "bool"}, {"f", "bytes2"}, {"d", "bytes"},
                                  {"a", "uint8[2]"}}}};
    const json good = json::parse(R"({"u8": 1, "i8": -1, "b": false, "f": "0x0102", "d": "0x", "a": [1, 2]})");
    ASSERT_TRUE(hash_struct("V", v, good).ok());
    for (const auto& [field, bad] : std::vector<std::pair<std::string, json>>{
             {"u8", 256}, {"u8", "0x100"}, {"u8", "12x"}, {"u8", ""}, {"u8", 1.5}, {"u8", true}, {"u8", nullptr},
             {"i8", 128}, {"i8", -129}, {"i8", "-"},
             {"b", 1}, {"b", "true"},
             {"f", "0x01"}, {"f", "0x010203"}, {"f", "0102"}, {"f", "0x0g"}, {"f", 258},
             {"d", "0x123"}, {"d", json::array()},
             {"a", json::parse("[1]")}, {"a", json::parse("[1, 2, 3]")}, {"a", 1}, {"a", json::parse("[1, 300]")}}) {
        json value = good;
        value[field] = bad;
        EXPECT_EQ(value_error(v, "V", value), Errc::eip712_bad_value) << field << " = " << bad.dump();
    }
}

TEST(Eip712Values, ErrorNamesFieldPath) {
    json bad = kMail;
    bad["to"]["wallet"] = "0x12";
    auto r = hash_struct("Mail", mail_types(), bad);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.rfind(".to.wallet: ", 0), 0u) << r.error().message;
}

TEST(Eip712Values, DeepRecursionIsRefused) {
    const Eip712Types types = {{"Node", {{"next", "Node[]"}}}};
    json value = {{"next", json::array()}};
    for (int i = 0; i < 200; ++i) value = {{"next", json::array({value})}};
    EXPECT_EQ(value_error(types, "Node", value), Errc::eip712_bad_value);
    json shallow = {{"next", json::array({{{"next", json::array()}}})}};
    EXPECT_TRUE(hash_struct("Node", types, shallow).ok());
}

TEST(Eip712Digest, PrefixAndOrder) {
    Hash a;
    a[0] = 1;
    Hash b;
    b[31] = 2;
    Bytes preimage{0x19, 0x01};
    preimage.insert(preimage.end(), a.begin(), a.end());
    preimage.insert(preimage.end(), b.begin(), b.end());
    EXPECT_EQ(typed_data_digest(a, b), keccak256(preimage));
    EXPECT_NE(typed_data_digest(a, b), typed_data_digest(b, a));
}

}  // namespace
}  // namespace sluice
