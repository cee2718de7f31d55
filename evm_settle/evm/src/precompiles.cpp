// Precompile addresses, activation per revision and the common price-then-run dispatch.
#include "sluice/evm/precompiles.hpp"

#include <array>

#include "precompile_impl.hpp"

namespace sluice::evm {
namespace {

using PriceFn = std::uint64_t (*)(ByteView, Revision) noexcept;
using RunFn = std::optional<Bytes> (*)(ByteView, Revision);

// One row per PrecompileId (index = value - 1). A row without functions is recognised at its
// revision but not implemented.
struct Entry {
    Revision since;
    PriceFn price = nullptr;
    RunFn run = nullptr;
};

constexpr Entry unimplemented(Revision since) noexcept { return {since, nullptr, nullptr}; }

constexpr std::uint64_t flat_3000(ByteView, Revision) noexcept { return 3000; }

using namespace detail;

constexpr std::array<Entry, 18> kTable = {{
    {Revision::frontier, flat_3000, [](ByteView in, Revision) { return ecrecover_run(in); }},
    {Revision::frontier, [](ByteView in, Revision) noexcept { return word_priced(in.size(), 60, 12); },
     [](ByteView in, Revision) { return sha256_run(in); }},
    {Revision::frontier, [](ByteView in, Revision) noexcept { return word_priced(in.size(), 600, 120); },
     [](ByteView in, Revision) { return ripemd160_run(in); }},
    {Revision::frontier, [](ByteView in, Revision) noexcept { return word_priced(in.size(), 15, 3); },
     [](ByteView in, Revision) -> std::optional<Bytes> { return Bytes(in.begin(), in.end()); }},
    {Revision::byzantium, modexp_gas, modexp_run},
    {Revision::byzantium, [](ByteView, Revision rev) noexcept { return bn254_add_gas(rev); },
     [](ByteView in, Revision) { return bn254_add_run(in); }},
    {Revision::byzantium, [](ByteView, Revision rev) noexcept { return bn254_mul_gas(rev); },
     [](ByteView in, Revision) { return bn254_mul_run(in); }},
    {Revision::byzantium, bn254_pairing_gas, [](ByteView in, Revision) { return bn254_pairing_run(in); }},
    {Revision::istanbul, [](ByteView in, Revision) noexcept { return blake2f_gas(in); },
     [](ByteView in, Revision) { return blake2f_run(in); }},
    {Revision::cancun, [](ByteView, Revision) noexcept { return point_evaluation_gas(); },
     [](ByteView in, Revision) { return point_evaluation_run(in); }},
    {Revision::prague, [](ByteView, Revision) noexcept { return bls12_g1add_gas(); },
     [](ByteView in, Revision) { return bls12_g1add_run(in); }},
    {Revision::prague, [](ByteView in, Revision) noexcept { return bls12_g1msm_gas(in); },
     [](ByteView in, Revision) { return bls12_g1msm_run(in); }},
    {Revision::prague, [](ByteView, Revision) noexcept { return bls12_g2add_gas(); },
     [](ByteView in, Revision) { return bls12_g2add_run(in); }},
    {Revision::prague, [](ByteView in, Revision) noexcept { return bls12_g2msm_gas(in); },
     [](ByteView in, Revision) { return bls12_g2msm_run(in); }},
    {Revision::prague, [](ByteView in, Revision) noexcept { return bls12_pairing_gas(in); },
     [](ByteView in, Revision) { return bls12_pairing_run(in); }},
    {Revision::prague, [](ByteView, Revision) noexcept { return bls12_map_fp_to_g1_gas(); },
     [](ByteView in, Revision) { return bls12_map_fp_to_g1_run(in); }},
    {Revision::prague, [](ByteView, Revision) noexcept { return bls12_map_fp2_to_g2_gas(); },
     [](ByteView in, Revision) { return bls12_map_fp2_to_g2_run(in); }},
    unimplemented(Revision::osaka),  // p256_verify
}};

const Entry& entry(PrecompileId id) noexcept { return kTable[static_cast<std::size_t>(id) - 1]; }

constexpr std::uint8_t kLastByteId = static_cast<std::uint8_t>(PrecompileId::bls12_map_fp2_to_g2);

}  // namespace

std::optional<PrecompileId> precompile_at(const Address& address, Revision rev) noexcept {
    for (std::size_t i = 0; i < 18; ++i) {
        if (address[i] != 0) return std::nullopt;
    }
    std::optional<PrecompileId> id;
    if (address[18] == 0 && address[19] >= 1 && address[19] <= kLastByteId) {
        id = static_cast<PrecompileId>(address[19]);
    } else if (address[18] == 1 && address[19] == 0) {
        id = PrecompileId::p256_verify;
    }
    if (!id || entry(*id).since > rev) return std::nullopt;
    return id;
}

Address precompile_address(PrecompileId id) noexcept {
    Address a;
    if (id == PrecompileId::p256_verify) {
        a[18] = 1;
    } else {
        a[19] = static_cast<std::uint8_t>(id);
    }
    return a;
}

bool precompile_supported(PrecompileId id) noexcept { return entry(id).run != nullptr; }

PrecompileResult run_precompile(PrecompileId id, ByteView input, std::int64_t gas_limit, Revision rev) {
    const std::int64_t limit = gas_limit < 0 ? 0 : gas_limit;
    const Entry& e = entry(id);
    if (e.run == nullptr) return {PrecompileStatus::unsupported, limit, {}};
    const std::uint64_t cost = e.price(input, rev);
    if (cost > static_cast<std::uint64_t>(limit)) return {PrecompileStatus::out_of_gas, limit, {}};
    auto output = e.run(input, rev);
    if (!output) return {PrecompileStatus::failure, limit, {}};
    return {PrecompileStatus::success, static_cast<std::int64_t>(cost), std::move(*output)};
}

}  // namespace sluice::evm
