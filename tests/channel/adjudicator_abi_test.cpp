// adjudicator_abi against the committed artifact's ABI (every function, event and custom error, so a contract
// change that C++ does not follow fails here), and the decoders' handling of odd input.
#include "sluice/channel/adjudicator_abi.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "sluice/channel/encoding.hpp"
#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::channel::adjudicator {
namespace {

std::string canonical_type(const nlohmann::json& input) {
    const std::string type = input.at("type").get<std::string>();
    if (type.rfind("tuple", 0) != 0) return type;
    std::string out = "(";
    for (const auto& component : input.at("components")) {
        if (out.size() > 1) out += ",";
        out += canonical_type(component);
    }
    return out + ")" + type.substr(5);  // "tuple[]" keeps its "[]"
}

// "name(types)" of every ABI entry of `kind`; functions named in UPPER_CASE are constants C++ does not need.
std::set<std::string> artifact_signatures(const char* kind) {
    const auto abi = nlohmann::json::parse(contracts::artifact_json("Adjudicator")).at("abi");
    std::set<std::string> out;
    for (const auto& entry : abi) {
        if (entry.at("type") != kind) continue;
        const std::string name = entry.at("name").get<std::string>();
        if (std::string(kind) == "function" && name.find_first_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos) {
            continue;
        }
        std::string sig = name + "(";
        for (const auto& input : entry.at("inputs")) {
            if (sig.back() != '(') sig += ",";
            sig += canonical_type(input);
        }
        out.insert(sig + ")");
    }
    return out;
}

std::set<std::string> as_set(std::span<const std::string_view> list) { return {list.begin(), list.end()}; }

TEST(AdjudicatorAbi, CoversEveryFunctionEventAndErrorOfTheArtifact) {
    EXPECT_EQ(as_set(function_signatures()), artifact_signatures("function"));
    EXPECT_EQ(as_set(event_signatures()), artifact_signatures("event"));
    EXPECT_EQ(as_set(error_signatures()), artifact_signatures("error"));
    EXPECT_EQ(function_signatures().size(), 20u);
    EXPECT_EQ(event_signatures().size(), 10u);
    EXPECT_EQ(error_signatures().size(), 36u);
}

TEST(AdjudicatorAbi, SignaturesUseTheEncodingsTupleTypes) {
    const auto functions = as_set(function_signatures());
    EXPECT_TRUE(functions.contains("channelId(" + params_abi_type().canonical() + ")"));
    EXPECT_TRUE(functions.contains("hashState(" + state_abi_type().canonical() + ")"));
}

TEST(AdjudicatorAbi, CalldataStartsWithTheSelectorAndRoundTrips) {
    Params params;
    params.participants = {Address{}, Address{}};
    params.nonce = 3;
    const Address asset = Address::from_hex("0x00000000000000000000000000000000000000aa").value();
    const Bytes data = deposit_call(params, asset, u256{5}, u256{7}).value();
    const auto fn =
        AbiFunction::parse("deposit(" + params_abi_type().canonical() + ",address,uint256,uint256)").value();
    const auto args = fn.decode_call(data);
    ASSERT_TRUE(args.ok()) << args.error().describe();
    EXPECT_EQ((*args)[0], to_abi(params));
    EXPECT_EQ((*args)[1].as_address(), asset);
    EXPECT_EQ((*args)[2].as_uint(), u256{5});
    EXPECT_EQ((*args)[3].as_uint(), u256{7});
    EXPECT_EQ(to_hex(ByteView(domain_separator_call())), to_hex(function_selector("domainSeparator()").view()));
}

TEST(AdjudicatorAbi, RefusesValuesOutOfTheirOnChainRange) {
    Params params;
    params.participants = {Address{}, Address{}};
    State state;
    const auto too_late = withdraw_call(params, state, Registration{0, kMaxUint48 + 1, Hash{}, 0, 0});
    ASSERT_FALSE(too_late.ok());
    EXPECT_EQ(too_late.error().code, Errc::abi_bad_value);
    EXPECT_FALSE(fingerprint_call(Registration{1, kMaxUint48 + 1, Hash{}, 1, 0}).ok());
    EXPECT_FALSE(fingerprint_call(Registration{1, 0, Hash{}, 1, kMaxUint48 + 1}).ok());
    EXPECT_TRUE(withdraw_call(params, state, Registration{0, kMaxUint48, Hash{}, 0, kMaxUint48}).ok());
    params.challenge_duration = kMaxUint48 + 1;
    EXPECT_FALSE(conclude_call(params, state, {}).ok());
}

TEST(AdjudicatorAbi, FingerprintsAreTheHashesOfTheirWords) {
    const Registration r{5, 1234, keccak256(as_bytes("state")), 4, 5678};
    const auto encoded = encode_params(
        AbiType::parse("(uint64,uint48,bytes32,uint64,uint48)").value(),
        AbiValue::list({AbiValue::uint(u256{5}), AbiValue::uint(u256{1234}), AbiValue::bytes(r.state_hash),
                        AbiValue::uint(u256{4}), AbiValue::uint(u256{5678})}));
    EXPECT_EQ(fingerprint(r), keccak256(encoded.value()));
    const auto pending =
        encode_params(AbiType::parse("(bytes32,uint256)").value(),
                      AbiValue::list({AbiValue::bytes(r.state_hash), AbiValue::uint(u256{6})}));
    EXPECT_EQ(pending_fingerprint(r.state_hash, u256{6}), keccak256(pending.value()));
}

Bytes revert_data(const char* signature, const AbiValue& args) {
    return AbiFunction::parse(signature).value().encode_call(args).value();
}

TEST(AdjudicatorAbi, NamesRevertReasons) {
    EXPECT_EQ(decode_revert(revert_data("WrongSigner(uint256)", AbiValue::list({AbiValue::uint(u256{1})}))).describe(),
              "WrongSigner(1)");
    EXPECT_EQ(decode_revert(revert_data("ChannelNotOpen()", AbiValue::list({}))).describe(), "ChannelNotOpen()");
    const Hash lock = keccak256(as_bytes("x"));
    const auto pending = decode_revert(revert_data("LockPending(bytes32)", AbiValue::list({AbiValue::bytes(lock)})));
    EXPECT_EQ(pending.name, "LockPending");
    EXPECT_EQ(pending.args[0].as_bytes(), Bytes(lock.begin(), lock.end()));
    EXPECT_EQ(decode_revert(revert_data("Error(string)", AbiValue::list({AbiValue::string("no")}))).describe(),
              "Error(\"no\")");
    EXPECT_EQ(decode_revert(revert_data("Panic(uint256)", AbiValue::list({AbiValue::uint(u256{0x11})}))).describe(),
              "Panic(17)");

    const RevertReason empty = decode_revert({});
    EXPECT_TRUE(empty.name.empty());
    EXPECT_EQ(empty.describe(), "<empty>");
    EXPECT_EQ(decode_revert(Bytes{0x12, 0x34, 0x56, 0x78, 0x9a}).describe(), "unknown(0x12345678)");
    EXPECT_EQ(decode_revert(Bytes{0x12}).describe(), "unknown(0x12)");
    // The right selector with truncated arguments is still that error, without arguments.
    Bytes truncated = revert_data("WrongSigner(uint256)", AbiValue::list({AbiValue::uint(u256{1})}));
    truncated.resize(20);
    EXPECT_EQ(decode_revert(truncated).describe(), "WrongSigner()");
}

Bytes32 word_of(const Address& a) {
    Bytes32 w;
    std::copy(a.begin(), a.end(), w.begin() + 12);
    return w;
}

TEST(AdjudicatorAbi, DecodesEventsAndRefusesMalformedOnes) {
    const Address recipient = Address::from_hex("0x1111111111111111111111111111111111111111").value();
    const Address asset = Address::from_hex("0x2222222222222222222222222222222222222222").value();
    const Bytes amount = encode_params(AbiType::parse("(address,uint256)").value(),
                                       AbiValue::list({AbiValue::address(asset), AbiValue::uint(u256{9})}))
                             .value();
    const std::vector<Bytes32> topics = {event_topic("Claimed"), word_of(recipient), word_of(asset)};
    EXPECT_EQ(event_topic("Claimed"), keccak256(as_bytes("Claimed(address,address,address,uint256)")));

    const auto claimed = decode_event(topics, amount);
    ASSERT_TRUE(claimed.ok()) << claimed.error().describe();
    ASSERT_TRUE(claimed->has_value());
    const auto* c = std::get_if<Claimed>(&**claimed);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->recipient, recipient);
    EXPECT_EQ(c->asset, asset);
    EXPECT_EQ(c->to, asset);
    EXPECT_EQ(c->amount, u256{9});

    // Not an adjudicator event: nothing, no error.
    const std::vector<Bytes32> transfer = {keccak256(as_bytes("Transfer(address,address,uint256)"))};
    const auto other = decode_event(transfer, amount);
    ASSERT_TRUE(other.ok());
    EXPECT_FALSE(other->has_value());
    EXPECT_FALSE(decode_event({}, amount)->has_value());

    const auto short_topics = decode_event(std::span(topics).first(2), amount);
    ASSERT_FALSE(short_topics.ok());
    EXPECT_EQ(short_topics.error().code, Errc::bad_length);
    const auto short_data = decode_event(topics, ByteView(amount).first(31));
    ASSERT_FALSE(short_data.ok());
    EXPECT_EQ(short_data.error().code, Errc::abi_truncated);
    auto dirty = topics;
    dirty[1][0] = 1;
    const auto dirty_address = decode_event(dirty, amount);
    ASSERT_FALSE(dirty_address.ok());
    EXPECT_EQ(dirty_address.error().code, Errc::abi_bad_value);
}

}  // namespace
}  // namespace sluice::channel::adjudicator
