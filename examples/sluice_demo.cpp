// sluice-demo: a two-party payment channel, end to end, on the embedded EVM.
//
// Everything printed is computed for real: the adjudicator is the committed solc artifact, executed by
// sluice_evm on the in-process devchain (sluice_l1); states are ABI-encoded, EIP-712-hashed and signed by
// core; the contract's own views check that C++ and Solidity agree. What is not here yet (and is not
// pretended): the networked node, the hub, the devchain's JSON-RPC server — the demo drives both parties in
// one process.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/eip712.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"
#include "sluice/core/secp256k1.hpp"
#include "sluice/l1/devchain.hpp"

namespace sluice::demo {
namespace {

constexpr const char* kParamsType = "(uint256,address,address[],uint64,uint48,address)";
constexpr const char* kStateType =
    "(bytes32,uint64,(address,uint256[],(bytes32,uint256,uint16,uint16,uint64)[])[],bytes,bool)";
constexpr std::int64_t kChainId = 31337;
const u256 kEther = u256::from_dec("1000000000000000000").value();

struct Party {
    const char* name;
    PrivateKey key;
};

std::string eth(const u256& wei) {
    const u256 milli = wei / u256::from_dec("1000000000000000").value();
    const std::string digits = milli.to_dec();
    const std::string padded = std::string(digits.size() < 4 ? 4 - digits.size() : 0, '0') + digits;
    return padded.substr(0, padded.size() - 3) + "." + padded.substr(padded.size() - 3) + " ETH";
}

AbiValue params_value(const Address& adjudicator, const std::vector<Party>& parties) {
    AbiValue::List participants;
    for (const auto& p : parties)
        participants.push_back(AbiValue::address(p.key.address()));
    return AbiValue::list({AbiValue::uint(kChainId), AbiValue::address(adjudicator),
                           AbiValue::list(std::move(participants)), AbiValue::uint(1), AbiValue::uint(3600),
                           AbiValue::address(Address{})});
}

AbiValue state_value(const Hash& channel_id, std::uint64_t version, const std::vector<u256>& balances,
                     bool is_final) {
    AbiValue::List bal;
    for (const auto& b : balances)
        bal.push_back(AbiValue::uint(b));
    const AbiValue eth_alloc =
        AbiValue::list({AbiValue::address(Address{}), AbiValue::list(std::move(bal)), AbiValue::list({})});
    return AbiValue::list({AbiValue::bytes(channel_id), AbiValue::uint(version), AbiValue::list({eth_alloc}),
                           AbiValue::bytes(Bytes{}), AbiValue::boolean(is_final)});
}

// The same State as EIP-712 typed data (eth_signTypedData_v4 shape).
nlohmann::json state_json(const Hash& channel_id, std::uint64_t version, const std::vector<u256>& balances,
                          bool is_final) {
    nlohmann::json bal = nlohmann::json::array();
    for (const auto& b : balances)
        bal.push_back(b.to_dec());
    return {
        {"channelId", to_hex(channel_id)},
        {"version", version},
        {"outcome", {{{"asset", Address{}.to_hex()}, {"balances", bal}, {"locks", nlohmann::json::array()}}}},
        {"appData", "0x"},
        {"isFinal", is_final}};
}

const Eip712Types& state_types() {
    static const Eip712Types types = eip712_types_from_json(nlohmann::json::parse(R"({
        "State": [{"name": "channelId", "type": "bytes32"}, {"name": "version", "type": "uint64"},
                  {"name": "outcome", "type": "Alloc[]"}, {"name": "appData", "type": "bytes"},
                  {"name": "isFinal", "type": "bool"}],
        "Alloc": [{"name": "asset", "type": "address"}, {"name": "balances", "type": "uint256[]"},
                  {"name": "locks", "type": "Lock[]"}],
        "Lock":  [{"name": "hashlock", "type": "bytes32"}, {"name": "amount", "type": "uint256"},
                  {"name": "from", "type": "uint16"}, {"name": "to", "type": "uint16"},
                  {"name": "expiry", "type": "uint64"}]})"))
                                         .value();
    return types;
}

Result<Bytes> call_data(const char* signature, const AbiValue& args) {
    SLUICE_TRY(const auto fn, AbiFunction::parse(signature));
    return fn.encode_call(args);
}

int fail(const char* what, const Error& e) {
    std::fprintf(stderr, "demo failed: %s: %s\n", what, e.describe().c_str());
    return 1;
}

// The demo only sends transactions that must succeed: a revert is a failure of the demo.
Result<l1::TxReceipt> send_ok(l1::Devchain& chain, const Address& from, const Address& to, const u256& value,
                              const Bytes& data) {
    SLUICE_TRY(auto receipt, chain.send(from, to, value, data));
    if (!receipt.status) return make_error(Errc::invalid_argument, "transaction reverted (" + to_hex(receipt.output) + ")");
    return receipt;
}

Result<Bytes> view(const l1::Devchain& chain, const Address& to, const Bytes& data) {
    SLUICE_TRY(auto result, chain.call(Address{}, to, data));
    if (!result.status) return make_error(Errc::invalid_argument, "call reverted");
    return std::move(result.output);
}

int run() {
    std::puts("Sluice demo: a two-party payment channel on the embedded EVM (sluice_evm, Prague rules).\n");
    std::vector<Party> parties;
    parties.push_back(
        {"alice",
         PrivateKey::from_hex("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80").value()});
    parties.push_back(
        {"bob",
         PrivateKey::from_hex("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d").value()});

    // Gas is priced at zero (the devchain's default base fee), so balances show exactly what the channel moved.
    l1::DevchainConfig config;
    for (const auto& p : parties) config.genesis.push_back({p.key.address(), 100 * kEther});
    l1::Devchain chain(config);
    for (const auto& p : parties) {
        std::printf("  %-5s %s  funded with %s\n", p.name, p.key.address().to_checksum_hex().c_str(),
                    eth(chain.balance(p.key.address())).c_str());
    }

    // 1. Deploy the committed adjudicator artifact.
    const auto artifact = nlohmann::json::parse(contracts::artifact_json("Adjudicator"));
    const auto creation = from_hex(artifact.at("bytecode").get<std::string>());
    if (!creation) return fail("artifact bytecode", creation.error());
    const auto deployment = chain.deploy(parties[0].key.address(), *creation);
    if (!deployment) return fail("deploy Adjudicator", deployment.error());
    const Address adjudicator = deployment->address;
    const std::int64_t deploy_gas = deployment->receipt.gas_used;
    std::printf("\n1. Adjudicator deployed at %s (solc %s artifact, %lld gas)\n",
                adjudicator.to_checksum_hex().c_str(),
                artifact.at("compiler").at("version").get<std::string>().c_str(),
                static_cast<long long>(deploy_gas));

    // 2. channelId computed in C++ and by the contract must agree.
    const AbiValue params = params_value(adjudicator, parties);
    const auto params_enc =
        encode_params(AbiType::parse(std::string("(") + kParamsType + ")").value(), AbiValue::list({params}));
    if (!params_enc) return fail("encode params", params_enc.error());
    const Hash channel_id = keccak256(*params_enc);
    const auto id_call =
        call_data("channelId((uint256,address,address[],uint64,uint48,address))", AbiValue::list({params}));
    const auto id_evm = view(chain, adjudicator, id_call.value());
    if (!id_evm) return fail("channelId view", id_evm.error());
    const bool id_match = Bytes(channel_id.begin(), channel_id.end()) == *id_evm;
    std::printf("2. channelId  C++ %s\n               EVM %s  %s\n", to_hex(channel_id).c_str(),
                to_hex(*id_evm).c_str(), id_match ? "(equal)" : "(MISMATCH)");
    if (!id_match) return 1;

    // 3. Both fund the channel with 1 ETH.
    for (const auto& p : parties) {
        const auto data = call_data("deposit(bytes32,address,uint256)",
                                    AbiValue::list({AbiValue::bytes(channel_id), AbiValue::address(Address{}),
                                                    AbiValue::uint(kEther)}));
        const auto r = send_ok(chain, p.key.address(), adjudicator, kEther, data.value());
        if (!r) return fail("deposit", r.error());
        std::printf("3. %-5s deposits %s  (%lld gas)\n", p.name, eth(kEther).c_str(),
                    static_cast<long long>(r->gas_used));
    }

    // 4. Off-chain: 100 payments of 0.001 ETH from alice to bob, each a state signed by both.
    const Eip712Domain domain{"Sluice", "1", kChainId, adjudicator};
    const Hash domain_separator = domain.domain_separator();
    std::vector<u256> balances = {kEther, kEther};
    const u256 payment = kEther / 1000;
    std::vector<Signature> sigs;
    Hash digest;
    const int kPayments = 100;
    for (int i = 1; i <= kPayments + 1; ++i) {
        const bool is_final = i == kPayments + 1;
        if (!is_final) {
            balances[0] -= payment;
            balances[1] += payment;
        }
        const auto struct_hash =
            hash_struct("State", state_types(),
                        state_json(channel_id, static_cast<std::uint64_t>(i), balances, is_final));
        if (!struct_hash) return fail("hash state", struct_hash.error());
        digest = typed_data_digest(domain_separator, *struct_hash);
        sigs.clear();
        for (const auto& p : parties) {
            sigs.push_back(sign(p.key, digest));
            // Each side checks the other's signature before accepting the state.
            if (!verify(p.key.address(), digest, sigs.back())) {
                std::fputs("demo failed: a signature did not verify\n", stderr);
                return 1;
            }
        }
    }
    std::printf(
        "4. %d off-chain payments of %s, then a final state: version %d, alice %s, bob %s,\n"
        "   every state EIP-712-signed by both and each signature verified by recovery\n",
        kPayments, eth(payment).c_str(), kPayments + 1, eth(balances[0]).c_str(), eth(balances[1]).c_str());

    const AbiValue final_state = state_value(channel_id, kPayments + 1, balances, true);
    const auto digest_call =
        call_data((std::string("stateDigest(") + kStateType + ")").c_str(), AbiValue::list({final_state}));
    const auto digest_evm = view(chain, adjudicator, digest_call.value());
    if (!digest_evm) return fail("stateDigest view", digest_evm.error());
    const bool digest_match = Bytes(digest.begin(), digest.end()) == *digest_evm;
    std::printf("   EIP-712 digest C++ %s\n                  EVM %s  %s\n", to_hex(digest).c_str(),
                to_hex(*digest_evm).c_str(), digest_match ? "(equal)" : "(MISMATCH)");
    if (!digest_match) return 1;

    // 5. Cooperative close on-chain, then the payout.
    Bytes sig_bytes;
    for (const auto& s : sigs) {
        const auto b = s.to_bytes();
        sig_bytes.insert(sig_bytes.end(), b.begin(), b.end());
    }
    const auto conclude =
        call_data((std::string("conclude(") + kParamsType + "," + kStateType + ",bytes)").c_str(),
                  AbiValue::list({params, final_state, AbiValue::bytes(sig_bytes)}));
    const auto concluded = send_ok(chain, parties[1].key.address(), adjudicator, 0, conclude.value());
    if (!concluded) return fail("conclude", concluded.error());
    std::printf("5. conclude(final state, 2 signatures)  %lld gas\n",
                static_cast<long long>(concluded->gas_used));
    const auto withdraw =
        call_data((std::string("withdraw(") + kParamsType + "," + kStateType + ",uint48)").c_str(),
                  AbiValue::list({params, final_state, AbiValue::uint(0)}));
    const auto withdrawn = send_ok(chain, parties[1].key.address(), adjudicator, 0, withdraw.value());
    if (!withdrawn) return fail("withdraw", withdrawn.error());
    std::printf("   withdraw(pays both parties)            %lld gas\n",
                static_cast<long long>(withdrawn->gas_used));

    // 6. On-chain balances (gas is priced at zero on the devchain by default, so they are exact).
    const u256 expected[2] = {99 * kEther + balances[0], 99 * kEther + balances[1]};
    bool ok = true;
    std::puts("6. balances after the close:");
    for (std::size_t i = 0; i < parties.size(); ++i) {
        const u256 got = chain.balance(parties[i].key.address());
        ok = ok && got == expected[i];
        std::printf("   %-5s %s  (expected %s)\n", parties[i].name, eth(got).c_str(),
                    eth(expected[i]).c_str());
    }
    std::puts(ok ? "\nThe channel moved exactly what was signed off-chain." : "\nBALANCE MISMATCH");
    return ok ? 0 : 1;
}

}  // namespace
}  // namespace sluice::demo

int main() {
    return sluice::demo::run();
}
