// AbiType: a Solidity ABI type (uint<M>, int<M>, address, bool, bytes<M>, bytes, string, T[], T[k],
// tuples), parsed strictly from its canonical type string and carrying its precomputed layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/core/result.hpp"

namespace sluice {

class AbiType {
public:
    enum class Kind : std::uint8_t {
        uint,         // uint<M>, M = 8..256 step 8
        int_,         // int<M>, two's complement
        address,      // 20 bytes
        boolean,      // bool
        fixed_bytes,  // bytes<M>, M = 1..32
        bytes,        // dynamic byte string
        string,       // dynamic UTF-8 (not validated) string
        array,        // T[]
        fixed_array,  // T[k]
        tuple,        // (T1,...,Tn)
    };

    // Deepest nesting of arrays and tuples the parser accepts; it bounds every recursion over a type
    // (and so over a value decoded against it).
    static constexpr std::size_t kMaxDepth = 32;
    // Largest static encoding (head) a type may have; keeps every size computation far from overflow.
    static constexpr std::uint64_t kMaxStaticSize = std::uint64_t{1} << 32;

    // Parses a canonical type string: no spaces, no aliases ("uint" is rejected, write "uint256"),
    // no fixed-point types. Errors: Errc::abi_bad_type naming the offending position.
    static Result<AbiType> parse(std::string_view text);

    static AbiType uint(std::size_t bits);  // bits must be a multiple of 8 in 8..256 (else internal abort)
    static AbiType int_(std::size_t bits);
    static AbiType address();
    static AbiType boolean();
    static AbiType fixed_bytes(std::size_t size);  // 1..32
    static AbiType bytes();
    static AbiType string();
    static Result<AbiType> array(AbiType element);
    static Result<AbiType> fixed_array(AbiType element, std::size_t length);
    static Result<AbiType> tuple(std::vector<AbiType> components);

    Kind kind() const noexcept { return kind_; }
    // uint/int: bit width; fixed_bytes: byte count; fixed_array: element count; else 0.
    std::size_t size() const noexcept { return size_; }
    // Element type of array/fixed_array. Only valid for those kinds.
    const AbiType& element() const noexcept { return children_.front(); }
    // Components of a tuple (empty for other kinds).
    const std::vector<AbiType>& components() const noexcept { return children_; }

    // Dynamic types are encoded out of line (bytes, string, T[], and anything containing one).
    bool is_dynamic() const noexcept { return dynamic_; }
    // Bytes this type occupies in the head of an enclosing tuple: 32 for dynamic types, else the full
    // static encoding size (e.g. 64 for uint256[2], 0 for "()").
    std::uint64_t head_size() const noexcept { return head_size_; }
    // Nesting depth: 0 for elementary types.
    std::size_t depth() const noexcept { return depth_; }

    // The canonical type string; parse(t.canonical()) == t.
    std::string canonical() const;

    friend bool operator==(const AbiType& a, const AbiType& b);

private:
    AbiType(Kind kind, std::size_t size) : kind_(kind), size_(size) {}
    static Result<AbiType> make_composite(Kind kind, std::size_t size, std::vector<AbiType> children);
    void append_canonical(std::string& out) const;

    Kind kind_;
    std::size_t size_ = 0;
    std::vector<AbiType> children_;
    bool dynamic_ = false;
    std::uint64_t head_size_ = 32;
    std::size_t depth_ = 0;
};

}  // namespace sluice
