// Fixture fork names map to revisions and back.
#include <gtest/gtest.h>

#include "sluice/evm/revision.hpp"

namespace sluice::evm {
namespace {

TEST(Revision, FixtureNamesRoundTrip) {
    for (std::size_t i = 0; i < kNumRevisions; ++i) {
        const auto rev = static_cast<Revision>(i);
        EXPECT_EQ(revision_from_name(revision_name(rev)), rev);
    }
    EXPECT_EQ(revision_from_name("Prague"), Revision::prague);
    EXPECT_EQ(revision_from_name("Merge"), Revision::paris);
    EXPECT_FALSE(revision_from_name("prague").has_value());
    EXPECT_FALSE(revision_from_name("").has_value());
}

}  // namespace
}  // namespace sluice::evm
