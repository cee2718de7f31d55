// AbiValue accessors and rendering.
#include "sluice/core/abi_value.hpp"

#include <cstdio>
#include <cstdlib>

#include "sluice/core/hex.hpp"

namespace sluice {
namespace {

[[noreturn]] void wrong_alternative(const char* wanted) noexcept {
    // Reading a value as the wrong kind is a bug in the caller (the type fixes the shape), not bad input.
    std::fprintf(stderr, "sluice: AbiValue is not %s\n", wanted);
    std::abort();
}

template <class T>
const T& checked(const AbiValue& v, const char* wanted) {
    const T* p = v.get_if<T>();
    if (p == nullptr) wrong_alternative(wanted);
    return *p;
}

void append_description(std::string& out, const AbiValue& v) {
    if (const u256* u = v.get_if<u256>()) {
        out += u->to_dec();
    } else if (const AbiInt* i = v.get_if<AbiInt>()) {
        out += i->is_negative() ? "-" + (-i->bits).to_dec() : i->bits.to_dec();
    } else if (const Address* a = v.get_if<Address>()) {
        out += a->to_checksum_hex();
    } else if (const bool* b = v.get_if<bool>()) {
        out += *b ? "true" : "false";
    } else if (const Bytes* bytes = v.get_if<Bytes>()) {
        out += to_hex(*bytes);
    } else if (const std::string* s = v.get_if<std::string>()) {
        out += '"' + *s + '"';
    } else {
        out += '[';
        const auto& items = v.as_list();
        for (std::size_t k = 0; k < items.size(); ++k) {
            if (k != 0) out += ',';
            append_description(out, items[k]);
        }
        out += ']';
    }
}

}  // namespace

AbiInt AbiInt::from_int64(std::int64_t v) noexcept {
    const std::uint64_t fill = v < 0 ? ~std::uint64_t{0} : 0;
    return AbiInt{u256(static_cast<std::uint64_t>(v), fill, fill, fill)};
}

const u256& AbiValue::as_uint() const { return checked<u256>(*this, "a uint"); }
const AbiInt& AbiValue::as_int() const { return checked<AbiInt>(*this, "an int"); }
const Address& AbiValue::as_address() const { return checked<Address>(*this, "an address"); }
bool AbiValue::as_bool() const { return checked<bool>(*this, "a bool"); }
const Bytes& AbiValue::as_bytes() const { return checked<Bytes>(*this, "bytes"); }
const std::string& AbiValue::as_string() const { return checked<std::string>(*this, "a string"); }
const AbiValue::List& AbiValue::as_list() const { return checked<List>(*this, "a list"); }

const AbiValue& AbiValue::operator[](std::size_t i) const {
    const List& items = as_list();
    if (i >= items.size()) wrong_alternative("a list that long");
    return items[i];
}

std::string AbiValue::describe() const {
    std::string out;
    append_description(out, *this);
    return out;
}

}  // namespace sluice
