// libFuzzer: arbitrary bytes as the peer's handshake messages, in both roles, never crash and always end in a
// typed error (never an established session); and a real exchange with fuzz-chosen bytes flipped in act 2 or
// act 3 never establishes with a wrong identity.
#include <cstdlib>
#include <string>

#include "sluice/sdk/net/handshake.hpp"

namespace {

using namespace sluice;
using namespace sluice::sdk::net;

const PrivateKey& key(std::uint8_t which) {
    static const PrivateKey a = *PrivateKey::from_hex("0x" + std::string(63, '0') + "1");
    static const PrivateKey b = *PrivateKey::from_hex("0x" + std::string(63, '0') + "2");
    return which == 0 ? a : b;
}

bool expected_error(const Error& e) {
    return e.code == Errc::net_handshake_failed || e.code == Errc::net_wrong_identity;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView input(data, size);

    // Responder: the input is act 1, then act 3.
    {
        Handshake r = Handshake::responder(key(1));
        (void)r.start();
        const std::size_t first = std::min(size, kAct1Size);
        const auto act2 = r.receive(input.first(first));
        if (act2.ok()) {
            const auto done = r.receive(input.subspan(first));
            // Establishing needs a signature by a key over a transcript with our fresh ephemeral key in it.
            if (done.ok()) std::abort();
            if (!expected_error(done.error())) std::abort();
        } else if (!expected_error(act2.error())) {
            std::abort();
        }
    }

    // Initiator: the input is act 2.
    {
        Handshake i = Handshake::initiator(key(0), key(1).address());
        (void)i.start();
        const auto act3 = i.receive(input);
        if (act3.ok() || !expected_error(act3.error())) std::abort();
    }

    // A real exchange with input bytes XORed into act 2 (first byte even) or act 3 (odd).
    if (size >= 1) {
        Handshake i = Handshake::initiator(key(0), key(1).address());
        Handshake r = Handshake::responder(key(1));
        const auto act2 = r.receive(i.start());
        if (!act2.ok()) std::abort();
        Bytes act2_bytes = *act2;
        const bool into_act2 = data[0] % 2 == 0;
        bool changed = false;
        auto mix = [&](Bytes& message) {
            for (std::size_t k = 1; k < size && k - 1 < message.size(); ++k) {
                message[k - 1] ^= data[k];
                changed = changed || data[k] != 0;
            }
        };
        if (into_act2) mix(act2_bytes);
        const auto act3 = i.receive(act2_bytes);
        if (!act3.ok()) {
            if (!changed || !expected_error(act3.error())) std::abort();
            return 0;
        }
        if (into_act2 && changed) std::abort();  // any change to act 2 must be caught
        Bytes act3_bytes = *act3;
        if (!into_act2) mix(act3_bytes);
        const auto done = r.receive(act3_bytes);
        if (done.ok() == changed) std::abort();
        if (done.ok()) {
            auto si = i.take_session();
            auto sr = r.take_session();
            if (!si.ok() || !sr.ok() || si->peer != key(1).address() || sr->peer != key(0).address())
                std::abort();
            if (si->transcript != sr->transcript) std::abort();
        }
    }
    return 0;
}
