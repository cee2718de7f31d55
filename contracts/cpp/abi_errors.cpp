#include "sluice/contracts/abi_errors.hpp"

#include <nlohmann/json.hpp>

#include "sluice/contracts/artifacts.hpp"

namespace sluice::contracts {
namespace {

// An ABI parameter's canonical type: tuples spelled out, array suffixes kept ("tuple[]" -> "(...)[]").
std::string canonical_type(const nlohmann::json& param) {
    const std::string type = param.value("type", "");
    if (type.rfind("tuple", 0) != 0) return type;
    std::string out = "(";
    const auto& components = param.contains("components") ? param["components"] : nlohmann::json::array();
    for (std::size_t i = 0; i < components.size(); ++i) {
        if (i) out += ',';
        out += canonical_type(components[i]);
    }
    return out + ")" + type.substr(5);
}

}  // namespace

std::vector<std::string> error_signatures(std::string_view contract) {
    std::vector<std::string> out;
    const std::string_view text = artifact_json(contract);
    if (text.empty()) return out;
    const nlohmann::json artifact = nlohmann::json::parse(text, nullptr, false);
    if (artifact.is_discarded() || !artifact.contains("abi")) return out;
    for (const auto& entry : artifact["abi"]) {
        if (entry.value("type", "") != "error") continue;
        std::string signature = entry.value("name", "") + "(";
        const auto& inputs = entry.contains("inputs") ? entry["inputs"] : nlohmann::json::array();
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            if (i) signature += ',';
            signature += canonical_type(inputs[i]);
        }
        out.push_back(signature + ")");
    }
    return out;
}

}  // namespace sluice::contracts
