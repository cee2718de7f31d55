// Adjudicator on hardhat's in-process network: every entry point, its failure paths, and gas per operation.
'use strict';
const { expect } = require('chai');
const { ethers, network } = require('hardhat');
const { time } = require('@nomicfoundation/hardhat-network-helpers');
const h = require('./helpers');

const E = (n) => ethers.parseEther(String(n));

async function registeredFrom(adj, tx) {
  const { args, receipt } = await h.eventOf(adj, tx, 'Registered');
  return { ...h.registrationOf(args), receipt };
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
    await (await h.deposit(adj, params, h.ZERO, 0n, total)).wait();
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
      h.recordGas('deposit_eth', await h.gasOf(h.deposit(adj, params, h.ZERO, 0n, E(1))));
      h.recordGas('deposit_eth_second', await h.gasOf(h.deposit(adj, params, h.ZERO, E(1), E(1))));
      expect(await adj.holdings(cid, h.ZERO)).to.equal(E(2));

      const [signer] = await ethers.getSigners();
      await (await token.mint(signer.address, E(100))).wait();
      await (await token.approve(await adj.getAddress(), E(100))).wait();
      const tx = h.deposit(adj, params, await token.getAddress(), 0n, E(3));
      h.recordGas('deposit_erc20', await h.gasOf(tx));
      expect(await adj.holdings(cid, await token.getAddress())).to.equal(E(3));
      await expect(h.deposit(adj, params, h.ZERO, E(2), 5n))
        .to.emit(adj, 'Deposited')
        .withArgs(cid, h.ZERO, signer.address, 5n, E(2) + 5n);
    });

    it('rejects a wrong value, zero amount, a non-token and a failing transferFrom', async function () {
      // A nonce off the suite's counter, so contracts/gas_report replays the later channels with the same ids.
      const params = await h.makeParams(adj, parts.slice(0, 2), { nonce: 1 });
      await expect(adj.deposit(params, h.ZERO, 0n, 2n, { value: 1n })).to.be.revertedWithCustomError(adj, 'WrongValue');
      await expect(adj.deposit(params, h.ZERO, 0n, 0n)).to.be.revertedWithCustomError(adj, 'ZeroAmount');
      await expect(adj.deposit(params, await token.getAddress(), 0n, 1n, { value: 1n }))
        .to.be.revertedWithCustomError(adj, 'WrongValue');
      await expect(adj.deposit(params, parts[3].address, 0n, 1n)).to.be.revertedWithCustomError(adj, 'NotAToken');
      const [, other] = await ethers.getSigners();
      await expect(adj.connect(other).deposit(params, await token.getAddress(), 0n, 1n))
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
        h.recordGas(`withdraw_after_conclude_${n}`, await h.gasOf(adj.withdraw(params, state, h.concluded(state))));
        for (let i = 0; i < n; ++i) {
          expect(await ethers.provider.getBalance(members[i].address)).to.equal(before[i] + amounts[i]);
        }
        expect(await adj.holdings(cid, h.ZERO)).to.equal(0n);
        await expect(adj.withdraw(params, state, h.concluded(state))).to.be.revertedWithCustomError(adj, 'WrongCurrent');
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
      await expect(adj.withdraw(params, state, h.concluded(state)))
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
      await (await h.deposit(adj, params, tokenAddr, 0n, E(10))).wait();
      const state = h.makeState(params, {
        version: 3, outcome: [{ asset: tokenAddr, balances: [E(7), E(3)], locks: [] }], isFinal: true,
      });
      await (await adj.conclude(params, state, h.signAll(members, params, state))).wait();
      const before = [await token.balanceOf(members[0].address), await token.balanceOf(members[1].address)];
      h.recordGas('withdraw_erc20_2', await h.gasOf(adj.withdraw(params, state, h.concluded(state))));
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
          await (await h.deposit(adj.connect(hub), params, h.ZERO, 0n, E(0.01))).wait();
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
        await (await adj.withdraw(first.params, first.state, h.concluded(first.state))).wait();
        expect(await ethers.provider.getBalance(client[0].address)).to.equal(b + E(0.006));
      });
    }

    // #18 §7: one malformed item (here a counterparty's high-s signature) used to revert the whole batch.
    it('skips malformed items and concludes the rest', async function () {
      const items = [];
      const bad = [];
      for (let i = 0; i < 4; ++i) {
        const { members, params, cid } = await fundedChannel(2, [E(1)]);
        const state = h.makeState(params, { version: 1, outcome: [h.ethAlloc([E(1), 0n])], isFinal: true });
        const good = [h.sign(members[0], params, state), h.sign(members[1], params, state)];
        const sigs = [
          ethers.concat([good[0], h.toHighS(good[1])]),
          ethers.concat(good),
          ethers.concat([good[0], h.sign(parts[7], params, state)]),
          ethers.concat(good),
        ][i];
        items.push({ params, state, sigs });
        if (i % 2 === 0) bad.push(cid);
      }
      items.push({ ...items[1], params: { ...items[1].params, chainId: 1n } });
      const tx = adj.concludeBatch(items);
      const receipt = await (await tx).wait();
      const skipped = receipt.logs.map((l) => adj.interface.parseLog(l)).filter((e) => e && e.name === 'ConclusionSkipped');
      const sel = (name) => adj.interface.getError(name).selector;
      expect(skipped.map((e) => [Number(e.args.index), e.args.reason]))
        .to.deep.equal([[0, sel('HighS')], [2, sel('WrongSigner')], [4, sel('WrongChain')]]);
      expect(await adj.concludeBatch.staticCall(items.slice(1, 2))).to.equal(0n);
      for (const cid of bad) expect(await adj.statusOf(cid)).to.equal(ethers.toBeHex(1, 32));
      await (await adj.withdraw(items[3].params, items[3].state, h.concluded(items[3].state))).wait();
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
      expect(await adj.statusOf(cid)).to.equal(await adj.fingerprint(reg5.version, reg5.finalizesAt, reg5.stateHash, reg5.signedVersion, reg5.endsBy));

      // No payout while the challenge runs.
      await expect(adj.withdraw(params, v5, reg5)).to.be.revertedWithCustomError(adj, 'ChallengeRunning');
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

      await expect(adj.withdraw(params, v7, reg7)).to.be.revertedWithCustomError(adj, 'ChallengeRunning');
      await time.increaseTo(reg7.finalizesAt);
      const v9 = h.makeState(params, { version: 9, outcome: [h.ethAlloc([E(1), E(1)])] });
      await expect(adj.register(params, v9, h.signAll(members, params, v9), reg7)).to.be.revertedWithCustomError(adj, 'ChallengeOver');
      await expect(adj.withdraw(params, v5, reg5)).to.be.revertedWithCustomError(adj, 'WrongCurrent');

      const before = await Promise.all(members.map((m) => ethers.provider.getBalance(m.address)));
      const wr = await (await adj.withdraw(params, v7, reg7)).wait();
      h.recordGas('withdraw', wr.gasUsed);
      h.recordGas('dispute_total', reg5.receipt.gasUsed + wr.gasUsed);
      expect(reg5.receipt.gasUsed + wr.gasUsed).to.be.at.most(150_000n);
      expect(await ethers.provider.getBalance(members[0].address)).to.equal(before[0] + E(0.8));
      expect(await ethers.provider.getBalance(members[1].address)).to.equal(before[1] + E(1.2));
      await expect(adj.withdraw(params, v7, reg7)).to.be.revertedWithCustomError(adj, 'WrongCurrent');
      await expect(h.deposit(adj, params, h.ZERO, 0n, 1n)).to.be.revertedWithCustomError(adj, 'ChannelSettled');
      await expect(adj.register(params, v9, h.signAll(members, params, v9), reg7)).to.be.revertedWithCustomError(adj, 'ChannelSettled');
    });

    it('a final state registered during a challenge concludes at once', async function () {
      const { members, params } = await fundedChannel(2, [E(1), E(1)]);
      const v1 = h.makeState(params, { version: 1, outcome: [h.ethAlloc([E(1), E(1)])] });
      const reg1 = await registeredFrom(adj, await adj.register(params, v1, h.signAll(members, params, v1), h.NO_REGISTRATION));
      const fin = h.makeState(params, { version: 2, outcome: [h.ethAlloc([E(2), 0n])], isFinal: true });
      await expect(adj.register(params, fin, h.signAll(members, params, fin), reg1)).to.emit(adj, 'Concluded');
      await (await adj.withdraw(params, fin, h.concluded(fin))).wait();
    });

    it('rejects a state of another channel and a partially signed state', async function () {
      const { members, params } = await fundedChannel(2, [E(1), E(1)]);
      const other = await h.makeParams(adj, members, { nonce: ++nonce });
      const foreign = h.makeState(other, { version: 1, outcome: [h.ethAlloc([E(1), E(1)])] });
      await expect(adj.register(params, foreign, h.signAll(members, params, foreign), h.NO_REGISTRATION))
        .to.be.revertedWithCustomError(adj, 'WrongChannel');
      const mine = h.makeState(params, { version: 1, outcome: [h.ethAlloc([E(2), 0n])] });
      // Nothing is paid from a channel that was neither concluded nor registered.
      await expect(adj.withdraw(params, mine, h.concluded(mine))).to.be.revertedWithCustomError(adj, 'WrongCurrent');
      const half = ethers.concat([h.sign(members[0], params, mine), h.sign(members[0], params, mine)]);
      await expect(adj.register(params, mine, half, h.NO_REGISTRATION)).to.be.revertedWithCustomError(adj, 'WrongSigner').withArgs(1);
    });
  });

  describe('hashlocks', function () {
    const preimage = ethers.id('the secret');
    const hashlock = ethers.keccak256(preimage);

    it('pays a lock to its receiver when the preimage was revealed before expiry', async function () {
      const { members, params, cid } = await fundedChannel(2, [E(1), E(1)]);
      const expiry = (await time.latest()) + 5000;
      const lock = { hashlock, amount: E(0.5), from: 0, to: 1, expiry };
      const fin = h.makeState(params, { version: 3, outcome: [h.ethAlloc([E(0.5), E(1)], [lock])], isFinal: true });
      await (await adj.conclude(params, fin, h.signAll(members, params, fin))).wait();
      // The balances are paid at once; only the lock's amount waits for it to resolve.
      const before = await Promise.all(members.map((m) => ethers.provider.getBalance(m.address)));
      await expect(adj.withdraw(params, fin, h.concluded(fin))).to.emit(adj, 'LocksPending').withArgs(cid, 1n);
      expect(await ethers.provider.getBalance(members[0].address)).to.equal(before[0] + E(0.5));
      expect(await ethers.provider.getBalance(members[1].address)).to.equal(before[1] + E(1));
      expect(await adj.holdings(cid, h.ZERO)).to.equal(E(0.5));
      expect(await adj.statusOf(cid)).to.equal(await adj.pendingFingerprint(h.stateHashOf(fin), 1n));
      await expect(adj.withdrawLocks(params, fin, 1n)).to.be.revertedWithCustomError(adj, 'LockPending').withArgs(hashlock);
      await expect(adj.withdrawLocks(params, fin, 3n)).to.be.revertedWithCustomError(adj, 'WrongCurrent');
      const tx = adj.revealPreimage(preimage);
      await expect(tx).to.emit(adj, 'PreimageRevealed').withArgs(hashlock, preimage);
      h.recordGas('reveal_preimage', await h.gasOf(tx));
      const revealed = await adj.revealedAt(hashlock);
      await (await adj.revealPreimage(preimage)).wait();
      expect(await adj.revealedAt(hashlock)).to.equal(revealed);
      await expect(adj.withdrawLocks(params, fin, 1n)).to.emit(adj, 'Withdrawn').withArgs(cid, members[1].address, h.ZERO, E(0.5));
      expect(await ethers.provider.getBalance(members[1].address)).to.equal(before[1] + E(1.5));
      expect(await adj.statusOf(cid)).to.equal(ethers.toBeHex(2, 32));
      await expect(adj.withdrawLocks(params, fin, 1n)).to.be.revertedWithCustomError(adj, 'WrongCurrent');
    });

    // #18 §3: a lock with expiry 2^64 - 1 made withdraw revert LockPending for every asset and participant.
    it('a lock that never expires holds back only its own amount', async function () {
      const { members, params, cid } = await fundedChannel(3, [E(3)]);
      await (await token.mint(members[0].address, E(5))).wait();
      await (await token.connect(members[0]).approve(await adj.getAddress(), E(5))).wait();
      const tokenAddr = await token.getAddress();
      await (await h.deposit(adj.connect(members[0]), params, tokenAddr, 0n, E(5))).wait();
      const soon = (await time.latest()) + 100;
      const forever = (1n << 64n) - 1n;
      const far = { hashlock: ethers.id('far'), amount: E(1), from: 0, to: 1, expiry: forever };
      const near = { hashlock: ethers.id('near'), amount: E(1), from: 2, to: 0, expiry: soon };
      const fin = h.makeState(params, {
        version: 4,
        outcome: [h.ethAlloc([E(0.5), E(0.5), 0n], [far, near]), { asset: tokenAddr, balances: [E(1), E(2), E(2)], locks: [] }],
        isFinal: true,
      });
      await (await adj.conclude(params, fin, h.signAll(members, params, fin))).wait();
      await time.increaseTo(soon + 1);
      const eth = await Promise.all(members.map((m) => ethers.provider.getBalance(m.address)));
      const tok = await Promise.all(members.map((m) => token.balanceOf(m.address)));
      const wr = await (await adj.withdraw(params, fin, h.concluded(fin))).wait();
      const pending = wr.logs.map((l) => adj.interface.parseLog(l)).find((e) => e && e.name === 'LocksPending');
      expect(pending.args.pending).to.equal(1n); // the far lock, lock 0; the near one expired and went back to 2
      expect(await ethers.provider.getBalance(members[0].address)).to.equal(eth[0] + E(0.5));
      expect(await ethers.provider.getBalance(members[1].address)).to.equal(eth[1] + E(0.5));
      expect(await ethers.provider.getBalance(members[2].address)).to.equal(eth[2] + E(1));
      for (let i = 0; i < 3; ++i) expect(await token.balanceOf(members[i].address)).to.equal(tok[i] + [E(1), E(2), E(2)][i]);
      expect(await adj.holdings(cid, h.ZERO)).to.equal(E(1));
      expect(await adj.holdings(cid, tokenAddr)).to.equal(0n);
      await expect(adj.withdrawLocks(params, fin, 1n)).to.be.revertedWithCustomError(adj, 'LockPending').withArgs(far.hashlock);
    });

    it('refunds a lock to its sender after expiry when the preimage never appeared', async function () {
      const { members, params } = await fundedChannel(2, [E(1), E(1)]);
      const expiry = (await time.latest()) + 100;
      const lock = { hashlock: ethers.id('never revealed'), amount: E(0.25), from: 1, to: 0, expiry };
      const fin = h.makeState(params, { version: 3, outcome: [h.ethAlloc([E(1), E(0.75)], [lock])], isFinal: true });
      await (await adj.conclude(params, fin, h.signAll(members, params, fin))).wait();
      await time.increaseTo(expiry + 1);
      const before = await Promise.all(members.map((m) => ethers.provider.getBalance(m.address)));
      await (await adj.withdraw(params, fin, h.concluded(fin))).wait();
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
      await (await adj.withdraw(params, fin, h.concluded(fin))).wait();
      expect(await ethers.provider.getBalance(members[0].address)).to.equal(before + E(1));
    });
  });

  // #18 §2: the borrower registered a stale v1, moved v1 -> v2' alone, and the lender's fully signed v2 was
  // refused (StaleVersion); 1-wei moves then reset the deadline for ever.
  describe('disputes: fully signed beats unilateral, and ends by endsBy', function () {
    // An app whose validTransition accepts every move: PUSH1 1 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
    const ANY_MOVE = '0x600160005260206000f3';
    const anyApp = '0x00000000000000000000000000000000000a9901';
    before(async function () {
      await network.provider.send('hardhat_setCode', [anyApp, ANY_MOVE]);
    });

    async function appChannel() {
      const ch = await fundedChannel(2, [E(2)], { challengeDuration: 1000, app: anyApp });
      const at = (version, b0, signer) => h.makeState(ch.params, { version, outcome: [h.ethAlloc([b0, E(2) - b0])] });
      return { ...ch, at };
    }
    async function move(ch, from, current, to, actor) {
      const tx = adj.connect(ch.members[actor]).progress(ch.params, from, current, to, actor, h.sign(ch.members[actor], ch.params, to));
      const { args, receipt } = await h.eventOf(adj, tx, 'Progressed');
      return { ...h.registrationOf(args), receipt };
    }

    it('a fully signed state replaces unilateral moves of the same or a higher version', async function () {
      const ch = await appChannel();
      const v1 = ch.at(1, E(1));
      const v2 = ch.at(2, E(0.2)); // fully signed: 0 paid 1 0.8
      const reg1 = await registeredFrom(adj, adj.connect(ch.members[0]).register(ch.params, v1, h.signAll(ch.members, ch.params, v1), h.NO_REGISTRATION));
      expect(reg1.signedVersion).to.equal(1n);
      expect(reg1.endsBy).to.equal(reg1.finalizesAt + 3000n);
      const m2 = await move(ch, v1, reg1, ch.at(2, E(1.5)), 0);
      expect(m2.signedVersion).to.equal(1n);
      const m3 = await move(ch, ch.at(2, E(1.5)), m2, ch.at(3, E(2)), 0);
      expect(m3.version).to.equal(3n);

      const reg2 = await registeredFrom(adj, adj.connect(ch.members[1]).register(ch.params, v2, h.signAll(ch.members, ch.params, v2), m3));
      expect(reg2.version).to.equal(2n);
      expect(reg2.signedVersion).to.equal(2n);
      expect(reg2.finalizesAt).to.equal(m3.finalizesAt);
      expect(reg2.endsBy).to.equal(reg1.endsBy);
      // Neither the stale v1 nor v2 itself replaces it again; a move on top of v2 is the only way on.
      await expect(adj.register(ch.params, v1, h.signAll(ch.members, ch.params, v1), reg2)).to.be.revertedWithCustomError(adj, 'StaleVersion');
      await expect(adj.register(ch.params, v2, h.signAll(ch.members, ch.params, v2), reg2)).to.be.revertedWithCustomError(adj, 'StaleVersion');
      const m3b = await move(ch, v2, reg2, ch.at(3, E(0.1)), 1);
      expect(m3b.signedVersion).to.equal(2n);
      // A stale unilateral chain cannot be resumed.
      await expect(move(ch, ch.at(3, E(2)), m3, ch.at(4, E(2)), 0)).to.be.revertedWithCustomError(adj, 'WrongCurrent');
      await time.increaseTo(m3b.finalizesAt);
      const b1 = await ethers.provider.getBalance(ch.members[1].address);
      await (await adj.withdraw(ch.params, ch.at(3, E(0.1)), m3b)).wait();
      expect(await ethers.provider.getBalance(ch.members[1].address)).to.equal(b1 + E(1.9));
    });

    it('moves never push the deadline past endsBy', async function () {
      const ch = await appChannel();
      const v1 = ch.at(1, E(1));
      let cur = await registeredFrom(adj, adj.register(ch.params, v1, h.signAll(ch.members, ch.params, v1), h.NO_REGISTRATION));
      const { endsBy } = cur;
      let from = v1;
      let moves = 0;
      // The same actor moving 1 wei every 900 s: each move used to restart the challenge.
      while (cur.finalizesAt < endsBy) {
        await time.increase(899);
        const to = ch.at(Number(from.version) + 1, from.outcome[0].balances[0] - 1n);
        cur = await move(ch, from, cur, to, 0);
        expect(cur.finalizesAt).to.be.at.most(endsBy);
        expect(cur.endsBy).to.equal(endsBy);
        from = to;
        ++moves;
      }
      expect(moves).to.be.below(6);
      await time.increaseTo(endsBy);
      const next = ch.at(Number(from.version) + 1, 0n);
      await expect(move(ch, from, cur, next, 0)).to.be.revertedWithCustomError(adj, 'ChallengeOver');
      await (await adj.withdraw(ch.params, from, cur)).wait();
    });

    it('refuses a final move (it would conclude with no time to answer)', async function () {
      const ch = await appChannel();
      const v1 = ch.at(1, E(1));
      const reg = await registeredFrom(adj, adj.register(ch.params, v1, h.signAll(ch.members, ch.params, v1), h.NO_REGISTRATION));
      const fin = { ...ch.at(2, E(2)), isFinal: true };
      await expect(adj.progress(ch.params, v1, reg, fin, 0, h.sign(ch.members[0], ch.params, fin)))
        .to.be.revertedWithCustomError(adj, 'FinalState');
    });
  });

  describe('funding and stranded funds (#18 §7)', function () {
    it('bounds the challenge duration wherever params are checked', async function () {
      const members = parts.slice(0, 2);
      const year = 365 * 86400;
      const ok = await h.makeParams(adj, members, { nonce: ++nonce, challengeDuration: year });
      await (await h.deposit(adj, ok, h.ZERO, 0n, 1n)).wait();
      const long = await h.makeParams(adj, members, { nonce: ++nonce, challengeDuration: year + 1 });
      await expect(h.deposit(adj, long, h.ZERO, 0n, 1n)).to.be.revertedWithCustomError(adj, 'ChallengeTooLong').withArgs(year + 1);
      const st = h.makeState(long, { version: 1, outcome: [h.ethAlloc([0n, 0n])], isFinal: true });
      await expect(adj.conclude(long, st, h.signAll(members, long, st))).to.be.revertedWithCustomError(adj, 'ChallengeTooLong');
      await expect(adj.register(long, st, h.signAll(members, long, st), h.NO_REGISTRATION)).to.be.revertedWithCustomError(adj, 'ChallengeTooLong');
      // Near 2^48 register used to overflow uint48(now) + duration and revert for ever.
      const huge = await h.makeParams(adj, members, { nonce: ++nonce, challengeDuration: (1n << 48n) - 1n });
      await expect(h.deposit(adj, huge, h.ZERO, 0n, 1n)).to.be.revertedWithCustomError(adj, 'ChallengeTooLong');
    });

    it('deposits go in participant order and never twice (expectedHeld)', async function () {
      const members = parts.slice(0, 2);
      const params = await h.makeParams(adj, members, { nonce: ++nonce });
      const cid = h.channelIdOf(params);
      // Participant 1 cannot fund before participant 0 has.
      await expect(h.deposit(adj.connect(members[1]), params, h.ZERO, E(1), E(1))).to.be.revertedWithCustomError(adj, 'HeldBelowExpected').withArgs(0n);
      await (await h.deposit(adj.connect(members[0]), params, h.ZERO, 0n, E(1))).wait();
      await expect(h.deposit(adj.connect(members[0]), params, h.ZERO, 0n, E(1))).to.be.revertedWithCustomError(adj, 'AlreadyFunded').withArgs(E(1));
      // Only the missing part is taken; the rest of msg.value goes back.
      const b1 = await ethers.provider.getBalance(members[1].address);
      const tx = h.deposit(adj.connect(members[1]), params, h.ZERO, E(0.5), E(1));
      await expect(tx).to.emit(adj, 'Deposited').withArgs(cid, h.ZERO, members[1].address, E(0.5), E(1.5));
      const { fee } = await (await tx).wait();
      expect(await ethers.provider.getBalance(members[1].address)).to.equal(b1 - E(0.5) - fee);
      expect(await adj.holdings(cid, h.ZERO)).to.equal(E(1.5));
    });

    it('refuses top-ups once a state is registered or concluded', async function () {
      const { members, params } = await fundedChannel(2, [E(1)]);
      const v1 = h.makeState(params, { version: 1, outcome: [h.ethAlloc([E(1), 0n])] });
      await (await adj.register(params, v1, h.signAll(members, params, v1), h.NO_REGISTRATION)).wait();
      await expect(h.deposit(adj, params, h.ZERO, E(1), 1n)).to.be.revertedWithCustomError(adj, 'ChannelNotOpen');
    });

    it('sweeps what a settled channel still holds to the participants', async function () {
      const { members, params, cid } = await fundedChannel(2, [E(3)]);
      const tokenAddr = await token.getAddress();
      const [signer] = await ethers.getSigners();
      await (await token.mint(signer.address, 7n)).wait();
      await (await token.approve(await adj.getAddress(), 7n)).wait();
      await (await h.deposit(adj, params, tokenAddr, 0n, 7n)).wait();
      const fin = h.makeState(params, { version: 1, outcome: [h.ethAlloc([E(1), E(1)])], isFinal: true });
      await (await adj.conclude(params, fin, h.signAll(members, params, fin))).wait();
      await expect(adj.sweep(params, h.ZERO)).to.be.revertedWithCustomError(adj, 'NotSettled');
      await (await adj.withdraw(params, fin, h.concluded(fin))).wait();
      const eth = await Promise.all(members.map((m) => ethers.provider.getBalance(m.address)));
      const tok = await Promise.all(members.map((m) => token.balanceOf(m.address)));
      await expect(adj.sweep(params, h.ZERO)).to.emit(adj, 'Withdrawn').withArgs(cid, members[1].address, h.ZERO, E(0.5));
      // The token is missing from the outcome: 7 split 4 / 3 (the rounding rest to participant 0).
      await (await adj.sweep(params, tokenAddr)).wait();
      expect(await ethers.provider.getBalance(members[0].address)).to.equal(eth[0] + E(0.5));
      expect(await ethers.provider.getBalance(members[1].address)).to.equal(eth[1] + E(0.5));
      expect(await token.balanceOf(members[0].address)).to.equal(tok[0] + 4n);
      expect(await token.balanceOf(members[1].address)).to.equal(tok[1] + 3n);
      expect(await adj.holdings(cid, h.ZERO)).to.equal(0n);
      await expect(adj.sweep(params, h.ZERO)).to.be.revertedWithCustomError(adj, 'NothingToClaim');
    });
  });
});
