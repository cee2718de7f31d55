// libFuzzer: hex and address decoding never crash, and whatever decodes re-encodes to the same bytes.
#include <cstdlib>
#include <string_view>

#include "sluice/core/hex.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    for (const auto prefix : {sluice::HexPrefix::required, sluice::HexPrefix::optional}) {
        const auto decoded = sluice::from_hex(text, prefix);
        if (decoded.ok() && sluice::from_hex(sluice::to_hex(*decoded)).value() != *decoded) std::abort();
    }
    const auto addr = sluice::Address::from_hex(text);
    if (addr.ok() && sluice::Address::from_hex(addr->to_checksum_hex()).value() != *addr) std::abort();
    return 0;
}
