// libFuzzer: the frame decoder of an established session never crashes and never allocates past the frame
// limit on arbitrary bytes; and frames the encoder makes from the input always decode back to it, across
// rekeys.
#include <cstdlib>
#include <vector>

#include "sluice/sdk/net/frame_codec.hpp"

namespace {

using namespace sluice;
using namespace sluice::sdk::net;

Secret<32> fixed_key(std::uint8_t seed) {
    Secret<32> key;
    for (std::size_t i = 0; i < 32; ++i)
        key.mutable_data()[i] = static_cast<std::uint8_t>(seed + i);
    return key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const ByteView input(data, size);
    FrameOptions options;
    options.max_frame_size = 4096;  // keeps the fuzzer's allocations small; the limit logic is the same
    options.rekey_interval = 3;

    // 1. Arbitrary bytes as the stream, header included.
    {
        FrameDecoder decoder(fixed_key(1), options);
        std::size_t pos = 0;
        while (decoder.bytes_wanted() != 0 && size - pos >= decoder.bytes_wanted()) {
            const std::size_t n = decoder.bytes_wanted();
            if (n > options.max_frame_size + 1 + kChunkOverhead) std::abort();
            const auto out = decoder.consume(input.subspan(pos, n));
            pos += n;
            if (!out.ok()) {
                if (decoder.bytes_wanted() != 0) std::abort();  // a failed stream stays failed
                break;
            }
        }
        // A short last piece is a truncated chunk.
        if (decoder.bytes_wanted() != 0 && pos < size) {
            const auto cut = decoder.consume(input.subspan(pos));
            if (cut.ok()) std::abort();
        }
    }

    // 2. A real stream carrying the input cut into frames: it decodes to exactly the pieces, in order.
    {
        const Secret<32> key = fixed_key(2);
        FrameEncoder encoder(key, options);
        FrameDecoder decoder(key, options);
        Bytes wire(encoder.stream_header().begin(), encoder.stream_header().end());
        std::vector<Bytes> pieces;
        std::size_t pos = 0;
        while (pos < size) {
            const std::size_t n = std::min<std::size_t>(data[pos] % 64, size - pos);
            pieces.emplace_back(data + pos, data + pos + n);
            const auto frame = encoder.encode(n % 5 == 0 ? FrameKind::ping : FrameKind::data, pieces.back());
            if (!frame.ok()) std::abort();
            wire.insert(wire.end(), frame->begin(), frame->end());
            pos += n == 0 ? 1 : n;
        }
        std::size_t at = 0;
        std::size_t next = 0;
        while (decoder.bytes_wanted() != 0 && wire.size() - at >= decoder.bytes_wanted()) {
            const std::size_t n = decoder.bytes_wanted();
            auto out = decoder.consume(ByteView(wire).subspan(at, n));
            if (!out.ok()) std::abort();
            at += n;
            if (*out) {
                if (next >= pieces.size() || (*out)->payload != pieces[next]) std::abort();
                ++next;
            }
        }
        if (next != pieces.size() || at != wire.size()) std::abort();
    }
    return 0;
}
