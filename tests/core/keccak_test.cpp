// keccak-256 known answers (Keccak team / Ethereum) and streaming == one-shot.
#include <gtest/gtest.h>

#include <string>

#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

namespace sluice {
namespace {

std::string hash_hex(std::string_view s) { return to_hex(keccak256(as_bytes(s))); }

TEST(Keccak256, EmptyString) {
    EXPECT_EQ(hash_hex(""), "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
}

TEST(Keccak256, ShortStrings) {
    EXPECT_EQ(hash_hex("abc"), "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45");
    EXPECT_EQ(hash_hex("The quick brown fox jumps over the lazy dog"),
              "0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15");
    // The ERC-20 Transfer event topic.
    EXPECT_EQ(hash_hex("Transfer(address,address,uint256)"),
              "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
}

TEST(Keccak256, BlockBoundaries) {
    // 135, 136 and 137 bytes straddle the 136-byte rate; a second value checks multi-block absorb.
    EXPECT_EQ(hash_hex(std::string(135, 'a')),
              "0x34367dc248bbd832f4e3e69dfaac2f92638bd0bbd18f2912ba4ef454919cf446");
    EXPECT_EQ(hash_hex(std::string(136, 'a')),
              "0xa6c4d403279fe3e0af03729caada8374b5ca54d8065329a3ebcaeb4b60aa386e");
    EXPECT_EQ(hash_hex(std::string(137, 'a')),
              "0xd869f639c7046b4929fc92a4d988a8b22c55fbadb802c0c66ebcd484f1915f39");
}

TEST(Keccak256, MillionA) {
    EXPECT_EQ(hash_hex(std::string(1000000, 'a')),
              "0xfadae6b49f129bbb812be8407b7b2894f34aecf6dbd1f9b0f0c7e9853098fc96");
}

TEST(Keccak256, StreamingEqualsOneShotForEverySplit) {
    std::string data;
    for (int i = 0; i < 500; ++i) data += static_cast<char>('A' + i % 26);
    const Hash expected = keccak256(as_bytes(data));
    for (std::size_t split = 0; split <= data.size(); split += 7) {
        Keccak256 k;
        k.update(as_bytes(std::string_view(data).substr(0, split)));
        k.update(as_bytes(std::string_view(data).substr(split)));
        EXPECT_EQ(k.finalize(), expected) << "split at " << split;
    }
    Keccak256 bytewise;
    for (char c : data) bytewise.update(as_bytes(std::string_view(&c, 1)));
    EXPECT_EQ(bytewise.finalize(), expected);
}

}  // namespace
}  // namespace sluice
