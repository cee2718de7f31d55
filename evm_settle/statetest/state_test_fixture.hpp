// Loading state-test fixtures (execution-spec-tests / ethereum/tests format, see
// tests/fixtures/README.md) into typed cases. Every malformed field is reported with the file,
// the test and the JSON path of the field.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sluice/core/result.hpp"
#include "sluice/evm/block_info.hpp"
#include "sluice/evm/memory_state.hpp"
#include "sluice/evm/revision.hpp"
#include "sluice/evm/transaction.hpp"

namespace sluice::statetest {

// One post entry: a fork and the data/gas/value indexes that select the transaction.
struct PostCase {
    std::string fork;
    std::size_t data_index = 0;
    std::size_t gas_index = 0;
    std::size_t value_index = 0;
    Hash expected_root;
    Hash expected_logs;
    std::optional<std::string> expected_exception;
};

// The transaction matrix: one template, indexed by data/gas/value.
struct TxMatrix {
    evm::Transaction base;  // everything except data, gas limit, value, access list
    std::vector<Bytes> data;
    std::vector<std::uint64_t> gas_limits;
    std::vector<u256> values;
    std::vector<std::vector<evm::AccessListEntry>> access_lists;  // empty or one per data entry
};

struct StateTest {
    std::string file;
    std::string name;
    std::shared_ptr<const evm::MemoryState> pre;
    evm::BlockInfo env;  // blob_params filled per fork from `blob_schedule`
    std::map<std::string, evm::BlobParams> blob_schedule;
    TxMatrix tx;
    std::vector<PostCase> cases;

    // The transaction of one case (bad indexes are a fixture error).
    Result<evm::Transaction> transaction(const PostCase& c) const;
};

// Parses every test in one fixture file's text; `file` is only used in error messages.
Result<std::vector<StateTest>> parse_state_tests(const std::string& file, std::string_view json_text);
Result<std::vector<StateTest>> load_state_test_file(const std::string& path);

}  // namespace sluice::statetest
