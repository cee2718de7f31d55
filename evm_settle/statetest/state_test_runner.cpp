// One state-test case: build the transaction, apply it to the pre state, compare root and logs hash.
#include "state_test_runner.hpp"

#include <iterator>

#include "sluice/core/hex.hpp"
#include "sluice/evm/transaction_processor.hpp"

namespace sluice::statetest {
namespace {

std::string precompile_reason(evm::PrecompileId id) {
    static constexpr const char* kNames[] = {"",           "ecrecover",   "sha256",        "ripemd160",
                                             "identity",   "modexp",      "bn254 add",     "bn254 mul",
                                             "bn254 pairing", "blake2f",  "KZG point evaluation",
                                             "BLS12-381 G1 add", "BLS12-381 G1 MSM", "BLS12-381 G2 add",
                                             "BLS12-381 G2 MSM", "BLS12-381 pairing", "BLS12-381 map to G1",
                                             "BLS12-381 map to G2", "P-256 verify"};
    const auto n = static_cast<unsigned>(id);
    const Address a = evm::precompile_address(id);
    const char* name = n < std::size(kNames) ? kNames[n] : "unknown";
    return "precompile " + to_hex(ByteView{a.data() + 18, 2}) + " (" + name + ") not implemented";
}

}  // namespace

bool revision_supported(evm::Revision rev) noexcept {
    return rev >= evm::Revision::london && rev <= evm::Revision::prague;
}

CaseResult run_case(const StateTest& test, const PostCase& c) {
    const auto rev = evm::revision_from_name(c.fork);
    if (!rev) return {Outcome::unsupported, "unknown fork " + c.fork};
    if (!revision_supported(*rev)) return {Outcome::unsupported, "fork " + c.fork + " not implemented"};

    auto tx = test.transaction(c);
    if (!tx) return {Outcome::failed, tx.error().message};

    evm::BlockInfo block = test.env;
    const auto schedule = test.blob_schedule.find(c.fork);
    block.blob_params = schedule != test.blob_schedule.end() ? schedule->second : evm::default_blob_params(*rev);

    auto executed = evm::apply_transaction(*test.pre, block, *tx, *rev);
    if (executed && executed->unsupported_precompile) {
        return {Outcome::unsupported, precompile_reason(*executed->unsupported_precompile)};
    }

    Hash root;
    Hash logs;
    if (!executed) {
        if (!c.expected_exception) return {Outcome::failed, "transaction rejected: " + executed.error().describe()};
        root = test.pre->state_root();
        logs = evm::logs_hash({});
    } else {
        if (c.expected_exception) {
            return {Outcome::failed, "transaction accepted, expected " + *c.expected_exception};
        }
        evm::MemoryState post = *test.pre;
        post.apply(executed->diff);
        root = post.state_root();
        logs = evm::logs_hash(executed->receipt.logs);
    }
    if (root != c.expected_root) {
        return {Outcome::failed, "root expected " + to_hex(c.expected_root.view()) + " got " + to_hex(root.view())};
    }
    if (logs != c.expected_logs) {
        return {Outcome::failed, "logs expected " + to_hex(c.expected_logs.view()) + " got " + to_hex(logs.view())};
    }
    return {Outcome::passed, {}};
}

}  // namespace sluice::statetest
