// EIP-4844 blob base fee and the per-fork blob parameters.
#include "sluice/evm/block_info.hpp"

namespace sluice::evm {

BlobParams default_blob_params(Revision rev) noexcept {
    if (rev >= Revision::prague) return {6, 9, 5007716};
    if (rev >= Revision::cancun) return {3, 6, 3338477};
    return {};
}

u256 blob_base_fee(std::uint64_t excess_blob_gas, const BlobParams& params) noexcept {
    // Taylor series of e^(excess/fraction), in integers exactly as the EIP specifies.
    const u256 denominator{params.base_fee_update_fraction == 0 ? 1 : params.base_fee_update_fraction};
    const u256 numerator{excess_blob_gas};
    u256 output;
    u256 accum = denominator;  // factor (1) * denominator
    for (std::uint64_t i = 1; !accum.is_zero(); ++i) {
        output += accum;
        accum = (accum * numerator) / (denominator * u256{i});
    }
    return output / denominator;
}

}  // namespace sluice::evm
