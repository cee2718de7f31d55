// EIP-4844 BLOBHASH (3 gas, zero past the list) and EIP-7516 BLOBBASEFEE (2 gas), Cancun+.
#include "evm_fixture.hpp"

namespace sluice::evm::test {
namespace {

using O = Opcode;

class Eip4844Test : public EvmTest {
protected:
    std::vector<Bytes32> hashes;
    Eip4844Test() {
        hashes.push_back(u256{0x0111}.to_be());
        hashes.push_back(u256{0x0122}.to_be());
        host.tx.blob_hashes = hashes;
        host.tx.blob_base_fee = 0x1234;
    }
};

TEST_F(Eip4844Test, Blobhash) {
    run(push(1) + O::BLOBHASH + ret_top());
    EXPECT_EQ(output_word(), u256{0x0122});
    EXPECT_EQ(gas_used(), 3 + 3 + 15);
    run(push(0) + O::BLOBHASH + ret_top());
    EXPECT_EQ(output_word(), u256{0x0111});
    run(push(2) + O::BLOBHASH + ret_top());
    EXPECT_EQ(output_word(), u256{0});
    run(push(u256::max()) + O::BLOBHASH + ret_top());
    EXPECT_EQ(output_word(), u256{0});
}

TEST_F(Eip4844Test, Blobbasefee) {
    run(O::BLOBBASEFEE + ret_top());
    EXPECT_EQ(output_word(), u256{0x1234});
    EXPECT_EQ(gas_used(), 2 + 15);
}

TEST_F(Eip4844Test, UndefinedBeforeCancun) {
    rev = Revision::shanghai;
    run(push(0) + O::BLOBHASH);
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
    run(bytes(O::BLOBBASEFEE));
    EXPECT_EQ(result.status, StatusCode::undefined_instruction);
}

}  // namespace
}  // namespace sluice::evm::test
