// The compiled Sluice contracts (adjudicator, apps, test token) as committed JSON artifacts, embedded at build
// time. Each artifact is an object with contractName, abi, bytecode (creation), deployedBytecode (runtime),
// compiler {name, version}, settings, sourceHash and sourceFiles; contracts/README.md documents sourceHash.
#pragma once

#include <string_view>
#include <vector>

namespace sluice::contracts {

// The artifact JSON of contract `name` (e.g. "Adjudicator", "LoanApp", "TestToken"); empty when unknown.
std::string_view artifact_json(std::string_view name) noexcept;

// The names of all embedded artifacts, sorted.
std::vector<std::string_view> artifact_names();

}  // namespace sluice::contracts
