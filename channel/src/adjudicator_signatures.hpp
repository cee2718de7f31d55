// The Params and State tuple types as they appear inside the adjudicator's function, event and error
// signatures (string literals, so the signatures can be compile-time constants). They must equal
// params_abi_type().canonical() and state_abi_type().canonical(); tests/channel/adjudicator_abi_test.cpp checks.
#pragma once

#define SLUICE_ABI_PARAMS "(uint256,address,address[],uint64,uint48,address)"
#define SLUICE_ABI_STATE "(bytes32,uint64,(address,uint256[],(bytes32,uint256,uint16,uint16,uint64)[])[],bytes,bool)"
