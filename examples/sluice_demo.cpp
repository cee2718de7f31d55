// sluice-demo: the most complete capability Sluice has today, run for real and explained as it goes.
// Today that is the core primitives; it grows into the devchain channel demo as the layers land.
#include <cstdio>
#include <string>

#include "sluice/core/hex.hpp"
#include "sluice/core/keccak.hpp"

int main() {
    using namespace sluice;
    std::puts("Sluice demo — what exists today: the core primitives (no channels, no chain yet).");
    std::puts("");

    const std::string sig = "Transfer(address,address,uint256)";
    std::printf("keccak-256(\"%s\")\n  = %s  (the ERC-20 Transfer event topic)\n", sig.c_str(),
                to_hex(keccak256(as_bytes(sig))).c_str());

    const auto addr = Address::from_hex("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    if (!addr) {
        std::fprintf(stderr, "error: %s\n", addr.error().describe().c_str());
        return 1;
    }
    std::printf("EIP-55 checksum of the first hardhat dev account:\n  %s\n", addr->to_checksum_hex().c_str());

    const auto bad = Address::from_hex("0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266");
    std::printf("A mistyped checksum is refused:\n  %s\n", bad ? "accepted (BUG)" : bad.error().describe().c_str());
    return bad ? 1 : 0;
}
