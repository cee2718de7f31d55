// libFuzzer: invoice decoding never crashes on arbitrary text, and decoding is canonical: whatever decodes
// re-encodes to exactly the input (in lower case) and decodes again to the same invoice.
#include <cstdlib>
#include <string>
#include <string_view>

#include "sluice/sdk/invoice.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto invoice = sluice::sdk::decode_invoice(text);
    if (!invoice.ok()) {
        const auto code = invoice.error().code;
        if (code != sluice::Errc::invoice_malformed && code != sluice::Errc::invoice_bad_checksum)
            std::abort();
        return 0;
    }
    const auto encoded = sluice::sdk::encode_invoice(*invoice);
    if (!encoded.ok()) std::abort();
    std::string lower(text);
    for (char& c : lower) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    if (*encoded != lower) std::abort();
    const auto again = sluice::sdk::decode_invoice(*encoded);
    if (!again.ok() || !(*again == *invoice)) std::abort();
    return 0;
}
