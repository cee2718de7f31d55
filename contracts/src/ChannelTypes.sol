// SPDX-License-Identifier: MIT
// The channel protocol types of DESIGN.md §3, shared by the adjudicator and the apps.
pragma solidity 0.8.28;

struct Params {
    uint256 chainId;
    address adjudicator;
    address[] participants;
    uint64 nonce;
    uint48 challengeDuration;
    address app;
}

// hashlock = keccak256(abi.encodePacked(bytes32 preimage)); expiry is a unix timestamp in seconds.
struct Lock {
    bytes32 hashlock;
    uint256 amount;
    uint16 from;
    uint16 to;
    uint64 expiry;
}

// asset 0x0 = ETH, otherwise an ERC-20 token; balances[i] belongs to participant i.
struct Alloc {
    address asset;
    uint256[] balances;
    Lock[] locks;
}

struct State {
    bytes32 channelId;
    uint64 version;
    Alloc[] outcome;
    bytes appData;
    bool isFinal;
}
