// Runs every case of ethereum/tests TransactionTests (tests/fixtures/ethereum_tests/TransactionTests) through
// decode_transaction and check_transaction at the newest fork the case names (Prague, else Cancun, else
// Shanghai, …; chain id 1, as the fillers use). A valid case must decode to the expected sender and hash
// with the expected intrinsic gas; an invalid one must be refused, for the reason its exception names
// (a class of our error codes per exception, below). The counts of both are asserted, so a case that
// silently went missing fails too.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "sluice/core/hex.hpp"
#include "sluice/evm/tx_validation.hpp"
#include "sluice/l1/signed_transaction.hpp"

namespace sluice::l1 {
namespace {

namespace fs = std::filesystem;
using evm::Revision;

const fs::path kDir = fs::path(SLUICE_FIXTURES_DIR) / "ethereum_tests" / "TransactionTests";

// Newest first, with the revision each fixture fork name means.
const std::vector<std::pair<std::string, Revision>>& forks() {
    static const std::vector<std::pair<std::string, Revision>> f = {
        {"Prague", Revision::prague},
        {"Cancun", Revision::cancun},
        {"Shanghai", Revision::shanghai},
        {"Paris", Revision::paris},
        {"London", Revision::london},
        {"Berlin", Revision::berlin},
        {"Istanbul", Revision::istanbul},
        {"ConstantinopleFix", Revision::petersburg},
        {"Constantinople", Revision::constantinople},
        {"Byzantium", Revision::byzantium},
        {"EIP158", Revision::spurious_dragon},
        {"EIP150", Revision::tangerine_whistle},
        {"Homestead", Revision::homestead},
        {"Frontier", Revision::frontier},
    };
    return f;
}

// The codes that count as the reason an exception names.
std::set<Errc> expected_codes(const std::string& exception) {
    const std::string name = exception.substr(exception.find('.') + 1);
    const std::set<Errc> rlp_errors = {Errc::rlp_truncated,
                                       Errc::rlp_non_canonical,
                                       Errc::rlp_length_overflow,
                                       Errc::rlp_trailing_bytes,
                                       Errc::rlp_unexpected_type,
                                       Errc::tx_malformed,
                                       Errc::overflow};
    if (name.rfind("RLP_LEADING_ZEROS", 0) == 0 || name == "RLP_ERROR_SIZE_LEADING_ZEROS")
        return {Errc::rlp_non_canonical};
    if (name == "RLP_TOO_FEW_ELEMENTS" || name == "RLP_TOO_MANY_ELEMENTS") return {Errc::tx_malformed};
    if (name.rfind("RLP_INVALID_ACCESS_LIST", 0) == 0 || name.rfind("ADDRESS_TOO", 0) == 0)
        return {Errc::tx_malformed};
    if (name.rfind("RLP_", 0) == 0) return rlp_errors;
    static const std::map<std::string, std::set<Errc>> table = {
        // A v naming another chain, or none; with a v far out of range our decoder may first find the
        // signature itself invalid (it recovers the sender before any chain is known).
        {"INVALID_CHAINID", {Errc::tx_wrong_chain_id, Errc::tx_bad_signature}},
        {"INVALID_SIGNATURE_VRS", {Errc::tx_bad_signature}},
        {"EC_RECOVERY_FAIL", {Errc::tx_bad_signature}},
        {"INTRINSIC_GAS_TOO_LOW", {Errc::tx_intrinsic_gas_too_low}},
        {"NONCE_OVERFLOW", {Errc::overflow}},
        {"NONCE_TOO_BIG", {Errc::tx_nonce_max}},
        // TransactionWithGasLimitOverflowZeros64 is zero-padded and too wide: both reasons are true.
        {"GASLIMIT_OVERFLOW", {Errc::overflow, Errc::rlp_non_canonical}},
        {"GASLIMIT_PRICE_PRODUCT_OVERFLOW", {Errc::overflow}},
        {"GASPRICE_OVERFLOW", {Errc::overflow}},
        {"PRIORITY_OVERFLOW", {Errc::overflow}},
        {"VALUE_OVERFLOW", {Errc::overflow}},
        {"PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS_2", {Errc::tx_priority_fee_above_fee_cap}},
        {"INITCODE_SIZE_EXCEEDED", {Errc::tx_initcode_too_large}},
        {"TYPE_NOT_SUPPORTED", {Errc::tx_type_not_supported, Errc::tx_malformed}},
    };
    const auto it = table.find(name);
    return it == table.end() ? std::set<Errc>{} : it->second;
}

struct Counts {
    std::size_t valid = 0;
    std::size_t invalid = 0;
};

Counts run_case(const std::string& id, const nlohmann::json& test) {
    Counts counts;
    const auto fork = std::find_if(forks().begin(), forks().end(),
                                   [&](const auto& f) { return test.at("result").contains(f.first); });
    if (fork == forks().end()) {
        ADD_FAILURE() << id << ": no fork we know";
        return counts;
    }
    SCOPED_TRACE(id + " at " + fork->first);
    const nlohmann::json& expect = test.at("result").at(fork->first);
    const auto raw = from_hex(test.at("txbytes").get<std::string>());
    if (!raw.ok()) {
        ADD_FAILURE() << "txbytes is not hex";
        return counts;
    }
    const auto decoded = decode_transaction(*raw);
    const Status checked =
        decoded.ok() ? check_transaction(*decoded, fork->second, u256{1}) : Status{decoded.error()};
    if (!expect.contains("exception")) {
        ++counts.valid;
        EXPECT_TRUE(checked.ok()) << checked.error().describe();
        if (!checked.ok()) return counts;
        EXPECT_EQ(decoded->tx.sender.to_hex(), expect.at("sender").get<std::string>());
        EXPECT_EQ(to_hex(decoded->hash.view()), expect.at("hash").get<std::string>());
        const auto gas = evm::intrinsic_gas(decoded->tx, fork->second);
        EXPECT_EQ(u256{static_cast<std::uint64_t>(gas.intrinsic)},
                  u256::from_string(expect.at("intrinsicGas").get<std::string>()).value());
        // What decodes encodes back to the same bytes.
        EXPECT_EQ(encode_transaction(*decoded).value(), *raw);
        return counts;
    }
    ++counts.invalid;
    const std::string exception = expect.at("exception").get<std::string>();
    EXPECT_FALSE(checked.ok()) << "accepted a transaction the fixture calls " << exception;
    if (checked.ok()) return counts;
    const std::set<Errc> codes = expected_codes(exception);
    EXPECT_FALSE(codes.empty()) << "no reason mapped for " << exception;
    EXPECT_TRUE(codes.count(checked.error().code))
        << exception << " refused as " << checked.error().describe();
    return counts;
}

TEST(TransactionFixtures, EveryCaseAcceptedOrRefusedForItsReason) {
    ASSERT_TRUE(fs::is_directory(kDir)) << kDir;
    Counts total;
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(kDir)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
        ++files;
        std::ifstream in(entry.path());
        const auto doc = nlohmann::json::parse(in);
        for (const auto& [name, test] : doc.items()) {
            const Counts c = run_case(entry.path().filename().string() + "/" + name, test);
            total.valid += c.valid;
            total.invalid += c.invalid;
        }
    }
    EXPECT_EQ(files, 210u);
    EXPECT_EQ(total.valid, 50u);
    EXPECT_EQ(total.invalid, 160u);
}

}  // namespace
}  // namespace sluice::l1
