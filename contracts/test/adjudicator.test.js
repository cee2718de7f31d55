// Adjudicator on hardhat's in-process network: every entry point, its failure paths, and gas per operation.
'use strict';
const { expect } = require('chai');
const { ethers } = require('hardhat');
const { time } = require('@nomicfoundation/hardhat-network-helpers');
const h = require('./helpers');

const E = (n) => ethers.parseEther(String(n));

async function registeredFrom(adj, tx) {
  const receipt = await tx.wait();
  for (const log of receipt.logs) {
    const parsed = adj.interface.parseLog(log);
    if (parsed && parsed.name === 'Registered') {
      return { version: parsed.args.version, finalizesAt: parsed.args.finalizesAt, stateHash: parsed.args.stateHash, receipt };
    }
  }
  throw new Error('no Registered event');
}

describe('Adjudicator', function () {
  let adj;
  let token;
  let parts;
  let nonce = 1000;

  before(async function () {
    adj = await h.deploy('Adjudicator');
    token = await h.deploy('TestToken', 'Test', 'TST');
    parts = await h.wallets(16);
  });

  async function fundedChannel(n, amounts, opts = {}) {
    const members = parts.slice(0, n);
    const params = await h.makeParams(adj, members, { nonce: ++nonce, ...opts });
    const cid = h.channelIdOf(params);
    const total = amounts.reduce((a, b) => a + b, 0n);
    await (await adj.deposit(cid, h.ZERO, total, { value: total })).wait();
    return { members, params, cid };
  }

  describe('views shared with C++', function () {
    it('channelId equals keccak256(abi.encode(Params)) and the digest equals ethers EIP-712', async function () {
      const params = await h.makeParams(adj, parts.slice(0, 3), { nonce: 7, app: parts[5].address });
      expect(await adj.channelId(params)).to.equal(h.channelIdOf(params));
      const state = h.makeState(params, {
        version: 9,
        outcome: [
          h.ethAlloc([1n, 2n, 3n], [{ hashlock: ethers.id('x'), amount: 5n, from: 0, to: 2, expiry: 123 }]),
          { asset: await token.getAddress(), balances: [7n, 0n, 1n], locks: [] },
        ],
        appData: '0xdeadbeef',
        isFinal: true,
      });
      expect(await adj.stateDigest(state)).to.equal(h.digestOf(params, state));
      expect(await adj.hashState(state)).to.equal(ethers.TypedDataEncoder.from(h.TYPES).hash(state));
      expect(await adj.domainSeparator()).to.equal(ethers.TypedDataEncoder.hashDomain(h.domainOf(params)));
    });
  });

  describe('deposit', function () {
    it('accepts ETH and ERC-20 and records holdings', async function () {
      const params = await h.makeParams(adj, parts.slice(0, 2), { nonce: ++nonce });
      const cid = h.channelIdOf(params);
      h.recordGas('deposit_eth', await h.gasOf(adj.deposit(cid, h.ZERO, E(1), { value: E(1) })));
      h.recordGas('deposit_eth_second', await h.gasOf(adj.deposit(cid, h.ZERO, E(1), { value: E(1) })));
      expect(await adj.holdings(cid, h.ZERO)).to.equal(E(2));

      const [signer] = await ethers.getSigners();
      await (await token.mint(signer.address, E(100))).wait();
      await (await token.approve(await adj.getAddress(), E(100))).wait();
      const tx = adj.deposit(cid, await token.getAddress(), E(3));
      h.recordGas('deposit_erc20', await h.gasOf(tx));
      expect(await adj.holdings(cid, await token.getAddress())).to.equal(E(3));
      await expect(adj.deposit(cid, h.ZERO, 5n, { value: 5n }))
        .to.emit(adj, 'Deposited')
        .withArgs(cid, h.ZERO, signer.address, 5n, E(2) + 5n);
    });

    it('rejects a wrong value, zero amount, a non-token and a failing transferFrom', async function () {
      const cid = ethers.id('some channel');
      await expect(adj.deposit(cid, h.ZERO, 2n, { value: 1n })).to.be.revertedWithCustomError(adj, 'WrongValue');
      await expect(adj.deposit(cid, h.ZERO, 0n)).to.be.revertedWithCustomError(adj, 'ZeroAmount');
      await expect(adj.deposit(cid, await token.getAddress(), 1n, { value: 1n }))
        .to.be.revertedWithCustomError(adj, 'WrongValue');
      await expect(adj.deposit(cid, parts[3].address, 1n)).to.be.revertedWithCustomError(adj, 'NotAToken');
      const [, other] = await ethers.getSigners();
      await expect(adj.connect(other).deposit(cid, await token.getAddress(), 1n))
        .to.be.revertedWithCustomError(adj, 'TokenTransferFailed');
    });
  });

  describe('conclude', function () {
    for (const n of [2, 16]) {
      it(`settles a final state signed by all ${n} participants, and withdraw pays everyone once`, async function () {
        const amounts = Array.from({ length: n }, (_, i) => E(1) / 100n * BigInt(i + 1));
        const { members, params, cid } = await fundedChannel(n, amounts);
        const state = h.makeState(params, { version: 5, outcome: [h.ethAlloc(amounts)], isFinal: true });
        const sigs = h.signAll(members, params, state);
        h.recordGas(`conclude_${n}`, await h.gasOf(adj.conclude(params, state, sigs)));
        const before = await Promise.all(members.map((m) => ethers.provider.getBalance(m.address)));
        h.recordGas(`withdraw_after_conclude_${n}`, await h.gasOf(adj.withdraw(params, state, 0)));
        for (let i = 0; i < n; ++i) {
          expect(await ethers.provider.getBalance(members[i].address)).to.equal(before[i] + amounts[i]);
        }
        expect(await adj.holdings(cid, h.ZERO)).to.equal(0n);
        await expect(adj.withdraw(params, state, 0)).to.be.revertedWithCustomError(adj, 'WrongCurrent');
        await expect(adj.conclude(params, state, sigs)).to.be.revertedWithCustomError(adj, 'ChannelNotOpen');
      });
    }

    it('rejects missing, foreign, high-s and malformed signatures, non-final states and foreign params', async function () {
      const { members, params } = await fundedChannel(2, [E(1), E(1)]);
      const state = h.makeState(params, { version: 5, outcome: [h.ethAlloc([E(1), E(1)])], isFinal: true });
      const good = [h.sign(members[0], params, state), h.sign(members[1], params, state)];
      await expect(adj.conclude(params, state, good[0])).to.be.revertedWithCustomError(adj, 'WrongSignatureCount');
      const foreign = h.sign(parts[9], params, state);
      await expect(adj.conclude(params, state, ethers.concat([good[0], foreign])))
        .to.be.revertedWithCustomError(adj, 'WrongSigner').withArgs(1);
      await expect(adj.conclude(params, state, ethers.concat([good[1], good[0]])))
        .to.be.revertedWithCustomError(adj, 'WrongSigner').withArgs(0);
      await expect(adj.conclude(params, state, ethers.concat([good[0], h.toHighS(good[1])])))
        .to.be.revertedWithCustomError(adj, 'HighS').withArgs(1);
      const badV = ethers.concat([ethers.dataSlice(good[1], 0, 64), '0x01']);
      await expect(adj.conclude(params, state, ethers.concat([good[0], badV])))
        .to.be.revertedWithCustomError(adj, 'BadSignature').withArgs(1);
      const open = { ...state, isFinal: false };
      await expect(adj.conclude(params, open, h.signAll(members, params, open)))
        .to.be.revertedWithCustomError(adj, 'NotFinal');
      const otherChain = { ...params, chainId: 1n };
      await expect(adj.conclude(otherChain, state, ethers.concat(good))).to.be.revertedWithCustomError(adj, 'WrongChain');
      const otherAdj = { ...params, adjudicator: parts[0].address };
      await expect(adj.conclude(otherAdj, state, ethers.concat(good))).to.be.revertedWithCustomError(adj, 'WrongAdjudicator');
      const wrongShape = h.makeState(params, { version: 5, outcome: [h.ethAlloc([E(2)])], isFinal: true });
      await expect(adj.conclude(params, wrongShape, h.signAll(members, params, wrongShape)))
        .to.be.revertedWithCustomError(adj, 'BadOutcome');
      const solo = { ...params, participants: [members[0].address] };
      await expect(adj.conclude(solo, state, good[0])).to.be.revertedWithCustomError(adj, 'WrongParticipantCount');
    });

    it('pays no more than the channel holds, in participant order', async function () {
      const { members, params, cid } = await fundedChannel(2, [E(1)]);
      const state = h.makeState(params, { version: 1, outcome: [h.ethAlloc([E(0.6), E(0.6)])], isFinal: true });
      await (await adj.conclude(params, state, h.signAll(members, params, state))).wait();
      const b1 = await ethers.provider.getBalance(members[1].address);
      await expect(adj.withdraw(params, state, 0))
        .to.emit(adj, 'Withdrawn').withArgs(cid, members[0].address, h.ZERO, E(0.6))
        .and.to.emit(adj, 'Withdrawn').withArgs(cid, members[1].address, h.ZERO, E(0.4));
      expect(await ethers.provider.getBalance(members[1].address)).to.equal(b1 + E(0.4));
      expect(await adj.holdings(cid, h.ZERO)).to.equal(0n);
    });

    it('pays ERC-20 outcomes', async function () {
      const members = parts.slice(0, 2);
      const params = await h.makeParams(adj, members, { nonce: ++nonce });
      const cid = h.channelIdOf(params);
      const tokenAddr = await token.getAddress();
      const [signer] = await ethers.getSigners();
      await (await token.mint(signer.address, E(10))).wait();
      await (await token.approve(await adj.getAddress(), E(10))).wait();
      await (await adj.deposit(cid, tokenAddr, E(10))).wait();
      const state = h.makeState(params, {
        version: 3, outcome: [{ asset: tokenAddr, balances: [E(7), E(3)], locks: [] }], isFinal: true,
      });
      await (await adj.conclude(params, state, h.signAll(members, params, state))).wait();
      const before = [await token.balanceOf(members[0].address), await token.balanceOf(members[1].address)];
      h.recordGas('withdraw_erc20_2', await h.gasOf(adj.withdraw(params, state, 0)));
      expect(await token.balanceOf(members[0].address)).to.equal(before[0] + E(7));
      expect(await token.balanceOf(members[1].address)).to.equal(before[1] + E(3));
    });
  });

  describe('concludeBatch', function () {
    for (const count of [1, 10, 100]) {
      it(`concludes ${count} two-party channels in one transaction`, async function () {
        const [hub] = await ethers.getSigners();
        const client = parts.slice(2, 12);
        const items = [];
        for (let i = 0; i < count; ++i) {
          const members = [parts[0], client[i % client.length]];
          const params = await h.makeParams(adj, members, { nonce: ++nonce });
          const cid = h.channelIdOf(params);
          await (await adj.connect(hub).deposit(cid, h.ZERO, E(0.01), { value: E(0.01) })).wait();
          const state = h.makeState(params, {
            version: 1000 + i, outcome: [h.ethAlloc([E(0.004), E(0.006)])], isFinal: true,
          });
          items.push({ params, state, sigs: h.signAll(members, params, state) });
        }
        const receipt = await (await adj.concludeBatch(items)).wait();
        const perChannel = Math.round(Number(receipt.gasUsed) / count);
        h.recordGas(`conclude_batch_per_channel_${count}`, perChannel);
        expect(receipt.logs.filter((l) => adj.interface.parseLog(l)?.name === 'Concluded').length).to.equal(count);
        if (count === 100) expect(perChannel).to.be.at.most(25_000);
        // Already concluded channels are skipped, not failed.
        expect(await adj.concludeBatch.staticCall(items.slice(0, 1))).to.equal(0n);
        const first = items[0];
        const b = await ethers.provider.getBalance(client[0].address);
        await (await adj.withdraw(first.params, first.state, 0)).wait();
        expect(await ethers.provider.getBalance(client[0].address)).to.equal(b + E(0.006));
      });
    }

    it('reverts the whole batch on a bad signature', async function () {
      const { members, params } = await fundedChannel(2, [E(1)]);
      const state = h.makeState(params, { version: 1, outcome: [h.ethAlloc([E(1), 0n])], isFinal: true });
      const sigs = ethers.concat([h.sign(members[0], params, state), h.sign(parts[7], params, state)]);
      await expect(adj.concludeBatch([{ params, state, sigs }])).to.be.revertedWithCustomError(adj, 'WrongSigner');
    });
  });

  describe('register and withdraw', function () {
    it('register -> higher-version replacement (same deadline) -> timeout -> withdraw', async function () {
      const { members, params, cid } = await fundedChannel(2, [E(1), E(1)], { challengeDuration: 1000 });
      const v5 = h.makeState(params, { version: 5, outcome: [h.ethAlloc([E(1.5), E(0.5)])] });
      const v7 = h.makeState(params, { version: 7, outcome: [h.ethAlloc([E(0.8), E(1.2)])] });
      const tx5 = adj.connect(members[0]).register(params, v5, h.signAll(members, params, v5), h.NO_REGISTRATION);
      const reg5 = await registeredFrom(adj, await tx5);
      h.recordGas('register', reg5.receipt.gasUsed);
      expect(reg5.finalizesAt).to.equal(BigInt(await time.latest()) + 1000n);
      expect(await adj.statusOf(cid)).to.equal(await adj.fingerprint(reg5.version, reg5.finalizesAt, reg5.stateHash));

      // No payout while the challenge runs.
      await expect(adj.withdraw(params, v5, reg5.finalizesAt)).to.be.revertedWithCustomError(adj, 'ChallengeRunning');
      // A lower or equal version cannot replace; a wrong description of the current registration is refused.
      const v4 = h.makeState(params, { version: 4, outcome: [h.ethAlloc([E(1), E(1)])] });
      await expect(adj.register(params, v4, h.signAll(members, params, v4), reg5)).to.be.revertedWithCustomError(adj, 'StaleVersion');
      await expect(adj.register(params, v5, h.signAll(members, params, v5), reg5)).to.be.revertedWithCustomError(adj, 'StaleVersion');
      await expect(adj.register(params, v7, h.signAll(members, params, v7), { ...reg5, finalizesAt: reg5.finalizesAt + 1n }))
        .to.be.revertedWithCustomError(adj, 'WrongCurrent');

      await time.increase(300);
      const reg7 = await registeredFrom(adj, await adj.connect(members[1]).register(params, v7, h.signAll(members, params, v7), reg5));
      h.recordGas('refute', reg7.receipt.gasUsed);
      expect(reg7.finalizesAt).to.equal(reg5.finalizesAt);

      await expect(adj.withdraw(params, v7, reg7.finalizesAt)).to.be.revertedWithCustomError(adj, 'ChallengeRunning');
      await time.increaseTo(reg7.finalizesAt);
      const v9 = h.makeState(params, { version: 9, outcome: [h.ethAlloc([E(1), E(1)])] });
      await expect(adj.register(params, v9, h.signAll(members, params, v9), reg7)).to.be.revertedWithCustomError(adj, 'ChallengeOver');
      await expect(adj.withdraw(params, v5, reg5.finalizesAt)).to.be.revertedWithCustomError(adj, 'WrongCurrent');

      const before = await Promise.all(members.map((m) => ethers.provider.getBalance(m.address)));
      const wr = await (await adj.withdraw(params, v7, reg7.finalizesAt)).wait();
      h.recordGas('withdraw', wr.gasUsed);
      h.recordGas('dispute_total', reg5.receipt.gasUsed + wr.gasUsed);
      expect(reg5.receipt.gasUsed + wr.gasUsed).to.be.at.most(150_000n);
      expect(await ethers.provider.getBalance(members[0].address)).to.equal(before[0] + E(0.8));
      expect(await ethers.provider.getBalance(members[1].address)).to.equal(before[1] + E(1.2));
      await expect(adj.withdraw(params, v7, reg7.finalizesAt)).to.be.revertedWithCustomError(adj, 'WrongCurrent');
      await expect(adj.deposit(cid, h.ZERO, 1n, { value: 1n })).to.be.revertedWithCustomError(adj, 'ChannelSettled');
      await expect(adj.register(params, v9, h.signAll(members, params, v9), reg7)).to.be.revertedWithCustomError(adj, 'ChannelSettled');
    });

    it('a final state registered during a challenge concludes at once', async function () {
      const { members, params } = await fundedChannel(2, [E(1), E(1)]);
      const v1 = h.makeState(params, { version: 1, outcome: [h.ethAlloc([E(1), E(1)])] });
      const reg1 = await registeredFrom(adj, await adj.register(params, v1, h.signAll(members, params, v1), h.NO_REGISTRATION));
      const fin = h.makeState(params, { version: 2, outcome: [h.ethAlloc([E(2), 0n])], isFinal: true });
      await expect(adj.register(params, fin, h.signAll(members, params, fin), reg1)).to.emit(adj, 'Concluded');
      await (await adj.withdraw(params, fin, 0)).wait();
    });

    it('rejects a state of another channel and a partially signed state', async function () {
      const { members, params } = await fundedChannel(2, [E(1), E(1)]);
      const other = await h.makeParams(adj, members, { nonce: ++nonce });
      const foreign = h.makeState(other, { version: 1, outcome: [h.ethAlloc([E(1), E(1)])] });
      await expect(adj.register(params, foreign, h.signAll(members, params, foreign), h.NO_REGISTRATION))
        .to.be.revertedWithCustomError(adj, 'WrongChannel');
      const mine = h.makeState(params, { version: 1, outcome: [h.ethAlloc([E(2), 0n])] });
      // Nothing is paid from a channel that was neither concluded nor registered.
      await expect(adj.withdraw(params, mine, 0)).to.be.revertedWithCustomError(adj, 'WrongCurrent');
      const half = ethers.concat([h.sign(members[0], params, mine), h.sign(members[0], params, mine)]);
      await expect(adj.register(params, mine, half, h.NO_REGISTRATION)).to.be.revertedWithCustomError(adj, 'WrongSigner').withArgs(1);
    });
  });

  describe('hashlocks', function () {
    const preimage = ethers.id('the secret');
    const hashlock = ethers.keccak256(preimage);

    it('pays a lock to its receiver when the preimage was revealed before expiry', async function () {
      const { members, params } = await fundedChannel(2, [E(1), E(1)]);
      const expiry = (await time.latest()) + 5000;
      const lock = { hashlock, amount: E(0.5), from: 0, to: 1, expiry };
      const fin = h.makeState(params, { version: 3, outcome: [h.ethAlloc([E(0.5), E(1)], [lock])], isFinal: true });
      await (await adj.conclude(params, fin, h.signAll(members, params, fin))).wait();
      await expect(adj.withdraw(params, fin, 0)).to.be.revertedWithCustomError(adj, 'LockPending').withArgs(hashlock);
      const tx = adj.revealPreimage(preimage);
      await expect(tx).to.emit(adj, 'PreimageRevealed').withArgs(hashlock, preimage);
      h.recordGas('reveal_preimage', await h.gasOf(tx));
      const revealed = await adj.revealedAt(hashlock);
      await (await adj.revealPreimage(preimage)).wait();
      expect(await adj.revealedAt(hashlock)).to.equal(revealed);
      const before = await ethers.provider.getBalance(members[1].address);
      await (await adj.withdraw(params, fin, 0)).wait();
      expect(await ethers.provider.getBalance(members[1].address)).to.equal(before + E(1.5));
    });

    it('refunds a lock to its sender after expiry when the preimage never appeared', async function () {
      const { members, params } = await fundedChannel(2, [E(1), E(1)]);
      const expiry = (await time.latest()) + 100;
      const lock = { hashlock: ethers.id('never revealed'), amount: E(0.25), from: 1, to: 0, expiry };
      const fin = h.makeState(params, { version: 3, outcome: [h.ethAlloc([E(1), E(0.75)], [lock])], isFinal: true });
      await (await adj.conclude(params, fin, h.signAll(members, params, fin))).wait();
      await time.increaseTo(expiry + 1);
      const before = await Promise.all(members.map((m) => ethers.provider.getBalance(m.address)));
      await (await adj.withdraw(params, fin, 0)).wait();
      expect(await ethers.provider.getBalance(members[0].address)).to.equal(before[0] + E(1));
      expect(await ethers.provider.getBalance(members[1].address)).to.equal(before[1] + E(1));
    });

    it('refunds a lock whose preimage was revealed only after expiry', async function () {
      const { members, params } = await fundedChannel(2, [E(1), E(1)]);
      const late = ethers.id('late secret');
      const expiry = (await time.latest()) + 100;
      const lock = { hashlock: ethers.keccak256(late), amount: E(1), from: 0, to: 1, expiry };
      const fin = h.makeState(params, { version: 3, outcome: [h.ethAlloc([0n, E(1)], [lock])], isFinal: true });
      await (await adj.conclude(params, fin, h.signAll(members, params, fin))).wait();
      await time.increaseTo(expiry + 1);
      await (await adj.revealPreimage(late)).wait();
      const before = await ethers.provider.getBalance(members[0].address);
      await (await adj.withdraw(params, fin, 0)).wait();
      expect(await ethers.provider.getBalance(members[0].address)).to.equal(before + E(1));
    });
  });
});
