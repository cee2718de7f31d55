// AdjudicatorHarness: deployment of the committed artifacts on a Devchain and the calls scenarios share.
#include "adjudicator_harness.hpp"

#include <nlohmann/json.hpp>
#include <string>

#include "sluice/channel/encoding.hpp"
#include "sluice/channel/signing.hpp"
#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/abi.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::contracts {
namespace {

namespace adj = channel::adjudicator;

Result<Bytes> creation_code(const char* name) {
    const auto json = nlohmann::json::parse(artifact_json(name));
    return from_hex(json.at("bytecode").get<std::string>());
}

Result<Address> deploy(l1::Devchain& chain, const Address& from, const char* name, ByteView args = {}) {
    SLUICE_TRY(const Bytes code, creation_code(name));
    SLUICE_TRY(const auto deployed, chain.deploy(from, code, args));
    return deployed.address;
}

Result<Bytes> call_ok(const l1::Devchain& chain, const Address& to, ByteView calldata) {
    SLUICE_TRY(auto result, chain.call(Address{}, to, calldata));
    if (!result.status) {
        return make_error(Errc::invalid_argument, "call reverted: " + adj::decode_revert(result.output).describe());
    }
    return std::move(result.output);
}

Status send_ok(l1::Devchain& chain, const Address& from, const Address& to, ByteView calldata) {
    SLUICE_TRY(const auto receipt, chain.send(from, to, u256{}, calldata));
    if (!receipt.status) return make_error(Errc::invalid_argument, "transaction reverted: " + to_hex(receipt.output));
    return {};
}

Bytes token_call(const char* signature, AbiValue::List args) {
    return AbiFunction::parse(signature).value().encode_call(AbiValue::list(std::move(args))).value();
}

}  // namespace

Address hardhat_deployer() { return Address::from_hex("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266").value(); }

PrivateKey hardhat_wallet(std::string_view tag, std::size_t index) {
    const std::string seed = "sluice-" + std::string(tag) + "-" + std::to_string(index);
    return PrivateKey::from_bytes(keccak256(as_bytes(seed))).value();
}

std::vector<PrivateKey> hardhat_wallets(std::string_view tag, std::size_t count) {
    std::vector<PrivateKey> out;
    for (std::size_t i = 0; i < count; ++i) out.push_back(hardhat_wallet(tag, i));
    return out;
}

Result<AdjudicatorHarness> AdjudicatorHarness::create(const HarnessOptions& options) {
    l1::DevchainConfig config;
    config.revision = options.revision;
    config.genesis_timestamp = options.genesis_timestamp;
    const Address deployer = hardhat_deployer();
    config.genesis.push_back({deployer, 1'000'000 * kEther});
    for (const auto& account : options.funded) config.genesis.push_back({account, options.funding});

    AdjudicatorHarness harness(l1::Devchain(std::move(config)), deployer);
    SLUICE_TRY(harness.adjudicator_, deploy(harness.chain_, deployer, "Adjudicator"));
    const auto token_args = encode_params(AbiType::parse("(string,string)").value(),
                                          AbiValue::list({AbiValue::string("Test"), AbiValue::string("TST")}));
    SLUICE_TRY(harness.token_, deploy(harness.chain_, deployer, "TestToken", token_args.value()));
    SLUICE_TRY(harness.loan_app_, deploy(harness.chain_, deployer, "LoanApp"));
    return harness;
}

channel::Params AdjudicatorHarness::params(std::span<const PrivateKey> members, std::uint64_t nonce,
                                           std::uint64_t challenge_duration, const Address& app) const {
    channel::Params p;
    p.chain_id = chain_.chain_id();
    p.adjudicator = adjudicator_;
    for (const auto& key : members) p.participants.push_back(key.address());
    p.nonce = nonce;
    p.challenge_duration = challenge_duration;
    p.app = app;
    return p;
}

Bytes AdjudicatorHarness::sign_all(std::span<const PrivateKey> members, const channel::Params& params,
                                   const channel::State& state) {
    std::vector<Signature> sigs;
    for (const auto& key : members) sigs.push_back(channel::sign_state(key, params, state));
    return channel::pack_signatures(sigs);
}

Result<l1::TxReceipt> AdjudicatorHarness::send(const Address& from, ByteView calldata, const u256& value,
                                               std::uint64_t gas_limit) {
    return chain_.send(from, adjudicator_, value, calldata, gas_limit);
}

Result<Bytes> AdjudicatorHarness::view(ByteView calldata) const { return call_ok(chain_, adjudicator_, calldata); }

Result<Bytes32> AdjudicatorHarness::status_of(const Hash& channel_id) const {
    SLUICE_TRY(const Bytes out, view(adj::status_of_call(channel_id)));
    return adj::decode_bytes32_return(out);
}

Result<u256> AdjudicatorHarness::holdings(const Hash& channel_id, const Address& asset) const {
    SLUICE_TRY(const Bytes out, view(adj::holdings_call(channel_id, asset)));
    return adj::decode_uint256_return(out);
}

Status AdjudicatorHarness::mint_and_approve(const Address& holder, const u256& amount) {
    SLUICE_CHECK_OK(send_ok(chain_, holder, token_,
                            token_call("mint(address,uint256)", {AbiValue::address(holder), AbiValue::uint(amount)})));
    return send_ok(chain_, holder, token_,
                   token_call("approve(address,uint256)", {AbiValue::address(adjudicator_), AbiValue::uint(amount)}));
}

Result<u256> AdjudicatorHarness::token_balance(const Address& owner) const {
    SLUICE_TRY(const Bytes out, call_ok(chain_, token_, token_call("balanceOf(address)", {AbiValue::address(owner)})));
    return adj::decode_uint256_return(out);
}

Result<std::vector<adj::Event>> adjudicator_events(const l1::TxReceipt& receipt, const Address& adjudicator) {
    std::vector<adj::Event> events;
    for (const auto& log : receipt.logs) {
        if (log.address != adjudicator) continue;
        SLUICE_TRY(auto event, adj::decode_event(log.topics, log.data));
        if (event) events.push_back(std::move(*event));
    }
    return events;
}

}  // namespace sluice::contracts
