// Fixture JSON -> StateTest, with errors that name file, test and field.
#include "state_test_fixture.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_map>

#include "sluice/core/hex.hpp"

namespace sluice::statetest {
namespace {

using nlohmann::json;

// Where a field lives, for error messages: "file: test: transaction.gasLimit[2]".
struct Where {
    const std::string& file;
    const std::string& test;
    Error error(const std::string& field, const std::string& what) const {
        return make_error(Errc::json_bad_field, file + ": " + test + ": " + field + ": " + what);
    }
};

Result<const json*> member(const json& obj, const char* key, const Where& w, const std::string& path) {
    if (!obj.is_object()) return w.error(path, "expected an object");
    const auto it = obj.find(key);
    if (it == obj.end()) return w.error(path.empty() ? key : path + "." + key, "missing");
    return &*it;
}

Result<std::string> as_string(const json& v, const Where& w, const std::string& path) {
    if (!v.is_string()) return w.error(path, "expected a string");
    return v.get<std::string>();
}

Result<u256> as_u256(const json& v, const Where& w, const std::string& path) {
    SLUICE_TRY(const std::string s, as_string(v, w, path));
    auto r = u256::from_string(s);
    if (!r) return w.error(path, "bad number '" + s + "': " + r.error().message);
    return *r;
}

Result<std::uint64_t> as_u64(const json& v, const Where& w, const std::string& path) {
    SLUICE_TRY(const u256 n, as_u256(v, w, path));
    if (!n.fits_u64()) return w.error(path, "does not fit 64 bits");
    return n.low64();
}

Result<std::int64_t> as_i64(const json& v, const Where& w, const std::string& path) {
    SLUICE_TRY(const std::uint64_t n, as_u64(v, w, path));
    if (n > static_cast<std::uint64_t>(INT64_MAX)) return w.error(path, "does not fit 63 bits");
    return static_cast<std::int64_t>(n);
}

Result<Bytes> as_bytes_field(const json& v, const Where& w, const std::string& path) {
    SLUICE_TRY(const std::string s, as_string(v, w, path));
    auto r = from_hex(s, HexPrefix::optional);
    if (!r) return w.error(path, "bad hex: " + r.error().message);
    return std::move(*r);
}

template <std::size_t N>
Result<FixedBytes<N>> as_fixed(const json& v, const Where& w, const std::string& path) {
    SLUICE_TRY(const Bytes b, as_bytes_field(v, w, path));
    if (b.size() != N) return w.error(path, "expected " + std::to_string(N) + " bytes, got " + std::to_string(b.size()));
    FixedBytes<N> out;
    std::copy(b.begin(), b.end(), out.bytes.begin());
    return out;
}

Result<Address> as_address(const json& v, const Where& w, const std::string& path) {
    SLUICE_TRY(const auto f, as_fixed<20>(v, w, path));
    Address a;
    a.bytes = f.bytes;
    return a;
}

Result<Bytes32> as_word(const json& v, const Where& w, const std::string& path) {
    SLUICE_TRY(const u256 n, as_u256(v, w, path));
    return n.to_be();
}

template <class T, class F>
Result<std::vector<T>> as_array(const json& v, const Where& w, const std::string& path, F&& each) {
    if (!v.is_array()) return w.error(path, "expected an array");
    std::vector<T> out;
    out.reserve(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        SLUICE_TRY(T item, each(v[i], path + "[" + std::to_string(i) + "]"));
        out.push_back(std::move(item));
    }
    return out;
}

Result<std::shared_ptr<const evm::MemoryState>> parse_pre(const json& pre, const Where& w) {
    if (!pre.is_object()) return w.error("pre", "expected an object");
    auto state = std::make_shared<evm::MemoryState>();
    for (const auto& [key, acc] : pre.items()) {
        const std::string path = "pre." + key;
        SLUICE_TRY(const Address addr, as_address(json(key), w, path));
        SLUICE_TRY(const json* nonce_j, member(acc, "nonce", w, path));
        SLUICE_TRY(const json* balance_j, member(acc, "balance", w, path));
        SLUICE_TRY(const json* code_j, member(acc, "code", w, path));
        SLUICE_TRY(const json* storage_j, member(acc, "storage", w, path));
        SLUICE_TRY(const std::uint64_t nonce, as_u64(*nonce_j, w, path + ".nonce"));
        SLUICE_TRY(const u256 balance, as_u256(*balance_j, w, path + ".balance"));
        SLUICE_TRY(Bytes code, as_bytes_field(*code_j, w, path + ".code"));
        if (!storage_j->is_object()) return w.error(path + ".storage", "expected an object");
        std::unordered_map<Bytes32, u256> storage;
        for (const auto& [slot, value] : storage_j->items()) {
            SLUICE_TRY(const Bytes32 k, as_word(json(slot), w, path + ".storage key " + slot));
            SLUICE_TRY(const u256 v, as_u256(value, w, path + ".storage." + slot));
            storage[k] = v;
        }
        state->put_account(addr, nonce, balance, std::move(code), std::move(storage));
    }
    return std::shared_ptr<const evm::MemoryState>(std::move(state));
}

Result<evm::BlockInfo> parse_env(const json& env, const Where& w) {
    evm::BlockInfo b;
    SLUICE_TRY(const json* coinbase, member(env, "currentCoinbase", w, "env"));
    SLUICE_TRY(b.coinbase, as_address(*coinbase, w, "env.currentCoinbase"));
    SLUICE_TRY(const json* gas_limit, member(env, "currentGasLimit", w, "env"));
    SLUICE_TRY(b.gas_limit, as_i64(*gas_limit, w, "env.currentGasLimit"));
    SLUICE_TRY(const json* number, member(env, "currentNumber", w, "env"));
    SLUICE_TRY(b.number, as_i64(*number, w, "env.currentNumber"));
    SLUICE_TRY(const json* timestamp, member(env, "currentTimestamp", w, "env"));
    SLUICE_TRY(b.timestamp, as_i64(*timestamp, w, "env.currentTimestamp"));
    if (const auto it = env.find("currentBaseFee"); it != env.end()) {
        SLUICE_TRY(b.base_fee, as_u256(*it, w, "env.currentBaseFee"));
    }
    if (const auto it = env.find("currentDifficulty"); it != env.end()) {
        SLUICE_TRY(b.difficulty, as_u256(*it, w, "env.currentDifficulty"));
    }
    if (const auto it = env.find("currentRandom"); it != env.end()) {
        SLUICE_TRY(b.prev_randao, as_word(*it, w, "env.currentRandom"));
    }
    if (const auto it = env.find("currentExcessBlobGas"); it != env.end()) {
        SLUICE_TRY(b.excess_blob_gas, as_u64(*it, w, "env.currentExcessBlobGas"));
    }
    return b;
}

Result<std::vector<evm::AccessListEntry>> parse_access_list(const json& v, const Where& w, const std::string& path) {
    return as_array<evm::AccessListEntry>(v, w, path, [&](const json& e, const std::string& p) -> Result<evm::AccessListEntry> {
        evm::AccessListEntry entry;
        SLUICE_TRY(const json* addr, member(e, "address", w, p));
        SLUICE_TRY(entry.address, as_address(*addr, w, p + ".address"));
        SLUICE_TRY(const json* keys, member(e, "storageKeys", w, p));
        SLUICE_TRY(entry.storage_keys, as_array<Bytes32>(*keys, w, p + ".storageKeys", [&](const json& k, const std::string& kp) {
                       return as_word(k, w, kp);
                   }));
        return entry;
    });
}

Result<evm::Authorization> parse_authorization(const json& a, const Where& w, const std::string& p) {
    evm::Authorization auth;
    SLUICE_TRY(const json* chain_id, member(a, "chainId", w, p));
    SLUICE_TRY(auth.chain_id, as_u256(*chain_id, w, p + ".chainId"));
    SLUICE_TRY(const json* address, member(a, "address", w, p));
    SLUICE_TRY(auth.address, as_address(*address, w, p + ".address"));
    SLUICE_TRY(const json* nonce, member(a, "nonce", w, p));
    SLUICE_TRY(auth.nonce, as_u256(*nonce, w, p + ".nonce"));
    const auto parity_it = a.find("yParity") != a.end() ? a.find("yParity") : a.find("v");
    if (parity_it == a.end()) return w.error(p + ".yParity", "missing");
    SLUICE_TRY(auth.y_parity, as_u256(*parity_it, w, p + ".yParity"));
    SLUICE_TRY(const json* r, member(a, "r", w, p));
    SLUICE_TRY(auth.r, as_u256(*r, w, p + ".r"));
    SLUICE_TRY(const json* s, member(a, "s", w, p));
    SLUICE_TRY(auth.s, as_u256(*s, w, p + ".s"));
    return auth;
}

Result<TxMatrix> parse_transaction(const json& t, const Where& w) {
    TxMatrix m;
    evm::Transaction& tx = m.base;
    if (!t.is_object()) return w.error("transaction", "expected an object");
    SLUICE_TRY(const json* sender, member(t, "sender", w, "transaction"));
    SLUICE_TRY(tx.sender, as_address(*sender, w, "transaction.sender"));
    SLUICE_TRY(const json* nonce, member(t, "nonce", w, "transaction"));
    SLUICE_TRY(tx.nonce, as_u64(*nonce, w, "transaction.nonce"));
    SLUICE_TRY(const json* to, member(t, "to", w, "transaction"));
    SLUICE_TRY(const std::string to_text, as_string(*to, w, "transaction.to"));
    if (!to_text.empty()) {
        SLUICE_TRY(const Address to_addr, as_address(*to, w, "transaction.to"));
        tx.to = to_addr;
    }
    const bool dynamic = t.contains("maxFeePerGas");
    if (dynamic) {
        SLUICE_TRY(tx.max_fee_per_gas, as_u256(t["maxFeePerGas"], w, "transaction.maxFeePerGas"));
        SLUICE_TRY(const json* tip, member(t, "maxPriorityFeePerGas", w, "transaction"));
        SLUICE_TRY(tx.max_priority_fee_per_gas, as_u256(*tip, w, "transaction.maxPriorityFeePerGas"));
    } else {
        SLUICE_TRY(const json* price, member(t, "gasPrice", w, "transaction"));
        SLUICE_TRY(tx.gas_price, as_u256(*price, w, "transaction.gasPrice"));
    }
    tx.type = dynamic ? evm::TxType::dynamic_fee : evm::TxType::legacy;
    if (t.contains("accessLists")) {
        if (!dynamic) tx.type = evm::TxType::access_list;
        const json& lists = t["accessLists"];
        if (!lists.is_array()) return w.error("transaction.accessLists", "expected an array");
        for (std::size_t i = 0; i < lists.size(); ++i) {
            const std::string p = "transaction.accessLists[" + std::to_string(i) + "]";
            if (lists[i].is_null()) {
                m.access_lists.emplace_back();
                continue;
            }
            SLUICE_TRY(auto list, parse_access_list(lists[i], w, p));
            m.access_lists.push_back(std::move(list));
        }
    }
    if (t.contains("blobVersionedHashes")) {
        tx.type = evm::TxType::blob;
        SLUICE_TRY(tx.blob_hashes, as_array<Bytes32>(t["blobVersionedHashes"], w, "transaction.blobVersionedHashes",
                                                     [&](const json& h, const std::string& p) { return as_fixed<32>(h, w, p); }));
        SLUICE_TRY(const json* fee, member(t, "maxFeePerBlobGas", w, "transaction"));
        SLUICE_TRY(tx.max_fee_per_blob_gas, as_u256(*fee, w, "transaction.maxFeePerBlobGas"));
    }
    if (t.contains("authorizationList")) {
        tx.type = evm::TxType::set_code;
        SLUICE_TRY(tx.authorizations, as_array<evm::Authorization>(t["authorizationList"], w, "transaction.authorizationList",
                                                                   [&](const json& a, const std::string& p) {
                                                                       return parse_authorization(a, w, p);
                                                                   }));
    }
    SLUICE_TRY(const json* data, member(t, "data", w, "transaction"));
    SLUICE_TRY(m.data, as_array<Bytes>(*data, w, "transaction.data",
                                       [&](const json& d, const std::string& p) { return as_bytes_field(d, w, p); }));
    SLUICE_TRY(const json* gas, member(t, "gasLimit", w, "transaction"));
    SLUICE_TRY(m.gas_limits, as_array<std::uint64_t>(*gas, w, "transaction.gasLimit",
                                                     [&](const json& g, const std::string& p) { return as_u64(g, w, p); }));
    SLUICE_TRY(const json* value, member(t, "value", w, "transaction"));
    SLUICE_TRY(m.values, as_array<u256>(*value, w, "transaction.value",
                                        [&](const json& v, const std::string& p) { return as_u256(v, w, p); }));
    return m;
}

Result<std::vector<PostCase>> parse_post(const json& post, const Where& w) {
    if (!post.is_object()) return w.error("post", "expected an object");
    std::vector<PostCase> cases;
    for (const auto& [fork, entries] : post.items()) {
        if (!entries.is_array()) return w.error("post." + fork, "expected an array");
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const std::string p = "post." + fork + "[" + std::to_string(i) + "]";
            const json& e = entries[i];
            PostCase c;
            c.fork = fork;
            SLUICE_TRY(const json* indexes, member(e, "indexes", w, p));
            for (const auto& [field, target] : {std::pair<const char*, std::size_t*>{"data", &c.data_index},
                                                {"gas", &c.gas_index},
                                                {"value", &c.value_index}}) {
                SLUICE_TRY(const json* idx, member(*indexes, field, w, p + ".indexes"));
                if (!idx->is_number_unsigned()) return w.error(p + ".indexes." + field, "expected a non-negative integer");
                *target = idx->get<std::size_t>();
            }
            SLUICE_TRY(const json* hash, member(e, "hash", w, p));
            SLUICE_TRY(c.expected_root, as_fixed<32>(*hash, w, p + ".hash"));
            SLUICE_TRY(const json* logs, member(e, "logs", w, p));
            SLUICE_TRY(c.expected_logs, as_fixed<32>(*logs, w, p + ".logs"));
            if (const auto it = e.find("expectException"); it != e.end()) {
                SLUICE_TRY(c.expected_exception, as_string(*it, w, p + ".expectException"));
            }
            cases.push_back(std::move(c));
        }
    }
    return cases;
}

Result<std::map<std::string, evm::BlobParams>> parse_blob_schedule(const json& config, const Where& w) {
    std::map<std::string, evm::BlobParams> out;
    const auto it = config.find("blobSchedule");
    if (it == config.end()) return out;
    if (!it->is_object()) return w.error("config.blobSchedule", "expected an object");
    for (const auto& [fork, params] : it->items()) {
        const std::string p = "config.blobSchedule." + fork;
        evm::BlobParams bp;
        SLUICE_TRY(const json* target, member(params, "target", w, p));
        SLUICE_TRY(bp.target, as_u64(*target, w, p + ".target"));
        SLUICE_TRY(const json* max, member(params, "max", w, p));
        SLUICE_TRY(bp.max, as_u64(*max, w, p + ".max"));
        SLUICE_TRY(const json* fraction, member(params, "baseFeeUpdateFraction", w, p));
        SLUICE_TRY(bp.base_fee_update_fraction, as_u64(*fraction, w, p + ".baseFeeUpdateFraction"));
        if (bp.base_fee_update_fraction == 0) return w.error(p + ".baseFeeUpdateFraction", "must not be zero");
        out[fork] = bp;
    }
    return out;
}

Result<StateTest> parse_test(const std::string& file, const std::string& name, const json& t) {
    const Where w{file, name};
    if (!t.is_object()) return w.error("", "expected an object");
    StateTest test;
    test.file = file;
    test.name = name;
    SLUICE_TRY(const json* env, member(t, "env", w, ""));
    SLUICE_TRY(test.env, parse_env(*env, w));
    SLUICE_TRY(const json* pre, member(t, "pre", w, ""));
    SLUICE_TRY(test.pre, parse_pre(*pre, w));
    SLUICE_TRY(const json* tx, member(t, "transaction", w, ""));
    SLUICE_TRY(test.tx, parse_transaction(*tx, w));
    SLUICE_TRY(const json* post, member(t, "post", w, ""));
    SLUICE_TRY(test.cases, parse_post(*post, w));
    if (const auto it = t.find("config"); it != t.end()) {
        if (!it->is_object()) return w.error("config", "expected an object");
        SLUICE_TRY(test.blob_schedule, parse_blob_schedule(*it, w));
        if (const auto chain = it->find("chainid"); chain != it->end()) {
            SLUICE_TRY(test.env.chain_id, as_u256(*chain, w, "config.chainid"));
        }
    }
    return test;
}

}  // namespace

Result<evm::Transaction> StateTest::transaction(const PostCase& c) const {
    const Where w{file, name};
    const std::string p = "post." + c.fork + " indexes";
    if (c.data_index >= tx.data.size()) return w.error(p + ".data", "index past transaction.data");
    if (c.gas_index >= tx.gas_limits.size()) return w.error(p + ".gas", "index past transaction.gasLimit");
    if (c.value_index >= tx.values.size()) return w.error(p + ".value", "index past transaction.value");
    evm::Transaction t = tx.base;
    t.data = tx.data[c.data_index];
    t.gas_limit = tx.gas_limits[c.gas_index];
    t.value = tx.values[c.value_index];
    if (!tx.access_lists.empty()) {
        if (c.data_index >= tx.access_lists.size()) return w.error(p + ".data", "index past transaction.accessLists");
        t.access_list = tx.access_lists[c.data_index];
    }
    return t;
}

Result<std::vector<StateTest>> parse_state_tests(const std::string& file, std::string_view json_text) {
    json doc;
    try {
        doc = json::parse(json_text);
    } catch (const json::exception& e) {
        return make_error(Errc::json_parse, file + ": " + e.what());
    }
    if (!doc.is_object()) return make_error(Errc::json_bad_field, file + ": top level: expected an object of tests");
    std::vector<StateTest> tests;
    for (const auto& [name, body] : doc.items()) {
        SLUICE_TRY(StateTest test, parse_test(file, name, body));
        tests.push_back(std::move(test));
    }
    return tests;
}

Result<std::vector<StateTest>> load_state_test_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(Errc::io_error, path + ": cannot open");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_state_tests(path, ss.str());
}

}  // namespace sluice::statetest
