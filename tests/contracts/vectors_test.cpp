// contracts/vectors/channel_vectors.json, the known-answer vectors the hardhat tests computed with ethers and
// checked against the Adjudicator's views: the file is complete, and its channel ids and digests follow from
// its encodings by the definitions (channelId = keccak256(abi.encode(params)); EIP-712 digest composition).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice {
namespace {

using Json = nlohmann::json;

Json load_vectors() {
    const std::filesystem::path path = std::filesystem::path{SLUICE_CONTRACTS_DIR} / "vectors" / "channel_vectors.json";
    std::ifstream in(path);
    EXPECT_TRUE(in.good()) << "missing " << path;
    return Json::parse(std::string{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()});
}

Bytes hex_bytes(const Json& value) {
    auto bytes = from_hex(value.get<std::string>());
    EXPECT_TRUE(bytes.ok()) << value;
    return bytes.ok() ? *bytes : Bytes{};
}

TEST(ChannelVectors, CoverTwoToSixteenPartiesWithLocksAndSeveralAssets) {
    const Json file = load_vectors();
    const Json& vectors = file.at("vectors");
    ASSERT_GE(vectors.size(), 20U);
    std::size_t min_parties = 99, max_parties = 0, locks = 0, multi_asset = 0;
    for (const Json& v : vectors) {
        const std::size_t parties = v.at("params").at("participants").size();
        min_parties = std::min(min_parties, parties);
        max_parties = std::max(max_parties, parties);
        const Json& outcome = v.at("state").at("outcome");
        if (outcome.size() > 1) ++multi_asset;
        for (const Json& alloc : outcome) {
            EXPECT_EQ(alloc.at("balances").size(), parties);
            locks += alloc.at("locks").size();
        }
    }
    EXPECT_EQ(min_parties, 2U);
    EXPECT_EQ(max_parties, 16U);
    EXPECT_GT(locks, 0U);
    EXPECT_GT(multi_asset, 0U);
}

TEST(ChannelVectors, ChannelIdIsKeccakOfTheParamsEncoding) {
    const Json file = load_vectors();
    for (const Json& v : file.at("vectors")) {
        const Bytes encoding = hex_bytes(v.at("params_encoding"));
        EXPECT_EQ(to_hex(keccak256(encoding).view()), v.at("channel_id").get<std::string>());
        EXPECT_EQ(v.at("state").at("channel_id"), v.at("channel_id"));
        // abi.encode of a dynamic tuple: offset 0x20, six head words, participant count, participants.
        EXPECT_EQ(encoding.size(), 32U * (8U + v.at("params").at("participants").size()));
    }
}

TEST(ChannelVectors, DigestIsEip712OfDomainAndStateHash) {
    const Json file = load_vectors();
    const Bytes domain = hex_bytes(file.at("domain_separator"));
    ASSERT_EQ(domain.size(), 32U);
    for (const Json& v : file.at("vectors")) {
        Bytes preimage{0x19, 0x01};
        preimage.insert(preimage.end(), domain.begin(), domain.end());
        const Bytes state_hash = hex_bytes(v.at("state_hash"));
        ASSERT_EQ(state_hash.size(), 32U);
        preimage.insert(preimage.end(), state_hash.begin(), state_hash.end());
        EXPECT_EQ(to_hex(keccak256(preimage).view()), v.at("digest").get<std::string>());
    }
}

}  // namespace
}  // namespace sluice
