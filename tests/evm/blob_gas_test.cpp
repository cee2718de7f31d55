// EIP-4844 blob base fee (fake_exponential) at known points, and the per-fork defaults.
#include <gtest/gtest.h>

#include "sluice/evm/block_info.hpp"

namespace sluice::evm {
namespace {

TEST(BlobBaseFee, CancunKnownPoints) {
    const BlobParams cancun = default_blob_params(Revision::cancun);
    EXPECT_EQ(blob_base_fee(0, cancun), u256{1});
    EXPECT_EQ(blob_base_fee(1, cancun), u256{1});
    EXPECT_EQ(blob_base_fee(2314057, cancun), u256{1});
    EXPECT_EQ(blob_base_fee(2314058, cancun), u256{2});  // ln 2 * 3338477 rounds up here
    EXPECT_EQ(blob_base_fee(10 * 1024 * 1024, cancun), u256{23});
}

TEST(BlobParams, DefaultsPerFork) {
    EXPECT_EQ(default_blob_params(Revision::cancun).max, 6U);
    EXPECT_EQ(default_blob_params(Revision::cancun).base_fee_update_fraction, 3338477U);
    EXPECT_EQ(default_blob_params(Revision::prague).target, 6U);
    EXPECT_EQ(default_blob_params(Revision::prague).max, 9U);
    EXPECT_EQ(default_blob_params(Revision::prague).base_fee_update_fraction, 5007716U);
    EXPECT_EQ(default_blob_params(Revision::shanghai).max, 0U);
}

}  // namespace
}  // namespace sluice::evm
