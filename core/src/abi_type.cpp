// Strict parser and layout of Solidity ABI types.
#include "sluice/core/abi_type.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace sluice {
namespace {

[[noreturn]] void bad_factory_argument(const char* what) noexcept {
    // A factory called with an impossible width is a bug in the caller, not bad input.
    std::fprintf(stderr, "sluice: %s\n", what);
    std::abort();
}

Error type_error(std::string_view text, std::size_t pos, const std::string& what) {
    return make_error(Errc::abi_bad_type,
                      what + " at position " + std::to_string(pos) + " of \"" + std::string(text) + "\"");
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_lower_alpha(char c) { return c >= 'a' && c <= 'z'; }

// Parses a decimal in [1, limit] without a leading zero; returns 0 when it is not one.
std::uint64_t parse_positive(std::string_view digits, std::uint64_t limit) {
    if (digits.empty() || digits.size() > 19 || digits.front() == '0') return 0;
    std::uint64_t v = 0;
    for (const char c : digits) {
        if (!is_digit(c)) return 0;
        v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v <= limit ? v : 0;
}

class Parser {
public:
    explicit Parser(std::string_view text) : text_(text) {}

    Result<AbiType> parse_all() {
        SLUICE_TRY(AbiType t, parse_type(0));
        if (pos_ != text_.size()) return type_error(text_, pos_, "unexpected character '" + std::string(1, text_[pos_]) + "'");
        return t;
    }

private:
    Result<AbiType> parse_type(std::size_t depth) {
        if (depth > AbiType::kMaxDepth) return type_error(text_, pos_, "nesting deeper than " + std::to_string(AbiType::kMaxDepth));
        SLUICE_TRY(AbiType t, peek() == '(' ? parse_tuple(depth) : parse_elementary());
        while (peek() == '[') {
            const std::size_t open = pos_++;
            const std::size_t digits_start = pos_;
            while (is_digit(peek())) ++pos_;
            if (peek() != ']') return type_error(text_, pos_, "expected ']' closing '[' at " + std::to_string(open));
            const std::string_view digits = text_.substr(digits_start, pos_ - digits_start);
            ++pos_;
            if (digits.empty()) {
                SLUICE_TRY(t, AbiType::array(std::move(t)));
            } else {
                const std::uint64_t length = parse_positive(digits, AbiType::kMaxStaticSize);
                if (length == 0) return type_error(text_, digits_start, "bad array length '" + std::string(digits) + "'");
                auto arr = AbiType::fixed_array(std::move(t), static_cast<std::size_t>(length));
                if (!arr.ok()) return type_error(text_, open, arr.error().message);
                t = std::move(arr).value();
            }
            if (t.depth() > AbiType::kMaxDepth) return type_error(text_, open, "nesting deeper than " + std::to_string(AbiType::kMaxDepth));
        }
        return t;
    }

    Result<AbiType> parse_tuple(std::size_t depth) {
        const std::size_t open = pos_++;
        std::vector<AbiType> components;
        if (peek() == ')') {
            ++pos_;
        } else {
            for (;;) {
                SLUICE_TRY(AbiType c, parse_type(depth + 1));
                components.push_back(std::move(c));
                if (peek() == ',') {
                    ++pos_;
                    continue;
                }
                if (peek() == ')') {
                    ++pos_;
                    break;
                }
                if (pos_ == text_.size()) return type_error(text_, open, "unbalanced '('");
                return type_error(text_, pos_, "expected ',' or ')'");
            }
        }
        auto t = AbiType::tuple(std::move(components));
        if (!t.ok()) return type_error(text_, open, t.error().message);
        return t;
    }

    Result<AbiType> parse_elementary() {
        const std::size_t start = pos_;
        while (is_lower_alpha(peek())) ++pos_;
        const std::string_view word = text_.substr(start, pos_ - start);
        const std::size_t digits_start = pos_;
        while (is_digit(peek())) ++pos_;
        const std::string_view digits = text_.substr(digits_start, pos_ - digits_start);
        if (word.empty()) {
            if (pos_ == text_.size()) return type_error(text_, pos_, "missing type");
            return type_error(text_, pos_, "unexpected character '" + std::string(1, text_[pos_]) + "'");
        }
        if (word == "uint" || word == "int") {
            const std::uint64_t bits = parse_positive(digits, 256);
            if (bits == 0 || bits % 8 != 0) {
                return type_error(text_, start, "bad integer width '" + std::string(text_.substr(start, pos_ - start)) +
                                                    "' (need 8..256 in steps of 8, written out)");
            }
            return word == "uint" ? AbiType::uint(bits) : AbiType::int_(bits);
        }
        if (word == "bytes") {
            if (digits.empty()) return AbiType::bytes();
            const std::uint64_t size = parse_positive(digits, 32);
            if (size == 0) return type_error(text_, start, "bad fixed bytes size '" + std::string(digits) + "' (need 1..32)");
            return AbiType::fixed_bytes(size);
        }
        if (!digits.empty()) return type_error(text_, digits_start, "unexpected digits after '" + std::string(word) + "'");
        if (word == "address") return AbiType::address();
        if (word == "bool") return AbiType::boolean();
        if (word == "string") return AbiType::string();
        if (word == "fixed" || word == "ufixed") return type_error(text_, start, "fixed-point types are not supported");
        return type_error(text_, start, "unknown type '" + std::string(word) + "'");
    }

    char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

Result<AbiType> AbiType::parse(std::string_view text) { return Parser(text).parse_all(); }

AbiType AbiType::uint(std::size_t bits) {
    if (bits == 0 || bits > 256 || bits % 8 != 0) bad_factory_argument("AbiType::uint: bad width");
    return AbiType(Kind::uint, bits);
}

AbiType AbiType::int_(std::size_t bits) {
    if (bits == 0 || bits > 256 || bits % 8 != 0) bad_factory_argument("AbiType::int_: bad width");
    return AbiType(Kind::int_, bits);
}

AbiType AbiType::address() { return AbiType(Kind::address, 0); }
AbiType AbiType::boolean() { return AbiType(Kind::boolean, 0); }

AbiType AbiType::fixed_bytes(std::size_t size) {
    if (size == 0 || size > 32) bad_factory_argument("AbiType::fixed_bytes: bad size");
    return AbiType(Kind::fixed_bytes, size);
}

AbiType AbiType::bytes() {
    AbiType t(Kind::bytes, 0);
    t.dynamic_ = true;
    return t;
}

AbiType AbiType::string() {
    AbiType t(Kind::string, 0);
    t.dynamic_ = true;
    return t;
}

Result<AbiType> AbiType::array(AbiType element) {
    return make_composite(Kind::array, 0, std::vector<AbiType>{std::move(element)});
}

Result<AbiType> AbiType::fixed_array(AbiType element, std::size_t length) {
    return make_composite(Kind::fixed_array, length, std::vector<AbiType>{std::move(element)});
}

Result<AbiType> AbiType::tuple(std::vector<AbiType> components) {
    return make_composite(Kind::tuple, 0, std::move(components));
}

Result<AbiType> AbiType::make_composite(Kind kind, std::size_t size, std::vector<AbiType> children) {
    AbiType t(kind, size);
    std::size_t child_depth = 0;
    bool child_dynamic = false;
    std::uint64_t heads = 0;
    for (const AbiType& c : children) {
        child_depth = std::max(child_depth, c.depth_);
        child_dynamic = child_dynamic || c.dynamic_;
        heads += c.head_size_;  // each <= kMaxStaticSize, checked below per step
        if (heads > kMaxStaticSize) return make_error(Errc::abi_bad_type, "tuple too large");
    }
    t.depth_ = child_depth + 1;
    if (t.depth_ > kMaxDepth) return make_error(Errc::abi_bad_type, "nesting deeper than " + std::to_string(kMaxDepth));
    if (kind == Kind::tuple) {
        t.dynamic_ = child_dynamic;
        t.head_size_ = child_dynamic ? 32 : heads;
    } else {
        const AbiType& e = children.front();
        // A zero-sized element would let an attacker-chosen array length allocate without consuming input.
        if (!e.dynamic_ && e.head_size_ == 0) return make_error(Errc::abi_bad_type, "array of zero-sized elements");
        if (kind == Kind::array) {
            t.dynamic_ = true;
            t.head_size_ = 32;
        } else {
            if (size == 0) return make_error(Errc::abi_bad_type, "fixed array of length 0");
            t.dynamic_ = e.dynamic_;
            if (e.dynamic_) {
                t.head_size_ = 32;
            } else {
                if (size > kMaxStaticSize / e.head_size_) return make_error(Errc::abi_bad_type, "fixed array too large");
                t.head_size_ = e.head_size_ * size;
            }
        }
    }
    t.children_ = std::move(children);
    return t;
}

std::string AbiType::canonical() const {
    std::string out;
    append_canonical(out);
    return out;
}

void AbiType::append_canonical(std::string& out) const {
    switch (kind_) {
        case Kind::uint: out += "uint" + std::to_string(size_); return;
        case Kind::int_: out += "int" + std::to_string(size_); return;
        case Kind::address: out += "address"; return;
        case Kind::boolean: out += "bool"; return;
        case Kind::fixed_bytes: out += "bytes" + std::to_string(size_); return;
        case Kind::bytes: out += "bytes"; return;
        case Kind::string: out += "string"; return;
        case Kind::array:
            element().append_canonical(out);
            out += "[]";
            return;
        case Kind::fixed_array:
            element().append_canonical(out);
            out += "[" + std::to_string(size_) + "]";
            return;
        case Kind::tuple:
            out += '(';
            for (std::size_t i = 0; i < children_.size(); ++i) {
                if (i != 0) out += ',';
                children_[i].append_canonical(out);
            }
            out += ')';
            return;
    }
}

bool operator==(const AbiType& a, const AbiType& b) {
    return a.kind_ == b.kind_ && a.size_ == b.size_ && a.children_ == b.children_;
}

}  // namespace sluice
