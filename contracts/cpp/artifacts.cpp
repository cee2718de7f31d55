// Lookup over the artifact table generated at build time.
#include "sluice/contracts/artifacts.hpp"

#include "embedded_artifacts.hpp"

namespace sluice::contracts {

std::string_view artifact_json(std::string_view name) noexcept {
    for (const auto& artifact : detail::embedded_artifacts()) {
        if (artifact.name == name) return artifact.json;
    }
    return {};
}

std::vector<std::string_view> artifact_names() {
    std::vector<std::string_view> names;
    for (const auto& artifact : detail::embedded_artifacts()) names.push_back(artifact.name);
    return names;
}

}  // namespace sluice::contracts
