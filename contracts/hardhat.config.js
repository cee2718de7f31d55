// Hardhat runs the contract tests on its in-process network only. The tests deploy the committed artifacts
// built by ./build (the bytes C++ embeds), so hardhat itself compiles nothing: its sources path is empty.
require('@nomicfoundation/hardhat-toolbox');

module.exports = {
  paths: {
    sources: './test/no-sources',
    artifacts: './build-hardhat/artifacts',
    cache: './build-hardhat/cache',
    tests: './test',
  },
  networks: {
    hardhat: { hardfork: 'cancun', blockGasLimit: 60_000_000 },
  },
  mocha: { timeout: 600_000 },
};
