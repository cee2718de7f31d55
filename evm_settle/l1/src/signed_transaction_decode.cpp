// Strict decoding of raw transactions and sender recovery (signed_transaction.hpp).
#include <string>
#include <vector>

#include "sluice/core/keccak.hpp"
#include "sluice/core/rlp.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1 {
namespace {

using evm::TxType;

Error malformed(const std::string& what) {
    return Error{Errc::tx_malformed, what};
}

// The fields of one transaction list, read in order with the field's name in every error.
class Fields {
  public:
    explicit Fields(std::vector<rlp::Item> items) : items_(std::move(items)) {}

    std::size_t size() const noexcept { return items_.size(); }

    Result<rlp::Item> string(const char* name) {
        const rlp::Item& item = items_[next_++];
        if (item.is_list) return malformed(std::string(name) + " is a list");
        return item;
    }
    Result<rlp::Item> list(const char* name) {
        const rlp::Item& item = items_[next_++];
        if (!item.is_list) return malformed(std::string(name) + " is not a list");
        return item;
    }
    // Leading zeros are refused before the width, so a zero-padded field is reported as what it is.
    Result<std::uint64_t> uint64(const char* name) {
        SLUICE_TRY(const rlp::Item item, canonical_integer(name));
        return named(rlp::to_uint64(item), name);
    }
    Result<u256> uint(const char* name) {
        SLUICE_TRY(const rlp::Item item, canonical_integer(name));
        return named(rlp::to_uint(item), name);
    }
    // r and s: wider than 32 bytes is a bad signature, not an arithmetic overflow.
    Result<u256> signature_value(const char* name) {
        SLUICE_TRY(const rlp::Item item, canonical_integer(name));
        if (item.payload.size() > 32) {
            return Error{Errc::tx_bad_signature,
                         std::string(name) + " has " + std::to_string(item.payload.size()) + " bytes"};
        }
        return rlp::to_uint(item);
    }
    Result<rlp::Item> canonical_integer(const char* name) {
        SLUICE_TRY(const rlp::Item item, string(name));
        if (!item.payload.empty() && item.payload[0] == 0)
            return Error{Errc::rlp_non_canonical, std::string(name) + " has leading zero bytes"};
        return item;
    }
    Result<Bytes> bytes(const char* name) {
        SLUICE_TRY(const rlp::Item item, string(name));
        return Bytes(item.payload.begin(), item.payload.end());
    }
    // Empty (contract creation) or exactly 20 bytes.
    Result<std::optional<Address>> to() {
        SLUICE_TRY(const rlp::Item item, string("to"));
        if (item.payload.empty()) return std::optional<Address>{};
        return named_address(item.payload, "to");
    }

    template <typename T>
    static Result<T> named(Result<T> r, const char* name) {
        if (!r.ok()) return Error{r.error().code, std::string(name) + ": " + r.error().message};
        return r;
    }
    static Result<std::optional<Address>> named_address(ByteView bytes, const char* name) {
        if (bytes.size() != 20) {
            return malformed(std::string(name) + " has " + std::to_string(bytes.size()) + " bytes, not 20");
        }
        return std::optional<Address>{Address::from_view(bytes).value()};
    }

  private:
    std::vector<rlp::Item> items_;
    std::size_t next_ = 0;
};

Result<std::vector<evm::AccessListEntry>> access_list(const rlp::Item& list) {
    SLUICE_TRY(const auto entries, rlp::list_items(list));
    std::vector<evm::AccessListEntry> out;
    for (const rlp::Item& entry : entries) {
        if (!entry.is_list) return malformed("an access list entry is not a list");
        SLUICE_TRY(const auto parts, rlp::list_items(entry));
        if (parts.size() != 2 || parts[0].is_list || !parts[1].is_list)
            return malformed("an access list entry is not [address, [keys]]");
        SLUICE_TRY(const auto address, Fields::named_address(parts[0].payload, "access list address"));
        evm::AccessListEntry e{*address, {}};
        SLUICE_TRY(const auto keys, rlp::list_items(parts[1]));
        for (const rlp::Item& key : keys) {
            if (key.is_list || key.payload.size() != 32)
                return malformed("an access list storage key is not 32 bytes");
            e.storage_keys.push_back(Bytes32::from_view(key.payload).value());
        }
        out.push_back(std::move(e));
    }
    return out;
}

Result<std::vector<Bytes32>> blob_hashes(const rlp::Item& list) {
    SLUICE_TRY(const auto items, rlp::list_items(list));
    std::vector<Bytes32> out;
    for (const rlp::Item& item : items) {
        if (item.is_list || item.payload.size() != 32)
            return malformed("a blob versioned hash is not 32 bytes");
        out.push_back(Bytes32::from_view(item.payload).value());
    }
    return out;
}

Result<std::vector<evm::Authorization>> authorizations(const rlp::Item& list) {
    SLUICE_TRY(const auto items, rlp::list_items(list));
    std::vector<evm::Authorization> out;
    for (const rlp::Item& item : items) {
        if (!item.is_list) return malformed("an authorization is not a list");
        SLUICE_TRY(auto parts, rlp::list_items(item));
        if (parts.size() != 6)
            return malformed("an authorization has " + std::to_string(parts.size()) + " fields");
        Fields f(std::move(parts));
        evm::Authorization a;
        SLUICE_TRY(a.chain_id, f.uint("authorization chain id"));
        SLUICE_TRY(const rlp::Item address, f.string("authorization address"));
        SLUICE_TRY(const auto addr, Fields::named_address(address.payload, "authorization address"));
        a.address = *addr;
        SLUICE_TRY(a.nonce, f.uint("authorization nonce"));
        SLUICE_TRY(a.y_parity, f.uint("authorization y parity"));
        SLUICE_TRY(a.r, f.uint("authorization r"));
        SLUICE_TRY(a.s, f.uint("authorization s"));
        out.push_back(a);
    }
    return out;
}

std::size_t field_count(TxType type) {
    switch (type) {
        case TxType::legacy:
            return 9;
        case TxType::access_list:
            return 11;
        case TxType::dynamic_fee:
            return 12;
        case TxType::blob:
            return 14;
        case TxType::set_code:
            return 13;
    }
    return 0;
}

Result<SignedTransaction> decode_fields(TxType type, std::vector<rlp::Item> items) {
    if (items.size() != field_count(type)) {
        return malformed("type " + std::to_string(static_cast<int>(type)) + " has " +
                         std::to_string(field_count(type)) + " fields, not " + std::to_string(items.size()));
    }
    Fields f(std::move(items));
    SignedTransaction out;
    evm::Transaction& tx = out.tx;
    tx.type = type;
    if (type != TxType::legacy) {
        SLUICE_TRY(out.chain_id, f.uint("chain id"));
    }
    SLUICE_TRY(tx.nonce, f.uint64("nonce"));
    if (type < TxType::dynamic_fee) {
        SLUICE_TRY(tx.gas_price, f.uint("gas price"));
    } else {
        SLUICE_TRY(tx.max_priority_fee_per_gas, f.uint("max priority fee per gas"));
        SLUICE_TRY(tx.max_fee_per_gas, f.uint("max fee per gas"));
    }
    SLUICE_TRY(tx.gas_limit, f.uint64("gas limit"));
    SLUICE_TRY(tx.to, f.to());
    if (type >= TxType::blob && !tx.to) return malformed("blob and set-code transactions need a `to`");
    SLUICE_TRY(tx.value, f.uint("value"));
    SLUICE_TRY(tx.data, f.bytes("data"));
    if (type != TxType::legacy) {
        SLUICE_TRY(const rlp::Item list, f.list("access list"));
        SLUICE_TRY(tx.access_list, access_list(list));
    }
    if (type == TxType::blob) {
        SLUICE_TRY(tx.max_fee_per_blob_gas, f.uint("max fee per blob gas"));
        SLUICE_TRY(const rlp::Item list, f.list("blob versioned hashes"));
        SLUICE_TRY(tx.blob_hashes, blob_hashes(list));
    }
    if (type == TxType::set_code) {
        SLUICE_TRY(const rlp::Item list, f.list("authorization list"));
        SLUICE_TRY(tx.authorizations, authorizations(list));
    }
    SLUICE_TRY(const u256 v, f.uint("v"));
    SLUICE_TRY(const u256 r, f.signature_value("r"));
    SLUICE_TRY(const u256 s, f.signature_value("s"));
    if (type == TxType::legacy) {
        if (v == u256{27} || v == u256{28}) {
            out.y_parity = static_cast<std::uint8_t>(v.w[0] - 27);
        } else if (v >= u256{35}) {
            out.chain_id = (v - u256{35}) / u256{2};
            out.y_parity = static_cast<std::uint8_t>((v.w[0] - 35) & 1);
        } else {
            return Error{Errc::tx_bad_signature,
                         "legacy v " + v.to_dec() + " is neither 27/28 nor EIP-155's 2 chain_id + 35/36"};
        }
    } else {
        if (v > u256{1}) return Error{Errc::tx_bad_signature, "y parity " + v.to_dec() + " is not 0 or 1"};
        out.y_parity = static_cast<std::uint8_t>(v.w[0]);
    }
    out.r = r.to_be();
    out.s = s.to_be();
    return out;
}

}  // namespace

Result<SignedTransaction> parse_transaction(ByteView raw) {
    if (raw.empty()) return malformed("no bytes");
    TxType type = TxType::legacy;
    ByteView list = raw;
    if (raw[0] < 0x80) {  // EIP-2718: a type byte, then the list
        if (raw[0] < 1 || raw[0] > 4)
            return Error{Errc::tx_type_not_supported, "transaction type " + std::to_string(raw[0])};
        type = static_cast<TxType>(raw[0]);
        list = raw.subspan(1);
    } else if (raw[0] < 0xc0) {
        return malformed("a legacy transaction is a list, not a string");
    }
    SLUICE_TRY(auto items, rlp::decode_list(list));
    SLUICE_TRY(SignedTransaction out, decode_fields(type, std::move(items)));
    out.hash = keccak256(raw);
    return out;
}

Result<SignedTransaction> decode_transaction(ByteView raw) {
    SLUICE_TRY(SignedTransaction out, parse_transaction(raw));
    SLUICE_TRY(const Hash digest, signing_hash(out.tx, out.chain_id));
    const auto sender = recover_address(digest, Signature{out.r, out.s, out.y_parity});
    if (!sender.ok()) return Error{Errc::tx_bad_signature, sender.error().message};
    out.tx.sender = *sender;
    return out;
}

}  // namespace sluice::l1
