// Bech32m encoding and strict decoding (bech32m.hpp), after BIP-173 and BIP-350.
#include "sluice/sdk/bech32m.hpp"

#include <array>

namespace sluice::sdk::bech32m {

namespace {

constexpr std::string_view kAlphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
constexpr std::uint32_t kBech32mConstant = 0x2bc830a3;  // BIP-350
constexpr std::size_t kChecksumLength = 6;

constexpr std::array<std::int8_t, 128> make_reverse() {
    std::array<std::int8_t, 128> table{};
    for (auto& v : table)
        v = -1;
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
        table[static_cast<std::size_t>(kAlphabet[i])] = static_cast<std::int8_t>(i);
    }
    return table;
}
constexpr std::array<std::int8_t, 128> kReverse = make_reverse();

std::uint32_t polymod(const Data5& values) {
    constexpr std::array<std::uint32_t, 5> kGenerator{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd,
                                                      0x2a1462b3};
    std::uint32_t chk = 1;
    for (const std::uint8_t v : values) {
        const std::uint32_t top = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v;
        for (std::size_t i = 0; i < 5; ++i) {
            if ((top >> i) & 1) chk ^= kGenerator[i];
        }
    }
    return chk;
}

Data5 expand_hrp(std::string_view hrp) {
    Data5 out;
    out.reserve(hrp.size() * 2 + 1);
    for (const char c : hrp)
        out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) >> 5));
    out.push_back(0);
    for (const char c : hrp)
        out.push_back(static_cast<std::uint8_t>(static_cast<unsigned char>(c) & 31));
    return out;
}

Error malformed(std::string message) {
    return make_error(Errc::invoice_malformed, std::move(message));
}

}  // namespace

Result<std::string> encode(std::string_view hrp, const Data5& data) {
    if (hrp.empty()) return make_error(Errc::invalid_argument, "bech32m: empty human-readable part");
    for (const char c : hrp) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 33 || u > 126 || (c >= 'A' && c <= 'Z')) {
            return make_error(Errc::invalid_argument,
                              "bech32m: human-readable part must be lower-case ASCII 33..126");
        }
    }
    for (const std::uint8_t v : data) {
        if (v > 31) return make_error(Errc::invalid_argument, "bech32m: data value above 31");
    }
    Data5 values = expand_hrp(hrp);
    values.insert(values.end(), data.begin(), data.end());
    values.insert(values.end(), kChecksumLength, 0);
    const std::uint32_t mod = polymod(values) ^ kBech32mConstant;
    std::string out(hrp);
    out.reserve(hrp.size() + 1 + data.size() + kChecksumLength);
    out.push_back('1');
    for (const std::uint8_t v : data)
        out.push_back(kAlphabet[v]);
    for (std::size_t i = 0; i < kChecksumLength; ++i)
        out.push_back(kAlphabet[(mod >> (5 * (5 - i))) & 31]);
    return out;
}

Result<Decoded> decode(std::string_view text, std::size_t max_length) {
    if (text.size() > max_length) {
        return malformed("bech32m: " + std::to_string(text.size()) + " characters, above the limit of " +
                         std::to_string(max_length));
    }
    bool lower = false;
    bool upper = false;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 33 || u > 126) return malformed("bech32m: character outside ASCII 33..126");
        lower = lower || (c >= 'a' && c <= 'z');
        upper = upper || (c >= 'A' && c <= 'Z');
    }
    if (lower && upper) return malformed("bech32m: mixed case");
    const std::size_t separator = text.rfind('1');
    if (separator == std::string_view::npos) return malformed("bech32m: no separator '1'");
    if (separator == 0) return malformed("bech32m: empty human-readable part");
    if (text.size() - separator - 1 < kChecksumLength)
        return malformed("bech32m: checksum shorter than 6 characters");

    Decoded out;
    out.hrp.reserve(separator);
    for (std::size_t i = 0; i < separator; ++i) {
        const char c = text[i];
        out.hrp.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
    }
    Data5 values;
    values.reserve(text.size() - separator - 1);
    for (std::size_t i = separator + 1; i < text.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        const std::int8_t v = kReverse[static_cast<unsigned char>(c)];
        if (v < 0)
            return malformed("bech32m: character '" + std::string(1, text[i]) + "' outside the alphabet at " +
                             std::to_string(i));
        values.push_back(static_cast<std::uint8_t>(v));
    }
    Data5 checked = expand_hrp(out.hrp);
    checked.insert(checked.end(), values.begin(), values.end());
    if (polymod(checked) != kBech32mConstant) {
        return make_error(Errc::invoice_bad_checksum, "bech32m: checksum does not match (a typo?)");
    }
    values.resize(values.size() - kChecksumLength);
    out.data = std::move(values);
    return out;
}

Data5 bytes_to_data5(ByteView bytes) {
    Data5 out;
    out.reserve((bytes.size() * 8 + 4) / 5);
    std::uint32_t acc = 0;
    int bits = 0;
    for (const std::uint8_t b : bytes) {
        acc = (acc << 8) | b;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out.push_back(static_cast<std::uint8_t>((acc >> bits) & 31));
        }
    }
    if (bits > 0) out.push_back(static_cast<std::uint8_t>((acc << (5 - bits)) & 31));
    return out;
}

Result<Bytes> data5_to_bytes(const Data5& data) {
    Bytes out;
    out.reserve(data.size() * 5 / 8);
    std::uint32_t acc = 0;
    int bits = 0;
    for (const std::uint8_t v : data) {
        if (v > 31) return malformed("bech32m: data value above 31");
        acc = ((acc << 5) | v) & 0xfff;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<std::uint8_t>((acc >> bits) & 0xff));
        }
    }
    // BIP-173: an incomplete group at the end is at most 4 bits, all zero; anything else is not an encoding.
    if (bits >= 5) return malformed("bech32m: more than 4 padding bits");
    if ((acc & ((1U << bits) - 1)) != 0) return malformed("bech32m: non-zero padding bits");
    return out;
}

}  // namespace sluice::sdk::bech32m
