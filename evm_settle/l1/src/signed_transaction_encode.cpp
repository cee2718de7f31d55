// Encoding, signing digests and signing of transactions (signed_transaction.hpp).
#include "sluice/core/keccak.hpp"
#include "sluice/core/rlp.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1 {
namespace {

using evm::TxType;

void append_to(Bytes& out, const std::optional<Address>& to) {
    rlp::append_bytes(out, to ? to->view() : ByteView{});
}

void append_access_list(Bytes& out, const std::vector<evm::AccessListEntry>& list) {
    Bytes entries;
    for (const auto& entry : list) {
        Bytes item;
        rlp::append_bytes(item, entry.address.view());
        Bytes keys;
        for (const Bytes32& key : entry.storage_keys)
            rlp::append_bytes(keys, key.view());
        rlp::append_list_header(item, keys.size());
        item.insert(item.end(), keys.begin(), keys.end());
        rlp::append_list_header(entries, item.size());
        entries.insert(entries.end(), item.begin(), item.end());
    }
    rlp::append_list_header(out, entries.size());
    out.insert(out.end(), entries.begin(), entries.end());
}

void append_authorizations(Bytes& out, const std::vector<evm::Authorization>& list) {
    Bytes all;
    for (const auto& a : list) {
        Bytes item;
        rlp::append_uint(item, a.chain_id);
        rlp::append_bytes(item, a.address.view());
        rlp::append_uint(item, a.nonce);
        rlp::append_uint(item, a.y_parity);
        rlp::append_uint(item, a.r);
        rlp::append_uint(item, a.s);
        rlp::append_list_header(all, item.size());
        all.insert(all.end(), item.begin(), item.end());
    }
    rlp::append_list_header(out, all.size());
    out.insert(out.end(), all.begin(), all.end());
}

void append_blob_hashes(Bytes& out, const std::vector<Bytes32>& hashes) {
    Bytes all;
    for (const Bytes32& h : hashes)
        rlp::append_bytes(all, h.view());
    rlp::append_list_header(out, all.size());
    out.insert(out.end(), all.begin(), all.end());
}

Bytes as_list(const Bytes& payload) {
    Bytes out;
    rlp::append_list_header(out, payload.size());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

Bytes typed(TxType type, const Bytes& list) {
    Bytes out{static_cast<std::uint8_t>(type)};
    out.insert(out.end(), list.begin(), list.end());
    return out;
}

// Every field but the signature, each RLP-encoded, concatenated (the payload of the list).
Result<Bytes> unsigned_fields(const evm::Transaction& tx, const std::optional<u256>& chain_id) {
    Bytes out;
    if (tx.type != TxType::legacy) {
        if (!chain_id) return make_error(Errc::tx_malformed, "a typed transaction needs a chain id");
        rlp::append_uint(out, *chain_id);
    }
    rlp::append_uint(out, tx.nonce);
    if (tx.type < TxType::dynamic_fee) {
        rlp::append_uint(out, tx.gas_price);
    } else {
        rlp::append_uint(out, tx.max_priority_fee_per_gas);
        rlp::append_uint(out, tx.max_fee_per_gas);
    }
    rlp::append_uint(out, tx.gas_limit);
    if (tx.type >= TxType::blob && !tx.to) {
        return make_error(Errc::tx_malformed, "blob and set-code transactions cannot create contracts");
    }
    append_to(out, tx.to);
    rlp::append_uint(out, tx.value);
    rlp::append_bytes(out, tx.data);
    if (tx.type != TxType::legacy) append_access_list(out, tx.access_list);
    if (tx.type == TxType::blob) {
        rlp::append_uint(out, tx.max_fee_per_blob_gas);
        append_blob_hashes(out, tx.blob_hashes);
    }
    if (tx.type == TxType::set_code) append_authorizations(out, tx.authorizations);
    return out;
}

}  // namespace

Result<Hash> signing_hash(const evm::Transaction& tx, const std::optional<u256>& chain_id) {
    SLUICE_TRY(Bytes fields, unsigned_fields(tx, chain_id));
    if (tx.type == TxType::legacy) {
        if (chain_id) {  // EIP-155: chain id, 0, 0 in place of v, r, s
            rlp::append_uint(fields, *chain_id);
            rlp::append_uint(fields, 0);
            rlp::append_uint(fields, 0);
        }
        return keccak256(as_list(fields));
    }
    return keccak256(typed(tx.type, as_list(fields)));
}

Result<Bytes> encode_transaction(const SignedTransaction& signed_tx) {
    const evm::Transaction& tx = signed_tx.tx;
    SLUICE_TRY(Bytes fields, unsigned_fields(tx, signed_tx.chain_id));
    if (tx.type == TxType::legacy) {
        // EIP-155: v = chain_id * 2 + 35 + parity; without a chain id, 27 + parity.
        const u256 v = signed_tx.chain_id ? *signed_tx.chain_id * u256{2} + u256{35u + signed_tx.y_parity}
                                          : u256{27u + signed_tx.y_parity};
        rlp::append_uint(fields, v);
    } else {
        rlp::append_uint(fields, signed_tx.y_parity);
    }
    rlp::append_uint(fields, u256::from_be(signed_tx.r.view()));
    rlp::append_uint(fields, u256::from_be(signed_tx.s.view()));
    return tx.type == TxType::legacy ? as_list(fields) : typed(tx.type, as_list(fields));
}

Result<Bytes> sign_transaction(const evm::Transaction& tx, const std::optional<u256>& chain_id,
                               const PrivateKey& key) {
    SLUICE_TRY(const Hash digest, signing_hash(tx, chain_id));
    const Signature sig = sign(key, digest);
    SignedTransaction signed_tx{tx, chain_id, sig.v, sig.r, sig.s, {}};
    signed_tx.tx.sender = key.address();
    return encode_transaction(signed_tx);
}

}  // namespace sluice::l1
