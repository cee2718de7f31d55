// The EVM location model of evm_location.hpp: field and slot distinguish locations, balance credits
// fold and apply as wrapping u256 additions, and the model runs through MVMemory's delta path.
#include "sluice/parallel/evm_location.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

#include "sluice/parallel/mv_memory.hpp"

namespace sluice::parallel {
namespace {

Address addr(std::uint8_t b) {
    Address a;
    a[19] = b;
    return a;
}

TEST(EvmLocation, FieldsAndSlotsAreDistinctLocations) {
    Bytes32 one;
    one[31] = 1;
    std::unordered_set<EvmLocation, EvmLocationHash> set;
    set.insert({addr(1), EvmField::kAccount, {}});
    set.insert({addr(1), EvmField::kCode, {}});
    set.insert({addr(1), EvmField::kStorage, {}});
    set.insert({addr(1), EvmField::kStorage, one});
    set.insert({addr(2), EvmField::kAccount, {}});
    set.insert({addr(1), EvmField::kAccount, {}});
    EXPECT_EQ(set.size(), 5U);
}

TEST(EvmLocation, CreditsWrapLikeTheEvmAndKeepTheRestOfTheHeader) {
    const EvmAccount rich{true, true, 7, u256::max(), evm::kEmptyCodeHash};
    const auto credited = std::get<EvmAccount>(EvmTraits::apply_delta(EvmValue{rich}, u256{2}));
    EXPECT_EQ(credited.balance, u256{1});
    EXPECT_EQ(credited.nonce, 7U);
    EXPECT_TRUE(credited.exists);
    EXPECT_TRUE(credited.has_storage);
    EXPECT_EQ(EvmTraits::merge_deltas(u256{5}, u256{7}), u256{12});
}

TEST(EvmLocation, CoinbaseCreditsResolveThroughMVMemory) {
    MVMemory<EvmTraits> m(3);
    const EvmLocation coinbase{addr(9), EvmField::kAccount, {}};
    auto base = [](const EvmLocation&) {
        return EvmValue{EvmAccount{true, false, 3, u256{100}, evm::kEmptyCodeHash}};
    };
    std::vector<ReadEntry<EvmTraits>> no_reads;
    for (TxIndex i = 0; i < 2; ++i) {
        const std::vector<WriteEntry<EvmTraits>> writes{{coinbase, WriteKind::kDelta, EvmValue{}, u256{10}}};
        m.record({i, 0}, no_reads, writes);
    }
    const auto r = m.read(coinbase, 2, base);
    EXPECT_EQ(r.origin, ReadOrigin::kResolved);
    EXPECT_EQ(std::get<EvmAccount>(r.value).balance, u256{120});
    EXPECT_EQ(std::get<EvmAccount>(r.value).nonce, 3U);
}

}  // namespace
}  // namespace sluice::parallel
