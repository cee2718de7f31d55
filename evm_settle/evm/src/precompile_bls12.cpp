// Precompiles 0x0b-0x11 (Prague, EIP-2537): BLS12-381 G1ADD, G1MSM, G2ADD, G2MSM, PAIRING_CHECK,
// MAP_FP_TO_G1 and MAP_FP2_TO_G2, with the EIP's prices and input checks. Lengths must be exact (or
// a nonzero multiple of the pair size); ADD takes any point of the curve, MSM and pairing only points
// of the order-r subgroup; the all-zero encoding is the infinity everywhere.
#include <algorithm>
#include <array>
#include <type_traits>
#include <vector>

#include "bls381_map.hpp"
#include "bls381_msm.hpp"
#include "bls381_pairing.hpp"
#include "precompile_impl.hpp"

namespace sluice::evm::detail {
namespace {

using namespace bls381;

constexpr std::size_t kScalarBytes = 32;
constexpr std::size_t kG1MsmPair = kG1EncodedBytes + kScalarBytes;       // 160
constexpr std::size_t kG2MsmPair = kG2EncodedBytes + kScalarBytes;       // 288
constexpr std::size_t kPairingPair = kG1EncodedBytes + kG2EncodedBytes;  // 384
constexpr std::size_t kFpEncodedBytes = 64;

constexpr std::uint64_t kG1MulGas = 12000;
constexpr std::uint64_t kG2MulGas = 22500;
constexpr std::uint64_t kMsmMultiplier = 1000;

// EIP-2537 "G1/G2 MSM" discount tables, discount(k) for k = 1..128; k > 128 takes the last entry
// (max_discount 519 for G1, 524 for G2).
constexpr std::array<std::uint16_t, 128> kG1Discount = {
    1000, 949, 848, 797, 764, 750, 738, 728, 719, 712, 705, 698, 692, 687, 682, 677, 673, 669, 665,
    661,  658, 654, 651, 648, 645, 642, 640, 637, 635, 632, 630, 627, 625, 623, 621, 619, 617, 615,
    613,  611, 609, 608, 606, 604, 603, 601, 599, 598, 596, 595, 593, 592, 591, 589, 588, 586, 585,
    584,  582, 581, 580, 579, 577, 576, 575, 574, 573, 572, 570, 569, 568, 567, 566, 565, 564, 563,
    562,  561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 551, 550, 549, 548, 547, 547, 546, 545,
    544,  543, 542, 541, 540, 540, 539, 538, 537, 536, 536, 535, 534, 533, 532, 532, 531, 530, 529,
    528,  528, 527, 526, 525, 525, 524, 523, 522, 522, 521, 520, 520, 519};
constexpr std::array<std::uint16_t, 128> kG2Discount = {
    1000, 1000, 923, 884, 855, 832, 812, 796, 782, 770, 759, 749, 740, 732, 724, 717, 711, 704, 699,
    693,  688,  683, 679, 674, 670, 666, 663, 659, 655, 652, 649, 646, 643, 640, 637, 634, 632, 629,
    627,  624,  622, 620, 618, 615, 613, 611, 609, 607, 606, 604, 602, 600, 598, 597, 595, 593, 592,
    590,  589,  587, 586, 584, 583, 582, 580, 579, 578, 576, 575, 574, 573, 571, 570, 569, 568, 567,
    566,  565,  563, 562, 561, 560, 559, 558, 557, 556, 555, 554, 553, 552, 552, 551, 550, 549, 548,
    547,  546,  545, 545, 544, 543, 542, 541, 541, 540, 539, 538, 537, 537, 536, 535, 535, 534, 533,
    532,  532,  531, 530, 530, 529, 528, 528, 527, 526, 526, 525, 524, 524};

// (k * multiplication_cost * discount(k)) / 1000; an empty input prices at 0 and then fails. k is
// bounded by the input length (< 2^64 / 160), so the product cannot overflow before the saturation.
std::uint64_t msm_gas(std::size_t input_size, std::size_t pair_size, std::uint64_t mul_cost,
                      const std::array<std::uint16_t, 128>& discounts) noexcept {
    const std::uint64_t k = input_size / pair_size;
    if (k == 0) return 0;
    const std::uint64_t discount = discounts[std::min<std::uint64_t>(k, discounts.size()) - 1];
    if (k > kUnpayableGas / (mul_cost * discount)) return kUnpayableGas;
    return k * mul_cost * discount / kMsmMultiplier;
}

template <class Point>
Bytes encoded(const Point& p) {
    if constexpr (std::is_same_v<Point, G1>) {
        const auto e = encode_g1(p);
        return Bytes(e.begin(), e.end());
    } else {
        const auto e = encode_g2(p);
        return Bytes(e.begin(), e.end());
    }
}

std::optional<G1> decode(std::span<const std::uint8_t> in, bool subgroup, const G1*) noexcept {
    return decode_g1(in, subgroup);
}
std::optional<G2> decode(std::span<const std::uint8_t> in, bool subgroup, const G2*) noexcept {
    return decode_g2(in, subgroup);
}

template <class Point>
std::optional<Point> decode_point(ByteView in, std::size_t offset, std::size_t size, bool subgroup) noexcept {
    return decode(std::span<const std::uint8_t>(in.data() + offset, size), subgroup,
                  static_cast<const Point*>(nullptr));
}

template <class Point>
std::optional<Bytes> add_run(ByteView input, std::size_t point_size) {
    if (input.size() != 2 * point_size) return std::nullopt;
    const auto a = decode_point<Point>(input, 0, point_size, false);
    const auto b = decode_point<Point>(input, point_size, point_size, false);
    if (!a || !b) return std::nullopt;
    using J = Jacobian<decltype(a->x)>;
    return encoded(J::from_affine(*a).plus_affine(*b).to_affine());
}

template <class Point>
std::optional<Bytes> msm_run(ByteView input, std::size_t point_size) {
    const std::size_t pair = point_size + kScalarBytes;
    if (input.empty() || input.size() % pair != 0) return std::nullopt;
    const std::size_t k = input.size() / pair;
    std::vector<Point> points;
    std::vector<Scalar32> scalars(k);
    points.reserve(k);
    for (std::size_t i = 0; i < k; ++i) {
        const auto p = decode_point<Point>(input, i * pair, point_size, true);
        if (!p) return std::nullopt;
        points.push_back(*p);
        std::copy_n(input.data() + i * pair + point_size, kScalarBytes, scalars[i].begin());
    }
    return encoded(msm(std::span<const Point>(points), std::span<const Scalar32>(scalars)).to_affine());
}

}  // namespace

std::uint64_t bls12_g1add_gas() noexcept {
    return 375;
}
std::uint64_t bls12_g2add_gas() noexcept {
    return 600;
}
std::uint64_t bls12_g1msm_gas(ByteView input) noexcept {
    return msm_gas(input.size(), kG1MsmPair, kG1MulGas, kG1Discount);
}
std::uint64_t bls12_g2msm_gas(ByteView input) noexcept {
    return msm_gas(input.size(), kG2MsmPair, kG2MulGas, kG2Discount);
}
std::uint64_t bls12_pairing_gas(ByteView input) noexcept {
    return 32600 * static_cast<std::uint64_t>(input.size() / kPairingPair) + 37700;
}
std::uint64_t bls12_map_fp_to_g1_gas() noexcept {
    return 5500;
}
std::uint64_t bls12_map_fp2_to_g2_gas() noexcept {
    return 23800;
}

std::optional<Bytes> bls12_g1add_run(ByteView input) {
    return add_run<G1>(input, kG1EncodedBytes);
}
std::optional<Bytes> bls12_g2add_run(ByteView input) {
    return add_run<G2>(input, kG2EncodedBytes);
}
std::optional<Bytes> bls12_g1msm_run(ByteView input) {
    return msm_run<G1>(input, kG1EncodedBytes);
}
std::optional<Bytes> bls12_g2msm_run(ByteView input) {
    return msm_run<G2>(input, kG2EncodedBytes);
}

std::optional<Bytes> bls12_pairing_run(ByteView input) {
    if (input.empty() || input.size() % kPairingPair != 0) return std::nullopt;
    std::vector<std::pair<G1, G2>> pairs;
    pairs.reserve(input.size() / kPairingPair);
    for (std::size_t off = 0; off < input.size(); off += kPairingPair) {
        const auto p = decode_point<G1>(input, off, kG1EncodedBytes, true);
        const auto q = decode_point<G2>(input, off + kG1EncodedBytes, kG2EncodedBytes, true);
        if (!p || !q) return std::nullopt;
        pairs.emplace_back(*p, *q);
    }
    Bytes out(32, 0);
    out[31] = pairing_check(pairs) ? 1 : 0;
    return out;
}

std::optional<Bytes> bls12_map_fp_to_g1_run(ByteView input) {
    if (input.size() != kFpEncodedBytes) return std::nullopt;
    const auto u = decode_fp(input.data());
    if (!u) return std::nullopt;
    return encoded(map_fp_to_g1(*u));
}

std::optional<Bytes> bls12_map_fp2_to_g2_run(ByteView input) {
    if (input.size() != 2 * kFpEncodedBytes) return std::nullopt;
    const auto c0 = decode_fp(input.data());
    const auto c1 = decode_fp(input.data() + kFpEncodedBytes);
    if (!c0 || !c1) return std::nullopt;
    return encoded(map_fp2_to_g2(Fp2{*c0, *c1}));
}

}  // namespace sluice::evm::detail
