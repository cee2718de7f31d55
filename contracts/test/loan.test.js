// Force-move (progress) through the collateralised-loan app: collateral release within the LTV limit,
// refused over-limit release, liquidation with a genuine and a forged oracle attestation, and the payout.
'use strict';
const { expect } = require('chai');
const { ethers } = require('hardhat');
const { time } = require('@nomicfoundation/hardhat-network-helpers');
const h = require('./helpers');

const E = (n) => ethers.parseEther(String(n));
const LOAN_DATA = 'tuple(tuple(address oracle,uint256 debt,uint16 maxLtvBps,uint16 liquidationLtvBps,uint32 maxPriceAge) terms,'
  + 'tuple(uint256 price,uint64 timestamp,bytes signature) attestation)';
const PRICE_TYPES = { Price: [{ name: 'asset', type: 'address' }, { name: 'price', type: 'uint256' }, { name: 'timestamp', type: 'uint64' }] };

function encodeLoan(terms, attestation) {
  return ethers.AbiCoder.defaultAbiCoder().encode([LOAN_DATA], [{ terms, attestation }]);
}

async function attest(signer, asset, price, timestamp) {
  const { chainId } = await ethers.provider.getNetwork();
  const digest = ethers.TypedDataEncoder.hash({ name: 'SluiceLoanOracle', version: '1', chainId }, PRICE_TYPES,
    { asset, price, timestamp });
  return { price, timestamp, signature: signer.signingKey.sign(digest).serialized };
}

async function progressedFrom(adj, tx) {
  const receipt = await tx.wait();
  const parsed = receipt.logs.map((l) => adj.interface.parseLog(l)).find((p) => p && p.name === 'Progressed');
  return { finalizesAt: parsed.args.finalizesAt, reg: h.registrationOf(parsed.args), receipt };
}

describe('LoanApp through progress', function () {
  let adj;
  let app;
  let borrower;
  let lender;
  let oracle;
  let forger;
  let nonce = 1;

  const noPrice = { price: 0n, timestamp: 0n, signature: '0x' };
  const repayment = ethers.id('repayment secret');

  before(async function () {
    adj = await h.deploy('Adjudicator');
    app = await h.deploy('LoanApp');
    [borrower, lender, oracle, forger] = await h.wallets(4, 'loan');
  });

  // A registered loan channel: 10 ETH pledged against a debt of 10,000 (debt units), max LTV 50%,
  // liquidation at 80%; ETH starts at 3,000, so the LTV is 33%.
  async function registeredLoan() {
    const terms = { oracle: oracle.address, debt: E(10000), maxLtvBps: 5000, liquidationLtvBps: 8000, maxPriceAge: 3600 };
    const params = await h.makeParams(adj, [borrower, lender], { nonce: ++nonce, challengeDuration: 1000, app: await app.getAddress() });
    await (await h.deposit(adj, params, h.ZERO, 0n, E(10))).wait();
    const maturity = (await time.latest()) + 30 * 86400;
    const pledge = { hashlock: ethers.keccak256(repayment), amount: E(10), from: 1, to: 0, expiry: maturity };
    const v1 = h.makeState(params, { version: 1, outcome: [h.ethAlloc([0n, 0n], [pledge])], appData: encodeLoan(terms, noPrice) });
    const tx = await adj.register(params, v1, h.signAll([borrower, lender], params, v1), h.NO_REGISTRATION);
    const ev = (await tx.wait()).logs.map((l) => adj.interface.parseLog(l)).find((p) => p && p.name === 'Registered');
    return { terms, params, pledge, v1, finalizesAt: ev.args.finalizesAt, reg: h.registrationOf(ev.args) };
  }

  async function release(loan, amount, price, signer = oracle) {
    const att = await attest(signer, h.ZERO, price, await time.latest());
    const pledge = { ...loan.pledge, amount: loan.pledge.amount - amount };
    return h.makeState(loan.params, {
      version: 2, outcome: [h.ethAlloc([amount, 0n], [pledge])], appData: encodeLoan(loan.terms, att),
    });
  }

  async function liquidation(params, from, terms, pledged, price, signer = oracle) {
    const att = await attest(signer, h.ZERO, price, await time.latest());
    const free = from.outcome[0].balances;
    return h.makeState(params, {
      version: Number(from.version) + 1,
      outcome: [h.ethAlloc([free[0], free[1] + pledged])],
      appData: encodeLoan({ ...terms, debt: 0n }, att),
    });
  }

  it('price digest matches EIP-712 as ethers computes it', async function () {
    const { chainId } = await ethers.provider.getNetwork();
    const expected = ethers.TypedDataEncoder.hash({ name: 'SluiceLoanOracle', version: '1', chainId }, PRICE_TYPES,
      { asset: h.ZERO, price: 5n, timestamp: 7n });
    expect(await app.priceDigest(h.ZERO, 5n, 7n, chainId)).to.equal(expected);
  });

  it('lets the borrower release collateral while the LTV stays under the limit, and refuses more', async function () {
    const loan = await registeredLoan();
    // 7 ETH left at 3,000: LTV 47.6% <= 50%.
    const ok = await release(loan, E(3), E(3000));
    expect(await app.validTransition(loan.params, loan.v1, ok, 0)).to.equal(true);
    // 6 ETH left: LTV 55.6% > 50%.
    const tooMuch = await release(loan, E(4), E(3000));
    expect(await app.validTransition(loan.params, loan.v1, tooMuch, 0)).to.equal(false);
    await expect(adj.progress(loan.params, loan.v1, loan.reg, tooMuch, 0, h.sign(borrower, loan.params, tooMuch)))
      .to.be.revertedWithCustomError(adj, 'InvalidTransition');
    // A forged price cannot justify a release either.
    const forged = await release(loan, E(4), E(5000), forger);
    expect(await app.validTransition(loan.params, loan.v1, forged, 0)).to.equal(false);

    const p = await progressedFrom(adj, await adj.connect(borrower).progress(
      loan.params, loan.v1, loan.reg, ok, 0, h.sign(borrower, loan.params, ok)));
    h.recordGas('progress', p.receipt.gasUsed);
    expect(await adj.statusOf(h.channelIdOf(loan.params)))
      .to.equal(await adj.fingerprint(2, p.finalizesAt, await adj.hashState(ok), 1, loan.reg.endsBy));
    expect(p.finalizesAt).to.equal(BigInt(await time.latest()) + 1000n);
  });

  it('rejects moves that are not the app\'s to judge: wrong signer, version, value, channel type, old state', async function () {
    const loan = await registeredLoan();
    const ok = await release(loan, E(1), E(3000));
    await expect(adj.progress(loan.params, loan.v1, loan.reg, ok, 0, h.sign(lender, loan.params, ok)))
      .to.be.revertedWithCustomError(adj, 'WrongSigner').withArgs(0);
    await expect(adj.progress(loan.params, loan.v1, loan.reg, ok, 1, h.sign(lender, loan.params, ok)))
      .to.be.revertedWithCustomError(adj, 'InvalidTransition');
    await expect(adj.progress(loan.params, loan.v1, loan.reg, ok, 2, h.sign(lender, loan.params, ok)))
      .to.be.revertedWithCustomError(adj, 'WrongActor');
    const skip = { ...ok, version: 3 };
    await expect(adj.progress(loan.params, loan.v1, loan.reg, skip, 0, h.sign(borrower, loan.params, skip)))
      .to.be.revertedWithCustomError(adj, 'WrongVersion');
    const minted = { ...ok, outcome: [h.ethAlloc([E(2), 0n], ok.outcome[0].locks)] };
    await expect(adj.progress(loan.params, loan.v1, loan.reg, minted, 0, h.sign(borrower, loan.params, minted)))
      .to.be.revertedWithCustomError(adj, 'OutcomeMismatch');
    await expect(adj.progress(loan.params, loan.v1, { ...loan.reg, finalizesAt: loan.finalizesAt + 1n }, ok, 0, h.sign(borrower, loan.params, ok)))
      .to.be.revertedWithCustomError(adj, 'WrongCurrent');
    const plain = { ...loan.params, app: h.ZERO };
    await expect(adj.progress(plain, loan.v1, loan.reg, ok, 0, h.sign(borrower, loan.params, ok)))
      .to.be.revertedWithCustomError(adj, 'NotAppChannel');
    await time.increaseTo(loan.finalizesAt);
    await expect(adj.progress(loan.params, loan.v1, loan.reg, ok, 0, h.sign(borrower, loan.params, ok)))
      .to.be.revertedWithCustomError(adj, 'ChallengeOver');
  });

  it('liquidates to the lender on a genuine attestation past the threshold, not on a forged one', async function () {
    const loan = await registeredLoan();
    const released = await release(loan, E(3), E(3000));
    const p = await progressedFrom(adj, await adj.progress(
      loan.params, loan.v1, loan.reg, released, 0, h.sign(borrower, loan.params, released)));

    // ETH at 2,000: 7 ETH are worth 14,000, LTV 71% < 80%: no liquidation yet.
    const early = await liquidation(loan.params, released, loan.terms, E(7), E(2000));
    expect(await app.validTransition(loan.params, released, early, 1)).to.equal(false);
    // ETH at 1,700: LTV 84% >= 80%, but the price is signed by someone else.
    const forged = await liquidation(loan.params, released, loan.terms, E(7), E(1700), forger);
    expect(await app.validTransition(loan.params, released, forged, 1)).to.equal(false);
    await expect(adj.progress(loan.params, released, p.reg, forged, 1, h.sign(lender, loan.params, forged)))
      .to.be.revertedWithCustomError(adj, 'InvalidTransition');
    // The same move by the borrower is no liquidation.
    const genuine = await liquidation(loan.params, released, loan.terms, E(7), E(1700));
    expect(await app.validTransition(loan.params, released, genuine, 0)).to.equal(false);
    const q = await progressedFrom(adj, await adj.connect(lender).progress(
      loan.params, released, p.reg, genuine, 1, h.sign(lender, loan.params, genuine)));
    h.recordGas('progress_liquidation', q.receipt.gasUsed);

    await time.increaseTo(q.finalizesAt);
    const before = [await ethers.provider.getBalance(borrower.address), await ethers.provider.getBalance(lender.address)];
    await (await adj.withdraw(loan.params, genuine, q.reg)).wait();
    expect(await ethers.provider.getBalance(borrower.address)).to.equal(before[0] + E(3));
    expect(await ethers.provider.getBalance(lender.address)).to.equal(before[1] + E(7));
  });

  it('refuses a stale attestation', async function () {
    const loan = await registeredLoan();
    const old = await release(loan, E(1), E(3000));
    await time.increase(3601);
    expect(await app.validTransition(loan.params, loan.v1, old, 0)).to.equal(false);
  });

  it('pays the pledge back to the borrower once the repayment preimage is revealed', async function () {
    const loan = await registeredLoan();
    await time.increaseTo(loan.finalizesAt);
    // The pledge is the only lock and still unresolved: withdraw pays the (empty) balances and leaves it pending.
    await expect(adj.withdraw(loan.params, loan.v1, loan.reg)).to.emit(adj, 'LocksPending');
    await expect(adj.withdrawLocks(loan.params, loan.v1, 1n)).to.be.revertedWithCustomError(adj, 'LockPending');
    await (await adj.revealPreimage(repayment)).wait();
    const before = await ethers.provider.getBalance(borrower.address);
    await (await adj.withdrawLocks(loan.params, loan.v1, 1n)).wait();
    expect(await ethers.provider.getBalance(borrower.address)).to.equal(before + E(10));
  });
});
