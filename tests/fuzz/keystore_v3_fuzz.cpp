// libFuzzer: the Web3 Secret Storage v3 parser never crashes on arbitrary text, refuses with keystore_*
// codes only, and bounds the KDF work before any of it is done (import_v3 runs the KDF only after parse_v3).
#include <cstdlib>
#include <string_view>

#include "sluice/sdk/keystore.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace ks = sluice::sdk::keystore;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto file = ks::parse_v3(text);
    if (!file.ok()) {
        const auto code = file.error().code;
        if (code != sluice::Errc::keystore_malformed && code != sluice::Errc::keystore_unsupported)
            std::abort();
    }
    return 0;
}
