// The eth_signTypedData_v4 form of a state (typed_data.hpp).
#include "sluice/channel/typed_data.hpp"

#include <nlohmann/json.hpp>

#include "sluice/core/hex.hpp"

namespace sluice::channel {
namespace {

using Json = nlohmann::json;

Json fields(std::initializer_list<std::pair<const char*, const char*>> list) {
    Json out = Json::array();
    for (const auto& [name, type] : list)
        out.push_back({{"name", name}, {"type", type}});
    return out;
}

// Field names and types exactly as the adjudicator's type string (contracts/README.md).
const Json& types() {
    static const Json t = {
        {"EIP712Domain", fields({{"name", "string"},
                                 {"version", "string"},
                                 {"chainId", "uint256"},
                                 {"verifyingContract", "address"}})},
        {"State", fields({{"channelId", "bytes32"},
                          {"version", "uint64"},
                          {"outcome", "Alloc[]"},
                          {"appData", "bytes"},
                          {"isFinal", "bool"}})},
        {"Alloc", fields({{"asset", "address"}, {"balances", "uint256[]"}, {"locks", "Lock[]"}})},
        {"Lock", fields({{"hashlock", "bytes32"},
                         {"amount", "uint256"},
                         {"from", "uint16"},
                         {"to", "uint16"},
                         {"expiry", "uint64"}})},
    };
    return t;
}

Json message(const State& s) {
    Json outcome = Json::array();
    for (const Alloc& a : s.outcome) {
        Json balances = Json::array();
        for (const u256& b : a.balances)
            balances.push_back(b.to_dec());
        Json locks = Json::array();
        for (const Lock& l : a.locks) {
            locks.push_back({{"hashlock", to_hex(l.hashlock.view())},
                             {"amount", l.amount.to_dec()},
                             {"from", l.from},
                             {"to", l.to},
                             {"expiry", std::to_string(l.expiry)}});
        }
        outcome.push_back({{"asset", a.asset.to_checksum_hex()}, {"balances", balances}, {"locks", locks}});
    }
    return {{"channelId", to_hex(s.channel_id.view())},
            {"version", std::to_string(s.version)},
            {"outcome", outcome},
            {"appData", to_hex(s.app_data)},
            {"isFinal", s.is_final}};
}

}  // namespace

Json typed_data(const Params& params, const State& state) {
    return {{"types", types()},
            {"primaryType", "State"},
            {"domain",
             {{"name", "Sluice"},
              {"version", "1"},
              {"chainId", params.chain_id.to_dec()},
              {"verifyingContract", params.adjudicator.to_checksum_hex()}}},
            {"message", message(state)}};
}

}  // namespace sluice::channel
