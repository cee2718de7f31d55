// Benchmarks of ABI encoding/decoding of the channel State (DESIGN.md §3) and of EIP-712 hashing.
// Baseline: keccak-256 of the same encoded bytes, which every signed state pays anyway. All three
// report bytes/s of the same encoding, so their ratio reads off the bytes_per_second column directly.
#include <benchmark/benchmark.h>


#include <nlohmann/json.hpp>

#include "sluice/core/abi.hpp"
#include "sluice/core/eip712.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice {
namespace {

const AbiType& state_type() {
    static const AbiType t =
        AbiType::parse("(bytes32,uint64,(address,uint256[],(bytes32,uint256,uint16,uint16,uint64)[])[],bytes,bool)")
            .value();
    return t;
}

// A state with `locks` pending hashlocks in one ETH allocation between two participants.
AbiValue make_state(std::size_t locks) {
    AbiValue::List lock_list;
    for (std::size_t i = 0; i < locks; ++i) {
        Hash h;
        h[0] = static_cast<std::uint8_t>(i);
        lock_list.push_back(AbiValue::list({AbiValue::bytes(h), AbiValue::uint(u256(1000 + i)), AbiValue::uint(u256(0)),
                                            AbiValue::uint(u256(1)), AbiValue::uint(u256(1700000000))}));
    }
    const AbiValue alloc = AbiValue::list({AbiValue::address(Address{}),
                                           AbiValue::list({AbiValue::uint(u256(5000)), AbiValue::uint(u256(7000))}),
                                           AbiValue::list(std::move(lock_list))});
    return AbiValue::list({AbiValue::bytes(Hash{}), AbiValue::uint(u256(42)), AbiValue::list({alloc}),
                           AbiValue::bytes(Bytes(64, 0xab)), AbiValue::boolean(false)});
}

void state_encode(benchmark::State& st) {
    const AbiValue v = make_state(static_cast<std::size_t>(st.range(0)));
    const std::int64_t size = static_cast<std::int64_t>(encode(state_type(), v).value().size());
    for (auto _ : st) {
        auto enc = encode(state_type(), v);
        benchmark::DoNotOptimize(enc);
    }
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations()) * size);
}
BENCHMARK(state_encode)->Name("abi/encode_state")->Arg(0)->Arg(16);

void state_decode(benchmark::State& st) {
    const Bytes enc = encode(state_type(), make_state(static_cast<std::size_t>(st.range(0)))).value();
    for (auto _ : st) {
        auto v = decode(state_type(), enc);
        benchmark::DoNotOptimize(v);
    }
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * enc.size()));
}
BENCHMARK(state_decode)->Name("abi/decode_state")->Arg(0)->Arg(16);

void state_keccak(benchmark::State& st) {
    const Bytes enc = encode(state_type(), make_state(static_cast<std::size_t>(st.range(0)))).value();
    for (auto _ : st) {
        Hash h = keccak256(enc);
        benchmark::DoNotOptimize(h);
    }
    st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * enc.size()));
}
BENCHMARK(state_keccak)->Name("baseline/keccak_state")->Arg(0)->Arg(16);

void eip712_mail(benchmark::State& st) {
    const nlohmann::json types_json = nlohmann::json::parse(R"({
      "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
      "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}]})");
    const Eip712Types types = eip712_types_from_json(types_json).value();
    const nlohmann::json mail = nlohmann::json::parse(R"({
      "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
      "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"}, "contents": "Hello, Bob!"})");
    for (auto _ : st) {
        auto h = hash_struct("Mail", types, mail);
        benchmark::DoNotOptimize(h);
    }
}
BENCHMARK(eip712_mail)->Name("eip712/hash_struct_mail_json");

}  // namespace
}  // namespace sluice

BENCHMARK_MAIN();
