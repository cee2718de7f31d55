// Known-answer vectors for the C++ channel library: deterministic pseudo-random params and states (2-16
// parties, several assets, locks, app data) with channelId, EIP-712 state hash and digest. Each vector is
// computed by ethers AND by the deployed adjudicator's views, which must agree; the result must equal the
// committed vectors/channel_vectors.json (UPDATE_VECTORS=1 rewrites it).
'use strict';
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');
const { ethers } = require('hardhat');
const h = require('./helpers');

const VECTORS_FILE = path.join(__dirname, '..', 'vectors', 'channel_vectors.json');
const COUNT = 24;

// A counter-mode keccak stream: the same vectors on every machine.
function prng(seed) {
  let counter = 0n;
  let pool = new Uint8Array(0);
  const bytes = (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; ++i) {
      if (pool.length === 0) {
        pool = ethers.getBytes(ethers.solidityPackedKeccak256(['string', 'uint256'], [seed, counter++]));
      }
      out[i] = pool[0];
      pool = pool.slice(1);
    }
    return out;
  };
  const big = (n) => (n === 0 ? 0n : BigInt(ethers.hexlify(bytes(n))));
  const int = (lo, hi) => lo + Number(big(4) % BigInt(hi - lo + 1));
  return { bytes, big, int };
}

function makeVector(r, adjudicator, chainId) {
  const n = r.int(2, 16);
  const participants = Array.from({ length: n }, () => ethers.getAddress(ethers.hexlify(r.bytes(20))));
  const params = {
    chainId,
    adjudicator,
    participants,
    nonce: r.big(8),
    challengeDuration: r.big(6),
    app: r.int(0, 1) ? ethers.getAddress(ethers.hexlify(r.bytes(20))) : h.ZERO,
  };
  const amount = () => (r.int(0, 3) === 0 ? r.big(32) : r.big(r.int(0, 16)));
  const outcome = Array.from({ length: r.int(1, 3) }, (_, a) => ({
    asset: a === 0 ? h.ZERO : ethers.getAddress(ethers.hexlify(r.bytes(20))),
    balances: Array.from({ length: n }, amount),
    locks: Array.from({ length: r.int(0, 3) }, () => ({
      hashlock: ethers.hexlify(r.bytes(32)),
      amount: amount(),
      from: r.int(0, n - 1),
      to: r.int(0, n - 1),
      expiry: r.big(8),
    })),
  }));
  const state = {
    channelId: h.channelIdOf(params),
    version: r.big(8),
    outcome,
    appData: ethers.hexlify(r.bytes(r.int(0, 3) === 0 ? 0 : r.int(1, 200))),
    isFinal: r.int(0, 1) === 1,
  };
  return { params, state };
}

const str = (v) => v.toString();
function toJson(params, state, encoding, stateHash, digest) {
  return {
    params: {
      chain_id: str(params.chainId),
      adjudicator: params.adjudicator,
      participants: params.participants,
      nonce: str(params.nonce),
      challenge_duration: str(params.challengeDuration),
      app: params.app,
    },
    state: {
      channel_id: state.channelId,
      version: str(state.version),
      outcome: state.outcome.map((a) => ({
        asset: a.asset,
        balances: a.balances.map(str),
        locks: a.locks.map((l) => ({
          hashlock: l.hashlock, amount: str(l.amount), from: l.from, to: l.to, expiry: str(l.expiry),
        })),
      })),
      app_data: state.appData,
      is_final: state.isFinal,
    },
    params_encoding: encoding,
    channel_id: state.channelId,
    state_hash: stateHash,
    digest,
  };
}

describe('Known-answer vectors for C++', function () {
  it(`${COUNT} random params/states agree between ethers and the adjudicator and match the committed file`, async function () {
    // A fixed deployer at nonce 0 gives the adjudicator the same address in every run and test order.
    const [funder] = await ethers.getSigners();
    const deployer = new ethers.Wallet(ethers.id('sluice-vectors-deployer'), ethers.provider);
    const adjudicator = ethers.getCreateAddress({ from: deployer.address, nonce: 0 });
    if ((await ethers.provider.getCode(adjudicator)) === '0x') {
      await (await funder.sendTransaction({ to: deployer.address, value: ethers.parseEther('1') })).wait();
      const a = h.artifact('Adjudicator');
      await (await new ethers.ContractFactory(a.abi, a.bytecode, deployer).deploy()).waitForDeployment();
    }
    const adj = new ethers.Contract(adjudicator, h.artifact('Adjudicator').abi, funder);
    const { chainId } = await ethers.provider.getNetwork();

    const r = prng('sluice channel vectors v1');
    const vectors = [];
    for (let i = 0; i < COUNT; ++i) {
      const { params, state } = makeVector(r, adjudicator, chainId);
      const encoding = ethers.AbiCoder.defaultAbiCoder().encode([
        'tuple(uint256 chainId,address adjudicator,address[] participants,uint64 nonce,uint48 challengeDuration,address app)',
      ], [params]);
      const stateHash = ethers.TypedDataEncoder.from(h.TYPES).hash(state);
      const digest = h.digestOf(params, state);
      expect(await adj.channelId(params)).to.equal(state.channelId, `vector ${i} channelId`);
      expect(await adj.hashState(state)).to.equal(stateHash, `vector ${i} hashState`);
      expect(await adj.stateDigest(state)).to.equal(digest, `vector ${i} stateDigest`);
      vectors.push(toJson(params, state, encoding, stateHash, digest));
    }
    const file = {
      comment: 'Generated by contracts/test/vectors.test.js; checked against ethers and the Adjudicator views.',
      chain_id: str(chainId),
      adjudicator,
      domain_separator: await adj.domainSeparator(),
      vectors,
    };
    const text = JSON.stringify(file, null, 1) + '\n';
    if (process.env.UPDATE_VECTORS === '1') {
      fs.mkdirSync(path.dirname(VECTORS_FILE), { recursive: true });
      fs.writeFileSync(VECTORS_FILE, text);
    }
    expect(fs.readFileSync(VECTORS_FILE, 'utf8')).to.equal(text, 'vectors changed: rerun with UPDATE_VECTORS=1 and review');
  });
});
