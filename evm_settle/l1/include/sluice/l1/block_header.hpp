// The RLP of a block header, its hash, and the receipt encoding the receipts root is built from.
//
// The header has Ethereum's field list for the chain's revision: parent hash, ommers hash (of the empty
// list), coinbase, state root, transactions root, receipts root, logs bloom, difficulty (always 0: there is
// no proof of work, as after the merge), number, gas limit, gas used, timestamp, extra data (empty), mix hash
// (PREVRANDAO), nonce (8 zero bytes), then base fee from London, withdrawals root (of no withdrawals) from
// Shanghai, blob gas used, excess blob gas (both 0) and the parent beacon block root from Cancun, and the
// requests hash of no requests from Prague. So the hash is the one a client recomputing it from the fields a
// node returns for the block would get (tests/l1/block_header_test.cpp recomputes a hardhat block's hash).
#pragma once

#include <span>

#include "sluice/core/bytes.hpp"
#include "sluice/evm/revision.hpp"
#include "sluice/l1/chain_records.hpp"

namespace sluice::l1 {

// keccak256(rlp([])): the ommers hash of every block without ommers.
inline constexpr Hash kEmptyOmmersHash{{0x1d, 0xcc, 0x4d, 0xe8, 0xde, 0xc7, 0x5d, 0x7a, 0xab, 0x85, 0xb5,
                                        0x67, 0xb6, 0xcc, 0xd4, 0x1a, 0xd3, 0x12, 0x45, 0x1b, 0x94, 0x8a,
                                        0x74, 0x13, 0xf0, 0xa1, 0x42, 0xfd, 0x40, 0xd4, 0x93, 0x47}};
// sha256 of nothing: EIP-7685's requests hash of a block without requests.
inline constexpr Hash kEmptyRequestsHash{{0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4,
                                          0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b,
                                          0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55}};

Bytes header_rlp(const Block& block, evm::Revision rev);

// The consensus encoding of a receipt: rlp([status, cumulative gas, bloom, logs]), behind the type byte for
// typed transactions.
Bytes receipt_encoding(const TxReceipt& receipt);

// Fills block.transactions_root, receipts_root, logs_bloom, size and hash from its transactions (whose
// receipts must be final) and the other header fields.
void seal_header(Block& block, std::span<const TransactionRecord> transactions, evm::Revision rev);

}  // namespace sluice::l1
