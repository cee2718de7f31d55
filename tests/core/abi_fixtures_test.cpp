// Every case of ethereum/tests ABITests/basic_abi_tests.json: encode the arguments, compare with the
// expected bytes, and decode them back. The fixtures are required: a missing file fails the test.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"

namespace sluice {
namespace {

const std::string kFixture = std::string(SLUICE_FIXTURES_DIR) + "/ethereum_tests/ABITests/basic_abi_tests.json";

// The fixture's argument notation: integers as JSON numbers, addresses as 0x-hex, bytes<M>/bytes/string
// as their raw characters, arrays as JSON arrays.
Result<AbiValue> value_from_fixture(const AbiType& type, const nlohmann::json& arg) {
    switch (type.kind()) {
        case AbiType::Kind::uint:
            if (!arg.is_number_unsigned()) return make_error(Errc::json_bad_field, "expected an unsigned number");
            return AbiValue::uint(u256(arg.get<std::uint64_t>()));
        case AbiType::Kind::int_:
            if (!arg.is_number_integer()) return make_error(Errc::json_bad_field, "expected a number");
            return AbiValue::int_(arg.get<std::int64_t>());
        case AbiType::Kind::address: {
            SLUICE_TRY(const Address a, Address::from_hex(arg.get<std::string>()));
            return AbiValue::address(a);
        }
        case AbiType::Kind::boolean: return AbiValue::boolean(arg.get<bool>());
        case AbiType::Kind::fixed_bytes:
        case AbiType::Kind::bytes: return AbiValue::bytes(as_bytes(arg.get_ref<const std::string&>()));
        case AbiType::Kind::string: return AbiValue::string(arg.get<std::string>());
        case AbiType::Kind::array:
        case AbiType::Kind::fixed_array:
        case AbiType::Kind::tuple: {
            if (!arg.is_array()) return make_error(Errc::json_bad_field, "expected an array");
            AbiValue::List items;
            for (std::size_t i = 0; i < arg.size(); ++i) {
                const AbiType& t = type.kind() == AbiType::Kind::tuple ? type.components().at(i) : type.element();
                SLUICE_TRY(AbiValue v, value_from_fixture(t, arg[i]));
                items.push_back(std::move(v));
            }
            return AbiValue::list(std::move(items));
        }
    }
    return make_error(Errc::internal, "unknown kind");
}

TEST(AbiFixtures, BasicAbiTests) {
    std::ifstream in(kFixture);
    ASSERT_TRUE(in.good()) << "missing fixture " << kFixture;
    const nlohmann::json cases = nlohmann::json::parse(in);
    ASSERT_TRUE(cases.is_object());
    ASSERT_GT(cases.size(), 0u);

    std::size_t run = 0;
    for (const auto& [name, c] : cases.items()) {
        SCOPED_TRACE(name);
        std::string params = "(";
        for (const auto& t : c.at("types")) params += (params.size() > 1 ? "," : "") + t.get<std::string>();
        params += ")";
        auto type = AbiType::parse(params);
        ASSERT_TRUE(type.ok()) << type.error().describe();
        auto args = value_from_fixture(*type, c.at("args"));
        ASSERT_TRUE(args.ok()) << args.error().describe();

        auto encoded = encode_params(*type, *args);
        ASSERT_TRUE(encoded.ok()) << encoded.error().describe();
        EXPECT_EQ(to_hex(*encoded, false), c.at("result").get<std::string>());

        auto decoded = decode_params(*type, from_hex(c.at("result").get<std::string>(), HexPrefix::optional).value());
        ASSERT_TRUE(decoded.ok()) << decoded.error().describe();
        EXPECT_EQ(*decoded, *args);
        ++run;
    }
    EXPECT_EQ(run, cases.size());
    std::printf("ABITests/basic_abi_tests.json: %zu of %zu cases run\n", run, cases.size());
}

}  // namespace
}  // namespace sluice
