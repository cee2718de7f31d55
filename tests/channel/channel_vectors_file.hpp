// Reads contracts/vectors/channel_vectors.json (SLUICE_CONTRACTS_DIR is set by tests/channel/CMakeLists.txt);
// a missing file is a test failure, never a skip.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

namespace sluice::channel::test {

inline nlohmann::json load_vectors() {
    const auto path = std::filesystem::path{SLUICE_CONTRACTS_DIR} / "vectors" / "channel_vectors.json";
    std::ifstream in(path);
    if (!in.good()) ADD_FAILURE() << "missing " << path;
    return nlohmann::json::parse(
        std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()}, nullptr, false);
}

}  // namespace sluice::channel::test
