#include "chain_store_codec.hpp"

#include <string>
#include <vector>

#include "sluice/core/rlp.hpp"

namespace sluice::l1::store_codec {
namespace {

Error corrupt(const std::string& what) {
    return make_error(Errc::store_corrupt, "chain store: " + what);
}

Bytes uint_item(std::uint64_t v) {
    return rlp::encode_uint(v);
}

Result<std::uint64_t> as_u64(const rlp::Item& item, const char* what) {
    auto v = rlp::to_uint64(item);
    if (!v) return corrupt(std::string(what) + ": " + v.error().message);
    return *v;
}

Result<std::int64_t> as_i64(const rlp::Item& item, const char* what) {
    SLUICE_TRY(const std::uint64_t v, as_u64(item, what));
    if (v > static_cast<std::uint64_t>(INT64_MAX)) return corrupt(std::string(what) + " out of range");
    return static_cast<std::int64_t>(v);
}

Result<u256> as_u256(const rlp::Item& item, const char* what) {
    auto v = rlp::to_uint(item);
    if (!v) return corrupt(std::string(what) + ": " + v.error().message);
    return *v;
}

template <std::size_t N>
Result<FixedBytes<N>> as_fixed(const rlp::Item& item, const char* what) {
    if (item.is_list) return corrupt(std::string(what) + " is a list");
    auto v = FixedBytes<N>::from_view(item.payload);
    if (!v) return corrupt(std::string(what) + ": " + v.error().message);
    return *v;
}

Result<Address> as_address(const rlp::Item& item, const char* what) {
    if (item.is_list) return corrupt(std::string(what) + " is a list");
    auto v = Address::from_view(item.payload);
    if (!v) return corrupt(std::string(what) + ": " + v.error().message);
    return *v;
}

Result<std::vector<rlp::Item>> as_list(ByteView row, std::size_t fields, const char* what) {
    auto items = rlp::decode_list(row);
    if (!items) return corrupt(std::string(what) + ": " + items.error().message);
    if (items->size() != fields) return corrupt(std::string(what) + ": wrong field count");
    return std::move(items).value();
}

}  // namespace

Bytes encode_block(const Block& b) {
    const std::vector<Bytes> fields{uint_item(static_cast<std::uint64_t>(b.number)),
                                    uint_item(static_cast<std::uint64_t>(b.timestamp)),
                                    rlp::encode_uint(b.base_fee),
                                    uint_item(static_cast<std::uint64_t>(b.gas_used)),
                                    uint_item(static_cast<std::uint64_t>(b.gas_limit)),
                                    rlp::encode_bytes(b.coinbase.view()),
                                    rlp::encode_bytes(b.prev_randao.view()),
                                    rlp::encode_bytes(b.parent_hash.view()),
                                    rlp::encode_bytes(b.state_root.view()),
                                    rlp::encode_bytes(b.parent_beacon_block_root.view()),
                                    uint_item(b.first_transaction),
                                    uint_item(b.transaction_count)};
    return rlp::encode_list(fields);
}

Result<Block> decode_block(ByteView row) {
    SLUICE_TRY(const auto f, as_list(row, 12, "block"));
    Block b;
    SLUICE_TRY(b.number, as_i64(f[0], "block number"));
    SLUICE_TRY(b.timestamp, as_i64(f[1], "timestamp"));
    SLUICE_TRY(b.base_fee, as_u256(f[2], "base fee"));
    SLUICE_TRY(b.gas_used, as_i64(f[3], "gas used"));
    SLUICE_TRY(b.gas_limit, as_i64(f[4], "gas limit"));
    SLUICE_TRY(b.coinbase, as_address(f[5], "coinbase"));
    SLUICE_TRY(b.prev_randao, as_fixed<32>(f[6], "prev randao"));
    SLUICE_TRY(b.parent_hash, as_fixed<32>(f[7], "parent hash"));
    SLUICE_TRY(b.state_root, as_fixed<32>(f[8], "state root"));
    SLUICE_TRY(b.parent_beacon_block_root, as_fixed<32>(f[9], "beacon root"));
    SLUICE_TRY(b.first_transaction, as_u64(f[10], "first transaction"));
    SLUICE_TRY(b.transaction_count, as_u64(f[11], "transaction count"));
    return b;
}

Bytes encode_receipt(const TxReceipt& r) {
    std::vector<Bytes> logs;
    logs.reserve(r.logs.size());
    for (const evm::Log& log : r.logs) {
        std::vector<Bytes> topics;
        for (const Bytes32& t : log.topics)
            topics.push_back(rlp::encode_bytes(t.view()));
        const std::vector<Bytes> entry{rlp::encode_bytes(log.address.view()), rlp::encode_list(topics),
                                       rlp::encode_bytes(log.data)};
        logs.push_back(rlp::encode_list(entry));
    }
    const std::vector<Bytes> fields{uint_item(r.status ? 1 : 0),
                                    uint_item(static_cast<std::uint64_t>(r.status_code)),
                                    uint_item(static_cast<std::uint64_t>(r.gas_used)),
                                    uint_item(static_cast<std::uint64_t>(r.cumulative_gas_used)),
                                    rlp::encode_uint(r.effective_gas_price),
                                    rlp::encode_list(logs),
                                    rlp::encode_bytes(r.output),
                                    rlp::encode_bytes(r.contract_address ? r.contract_address->view() : ByteView{})};
    return rlp::encode_list(fields);
}

Result<TxReceipt> decode_receipt(ByteView row) {
    SLUICE_TRY(const auto f, as_list(row, 8, "receipt"));
    TxReceipt r;
    SLUICE_TRY(const std::uint64_t status, as_u64(f[0], "status"));
    if (status > 1) return corrupt("status out of range");
    r.status = status == 1;
    SLUICE_TRY(const std::uint64_t code, as_u64(f[1], "status code"));
    if (code > 255) return corrupt("status code out of range");
    r.status_code = static_cast<evm::StatusCode>(code);
    SLUICE_TRY(r.gas_used, as_i64(f[2], "gas used"));
    SLUICE_TRY(r.cumulative_gas_used, as_i64(f[3], "cumulative gas"));
    SLUICE_TRY(r.effective_gas_price, as_u256(f[4], "gas price"));
    if (!f[5].is_list) return corrupt("logs is not a list");
    auto entries = rlp::list_items(f[5]);
    if (!entries) return corrupt("logs: " + entries.error().message);
    for (const rlp::Item& entry : *entries) {
        if (!entry.is_list) return corrupt("log is not a list");
        auto parts = rlp::list_items(entry);
        if (!parts || parts->size() != 3 || !(*parts)[1].is_list || (*parts)[2].is_list)
            return corrupt("log shape");
        evm::Log log;
        SLUICE_TRY(log.address, as_address((*parts)[0], "log address"));
        auto topics = rlp::list_items((*parts)[1]);
        if (!topics) return corrupt("log topics: " + topics.error().message);
        for (const rlp::Item& t : *topics) {
            SLUICE_TRY(auto topic, as_fixed<32>(t, "topic"));
            log.topics.push_back(topic);
        }
        log.data.assign((*parts)[2].payload.begin(), (*parts)[2].payload.end());
        r.logs.push_back(std::move(log));
    }
    if (f[6].is_list || f[7].is_list) return corrupt("output or contract address is a list");
    r.output.assign(f[6].payload.begin(), f[6].payload.end());
    if (!f[7].payload.empty()) {
        SLUICE_TRY(r.contract_address, as_address(f[7], "contract address"));
    }
    return r;
}

}  // namespace sluice::l1::store_codec
