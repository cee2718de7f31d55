// GoogleTest fixture for interpreter tests: a TestHost, a revision, and helpers to run a code and
// inspect status, gas used and output.
#pragma once

#include <gtest/gtest.h>

#include "bytecode.hpp"
#include "test_host.hpp"

namespace sluice::evm::test {

class EvmTest : public ::testing::Test {
protected:
    TestHost host;
    Revision rev = Revision::prague;
    Message msg;
    ExecutionResult result;
    std::int64_t gas_limit = 1'000'000;

    const Address kSelf = Address::from_hex("0x000000000000000000000000000000000000c0de").value();
    const Address kCaller = Address::from_hex("0x00000000000000000000000000000000000ca11e").value();

    EvmTest() {
        msg.recipient = kSelf;
        msg.code_address = kSelf;
        msg.sender = kCaller;
        host.accounts[kSelf];
    }

    // Runs `code` as kSelf's code with `input`; the transaction-level warm set (sender, recipient)
    // is pre-warmed as a real transaction would.
    const ExecutionResult& run(const Bytes& code, ByteView input = {}) {
        host.rev = rev;
        host.accounts[kSelf].code = code;
        host.warm_accounts.insert(kSelf);
        host.warm_accounts.insert(kCaller);
        msg.gas = gas_limit;
        msg.input = input;
        result = execute(host, rev, msg, code);
        return result;
    }

    std::int64_t gas_used() const { return gas_limit - result.gas_left; }

    u256 output_word() const {
        EXPECT_EQ(result.output.size(), 32U);
        return result.output.size() == 32 ? u256::load_be(result.output.data()) : u256{};
    }
};

}  // namespace sluice::evm::test
