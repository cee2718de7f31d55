// The custom errors a contract declares, as signatures ("ChallengeTooLong(uint256)"), read from its embedded
// artifact's ABI: what l1::decode_revert and the L1 client need to name an adjudicator revert.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sluice::contracts {

// Empty for an unknown contract. Tuple parameters are written as their canonical "(T1,...)" form.
std::vector<std::string> error_signatures(std::string_view contract);

}  // namespace sluice::contracts
