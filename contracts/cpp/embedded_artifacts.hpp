// The table the build generates from contracts/artifacts/*.json (see cmake/EmbedArtifacts.cmake).
#pragma once

#include <span>
#include <string_view>

namespace sluice::contracts::detail {

struct EmbeddedArtifact {
    std::string_view name;
    std::string_view json;
};

// Sorted by name.
std::span<const EmbeddedArtifact> embedded_artifacts() noexcept;

}  // namespace sluice::contracts::detail
