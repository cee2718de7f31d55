// libFuzzer: the ABI decoder and type parser never crash or read out of bounds on arbitrary input, and
// whatever they accept round-trips exactly.
//
// The decoder accepts only the canonical layout (offsets exactly where the encoder puts the data, zero
// padding and high bytes, no trailing bytes), so an accepted input has exactly one encoding: encoding
// the decoded value must give back the input byte for byte. decode(encode(v)) == v is checked as well.
#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "sluice/core/abi.hpp"

namespace {

const std::vector<sluice::AbiType>& fuzzed_types() {
    static const std::vector<sluice::AbiType> types = [] {
        std::vector<sluice::AbiType> out;
        for (const char* text : {
                 // the channel State and Params of DESIGN.md §3, and abi.encode(State)
                 "(bytes32,uint64,(address,uint256[],(bytes32,uint256,uint16,uint16,uint64)[])[],bytes,bool)",
                 "((bytes32,uint64,(address,uint256[],(bytes32,uint256,uint16,uint16,uint64)[])[],bytes,bool))",
                 "(uint256,address,address[],uint64,uint48,address)",
                 "(uint256[][],string[])",
                 "(int8,bytes3[2],string[2],(bool,int256)[])",
                 "bytes",
             }) {
            out.push_back(sluice::AbiType::parse(text).value());
        }
        return out;
    }();
    return types;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const sluice::ByteView input(data, size);
    for (const sluice::AbiType& type : fuzzed_types()) {
        const auto decoded = sluice::decode(type, input);
        if (!decoded.ok()) continue;
        const auto encoded = sluice::encode(type, *decoded);
        if (!encoded.ok()) std::abort();
        if (!std::equal(encoded->begin(), encoded->end(), input.begin(), input.end())) std::abort();
        const auto again = sluice::decode(type, *encoded);
        if (!again.ok() || !(*again == *decoded)) std::abort();
    }

    // The same bytes as a type string: whatever parses must print back to itself.
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto type = sluice::AbiType::parse(text);
    if (type.ok() && (type->canonical() != text || !(sluice::AbiType::parse(type->canonical()).value() == *type))) {
        std::abort();
    }
    return 0;
}
