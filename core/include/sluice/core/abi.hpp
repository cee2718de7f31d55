// Solidity ABI encoding and strict decoding (https://docs.soliditylang.org/en/latest/abi-spec.html),
// function selectors and calldata.
//
// encode(T, v) is the spec's enc(T): for a tuple type it is the head/tail encoding of its components,
// which is what abi.encode(a, b, ...) and call arguments produce for the parameter tuple (a, b, ...).
// Note abi.encode(x) of ONE value x of type T is encode("(T)", [x]): for a dynamic T (e.g. the channel
// State struct) that starts with the offset word 0x20.
//
// Decoding is strict and canonical: every value must be encoded exactly as encode() would produce it.
// Offsets of dynamic components must point exactly at the end of the previous component's data (so
// data is never shared or reordered, which also means a decoded value is never larger than its input),
// all padding and unused high-order bytes must be zero, bools must be 0 or 1, and no bytes may follow
// the encoding. Encoders of Solidity, Vyper, ethers and web3 all produce this canonical form.
#pragma once

#include <string>
#include <string_view>

#include "sluice/core/abi_type.hpp"
#include "sluice/core/abi_value.hpp"
#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"

namespace sluice {

using Selector = FixedBytes<4>;

// Errors: abi_type_mismatch (value shape does not fit the type: wrong alternative, wrong tuple or fixed
// array element count), abi_bad_value (uint<M>/int<M> out of range, bytes<M> of the wrong length).
// Messages name the path of the offending component, e.g. "[2][0][1]".
Result<Bytes> encode(const AbiType& type, const AbiValue& value);
// Appends encode(type, value) to `out` (nothing is appended on error).
Status encode_into(Bytes& out, const AbiType& type, const AbiValue& value);
// abi.encode(args...): `params` must be a tuple type and `args` a list with one value per component.
Result<Bytes> encode_params(const AbiType& params, const AbiValue& args);

// Errors: abi_truncated (input ends early), abi_bad_offset (offset not canonical or out of range),
// abi_bad_length (length past the input or unreasonably large), abi_bad_value (dirty padding or high
// bytes, bool not 0/1), abi_trailing_bytes. Never reads out of bounds; allocations are bounded by the
// input size.
Result<AbiValue> decode(const AbiType& type, ByteView data);
// Decodes abi.encode(args...) / call arguments / return data; `params` must be a tuple type.
Result<AbiValue> decode_params(const AbiType& params, ByteView data);

// First four bytes of keccak256(signature), e.g. function_selector("transfer(address,uint256)") ==
// 0xa9059cbb. The signature is hashed as given; use AbiFunction to validate it.
Selector function_selector(std::string_view signature);

// A function signature "name(T1,...,Tn)" with its parameter tuple and selector, for building calldata.
struct AbiFunction {
    std::string name;
    AbiType params = AbiType::boolean();  // always a tuple once parsed
    Selector selector;

    // Name: [A-Za-z_$][A-Za-z0-9_$]*; parameters: canonical types (see AbiType::parse). abi_bad_type otherwise.
    static Result<AbiFunction> parse(std::string_view signature);
    std::string signature() const;  // name + params.canonical()

    // selector || encode_params(params, args)
    Result<Bytes> encode_call(const AbiValue& args) const;
    // Checks the selector (abi_bad_value if different) and decodes the arguments.
    Result<AbiValue> decode_call(ByteView calldata) const;
};

// selector || encode_params(params, args), for callers holding a cached parameter type.
Result<Bytes> encode_call(const Selector& selector, const AbiType& params, const AbiValue& args);

}  // namespace sluice
