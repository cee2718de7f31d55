// Force-move (progress) through the collateralised-loan app: collateral release within the LTV limit,
// refused over-limit release, liquidation with a genuine and a forged oracle attestation, the payout, the
// borrower's repaid move, the lender's liquidation after repayment (issue #18 §5, refused) and the
// cooperative close of a loan channel.
'use strict';
const { expect } = require('chai');
const { ethers } = require('hardhat');
const { time } = require('@nomicfoundation/hardhat-network-helpers');
const h = require('./helpers');

const E = (n) => ethers.parseEther(String(n));
const LOAN_DATA = 'tuple(tuple(address oracle,bytes32 feed,uint256 debt,uint16 maxLtvBps,uint16 liquidationLtvBps,'
  + 'uint32 maxPriceAge) terms,tuple(uint256 price,uint64 timestamp,bytes signature) attestation,bytes32 preimage,'
  + 'tuple(bytes32 hashlock,uint256 amount,uint16 from,uint16 to,uint64 expiry) seized)';
const PRICE_TYPES = {
  Price: [{ name: 'feed', type: 'bytes32' }, { name: 'asset', type: 'address' }, { name: 'price', type: 'uint256' },
    { name: 'timestamp', type: 'uint64' }],
};
const FEED = ethers.id('ETH/USD, 18 decimals');
const NO_LOCK = { hashlock: ethers.ZeroHash, amount: 0n, from: 0, to: 0, expiry: 0 };

function encodeLoan(terms, attestation, { preimage = ethers.ZeroHash, seized = NO_LOCK } = {}) {
  return ethers.AbiCoder.defaultAbiCoder().encode([LOAN_DATA], [{ terms, attestation, preimage, seized }]);
}

async function attest(signer, asset, price, timestamp, feed = FEED) {
  const { chainId } = await ethers.provider.getNetwork();
  const digest = ethers.TypedDataEncoder.hash({ name: 'SluiceLoanOracle', version: '1', chainId }, PRICE_TYPES,
    { feed, asset, price, timestamp });
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
  // The hashlock registry is global: a test that reveals its repayment preimage passes its own `secret`, so
  // that the loans of later tests are not repaid already.
  async function fundedLoan(secret = repayment) {
    const terms = { oracle: oracle.address, feed: FEED, debt: E(10000), maxLtvBps: 5000, liquidationLtvBps: 8000, maxPriceAge: 3600 };
    const params = await h.makeParams(adj, [borrower, lender], { nonce: ++nonce, challengeDuration: 1000, app: await app.getAddress() });
    await (await h.deposit(adj, params, h.ZERO, 0n, E(10))).wait();
    const maturity = (await time.latest()) + 30 * 86400;
    const pledge = { hashlock: ethers.keccak256(secret), amount: E(10), from: 1, to: 0, expiry: maturity };
    const v1 = h.makeState(params, { version: 1, outcome: [h.ethAlloc([0n, 0n], [pledge])], appData: encodeLoan(terms, noPrice) });
    return { terms, params, pledge, v1, secret };
  }

  async function registeredLoan(secret = repayment) {
    const loan = await fundedLoan(secret);
    const tx = await adj.register(loan.params, loan.v1, h.signAll([borrower, lender], loan.params, loan.v1), h.NO_REGISTRATION);
    const ev = (await tx.wait()).logs.map((l) => adj.interface.parseLog(l)).find((p) => p && p.name === 'Registered');
    return { ...loan, finalizesAt: ev.args.finalizesAt, reg: h.registrationOf(ev.args) };
  }

  async function balances() {
    return Promise.all([borrower, lender].map((w) => ethers.provider.getBalance(w.address)));
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
    const seized = { ...from.outcome[0].locks[0], amount: pledged };
    return h.makeState(params, {
      version: Number(from.version) + 1,
      outcome: [h.ethAlloc([free[0], free[1] + pledged])],
      appData: encodeLoan({ ...terms, debt: 0n }, att, { seized }),
    });
  }

  // The borrower's repaid move from `from`: the pledge (locked, or `seized` by a liquidation) to the borrower,
  // debt 0; `preimage` carried in the move or zero to rely on the on-chain reveal.
  function repaid(loan, from, pledged, { preimage = ethers.ZeroHash, seized = false } = {}) {
    const free = from.outcome[0].balances;
    return h.makeState(loan.params, {
      version: Number(from.version) + 1,
      outcome: [h.ethAlloc([free[0] + pledged, seized ? free[1] - pledged : free[1]])],
      appData: encodeLoan({ ...loan.terms, debt: 0n }, noPrice, { preimage }),
    });
  }

  it('price digest matches EIP-712 as ethers computes it', async function () {
    const { chainId } = await ethers.provider.getNetwork();
    const expected = ethers.TypedDataEncoder.hash({ name: 'SluiceLoanOracle', version: '1', chainId }, PRICE_TYPES,
      { feed: FEED, asset: h.ZERO, price: 5n, timestamp: 7n });
    expect(await app.priceDigest(FEED, h.ZERO, 5n, 7n, chainId)).to.equal(expected);
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
    // Nor a genuine price of another feed of the same oracle (another quote currency or scale).
    const otherFeed = await attest(oracle, h.ZERO, E(5000), await time.latest(), ethers.id('ETH/EUR, 18 decimals'));
    const misquoted = { ...tooMuch, appData: encodeLoan(loan.terms, otherFeed) };
    expect(await app.validTransition(loan.params, loan.v1, misquoted, 0)).to.equal(false);
    const quoted = { ...tooMuch, appData: encodeLoan(loan.terms, await attest(oracle, h.ZERO, E(5000), await time.latest())) };
    expect(await app.validTransition(loan.params, loan.v1, quoted, 0)).to.equal(true);

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
  // Issue #18 §5: the borrower repays through the hashlock, the lender collects and refuses to co-sign debt 0;
  // the borrower registers and reveals; the lender answers with a liquidation on a fresh crash price.
  it('refuses a liquidation once the repayment preimage is revealed, so the lender cannot take the pledge too', async function () {
    const loan = await registeredLoan(ethers.id('repaid, then liquidated?'));
    // ETH at 900: LTV 111 % >= 80 %. Before the reveal this liquidation is the app's to allow.
    const crash = await liquidation(loan.params, loan.v1, loan.terms, E(10), E(900));
    expect(await app.validTransition(loan.params, loan.v1, crash, 1)).to.equal(true);
    await (await adj.revealPreimage(loan.secret)).wait();
    const fresh = await liquidation(loan.params, loan.v1, loan.terms, E(10), E(900));
    expect(await app.validTransition(loan.params, loan.v1, fresh, 1)).to.equal(false);
    await expect(adj.connect(lender).progress(loan.params, loan.v1, loan.reg, fresh, 1, h.sign(lender, loan.params, fresh)))
      .to.be.revertedWithCustomError(adj, 'InvalidTransition');

    await time.increaseTo(loan.finalizesAt);
    const before = await balances();
    await (await adj.withdraw(loan.params, loan.v1, loan.reg)).wait();
    const after = await balances();
    expect(after[0]).to.equal(before[0] + E(10));
    expect(after[1]).to.equal(before[1]);
  });

  it('gives the borrower a repaid move on the preimage carried in the move or revealed on-chain', async function () {
    const loan = await registeredLoan(ethers.id('repaid by a move'));
    const carried = repaid(loan, loan.v1, E(10), { preimage: loan.secret });
    expect(await app.validTransition(loan.params, loan.v1, carried, 0)).to.equal(true);
    expect(await app.validTransition(loan.params, loan.v1, carried, 1)).to.equal(false);
    expect(await app.validTransition(loan.params, loan.v1, repaid(loan, loan.v1, E(10), { preimage: ethers.id('wrong') }), 0))
      .to.equal(false);
    // Without the preimage nothing proves the repayment yet; with it, the move must settle the debt.
    const claimed = repaid(loan, loan.v1, E(10));
    expect(await app.validTransition(loan.params, loan.v1, claimed, 0)).to.equal(false);
    const owing = { ...carried, appData: encodeLoan({ ...loan.terms, debt: 1n }, noPrice, { preimage: loan.secret }) };
    expect(await app.validTransition(loan.params, loan.v1, owing, 0)).to.equal(false);

    const p = await progressedFrom(adj, await adj.connect(borrower).progress(
      loan.params, loan.v1, loan.reg, carried, 0, h.sign(borrower, loan.params, carried)));
    await time.increaseTo(p.finalizesAt);
    const before = await balances();
    await (await adj.withdraw(loan.params, carried, p.reg)).wait();
    expect((await balances())[0]).to.equal(before[0] + E(10));

    const other = await registeredLoan(ethers.id('repaid on-chain'));
    await (await adj.revealPreimage(other.secret)).wait();
    const onChain = repaid(other, other.v1, E(10));
    expect(await app.validTransition(other.params, other.v1, onChain, 0)).to.equal(true);
  });

  it('undoes a liquidation that front-ran the reveal, by the repaid move within the challenge it restarted', async function () {
    const loan = await registeredLoan(ethers.id('front-run'));
    const crash = await liquidation(loan.params, loan.v1, loan.terms, E(10), E(900));
    const q = await progressedFrom(adj, await adj.connect(lender).progress(
      loan.params, loan.v1, loan.reg, crash, 1, h.sign(lender, loan.params, crash)));
    const undo = repaid(loan, crash, E(10), { seized: true });
    expect(await app.validTransition(loan.params, crash, undo, 0)).to.equal(false);
    await (await adj.revealPreimage(loan.secret)).wait();
    expect(await app.validTransition(loan.params, crash, undo, 0)).to.equal(true);
    // The move is the borrower's, and it must clear the seizure, or the pledge could be taken back twice.
    expect(await app.validTransition(loan.params, crash, undo, 1)).to.equal(false);
    const stillSeized = { ...undo, appData: encodeLoan({ ...loan.terms, debt: 0n }, noPrice, { seized: { ...loan.pledge } }) };
    expect(await app.validTransition(loan.params, crash, stillSeized, 0)).to.equal(false);

    const r = await progressedFrom(adj, await adj.connect(borrower).progress(
      loan.params, crash, q.reg, undo, 0, h.sign(borrower, loan.params, undo)));
    await time.increaseTo(r.finalizesAt);
    const before = await balances();
    await (await adj.withdraw(loan.params, undo, r.reg)).wait();
    const after = await balances();
    expect(after[0]).to.equal(before[0] + E(10));
    expect(after[1]).to.equal(before[1]);
  });

  it('closes a loan channel cooperatively: no final force-move, but conclude settles a final state both signed', async function () {
    const loan = await fundedLoan();
    const closing = h.makeState(loan.params, {
      version: 2, outcome: [h.ethAlloc([E(10), 0n])], appData: loan.v1.appData, isFinal: true,
    });
    expect(await app.validTransition(loan.params, loan.v1, closing, 0)).to.equal(false);
    expect(await app.validTransition(loan.params, loan.v1, closing, 1)).to.equal(false);
    await (await adj.conclude(loan.params, closing, h.signAll([borrower, lender], loan.params, closing))).wait();
    const before = await balances();
    await (await adj.withdraw(loan.params, closing, h.concluded(closing))).wait();
    expect((await balances())[0]).to.equal(before[0] + E(10));
  });
});
