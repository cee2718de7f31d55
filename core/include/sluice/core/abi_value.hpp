// AbiValue: a tree value matching an AbiType. The type gives the shape; the value only holds data:
// uint -> u256, int -> AbiInt (two's complement in a u256), address, bool, bytes<M>/bytes -> Bytes,
// string, arrays and tuples -> a list of AbiValue.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "sluice/core/bytes.hpp"
#include "sluice/core/u256.hpp"

namespace sluice {

// A signed integer in two's complement over 256 bits (int<M> values are sign-extended to 256 bits).
struct AbiInt {
    u256 bits;

    static AbiInt from_int64(std::int64_t v) noexcept;
    bool is_negative() const noexcept { return (bits.w[3] >> 63) != 0; }
    friend bool operator==(const AbiInt&, const AbiInt&) = default;
};

class AbiValue {
public:
    using List = std::vector<AbiValue>;
    using Storage = std::variant<u256, AbiInt, Address, bool, Bytes, std::string, List>;

    AbiValue() : v_(List{}) {}  // the empty tuple

    static AbiValue uint(const u256& v) { return AbiValue(v); }
    static AbiValue int_(const AbiInt& v) { return AbiValue(v); }
    static AbiValue int_(std::int64_t v) { return AbiValue(AbiInt::from_int64(v)); }
    static AbiValue address(const Address& v) { return AbiValue(v); }
    static AbiValue boolean(bool v) { return AbiValue(v); }
    static AbiValue bytes(ByteView v) { return AbiValue(Bytes(v.begin(), v.end())); }
    template <std::size_t N>
    static AbiValue bytes(const FixedBytes<N>& v) {
        return AbiValue(Bytes(v.begin(), v.end()));
    }
    static AbiValue string(std::string v) { return AbiValue(std::move(v)); }
    // Arrays (T[] and T[k]) and tuples are both lists; the type says which.
    static AbiValue list(List items) { return AbiValue(std::move(items)); }
    static AbiValue list(std::initializer_list<AbiValue> items) { return AbiValue(List(items)); }

    const Storage& storage() const noexcept { return v_; }
    template <class T>
    const T* get_if() const noexcept {
        return std::get_if<T>(&v_);
    }
    bool is_uint() const noexcept { return std::holds_alternative<u256>(v_); }
    bool is_int() const noexcept { return std::holds_alternative<AbiInt>(v_); }
    bool is_address() const noexcept { return std::holds_alternative<Address>(v_); }
    bool is_bool() const noexcept { return std::holds_alternative<bool>(v_); }
    bool is_bytes() const noexcept { return std::holds_alternative<Bytes>(v_); }
    bool is_string() const noexcept { return std::holds_alternative<std::string>(v_); }
    bool is_list() const noexcept { return std::holds_alternative<List>(v_); }

    // Checked accessors for values whose shape is already known (e.g. just decoded against a type):
    // asking for the wrong alternative is a programming error and aborts, like Result::value().
    const u256& as_uint() const;
    const AbiInt& as_int() const;
    const Address& as_address() const;
    bool as_bool() const;
    const Bytes& as_bytes() const;
    const std::string& as_string() const;
    const List& as_list() const;
    // as_list()[i], bounds-checked (aborts when out of range).
    const AbiValue& operator[](std::size_t i) const;

    // Human-readable rendering for test failure messages and logs, e.g. (0x01,[1,2],true).
    std::string describe() const;

    friend bool operator==(const AbiValue& a, const AbiValue& b) { return a.v_ == b.v_; }

private:
    template <class T>
        requires(!std::is_same_v<std::remove_cvref_t<T>, AbiValue>)
    explicit AbiValue(T&& v) : v_(std::forward<T>(v)) {}

    Storage v_;
};

}  // namespace sluice
