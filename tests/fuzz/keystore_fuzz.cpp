// libFuzzer: our keystore format's parser (everything before the KDF) never crashes on arbitrary text,
// refuses with keystore_* codes only, keeps every KDF parameter within the header's bounds (a hostile file
// cannot make unseal allocate gigabytes), and what parses re-encodes to text that parses to the same file.
#include <cstdlib>
#include <string_view>

#include "sluice/sdk/keystore.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace ks = sluice::sdk::keystore;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto file = ks::parse(text);
    if (!file.ok()) {
        const auto code = file.error().code;
        if (code != sluice::Errc::keystore_malformed && code != sluice::Errc::keystore_unsupported)
            std::abort();
        return 0;
    }
    const auto again = ks::parse(ks::encode(*file));
    if (!again.ok() || !(*again == *file)) std::abort();
    return 0;
}
