#include "rpc_params.hpp"

#include <utility>

#include "sluice/core/hex.hpp"

namespace sluice::l1::rpc {
namespace {

Error bad(const std::string& what, const std::string& message) {
    return make_error(Errc::rpc_bad_params, what + ": " + message);
}

Result<const std::string*> text_of(const Json& value, const std::string& what, const char* expected) {
    if (!value.is_string())
        return bad(what, std::string("expected ") + expected + ", got " + value.type_name());
    return value.get_ptr<const std::string*>();
}

Error located(const std::string& what, const Error& error) {
    return bad(what, error.describe());
}

}  // namespace

Status expect_count(const Json& params, std::size_t min, std::size_t max) {
    if (params.is_null() && min == 0) return {};
    if (!params.is_array()) return bad("params", std::string("expected an array, got ") + params.type_name());
    if (params.size() < min || params.size() > max) {
        return bad("params", "expected " +
                                 (min == max ? std::to_string(min)
                                             : std::to_string(min) + " to " + std::to_string(max)) +
                                 " parameters, got " + std::to_string(params.size()));
    }
    return {};
}

const Json& param(const Json& params, std::size_t i) {
    static const Json kNull;
    return params.is_array() && i < params.size() ? params[i] : kNull;
}

Result<u256> read_quantity(const Json& value, const std::string& what) {
    SLUICE_TRY(const std::string* text, text_of(value, what, "a hex quantity"));
    const std::string& s = *text;
    if (s.size() < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) {
        return bad(what, "a quantity is 0x followed by at least one hex digit");
    }
    if (s.size() > 3 && s[2] == '0') return bad(what, "a quantity has no leading zeros");
    if (s.size() > 2 + 64) return bad(what, "a quantity has at most 64 hex digits");
    auto v = u256::from_hex(s);
    if (!v.ok()) return located(what, v.error());
    return *v;
}

Result<std::uint64_t> read_quantity64(const Json& value, const std::string& what) {
    SLUICE_TRY(const u256 v, read_quantity(value, what));
    if (v > u256{~std::uint64_t{0}}) return bad(what, "does not fit in 64 bits");
    return v.w[0];
}

Result<Bytes> read_data(const Json& value, const std::string& what) {
    SLUICE_TRY(const std::string* text, text_of(value, what, "0x-prefixed hex data"));
    auto bytes = from_hex(*text, HexPrefix::required);
    if (!bytes.ok()) return located(what, bytes.error());
    return std::move(bytes).value();
}

Result<Address> read_address(const Json& value, const std::string& what) {
    SLUICE_TRY(const std::string* text, text_of(value, what, "an address"));
    auto address = Address::from_hex(*text);
    if (!address.ok()) return located(what, address.error());
    return *address;
}

Result<Bytes32> read_hash(const Json& value, const std::string& what) {
    SLUICE_TRY(const Bytes bytes, read_data(value, what));
    if (bytes.size() != 32) return bad(what, "expected 32 bytes, got " + std::to_string(bytes.size()));
    return Bytes32::from_view(bytes).value();
}

Result<bool> read_bool(const Json& value, const std::string& what) {
    if (!value.is_boolean()) return bad(what, std::string("expected a boolean, got ") + value.type_name());
    return value.get<bool>();
}

Result<std::int64_t> read_block_number(const Json& value, const Devchain& chain, const std::string& what) {
    const std::int64_t latest = chain.latest_block().number;
    if (value.is_null()) return latest;
    if (value.is_object()) {
        if (value.size() == 1 && value.contains("blockNumber")) {
            return read_block_number(value["blockNumber"], chain, what + ".blockNumber");
        }
        if (value.contains("blockHash") && value.size() <= 2 &&
            (value.size() == 1 || value.contains("requireCanonical"))) {
            SLUICE_TRY(const Bytes32 hash, read_hash(value["blockHash"], what + ".blockHash"));
            if (value.contains("requireCanonical")) {
                SLUICE_TRY(const bool ignored,
                           read_bool(value["requireCanonical"], what + ".requireCanonical"));
                (void)ignored;  // the devchain has no forks: every block it knows is canonical
            }
            const Block* block = chain.block_by_hash(hash);
            if (!block) return bad(what, "no block with hash " + to_hex(hash.view()));
            return block->number;
        }
        return bad(what, "a block object has exactly one of blockNumber or blockHash (and requireCanonical)");
    }
    SLUICE_TRY(const std::string* text, text_of(value, what, "a block tag or number"));
    if (*text == "latest" || *text == "pending" || *text == "safe" || *text == "finalized") return latest;
    if (*text == "earliest") return 0;
    SLUICE_TRY(const std::uint64_t number, read_quantity64(value, what));
    if (number > static_cast<std::uint64_t>(INT64_MAX)) return bad(what, "block number out of range");
    return static_cast<std::int64_t>(number);
}

Status require_latest_state(const Json& value, const Devchain& chain, const std::string& what) {
    SLUICE_TRY(const std::int64_t number, read_block_number(value, chain, what));
    const std::int64_t latest = chain.latest_block().number;
    if (number != latest) {
        return make_error(Errc::devchain_state_unavailable,
                          what + ": the devchain keeps the state of its latest block (" +
                              std::to_string(latest) + ") only, not of block " + std::to_string(number));
    }
    return {};
}

Result<TxArgs> read_tx_args(const Json& value, const std::string& what) {
    if (!value.is_object())
        return bad(what, std::string("expected a transaction object, got ") + value.type_name());
    TxArgs args;
    std::optional<Bytes> data;
    std::optional<Bytes> input;
    for (const auto& [key, field] : value.items()) {
        const std::string path = what + "." + key;
        if (field.is_null()) continue;  // clients send null for "not set"
        if (key == "from") {
            SLUICE_TRY(args.from, read_address(field, path));
        } else if (key == "to") {
            SLUICE_TRY(args.to, read_address(field, path));
        } else if (key == "gas") {
            SLUICE_TRY(args.gas, read_quantity64(field, path));
        } else if (key == "gasPrice") {
            SLUICE_TRY(args.gas_price, read_quantity(field, path));
        } else if (key == "maxFeePerGas") {
            SLUICE_TRY(args.max_fee_per_gas, read_quantity(field, path));
        } else if (key == "maxPriorityFeePerGas") {
            SLUICE_TRY(args.max_priority_fee_per_gas, read_quantity(field, path));
        } else if (key == "value") {
            SLUICE_TRY(args.value, read_quantity(field, path));
        } else if (key == "data") {
            SLUICE_TRY(data, read_data(field, path));
        } else if (key == "input") {
            SLUICE_TRY(input, read_data(field, path));
        } else if (key == "nonce") {
            SLUICE_TRY(args.nonce, read_quantity64(field, path));
        } else if (key == "type") {
            SLUICE_TRY(args.type, read_quantity64(field, path));
        } else if (key == "chainId") {
            SLUICE_TRY(args.chain_id, read_quantity(field, path));
        } else if (key == "accessList") {
            if (!field.is_array()) return bad(path, "expected an array");
            for (std::size_t i = 0; i < field.size(); ++i) {
                const std::string entry_path = path + "[" + std::to_string(i) + "]";
                const Json& entry = field[i];
                if (!entry.is_object() || entry.size() != 2 || !entry.contains("address") ||
                    !entry.contains("storageKeys") || !entry["storageKeys"].is_array()) {
                    return bad(entry_path, "expected {address, storageKeys[]}");
                }
                evm::AccessListEntry parsed;
                SLUICE_TRY(parsed.address, read_address(entry["address"], entry_path + ".address"));
                for (std::size_t k = 0; k < entry["storageKeys"].size(); ++k) {
                    SLUICE_TRY(const Bytes32 slot,
                               read_hash(entry["storageKeys"][k],
                                         entry_path + ".storageKeys[" + std::to_string(k) + "]"));
                    parsed.storage_keys.push_back(slot);
                }
                args.access_list.push_back(std::move(parsed));
            }
        } else {
            return bad(path, "unknown or unsupported field");
        }
    }
    if (data && input && *data != *input) return bad(what, "data and input differ");
    if (input)
        args.data = std::move(*input);
    else if (data)
        args.data = std::move(*data);
    if (args.gas_price && (args.max_fee_per_gas || args.max_priority_fee_per_gas)) {
        return bad(what, "gasPrice and the EIP-1559 fee fields exclude each other");
    }
    return args;
}

}  // namespace sluice::l1::rpc
