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
interface IAdjudicator { function claim(address asset, address to) external; }
contract Hostile {
    address public adjudicator;
    uint256 public mode;
    bytes public payload;
    function arm(address a, uint256 m, bytes calldata p) external { adjudicator = a; mode = m; payload = p; }
    function collect(address to) external { IAdjudicator(adjudicator).claim(address(0), to); }
    receive() external payable {
        if (mode == 1) {
            (bool ok, bytes memory ret) = adjudicator.call(payload);
            if (!ok) assembly { revert(add(ret, 32), mload(ret)) }
        } else if (mode == 2) {
            while (true) {}
        } else if (mode == 3) {
            // A recipient that refuses a payment unless it got (about) its whole cap, e.g. a wallet that checks
            // it can finish its bookkeeping before it starts: 50,000 + the 2,300 stipend, less the ~2,500 this
            // function has spent (the cold read of mode) when it gets here.
            if (gasleft() < 45_000) revert();
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
    await (await h.deposit(adj, params, h.ZERO, 0n, E(2))).wait();
    const state = h.makeState(params, { version: 1, outcome: [h.ethAlloc([E(1.5), E(0.5)])], isFinal: true });
    await (await adj.conclude(params, state, h.signAll(members, params, state))).wait();
    return { params, state, cid };
  }

  for (const [mode, what] of [[1, 're-enters withdraw'], [2, 'burns all gas']]) {
    it(`pays the others and defers the share of a recipient that ${what}`, async function () {
      const { params, state, cid } = await concludedChannel();
      const [caller] = await ethers.getSigners();
      const contract = new ethers.Contract(hostile.address, compiled.abi, caller);
      const payload = adj.interface.encodeFunctionData('withdraw', [params, state, h.concluded(state)]);
      await (await contract.arm(await adj.getAddress(), mode, payload)).wait();

      const honestBefore = await ethers.provider.getBalance(honest.address);
      const hostileBefore = await ethers.provider.getBalance(hostile.address);
      const tx = adj.withdraw(params, state, h.concluded(state), { gasLimit: 1_000_000 });
      await expect(tx).to.emit(adj, 'PayoutDeferred').withArgs(hostile.address, h.ZERO, E(0.5));
      // Withdrawn only for the share actually paid (#18 §7).
      const withdrawn = (await (await tx).wait()).logs.map((l) => adj.interface.parseLog(l)).filter((e) => e && e.name === 'Withdrawn');
      expect(withdrawn.map((e) => e.args.participant)).to.deep.equal([honest.address]);
      expect((await (await tx).wait()).gasUsed).to.be.below(200_000n);
      expect(await ethers.provider.getBalance(honest.address)).to.equal(honestBefore + E(1.5));
      expect(await ethers.provider.getBalance(hostile.address)).to.equal(hostileBefore);
      expect(await adj.holdings(cid, h.ZERO)).to.equal(0n);
      expect(await adj.unclaimed(hostile.address, h.ZERO)).to.equal(E(0.5));

      // Once it behaves, it collects exactly its share, once.
      await (await contract.arm(await adj.getAddress(), 0, '0x')).wait();
      await (await contract.collect(hostile.address)).wait();
      expect(await ethers.provider.getBalance(hostile.address)).to.equal(hostileBefore + E(0.5));
      await expect(contract.collect(hostile.address)).to.be.reverted;
      expect(await ethers.provider.getBalance(await adj.getAddress())).to.equal(0n);
    });
  }

  it('refuses a withdraw given too little gas to honour the payout cap', async function () {
    const { params, state } = await concludedChannel();
    const [caller] = await ethers.getSigners();
    const contract = new ethers.Contract(hostile.address, compiled.abi, caller);
    await (await contract.arm(await adj.getAddress(), 0, '0x')).wait();
    await expect(adj.withdraw(params, state, h.concluded(state), { gasLimit: 90_000 })).to.be.revertedWithCustomError(adj, 'InsufficientGas');
    expect(await adj.unclaimed(hostile.address, h.ZERO)).to.equal(0n);
  });

  // #18 §7: an address that can never receive (here: it always reverts) directs its deferred payout elsewhere.
  it('claim(asset, to) pays a deferred share to another address', async function () {
    const { params, state } = await concludedChannel();
    const [caller, elsewhere] = await ethers.getSigners();
    const contract = new ethers.Contract(hostile.address, compiled.abi, caller);
    await (await contract.arm(await adj.getAddress(), 2, '0x')).wait();
    await (await adj.withdraw(params, state, h.concluded(state))).wait();
    const before = await ethers.provider.getBalance(elsewhere.address);
    await expect(contract.collect(elsewhere.address)).to.emit(adj, 'Claimed').withArgs(hostile.address, h.ZERO, elsewhere.address, E(0.5));
    expect(await ethers.provider.getBalance(elsewhere.address)).to.equal(before + E(0.5));
    expect(await adj.unclaimed(hostile.address, h.ZERO)).to.equal(0n);
  });

  // #18 §7: the margin left out the CALL's own cost, so some gas limit passed the check yet left the recipient
  // less than its cap: its payout was deferred on the caller's choice. Now every gas limit either reverts
  // (InsufficientGas, or out of gas) or pays it. With the old margin this scan finds a deferring limit.
  it('no gas limit pushes a recipient that needs its cap into unclaimed', async function () {
    const { params, state } = await concludedChannel();
    const [caller] = await ethers.getSigners();
    const contract = new ethers.Contract(hostile.address, compiled.abi, caller);
    await (await contract.arm(await adj.getAddress(), 3, '0x')).wait();
    const call = h.concluded(state);
    let outcome;
    for (let gasLimit = 100_000; gasLimit <= 400_000 && !outcome; gasLimit += 500) {
      try {
        const receipt = await (await adj.withdraw(params, state, call, { gasLimit })).wait();
        outcome = { gasLimit, receipt };
      } catch (e) {
        const data = typeof e.data === 'string' ? e.data : e.data?.data;
        const reason = data && data !== '0x' ? adj.interface.parseError(data)?.name : undefined;
        expect(['InsufficientGas', undefined]).to.include(reason);
      }
    }
    expect(outcome, 'some gas limit succeeds').to.not.equal(undefined);
    const names = outcome.receipt.logs.map((l) => adj.interface.parseLog(l)?.name);
    expect(names).to.not.include('PayoutDeferred');
    expect(await adj.unclaimed(hostile.address, h.ZERO)).to.equal(0n);
  });

  // #18 §7: deposit credited `amount`, so a fee-on-transfer token let one channel be paid from another's tokens.
  it('credits what a fee-on-transfer token actually delivered', async function () {
    const FEE_SOURCE = `
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;
contract FeeToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    function mint(address to, uint256 v) external { balanceOf[to] += v; }
    function approve(address s, uint256 v) external returns (bool) { allowance[msg.sender][s] = v; return true; }
    function transfer(address to, uint256 v) external returns (bool) { return move(msg.sender, to, v); }
    function transferFrom(address f, address to, uint256 v) external returns (bool) { allowance[f][msg.sender] -= v; return move(f, to, v); }
    function move(address f, address to, uint256 v) internal returns (bool) { balanceOf[f] -= v; balanceOf[to] += v - v / 100; return true; }
}`;
    const out = JSON.parse(solc.compile(JSON.stringify({
      language: 'Solidity',
      sources: { 'FeeToken.sol': { content: FEE_SOURCE } },
      settings: { evmVersion: 'cancun', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
    })));
    const c = out.contracts['FeeToken.sol'].FeeToken;
    const [signer] = await ethers.getSigners();
    const fee = await new ethers.ContractFactory(c.abi, c.evm.bytecode.object, signer).deploy();
    await fee.waitForDeployment();
    await (await fee.mint(signer.address, 1000n)).wait();
    await (await fee.approve(await adj.getAddress(), 1000n)).wait();
    const a = await h.makeParams(adj, [honest, hostile], { nonce: ++nonce });
    const b = await h.makeParams(adj, [honest, hostile], { nonce: ++nonce });
    await expect(h.deposit(adj, a, await fee.getAddress(), 0n, 100n))
      .to.emit(adj, 'Deposited').withArgs(h.channelIdOf(a), await fee.getAddress(), signer.address, 99n, 99n);
    await (await h.deposit(adj, b, await fee.getAddress(), 0n, 100n)).wait();
    expect(await adj.holdings(h.channelIdOf(a), await fee.getAddress())).to.equal(99n);
    expect(await fee.balanceOf(await adj.getAddress())).to.equal(198n);
  });
});
