#include "sluice/l1/block_header.hpp"

#include <vector>

#include "sluice/core/keccak.hpp"
#include "sluice/core/rlp.hpp"
#include "sluice/evm/trie.hpp"

namespace sluice::l1 {
namespace {

using evm::Revision;

Bytes as_list(const Bytes& payload) {
    Bytes out;
    rlp::append_list_header(out, payload.size());
    out.insert(out.end(), payload.begin(), payload.end());
    return out;
}

}  // namespace

Bytes header_rlp(const Block& block, Revision rev) {
    Bytes fields;
    rlp::append_bytes(fields, block.parent_hash.view());
    rlp::append_bytes(fields, kEmptyOmmersHash.view());
    rlp::append_bytes(fields, block.coinbase.view());
    rlp::append_bytes(fields, block.state_root.view());
    rlp::append_bytes(fields, block.transactions_root.view());
    rlp::append_bytes(fields, block.receipts_root.view());
    rlp::append_bytes(fields, block.logs_bloom.view());
    rlp::append_uint(fields, std::uint64_t{0});  // difficulty
    rlp::append_uint(fields, static_cast<std::uint64_t>(block.number));
    rlp::append_uint(fields, static_cast<std::uint64_t>(block.gas_limit));
    rlp::append_uint(fields, static_cast<std::uint64_t>(block.gas_used));
    rlp::append_uint(fields, static_cast<std::uint64_t>(block.timestamp));
    rlp::append_bytes(fields, {});  // extra data
    rlp::append_bytes(fields, block.prev_randao.view());
    const std::uint8_t nonce[8] = {};
    rlp::append_bytes(fields, ByteView(nonce, sizeof nonce));
    if (rev >= Revision::london) rlp::append_uint(fields, block.base_fee);
    if (rev >= Revision::shanghai) rlp::append_bytes(fields, evm::kEmptyTrieRoot.view());
    if (rev >= Revision::cancun) {
        rlp::append_uint(fields, std::uint64_t{0});  // blob gas used
        rlp::append_uint(fields, std::uint64_t{0});  // excess blob gas
        rlp::append_bytes(fields, block.parent_beacon_block_root.view());
    }
    if (rev >= Revision::prague) rlp::append_bytes(fields, kEmptyRequestsHash.view());
    return as_list(fields);
}

Bytes receipt_encoding(const TxReceipt& receipt) {
    Bytes fields;
    rlp::append_uint(fields, std::uint64_t{receipt.status ? 1u : 0u});
    rlp::append_uint(fields, static_cast<std::uint64_t>(receipt.cumulative_gas_used));
    rlp::append_bytes(fields, receipt.logs_bloom.view());
    Bytes logs;
    for (const evm::Log& log : receipt.logs) {
        const Bytes encoded = evm::rlp_encode_log(log);
        logs.insert(logs.end(), encoded.begin(), encoded.end());
    }
    const Bytes log_list = as_list(logs);
    fields.insert(fields.end(), log_list.begin(), log_list.end());
    Bytes out;
    if (receipt.type != evm::TxType::legacy) out.push_back(static_cast<std::uint8_t>(receipt.type));
    const Bytes list = as_list(fields);
    out.insert(out.end(), list.begin(), list.end());
    return out;
}

void seal_header(Block& block, std::span<const TransactionRecord> transactions, Revision rev) {
    std::vector<Bytes> raw_transactions;
    std::vector<Bytes> receipts;
    block.logs_bloom = Bloom{};
    Bytes body;  // the transactions as a block body lists them: a typed one as an RLP string of its bytes
    for (const TransactionRecord& record : transactions) {
        raw_transactions.push_back(record.raw);
        receipts.push_back(receipt_encoding(record.receipt));
        bloom_merge(block.logs_bloom, record.receipt.logs_bloom);
        if (record.signed_tx.tx.type == evm::TxType::legacy) {
            body.insert(body.end(), record.raw.begin(), record.raw.end());
        } else {
            rlp::append_bytes(body, record.raw);
        }
    }
    block.transactions_root = evm::ordered_trie_root(raw_transactions);
    block.receipts_root = evm::ordered_trie_root(receipts);
    const Bytes header = header_rlp(block, rev);
    block.hash = keccak256(header);
    Bytes whole = header;
    const Bytes tx_list = as_list(body);
    whole.insert(whole.end(), tx_list.begin(), tx_list.end());
    whole.push_back(0xc0);                                 // no ommers
    if (rev >= Revision::shanghai) whole.push_back(0xc0);  // no withdrawals
    block.size = as_list(whole).size();
}

}  // namespace sluice::l1
