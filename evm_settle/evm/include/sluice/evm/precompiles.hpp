// Precompiled contracts 0x01..0x11 with per-revision availability and pricing.
//
// API CONTRACT (implementation pending; the interpreter codes against these names):
//   namespace sluice::evm
//   enum class PrecompileId : uint8_t { ecrecover=1, sha256, ripemd160, identity, modexp, bn254_add,
//        bn254_mul, bn254_pairing, blake2f, point_evaluation /*0x0a*/, bls12_g1add /*0x0b*/, bls12_g1msm,
//        bls12_g2add, bls12_g2msm, bls12_pairing, bls12_map_fp_to_g1, bls12_map_fp2_to_g2 /*0x11*/ };
//   std::optional<PrecompileId> precompile_at(const Address&, Revision) noexcept;   // active at that revision?
//   bool precompile_supported(PrecompileId) noexcept;    // false for point_evaluation and bls12_*
//   enum class PrecompileStatus : uint8_t { success, failure /*consumes all gas*/, out_of_gas, unsupported };
//   struct PrecompileResult { PrecompileStatus status; std::int64_t gas_used; Bytes output; };
//   PrecompileResult run_precompile(PrecompileId, ByteView input, std::int64_t gas_limit, Revision) ;
//     // gas_used == gas_limit on failure/out_of_gas; `unsupported` means the caller must report the case
//     // as unsupported (never silently pass).
#pragma once
