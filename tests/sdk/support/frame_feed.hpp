// Test helper: feeds a byte stream into a FrameDecoder piece by piece, as the connection does.
#pragma once

#include <vector>

#include "sluice/sdk/net/frame_codec.hpp"

namespace sluice::sdk::net::testing {

// Every frame the bytes complete, or the first error. Bytes left over (less than bytes_wanted()) are ignored.
inline Result<std::vector<Frame>> feed_all(FrameDecoder& decoder, ByteView bytes) {
    std::vector<Frame> frames;
    std::size_t pos = 0;
    while (decoder.bytes_wanted() != 0 && bytes.size() - pos >= decoder.bytes_wanted()) {
        const std::size_t n = decoder.bytes_wanted();
        auto out = decoder.consume(bytes.subspan(pos, n));
        if (!out.ok()) return std::move(out).error();
        pos += n;
        if (*out) frames.push_back(std::move(**out));
    }
    return frames;
}

inline Bytes concat(std::initializer_list<ByteView> parts) {
    Bytes out;
    for (const ByteView p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

}  // namespace sluice::sdk::net::testing
