// Invoice encoding and strict decoding (invoice.hpp). The payload layout is in docs/transport.md §invoices.
#include "sluice/sdk/invoice.hpp"

#include <cstring>

#include "sluice/sdk/bech32m.hpp"

namespace sluice::sdk {

namespace {

Error malformed(std::string message) {
    return make_error(Errc::invoice_malformed, "invoice: " + std::move(message));
}

// Strict UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) and no C0 controls or DEL: a
// description is shown to the person who pays, so it must not hide text or move the cursor.
bool valid_description(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b0 = static_cast<unsigned char>(text[i]);
        if (b0 < 0x80) {
            if (b0 < 0x20 || b0 == 0x7f) return false;
            ++i;
            continue;
        }
        std::size_t extra = 0;
        std::uint32_t cp = 0;
        std::uint32_t min = 0;
        if ((b0 & 0xe0) == 0xc0) {
            extra = 1, cp = b0 & 0x1f, min = 0x80;
        } else if ((b0 & 0xf0) == 0xe0) {
            extra = 2, cp = b0 & 0x0f, min = 0x800;
        } else if ((b0 & 0xf8) == 0xf0) {
            extra = 3, cp = b0 & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (text.size() - i <= extra) return false;
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto b = static_cast<unsigned char>(text[i + k]);
            if ((b & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (b & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
        if (cp >= 0x80 && cp < 0xa0) return false;  // C1 controls
        i += extra + 1;
    }
    return true;
}

bool valid_host(std::string_view host) {
    if (host.empty() || host.size() > kMaxHubHostLength) return false;
    if (host.front() == '[') {
        if (host.size() < 4 || host.back() != ']') return false;
        for (const char c : host.substr(1, host.size() - 2)) {
            const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                            c == ':' || c == '.';
            if (!ok) return false;
        }
        return true;
    }
    if (host.front() == '-' || host.front() == '.' || host.back() == '-') return false;
    for (const char c : host) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        c == '-' || c == '.';
        if (!ok) return false;
    }
    return true;
}

Status validate(const Invoice& invoice) {
    if (invoice.payee.is_zero()) return malformed("payee is the zero address");
    if (invoice.amount == u256{}) return malformed("amount is zero");
    if (invoice.payment_hash.is_zero()) return malformed("payment hash is zero");
    if (invoice.expiry == 0) return malformed("expiry is zero");
    if (invoice.description.size() > kMaxInvoiceDescription) {
        return malformed("description of " + std::to_string(invoice.description.size()) + " bytes, above " +
                         std::to_string(kMaxInvoiceDescription));
    }
    if (!valid_description(invoice.description)) {
        return malformed("description is not UTF-8 text without control characters");
    }
    if (invoice.hub) {
        if (!valid_host(invoice.hub->host)) return malformed("hub host is not a host name or IP address");
        if (invoice.hub->port == 0) return malformed("hub port is zero");
        if (invoice.hub->identity.is_zero()) return malformed("hub identity is the zero address");
    }
    return {};
}

void put_u16(Bytes& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}

// Reads the payload front to back; every read checks the bytes left.
class Reader {
  public:
    explicit Reader(ByteView bytes) : bytes_(bytes) {}
    bool done() const { return pos_ == bytes_.size(); }
    Result<ByteView> take(std::size_t n, const char* what) {
        if (bytes_.size() - pos_ < n) return malformed(std::string("truncated at ") + what);
        const ByteView out = bytes_.subspan(pos_, n);
        pos_ += n;
        return out;
    }
    Result<std::uint8_t> u8(const char* what) {
        SLUICE_TRY(const ByteView b, take(1, what));
        return b[0];
    }
    Result<std::uint16_t> u16(const char* what) {
        SLUICE_TRY(const ByteView b, take(2, what));
        return static_cast<std::uint16_t>((b[0] << 8) | b[1]);
    }
    Result<Address> address(const char* what) {
        SLUICE_TRY(const ByteView b, take(20, what));
        Address out;
        std::memcpy(out.data(), b.data(), 20);
        return out;
    }

  private:
    ByteView bytes_;
    std::size_t pos_ = 0;
};

}  // namespace

Result<std::string> encode_invoice(const Invoice& invoice) {
    SLUICE_CHECK_OK(validate(invoice));
    Bytes payload;
    payload.reserve(160 + invoice.description.size());
    payload.push_back(kInvoiceVersion);
    payload.insert(payload.end(), invoice.payee.begin(), invoice.payee.end());
    const Hash amount = invoice.amount.to_be();
    std::size_t skip = 0;
    while (skip < 32 && amount[skip] == 0)
        ++skip;
    payload.push_back(static_cast<std::uint8_t>(32 - skip));
    payload.insert(payload.end(), amount.begin() + static_cast<std::ptrdiff_t>(skip), amount.end());
    payload.insert(payload.end(), invoice.asset.begin(), invoice.asset.end());
    payload.insert(payload.end(), invoice.payment_hash.begin(), invoice.payment_hash.end());
    for (int shift = 56; shift >= 0; shift -= 8)
        payload.push_back(static_cast<std::uint8_t>(invoice.expiry >> shift));
    if (invoice.hub) {
        payload.push_back(1);
        payload.push_back(static_cast<std::uint8_t>(invoice.hub->host.size()));
        payload.insert(payload.end(), invoice.hub->host.begin(), invoice.hub->host.end());
        put_u16(payload, invoice.hub->port);
        payload.insert(payload.end(), invoice.hub->identity.begin(), invoice.hub->identity.end());
    } else {
        payload.push_back(0);
    }
    put_u16(payload, static_cast<std::uint16_t>(invoice.description.size()));
    payload.insert(payload.end(), invoice.description.begin(), invoice.description.end());
    return bech32m::encode(kInvoiceHrp, bech32m::bytes_to_data5(payload));
}

Result<Invoice> decode_invoice(std::string_view text) {
    SLUICE_TRY(const bech32m::Decoded decoded, bech32m::decode(text, kMaxInvoiceLength));
    if (decoded.hrp != kInvoiceHrp) return malformed("human-readable part is not \"sluice\"");
    SLUICE_TRY(const Bytes payload, bech32m::data5_to_bytes(decoded.data));
    Reader in(payload);
    SLUICE_TRY(const std::uint8_t version, in.u8("version"));
    if (version != kInvoiceVersion) return malformed("unknown version " + std::to_string(version));
    Invoice out;
    SLUICE_TRY(out.payee, in.address("payee"));
    SLUICE_TRY(const std::uint8_t amount_length, in.u8("amount length"));
    if (amount_length == 0 || amount_length > 32) {
        return malformed("amount length " + std::to_string(amount_length) + " outside 1..32");
    }
    SLUICE_TRY(const ByteView amount, in.take(amount_length, "amount"));
    if (amount[0] == 0) return malformed("amount is not minimal (leading zero byte)");
    out.amount = u256::from_be(amount);
    SLUICE_TRY(out.asset, in.address("asset"));
    SLUICE_TRY(const ByteView hash, in.take(32, "payment hash"));
    std::memcpy(out.payment_hash.data(), hash.data(), 32);
    SLUICE_TRY(const ByteView expiry, in.take(8, "expiry"));
    for (const std::uint8_t b : expiry)
        out.expiry = (out.expiry << 8) | b;
    SLUICE_TRY(const std::uint8_t has_hub, in.u8("hub flag"));
    if (has_hub > 1) return malformed("hub flag " + std::to_string(has_hub) + " is neither 0 nor 1");
    if (has_hub == 1) {
        HubEndpoint hub;
        SLUICE_TRY(const std::uint8_t host_length, in.u8("hub host length"));
        SLUICE_TRY(const ByteView host, in.take(host_length, "hub host"));
        hub.host.assign(host.begin(), host.end());
        SLUICE_TRY(hub.port, in.u16("hub port"));
        SLUICE_TRY(hub.identity, in.address("hub identity"));
        out.hub = std::move(hub);
    }
    SLUICE_TRY(const std::uint16_t description_length, in.u16("description length"));
    if (description_length > kMaxInvoiceDescription) {
        return malformed("description length " + std::to_string(description_length) + " above " +
                         std::to_string(kMaxInvoiceDescription));
    }
    SLUICE_TRY(const ByteView description, in.take(description_length, "description"));
    out.description.assign(description.begin(), description.end());
    if (!in.done()) return malformed("trailing bytes after the description");
    SLUICE_CHECK_OK(validate(out));
    return out;
}

Status check_not_expired(const Invoice& invoice, std::uint64_t now_unix) {
    if (now_unix >= invoice.expiry) {
        return make_error(Errc::invoice_expired, "invoice expired at " + std::to_string(invoice.expiry) +
                                                     " (now " + std::to_string(now_unix) + ")");
    }
    return {};
}

}  // namespace sluice::sdk
