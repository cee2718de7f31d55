// libFuzzer: random code and calldata run on the in-memory test host (nested calls and creates
// execute too) under a gas cap, for a revision picked by the first byte. Never crashes; gas left is
// never negative or above the limit, and only success/revert keep gas.
#include <cstdlib>

#include "../evm/test_host.hpp"
#include "sluice/evm/interpreter.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sluice;
    using namespace sluice::evm;
    if (size < 3) return 0;
    const auto rev = static_cast<Revision>(data[0] % kNumRevisions);
    const std::size_t code_size = std::min<std::size_t>(size - 3, (std::size_t{data[1]} << 8) | data[2]);
    const ByteView code{data + 3, code_size};
    const ByteView input{data + 3 + code_size, size - 3 - code_size};

    test::TestHost host;
    host.rev = rev;
    const Address self = Address::from_hex("0x000000000000000000000000000000000000c0de").value();
    const Address other = Address::from_hex("0x0000000000000000000000000000000000000bad").value();
    host.accounts[self].code.assign(code.begin(), code.end());
    host.accounts[self].balance = 1'000'000;
    host.accounts[other].code = {0x60, 0x01, 0x60, 0x00, 0x55, 0x60, 0x20, 0x60, 0x00, 0xfd};  // sstore, revert
    host.tx.block_number = 1000;
    host.warm_accounts.insert(self);

    Message msg;
    msg.recipient = self;
    msg.code_address = self;
    msg.sender = other;
    msg.gas = 200'000;
    msg.input = input;
    const ExecutionResult r = execute(host, rev, msg, code);
    if (r.gas_left < 0 || r.gas_left > msg.gas) std::abort();
    if (r.status != StatusCode::success && r.status != StatusCode::revert && r.gas_left != 0) std::abort();
    if (r.status != StatusCode::success && r.gas_refund != 0) std::abort();
    return 0;
}
