// libFuzzer: u256 text parsing never crashes, fails only with bad_number or overflow, and whatever
// parses survives to_dec/to_hex -> parse unchanged. Bytes of input are also checked as a big-endian
// number (from_be -> to_be) and as operands whose division identities must hold.
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "sluice/core/u256.hpp"

namespace {

void require(bool condition) {
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using sluice::u256;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto parsed = u256::from_string(text);
    if (!parsed.ok()) {
        require(parsed.error().code == sluice::Errc::bad_number || parsed.error().code == sluice::Errc::overflow);
    } else {
        require(u256::from_dec(parsed->to_dec()).value() == *parsed);
        require(u256::from_hex(parsed->to_hex()).value() == *parsed);
        require(u256::from_string(parsed->to_hex()).value() == *parsed);
    }

    // Two operands from the raw bytes: a == q * b + r with r < b (b != 0), and r < m for mulmod.
    if (size >= 64) {
        const u256 a = u256::load_be(data);
        const u256 b = u256::load_be(data + 32);
        require(u256::from_be(a.to_be().view()) == a);
        const auto [q, r] = sluice::udivrem(a, b);
        if (b.is_zero()) {
            require(q.is_zero() && r.is_zero());
        } else {
            require(r < b && q * b + r == a);
            require(sluice::mulmod(a, u256{1}, b) == r && sluice::addmod(a, u256{}, b) == r);
        }
    }
    return 0;
}
