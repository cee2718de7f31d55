// EIP-712 typed structured data hashing (https://eips.ethereum.org/EIPS/eip-712): type encoding,
// struct hashes over JSON values, the domain separator and the final signing digest.
//
// Two ways in:
//  * generic: types as {struct name -> [(field name, type)]} and values as JSON (as eth_signTypedData_v4
//    takes them), for tests, tools and any struct known only at run time;
//  * typed: hash_struct_encoded(type_hash, fields) for callers (the channel layer) that already hold the
//    32-byte encodings of their fields and a precomputed type hash.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/core/u256.hpp"

namespace sluice {

struct Eip712Field {
    std::string name;
    std::string type;  // "uint256", "bytes", "Person", "Person[]", "bytes32[2][]", ...
    friend bool operator==(const Eip712Field&, const Eip712Field&) = default;
};

// Struct name -> its fields in declaration order.
using Eip712Types = std::map<std::string, std::vector<Eip712Field>, std::less<>>;

// The four-field domain Sluice signs under (DESIGN.md §3):
// EIP712Domain(string name,string version,uint256 chainId,address verifyingContract).
struct Eip712Domain {
    std::string name;
    std::string version;
    u256 chain_id;
    Address verifying_contract;

    static constexpr std::string_view kEncodedType =
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
    Hash domain_separator() const;
};

// Parses the "types" object of eth_signTypedData_v4: {"Mail": [{"name": "from", "type": "Person"}, ...]}.
// Errors: eip712_bad_type.
Result<Eip712Types> eip712_types_from_json(const nlohmann::json& types);

// "Mail(Person from,Person to,string contents)Person(string name,address wallet)": the primary type, then
// every struct type it references (transitively) sorted by name. Errors: eip712_bad_type (unknown primary
// or field type, bad struct or field names, duplicate field names).
Result<std::string> encode_type(std::string_view primary, const Eip712Types& types);
Result<Hash> type_hash(std::string_view primary, const Eip712Types& types);

// encodeData: the concatenated 32-byte encodings of the fields of `value` (a JSON object; fields not
// in the type are ignored). Atomic values: uint/int as JSON integers or decimal / 0x-hex strings (int
// may be negative), address and bytes<M> as 0x-hex strings, bool as true/false; bytes (0x-hex) and
// string values are hashed; arrays hash the concatenation of their element encodings; nested structs
// encode as their hash_struct. Errors: eip712_bad_type, eip712_bad_value (naming the field path).
Result<Bytes> encode_data(std::string_view primary, const Eip712Types& types, const nlohmann::json& value);
// keccak256(type_hash(primary) || encode_data(primary, value)).
Result<Hash> hash_struct(std::string_view primary, const Eip712Types& types, const nlohmann::json& value);

// keccak256(type_hash || encoded_fields): hashStruct for callers that encoded the fields themselves.
Hash hash_struct_encoded(const Hash& type_hash, ByteView encoded_fields);

// keccak256(0x19 0x01 || domain_separator || struct_hash): the digest that is signed.
Hash typed_data_digest(const Hash& domain_separator, const Hash& struct_hash);

}  // namespace sluice
