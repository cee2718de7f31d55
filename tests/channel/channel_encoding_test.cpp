// ABI encoding of Params and State: the hand-written params encoder agrees with core's generic encoder,
// encode/decode round-trip on random values, and the strict decoders and from_abi converters reject bad
// input.
#include <gtest/gtest.h>

#include "channel_test_support.hpp"
#include "sluice/core/abi.hpp"

namespace sluice::channel {
namespace {

AbiValue replaced(const AbiValue& tuple, std::size_t index, AbiValue item) {
    AbiValue::List items = tuple.as_list();
    items[index] = std::move(item);
    return AbiValue::list(std::move(items));
}

TEST(ChannelEncoding, TypesAreTheContractStructs) {
    EXPECT_EQ(params_abi_type().canonical(), "(uint256,address,address[],uint64,uint48,address)");
    EXPECT_EQ(state_abi_type().canonical(),
              "(bytes32,uint64,(address,uint256[],(bytes32,uint256,uint16,uint16,uint64)[])[],bytes,bool)");
}

TEST(ChannelEncoding, ParamsEncoderAgreesWithGenericAbi) {
    test::RandomChannel rng(1);
    const AbiType argument = AbiType::tuple({params_abi_type()}).value();
    for (int i = 0; i < 100; ++i) {
        const Params p = rng.params(rng.below(17));
        const auto generic = encode_params(argument, AbiValue::list({to_abi(p)}));
        ASSERT_TRUE(generic.ok()) << generic.error().describe();
        EXPECT_EQ(encode(p), *generic);
    }
}

TEST(ChannelEncoding, RandomValuesRoundTrip) {
    test::RandomChannel rng(2);
    for (int i = 0; i < 200; ++i) {
        const Params p = rng.params(2 + rng.below(15));
        const State s = rng.state(p, rng.below(4));
        const auto params = decode_params(encode(p));
        ASSERT_TRUE(params.ok()) << params.error().describe();
        EXPECT_EQ(*params, p);
        const auto state = decode_state(encode(s));
        ASSERT_TRUE(state.ok()) << state.error().describe();
        EXPECT_EQ(*state, s);
        EXPECT_EQ(params_from_abi(to_abi(p)).value(), p);
        EXPECT_EQ(state_from_abi(to_abi(s)).value(), s);
    }
}

TEST(ChannelEncoding, EmptyStateRoundTrips) {
    const State empty;
    EXPECT_EQ(decode_state(encode(empty)).value(), empty);
}

TEST(ChannelEncoding, DecodersAreStrict) {
    test::RandomChannel rng(3);
    const Params p = rng.params(3);
    Bytes params = encode(p);
    params.push_back(0);
    EXPECT_EQ(decode_params(params).error().code, Errc::abi_trailing_bytes);
    params.resize(params.size() - 2);  // the participants array now claims more than is left
    EXPECT_EQ(decode_params(params).error().code, Errc::abi_bad_length);
    EXPECT_EQ(decode_params(ByteView(params.data(), 40)).error().code, Errc::abi_truncated);
    Bytes state = encode(rng.state(p, 2));
    state.pop_back();
    EXPECT_FALSE(decode_state(state).ok());
    EXPECT_FALSE(decode_state(encode(p)).ok());
}

TEST(ChannelEncoding, ChallengeDurationOverUint48IsRejectedByDecode) {
    test::RandomChannel rng(4);
    Params p = rng.params(2);
    p.challenge_duration = kMaxUint48;
    EXPECT_TRUE(decode_params(encode(p)).ok());
    p.challenge_duration = kMaxUint48 + 1;
    // encode stays total (validate() is what rejects such params); the decoder refuses the dirty high bytes
    EXPECT_EQ(decode_params(encode(p)).error().code, Errc::abi_bad_value);
}

TEST(ChannelEncoding, FromAbiChecksShapeAndRanges) {
    test::RandomChannel rng(5);
    const Params p = rng.params(2);
    const AbiValue params = to_abi(p);
    EXPECT_EQ(params_from_abi(AbiValue::uint(1)).error().code, Errc::abi_type_mismatch);
    EXPECT_EQ(params_from_abi(replaced(params, 1, AbiValue::uint(1))).error().code, Errc::abi_type_mismatch);
    EXPECT_EQ(params_from_abi(replaced(params, 2, AbiValue::list({AbiValue::boolean(true)}))).error().code,
              Errc::abi_type_mismatch);
    EXPECT_EQ(params_from_abi(replaced(params, 3, AbiValue::uint(u256{0, 1}))).error().code,
              Errc::abi_bad_value);
    const auto duration = params_from_abi(replaced(params, 4, AbiValue::uint(kMaxUint48 + 1)));
    EXPECT_EQ(duration.error().code, Errc::abi_bad_value);
    EXPECT_NE(duration.error().message.find("params.challenge_duration"), std::string::npos);

    State s = rng.state(p, 1, 0);
    s.outcome[0].locks.push_back(Lock{Hash{}, 1, 0, 1, 2});
    const AbiValue state = to_abi(s);
    const AbiValue& lock = state[2][0][2][0];
    const auto with_lock = [&](AbiValue l) {
        const AbiValue alloc = replaced(state[2][0], 2, AbiValue::list({std::move(l)}));
        return state_from_abi(replaced(state, 2, AbiValue::list({alloc})));
    };
    EXPECT_TRUE(with_lock(lock).ok());
    const auto from = with_lock(replaced(lock, 2, AbiValue::uint(65536)));
    EXPECT_EQ(from.error().code, Errc::abi_bad_value);
    EXPECT_NE(from.error().message.find("state.outcome[0].locks[0].from"), std::string::npos);
    EXPECT_EQ(with_lock(replaced(lock, 0, AbiValue::bytes(Bytes(31, 0)))).error().code, Errc::abi_bad_value);
    EXPECT_EQ(with_lock(AbiValue::list({})).error().code, Errc::abi_type_mismatch);
    EXPECT_EQ(state_from_abi(replaced(state, 1, AbiValue::uint(u256{0, 1}))).error().code,
              Errc::abi_bad_value);
    EXPECT_EQ(state_from_abi(replaced(state, 4, AbiValue::uint(1))).error().code, Errc::abi_type_mismatch);
    EXPECT_EQ(state_from_abi(replaced(state, 3, AbiValue::boolean(false))).error().code,
              Errc::abi_type_mismatch);
}

}  // namespace
}  // namespace sluice::channel
