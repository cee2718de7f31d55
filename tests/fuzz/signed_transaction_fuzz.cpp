// Fuzzes the raw transaction decoder: any bytes either fail with an error or decode to a transaction whose
// encoding is exactly the input (the decoder is strict: one encoding per transaction) and whose sender and
// hash a second decode agrees on.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "sluice/l1/signed_transaction.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const sluice::ByteView raw(data, size);
    const auto decoded = sluice::l1::decode_transaction(raw);
    if (!decoded.ok()) return 0;
    const auto encoded = sluice::l1::encode_transaction(*decoded);
    if (!encoded.ok() || !std::equal(encoded->begin(), encoded->end(), raw.begin(), raw.end())) std::abort();
    const auto again = sluice::l1::decode_transaction(*encoded);
    if (!again.ok() || again->tx.sender != decoded->tx.sender || again->hash != decoded->hash) std::abort();
    (void)sluice::l1::check_transaction(*decoded, sluice::evm::Revision::prague, sluice::u256{1});
    return 0;
}
