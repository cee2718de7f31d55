// libFuzzer: the BLS12-381 point decoders on arbitrary bytes: the compressed G1/G2 forms of the KZG
// precompile and the EIP-2537 128/256-byte forms. Nothing may crash; whatever decodes must lie on its
// curve (and in the subgroup when that was checked), and must encode back to the very input, since
// every accepted encoding is canonical.
#include <algorithm>
#include <cstdlib>

#include "bls381_compressed.hpp"

namespace {

using namespace sluice::evm::bls381;

template <class P>
void check_point(const P& p, bool subgroup) {
    if (!is_on_curve(p)) std::abort();
    if (subgroup && !is_in_subgroup(p)) std::abort();
}

template <class Enc>
void check_same(const Enc& encoded, std::span<const std::uint8_t> in) {
    if (!std::equal(encoded.begin(), encoded.end(), in.begin(), in.end())) std::abort();
}

}  // namespace

// Byte 0 picks the decoder and whether to check the subgroup; the rest is the encoding.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const bool subgroup = (data[0] & 4) != 0;
    const std::span<const std::uint8_t> in{data + 1, size - 1};
    switch (data[0] & 3) {
        case 0:
            if (const auto p = decode_g1_compressed(in, subgroup)) {
                check_point(*p, subgroup);
                check_same(encode_g1_compressed(*p), in);
            }
            break;
        case 1:
            if (const auto p = decode_g2_compressed(in, subgroup)) check_point(*p, subgroup);
            break;
        case 2:
            if (const auto p = decode_g1(in, subgroup)) {
                check_point(*p, subgroup);
                check_same(encode_g1(*p), in);
            }
            break;
        default:
            if (const auto p = decode_g2(in, subgroup)) {
                check_point(*p, subgroup);
                check_same(encode_g2(*p), in);
            }
            break;
    }
    return 0;
}
