// libFuzzer: decode_state / decode_params never crash on arbitrary bytes, and what they accept is the one
// canonical encoding of the value (encode gives back the input byte for byte), so a state read from an
// event or calldata hashes and re-encodes exactly as the adjudicator sees it.
#include <algorithm>

#include "sluice/channel/encoding.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const sluice::ByteView input(data, size);
    if (const auto state = sluice::channel::decode_state(input); state.ok()) {
        const sluice::Bytes again = sluice::channel::encode(*state);
        if (!std::equal(again.begin(), again.end(), input.begin(), input.end())) __builtin_trap();
        (void)sluice::channel::state_hash(*state);
    }
    if (const auto params = sluice::channel::decode_params(input); params.ok()) {
        const sluice::Bytes again = sluice::channel::encode(*params);
        if (!std::equal(again.begin(), again.end(), input.begin(), input.end())) __builtin_trap();
    }
    return 0;
}
