// Hostile payout recipients: a participant account carrying code (as an EIP-7702 delegated EOA can) that
// re-enters the adjudicator or burns all gas. The other participants must still be paid, nothing may be paid
// twice, and the hostile share must stay claimable.
'use strict';
const { expect } = require('chai');
const { ethers, network } = require('hardhat');
const solc = require('solc');
const h = require('./helpers');

const E = (n) => ethers.parseEther(String(n));

const HOSTILE_SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
interface IAdjudicator { function claim(address asset) external; }
contract Hostile {
    address public adjudicator;
    uint256 public mode;
    bytes public payload;
    function arm(address a, uint256 m, bytes calldata p) external { adjudicator = a; mode = m; payload = p; }
    function collect() external { IAdjudicator(adjudicator).claim(address(0)); }
    receive() external payable {
        if (mode == 1) {
            (bool ok, bytes memory ret) = adjudicator.call(payload);
            if (!ok) assembly { revert(add(ret, 32), mload(ret)) }
        } else if (mode == 2) {
            while (true) {}
        }
    }
}`;

function compileHostile() {
  const input = {
    language: 'Solidity',
    sources: { 'Hostile.sol': { content: HOSTILE_SOURCE } },
    settings: { evmVersion: 'cancun', outputSelection: { '*': { '*': ['abi', 'evm.deployedBytecode.object'] } } },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const c = out.contracts['Hostile.sol'].Hostile;
  return { abi: c.abi, runtime: '0x' + c.evm.deployedBytecode.object };
}

describe('Adjudicator against hostile recipients', function () {
  let adj;
  let hostile;
  let honest;
  let nonce = 1;
  let compiled;

  before(async function () {
    compiled = compileHostile();
    adj = await h.deploy('Adjudicator');
    [honest, hostile] = await h.wallets(2, 'hostile');
    await network.provider.send('hardhat_setCode', [hostile.address, compiled.runtime]);
  });

  async function concludedChannel() {
    const members = [honest, hostile];
    const params = await h.makeParams(adj, members, { nonce: ++nonce });
    const cid = h.channelIdOf(params);
    await (await adj.deposit(cid, h.ZERO, E(2), { value: E(2) })).wait();
    const state = h.makeState(params, { version: 1, outcome: [h.ethAlloc([E(1.5), E(0.5)])], isFinal: true });
    await (await adj.conclude(params, state, h.signAll(members, params, state))).wait();
    return { params, state, cid };
  }

  for (const [mode, what] of [[1, 're-enters withdraw'], [2, 'burns all gas']]) {
    it(`pays the others and defers the share of a recipient that ${what}`, async function () {
      const { params, state, cid } = await concludedChannel();
      const [caller] = await ethers.getSigners();
      const contract = new ethers.Contract(hostile.address, compiled.abi, caller);
      const payload = adj.interface.encodeFunctionData('withdraw', [params, state, 0]);
      await (await contract.arm(await adj.getAddress(), mode, payload)).wait();

      const honestBefore = await ethers.provider.getBalance(honest.address);
      const hostileBefore = await ethers.provider.getBalance(hostile.address);
      const tx = adj.withdraw(params, state, 0, { gasLimit: 1_000_000 });
      await expect(tx).to.emit(adj, 'PayoutDeferred').withArgs(hostile.address, h.ZERO, E(0.5));
      expect((await (await tx).wait()).gasUsed).to.be.below(200_000n);
      expect(await ethers.provider.getBalance(honest.address)).to.equal(honestBefore + E(1.5));
      expect(await ethers.provider.getBalance(hostile.address)).to.equal(hostileBefore);
      expect(await adj.holdings(cid, h.ZERO)).to.equal(0n);
      expect(await adj.unclaimed(hostile.address, h.ZERO)).to.equal(E(0.5));

      // Once it behaves, it collects exactly its share, once.
      await (await contract.arm(await adj.getAddress(), 0, '0x')).wait();
      await (await contract.collect()).wait();
      expect(await ethers.provider.getBalance(hostile.address)).to.equal(hostileBefore + E(0.5));
      await expect(contract.collect()).to.be.reverted;
      expect(await ethers.provider.getBalance(await adj.getAddress())).to.equal(0n);
    });
  }

  it('refuses a withdraw given too little gas to honour the payout cap', async function () {
    const { params, state } = await concludedChannel();
    const [caller] = await ethers.getSigners();
    const contract = new ethers.Contract(hostile.address, compiled.abi, caller);
    await (await contract.arm(await adj.getAddress(), 0, '0x')).wait();
    await expect(adj.withdraw(params, state, 0, { gasLimit: 90_000 })).to.be.revertedWithCustomError(adj, 'InsufficientGas');
    expect(await adj.unclaimed(hostile.address, h.ZERO)).to.equal(0n);
  });
});
