// The embedded contract artifacts: every contract is there with ABI and bytecode, built by the pinned solc,
// and built from the Solidity sources as they are now (a stale artifact fails here).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sluice/contracts/artifacts.hpp"
#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice::contracts {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const fs::path kContractsDir{SLUICE_CONTRACTS_DIR};
const std::vector<std::string_view> kExpected{"Adjudicator", "LoanApp", "TestToken"};

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in.good()) << "cannot read " << path;
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// sourceHash as contracts/build defines it: keccak256 over keccak256(name) || keccak256(content) of each file,
// files sorted by name bytewise.
std::string source_hash(std::vector<std::pair<std::string, std::string>> files) {
    std::sort(files.begin(), files.end());
    Keccak256 hasher;
    for (const auto& [name, content] : files) {
        hasher.update(keccak256(as_bytes(name)).view());
        hasher.update(keccak256(as_bytes(content)).view());
    }
    return to_hex(hasher.finalize().view());
}

std::vector<std::pair<std::string, std::string>> current_sources() {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& entry : fs::directory_iterator(kContractsDir / "src")) {
        if (entry.path().extension() == ".sol") {
            files.emplace_back(entry.path().filename().string(), read_file(entry.path()));
        }
    }
    return files;
}

Json parsed(std::string_view name) {
    const std::string_view text = artifact_json(name);
    EXPECT_FALSE(text.empty()) << name;
    return Json::parse(text.begin(), text.end());
}

TEST(ContractArtifacts, SourceHashMatchesReferenceImplementation) {
    // Expected value computed by ethers v6 (keccak256/concat) over the same two files, listed out of order.
    EXPECT_EQ(source_hash({{"B.sol", ""}, {"A.sol", "contract A {}\n"}}),
              "0x54e8f478616f23fff5d383c874ab3e04aeffa2320df41fbb53a798f4391690b3");
}

TEST(ContractArtifacts, EveryContractIsEmbeddedAndMatchesItsFile) {
    EXPECT_EQ(artifact_names(), kExpected);
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(kContractsDir / "artifacts")) {
        if (entry.path().extension() != ".json") continue;
        ++files;
        const std::string name = entry.path().stem().string();
        EXPECT_EQ(artifact_json(name), read_file(entry.path())) << name << " embedded copy differs from its file";
    }
    EXPECT_EQ(files, kExpected.size());
}

TEST(ContractArtifacts, ArtifactsAreBuiltFromTheCurrentSources) {
    const auto files = current_sources();
    ASSERT_FALSE(files.empty());
    const std::string expected = source_hash(files);
    for (const auto name : kExpected) {
        const Json artifact = parsed(name);
        EXPECT_EQ(artifact.at("sourceHash").get<std::string>(), expected)
            << name << " is stale: run `cd contracts && npm ci && ./build` and commit the artifacts";
        EXPECT_EQ(artifact.at("sourceFiles").size(), files.size()) << name;
    }
}

TEST(ContractArtifacts, EachHasAbiAndBytecodeFromThePinnedCompiler) {
    const Json package = Json::parse(read_file(kContractsDir / "package.json"));
    const std::string solc = package.at("devDependencies").at("solc").get<std::string>();
    for (const auto name : kExpected) {
        const Json artifact = parsed(name);
        EXPECT_EQ(artifact.at("contractName"), name);
        EXPECT_TRUE(artifact.at("abi").is_array());
        EXPECT_FALSE(artifact.at("abi").empty()) << name;
        for (const char* field : {"bytecode", "deployedBytecode"}) {
            const auto code = from_hex(artifact.at(field).get<std::string>());
            ASSERT_TRUE(code.ok()) << name << "." << field << ": " << code.error().describe();
            EXPECT_GT(code->size(), 100U) << name << "." << field;
            // EIP-170: deployable runtime code is at most 24,576 bytes.
            EXPECT_LE(code->size(), 2U * 24'576U) << name << "." << field;
        }
        EXPECT_LE(from_hex(artifact.at("deployedBytecode").get<std::string>())->size(), 24'576U) << name;
        EXPECT_EQ(artifact.at("compiler").at("version").get<std::string>().rfind(solc + "+", 0), 0U)
            << name << " was not built by solc " << solc;
        EXPECT_EQ(artifact.at("settings").at("evmVersion"), "cancun");
        EXPECT_TRUE(artifact.at("settings").at("optimizer").at("enabled").get<bool>());
    }
}

TEST(ContractArtifacts, AdjudicatorAbiHasTheProtocol) {
    const Json abi = parsed("Adjudicator").at("abi");
    auto has = [&](std::string_view type, std::string_view item) {
        return std::any_of(abi.begin(), abi.end(),
                           [&](const Json& e) { return e.at("type") == type && e.value("name", "") == item; });
    };
    for (const char* fn : {"deposit", "conclude", "concludeBatch", "register", "progress", "revealPreimage",
                           "withdraw", "claim", "channelId", "hashState", "stateDigest", "domainSeparator",
                           "fingerprint", "statusOf", "holdings"}) {
        EXPECT_TRUE(has("function", fn)) << fn;
    }
    for (const char* ev : {"Deposited", "Registered", "Progressed", "Concluded", "PreimageRevealed", "Withdrawn"}) {
        EXPECT_TRUE(has("event", ev)) << ev;
    }
    const Json loan = parsed("LoanApp").at("abi");
    EXPECT_TRUE(std::any_of(loan.begin(), loan.end(),
                            [](const Json& e) { return e.value("name", "") == "validTransition"; }));
}

TEST(ContractArtifacts, UnknownNamesAreEmpty) {
    EXPECT_TRUE(artifact_json("").empty());
    EXPECT_TRUE(artifact_json("Nope").empty());
    EXPECT_TRUE(artifact_json("adjudicator").empty());
    EXPECT_TRUE(artifact_json("Adjudicator.json").empty());
}

}  // namespace
}  // namespace sluice::contracts
