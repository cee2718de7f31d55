// The chain store's row encodings (chain_store.hpp): RLP of what a block or a receipt cannot be recomputed
// from. A block's roots, bloom, size and hash are recomputed by seal_header on load (and the hash compared
// with the stored one); a receipt's hash, block, index and bloom come from its block and raw bytes.
#pragma once

#include "sluice/core/bytes.hpp"
#include "sluice/core/result.hpp"
#include "sluice/l1/chain_records.hpp"

namespace sluice::l1::store_codec {

Bytes encode_block(const Block& block);
// Errors: store_corrupt.
Result<Block> decode_block(ByteView row);

Bytes encode_receipt(const TxReceipt& receipt);
// Fills status, status_code, gas, effective price, logs, output, contract address. Errors: store_corrupt.
Result<TxReceipt> decode_receipt(ByteView row);

}  // namespace sluice::l1::store_codec
