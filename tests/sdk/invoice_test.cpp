// sluice1 invoices: round trips, typo detection (every single substitution, adjacent transpositions) and
// every malformed shape refused with its typed error.
#include "sluice/sdk/invoice.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "sluice/sdk/bech32m.hpp"

namespace sluice::sdk {
namespace {

constexpr std::string_view kAlphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

template <std::size_t N>
void fill(FixedBytes<N>& out, std::mt19937_64& rng) {
    for (auto& b : out.bytes)
        b = static_cast<std::uint8_t>(rng());
}

Invoice random_invoice(std::mt19937_64& rng) {
    Invoice inv;
    fill(inv.payee, rng);
    inv.payee[0] |= 1;
    // Amounts of every byte length, so minimal encoding is exercised from 1 to 32 bytes.
    Hash amount;
    fill(amount, rng);
    const std::size_t zeros = rng() % 32;
    for (std::size_t i = 0; i < zeros; ++i)
        amount[i] = 0;
    amount[31] |= 1;
    inv.amount = u256::from_be(amount.view());
    if (rng() % 2) fill(inv.asset, rng);
    fill(inv.payment_hash, rng);
    inv.payment_hash[0] |= 1;
    inv.expiry = 1 + rng() % (std::uint64_t{1} << (rng() % 64));
    if (inv.expiry == 0) inv.expiry = 1;
    if (rng() % 2) {
        HubEndpoint hub;
        const std::size_t len = 1 + rng() % 40;
        for (std::size_t i = 0; i < len; ++i)
            hub.host.push_back("abcdefghijklmnopqrstuvwxyz0123456789"[rng() % 36]);
        hub.host += ".example";
        hub.port = static_cast<std::uint16_t>(1 + rng() % 65535);
        fill(hub.identity, rng);
        hub.identity[0] |= 1;
        inv.hub = hub;
    }
    const std::size_t desc = rng() % 80;
    for (std::size_t i = 0; i < desc; ++i)
        inv.description.push_back(static_cast<char>(' ' + rng() % 95));
    if (rng() % 4 == 0) inv.description += "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\xb8";  // é € 💸
    return inv;
}

Invoice sample_invoice() {
    std::mt19937_64 rng(7);
    Invoice inv = random_invoice(rng);
    inv.hub = HubEndpoint{"hub.example.org", 9735, inv.payee};
    inv.hub->identity[19] ^= 0x5a;
    inv.description = "coffee";
    return inv;
}

// The payload of `inv` as decode sees it, so tests can break one field and re-wrap it with a valid checksum.
Bytes payload_of(const Invoice& inv) {
    const auto text = encode_invoice(inv);
    EXPECT_TRUE(text.ok());
    const auto decoded = bech32m::decode(*text, kMaxInvoiceLength);
    EXPECT_TRUE(decoded.ok());
    const auto bytes = bech32m::data5_to_bytes(decoded->data);
    EXPECT_TRUE(bytes.ok());
    return *bytes;
}

std::string wrap(const Bytes& payload, std::string_view hrp = kInvoiceHrp) {
    const auto text = bech32m::encode(hrp, bech32m::bytes_to_data5(payload));
    EXPECT_TRUE(text.ok());
    return *text;
}

void expect_error(std::string_view text, Errc code, const char* what) {
    const auto decoded = decode_invoice(text);
    ASSERT_FALSE(decoded.ok()) << what;
    EXPECT_EQ(decoded.error().code, code) << what << ": " << decoded.error().describe();
}

TEST(Invoice, RandomInvoicesRoundTrip) {
    std::mt19937_64 rng(42);
    for (int i = 0; i < 2000; ++i) {
        const Invoice inv = random_invoice(rng);
        const auto text = encode_invoice(inv);
        ASSERT_TRUE(text.ok()) << text.error().describe();
        ASSERT_EQ(text->rfind("sluice1", 0), 0u);
        const auto back = decode_invoice(*text);
        ASSERT_TRUE(back.ok()) << back.error().describe();
        EXPECT_EQ(*back, inv);
    }
}

TEST(Invoice, LargestInvoiceFitsTheLengthLimit) {
    Invoice inv = sample_invoice();
    inv.amount = u256::max();
    inv.hub->host = std::string(kMaxHubHostLength, 'a');
    inv.description = std::string(kMaxInvoiceDescription, 'x');
    const auto text = encode_invoice(inv);
    ASSERT_TRUE(text.ok());
    EXPECT_LE(text->size(), kMaxInvoiceLength);
    const auto back = decode_invoice(*text);
    ASSERT_TRUE(back.ok()) << back.error().describe();
    EXPECT_EQ(*back, inv);
}

TEST(Invoice, UpperCaseIsAcceptedAsBip173Allows) {
    const Invoice inv = sample_invoice();
    std::string text = *encode_invoice(inv);
    for (char& c : text) {
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    const auto back = decode_invoice(text);
    ASSERT_TRUE(back.ok()) << back.error().describe();
    EXPECT_EQ(*back, inv);
}

TEST(Invoice, EverySingleSubstitutionIsDetected) {
    const std::string text = *encode_invoice(sample_invoice());
    const std::size_t data_start = kInvoiceHrp.size() + 1;
    std::size_t tried = 0;
    for (std::size_t pos = data_start; pos < text.size(); ++pos) {
        for (const char c : kAlphabet) {
            if (c == text[pos]) continue;
            std::string typo = text;
            typo[pos] = c;
            const auto decoded = decode_invoice(typo);
            ASSERT_FALSE(decoded.ok()) << "position " << pos << " -> " << c;
            ASSERT_EQ(decoded.error().code, Errc::invoice_bad_checksum) << "position " << pos;
            ++tried;
        }
    }
    EXPECT_EQ(tried, (text.size() - data_start) * 31);
    // A substitution in the human-readable part is detected too (wrong HRP or checksum, never decoded).
    for (std::size_t pos = 0; pos < kInvoiceHrp.size(); ++pos) {
        std::string typo = text;
        typo[pos] = typo[pos] == 'x' ? 'y' : 'x';
        EXPECT_FALSE(decode_invoice(typo).ok()) << pos;
    }
}

TEST(Invoice, TranspositionsAreDetected) {
    const std::string text = *encode_invoice(sample_invoice());
    const std::size_t data_start = kInvoiceHrp.size() + 1;
    std::size_t tried = 0;
    // Every adjacent swap, and swaps at distances 2..8 from every position (the typos people make).
    for (std::size_t distance = 1; distance <= 8; ++distance) {
        for (std::size_t pos = data_start; pos + distance < text.size(); ++pos) {
            if (text[pos] == text[pos + distance]) continue;
            std::string typo = text;
            std::swap(typo[pos], typo[pos + distance]);
            const auto decoded = decode_invoice(typo);
            ASSERT_FALSE(decoded.ok()) << pos << " <-> " << pos + distance;
            EXPECT_EQ(decoded.error().code, Errc::invoice_bad_checksum);
            ++tried;
        }
    }
    EXPECT_GT(tried, 1000u);
}

TEST(Invoice, ShapeErrors) {
    const Invoice inv = sample_invoice();
    const std::string text = *encode_invoice(inv);
    expect_error(wrap(payload_of(inv), "lnbc"), Errc::invoice_malformed, "wrong HRP");
    expect_error(wrap(payload_of(inv), "sluicex"), Errc::invoice_malformed, "longer HRP");
    std::string mixed = text;
    mixed[10] = static_cast<char>(mixed[10] >= 'a' && mixed[10] <= 'z' ? mixed[10] - 'a' + 'A' : mixed[10]);
    if (mixed == text) mixed[0] = 'S';
    expect_error(mixed, Errc::invoice_malformed, "mixed case");
    // ('1' there would move the separator: that is a wrong HRP or a bad checksum, tested by the typo tests.)
    for (const char bad : std::string("bio \x7f")) {
        std::string outside = text;
        outside[12] = bad;
        expect_error(outside, Errc::invoice_malformed, "character outside the alphabet");
    }
    expect_error("", Errc::invoice_malformed, "empty");
    expect_error("sluice1", Errc::invoice_malformed, "no checksum");
    expect_error(text.substr(0, text.size() - 1), Errc::invoice_bad_checksum, "one character short");
    expect_error(std::string(kMaxInvoiceLength + 1, 'q'), Errc::invoice_malformed, "too long");
    expect_error(wrap(Bytes{}), Errc::invoice_malformed, "empty payload");
}

TEST(Invoice, FieldErrors) {
    const Invoice inv = sample_invoice();
    const Bytes good = payload_of(inv);
    ASSERT_TRUE(decode_invoice(wrap(good)).ok());
    // Offsets in the payload of sample_invoice (docs/transport.md §invoices).
    const std::size_t amount_len_at = 1 + 20;
    const std::size_t amount_len = good[amount_len_at];
    const std::size_t hub_flag_at = amount_len_at + 1 + amount_len + 20 + 32 + 8;
    const std::size_t host_len_at = hub_flag_at + 1;
    const std::size_t port_at = host_len_at + 1 + good[host_len_at];
    const std::size_t desc_len_at = port_at + 2 + 20;

    auto with = [&](auto change) {
        Bytes p = good;
        change(p);
        return wrap(p);
    };
    expect_error(with([](Bytes& p) { p[0] = 2; }), Errc::invoice_malformed, "unknown version");
    expect_error(with([](Bytes& p) { p[0] = 0; }), Errc::invoice_malformed, "version 0");
    expect_error(with([](Bytes& p) { p.push_back(0); }), Errc::invoice_malformed, "trailing byte");
    expect_error(with([](Bytes& p) { p.pop_back(); }), Errc::invoice_malformed, "truncated description");
    for (std::size_t cut = 0; cut < good.size(); ++cut) {
        const Bytes p(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut));
        expect_error(wrap(p), Errc::invoice_malformed, "truncated payload");
    }
    expect_error(with([&](Bytes& p) { std::fill_n(p.begin() + 1, 20, 0); }), Errc::invoice_malformed,
                 "zero payee");
    expect_error(with([&](Bytes& p) { p[amount_len_at] = 0; }), Errc::invoice_malformed, "amount length 0");
    expect_error(with([&](Bytes& p) { p[amount_len_at] = 33; }), Errc::invoice_malformed, "amount length 33");
    expect_error(with([&](Bytes& p) {
                     p.insert(p.begin() + static_cast<std::ptrdiff_t>(amount_len_at) + 1, 0);
                     p[amount_len_at] = static_cast<std::uint8_t>(amount_len + 1);
                 }),
                 Errc::invoice_malformed, "amount with a leading zero");
    expect_error(with([&](Bytes& p) { p[hub_flag_at] = 2; }), Errc::invoice_malformed, "hub flag 2");
    expect_error(with([&](Bytes& p) { p[host_len_at + 1] = '/'; }), Errc::invoice_malformed,
                 "bad host character");
    expect_error(with([&](Bytes& p) { p[host_len_at] = 0; }), Errc::invoice_malformed, "empty host");
    expect_error(with([&](Bytes& p) { p[port_at] = 0, p[port_at + 1] = 0; }), Errc::invoice_malformed,
                 "port 0");
    expect_error(with([&](Bytes& p) { p[desc_len_at + 2] = '\n'; }), Errc::invoice_malformed,
                 "control character");
    expect_error(with([&](Bytes& p) { p[desc_len_at + 2] = 0xc0; }), Errc::invoice_malformed,
                 "invalid UTF-8");
    expect_error(with([&](Bytes& p) {
                     p[desc_len_at] = static_cast<std::uint8_t>((kMaxInvoiceDescription + 1) >> 8);
                     p[desc_len_at + 1] = static_cast<std::uint8_t>(kMaxInvoiceDescription + 1);
                 }),
                 Errc::invoice_malformed, "description too long");
}

TEST(Invoice, NonZeroPaddingBitsAreRefused) {
    Invoice inv = sample_invoice();
    while (payload_of(inv).size() * 8 % 5 == 0)
        inv.description += "x";
    const Bytes good = payload_of(inv);
    bech32m::Data5 data = bech32m::bytes_to_data5(good);
    data.back() |= 1;
    const auto text = bech32m::encode(kInvoiceHrp, data);
    ASSERT_TRUE(text.ok());
    expect_error(*text, Errc::invoice_malformed, "padding bit set");
}

TEST(Invoice, EncodeRefusesOutOfRangeFields) {
    Invoice inv = sample_invoice();
    inv.amount = u256{};
    EXPECT_EQ(encode_invoice(inv).error().code, Errc::invoice_malformed);
    inv = sample_invoice();
    inv.description = std::string(kMaxInvoiceDescription + 1, 'a');
    EXPECT_EQ(encode_invoice(inv).error().code, Errc::invoice_malformed);
    inv = sample_invoice();
    inv.description = "bad \xed\xa0\x80 surrogate";
    EXPECT_EQ(encode_invoice(inv).error().code, Errc::invoice_malformed);
    inv = sample_invoice();
    inv.hub->host = "has space";
    EXPECT_EQ(encode_invoice(inv).error().code, Errc::invoice_malformed);
    inv = sample_invoice();
    inv.hub->host = "[::1]";
    EXPECT_TRUE(encode_invoice(inv).ok());
    inv.expiry = 0;
    EXPECT_EQ(encode_invoice(inv).error().code, Errc::invoice_malformed);
}

TEST(Invoice, Expiry) {
    Invoice inv = sample_invoice();
    inv.expiry = 1'800'000'000;
    EXPECT_TRUE(check_not_expired(inv, 1'799'999'999).ok());
    const Status at = check_not_expired(inv, 1'800'000'000);
    ASSERT_FALSE(at.ok());
    EXPECT_EQ(at.error().code, Errc::invoice_expired);
    EXPECT_EQ(check_not_expired(inv, 1'900'000'000).error().code, Errc::invoice_expired);
}

}  // namespace
}  // namespace sluice::sdk
