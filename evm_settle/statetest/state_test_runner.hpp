// Running one state-test case and classifying the outcome (passed / failed / unsupported).
#pragma once

#include <string>

#include "state_test_fixture.hpp"

namespace sluice::statetest {

enum class Outcome : std::uint8_t { passed, failed, unsupported };

struct CaseResult {
    Outcome outcome = Outcome::failed;
    std::string detail;  // failure description, or the unsupported reason (grouping key)
};

// Revisions this runner executes; other forks are reported as unsupported.
bool revision_supported(evm::Revision rev) noexcept;

CaseResult run_case(const StateTest& test, const PostCase& c);

}  // namespace sluice::statetest
