// Shared fixtures for the contract tests: deploys the committed artifacts, builds params/states, signs them
// with ethers' own EIP-712 implementation (an independent check of the contract's hashing) and records gas.
'use strict';
const fs = require('fs');
const path = require('path');
const { ethers } = require('hardhat');

const ZERO = ethers.ZeroAddress;

function artifact(name) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'artifacts', `${name}.json`), 'utf8'));
}

async function deploy(name, ...args) {
  const a = artifact(name);
  const [deployer] = await ethers.getSigners();
  const factory = new ethers.ContractFactory(a.abi, a.bytecode, deployer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract;
}

// Deterministic participant wallets, funded so payouts land on existing accounts (as they would in practice).
async function wallets(count, tag = 'p') {
  const [funder] = await ethers.getSigners();
  const out = [];
  for (let i = 0; i < count; ++i) {
    const w = new ethers.Wallet(ethers.keccak256(ethers.toUtf8Bytes(`sluice-${tag}-${i}`)), ethers.provider);
    if ((await ethers.provider.getBalance(w.address)) === 0n) {
      await (await funder.sendTransaction({ to: w.address, value: ethers.parseEther('1') })).wait();
    }
    out.push(w);
  }
  return out;
}

const PARAMS_TUPLE = 'tuple(uint256 chainId,address adjudicator,address[] participants,uint64 nonce,uint48 challengeDuration,address app)';

function channelIdOf(params) {
  return ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode([PARAMS_TUPLE], [params]));
}

async function makeParams(adj, parts, { nonce = 1, challengeDuration = 3600, app = ZERO } = {}) {
  const { chainId } = await ethers.provider.getNetwork();
  return {
    chainId,
    adjudicator: await adj.getAddress(),
    participants: parts.map((w) => w.address),
    nonce,
    challengeDuration,
    app,
  };
}

function makeState(params, { version = 1, outcome, appData = '0x', isFinal = false }) {
  return { channelId: channelIdOf(params), version, outcome, appData, isFinal };
}

const TYPES = {
  State: [
    { name: 'channelId', type: 'bytes32' },
    { name: 'version', type: 'uint64' },
    { name: 'outcome', type: 'Alloc[]' },
    { name: 'appData', type: 'bytes' },
    { name: 'isFinal', type: 'bool' },
  ],
  Alloc: [
    { name: 'asset', type: 'address' },
    { name: 'balances', type: 'uint256[]' },
    { name: 'locks', type: 'Lock[]' },
  ],
  Lock: [
    { name: 'hashlock', type: 'bytes32' },
    { name: 'amount', type: 'uint256' },
    { name: 'from', type: 'uint16' },
    { name: 'to', type: 'uint16' },
    { name: 'expiry', type: 'uint64' },
  ],
};

function domainOf(params) {
  return { name: 'Sluice', version: '1', chainId: params.chainId, verifyingContract: params.adjudicator };
}

function digestOf(params, state) {
  return ethers.TypedDataEncoder.hash(domainOf(params), TYPES, state);
}

function sign(wallet, params, state) {
  return wallet.signingKey.sign(digestOf(params, state)).serialized;
}

function signAll(parts, params, state) {
  return ethers.concat(parts.map((w) => sign(w, params, state)));
}

// The curve order n; a signature (r, n - s, v ^ 1) is the same signature with high s.
const CURVE_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
function toHighS(sig) {
  const s = ethers.Signature.from(sig);
  const highS = ethers.toBeHex(CURVE_N - BigInt(s.s), 32);
  return ethers.concat([s.r, highS, s.v === 27 ? '0x1c' : '0x1b']);
}

function ethAlloc(balances, locks = []) {
  return { asset: ZERO, balances, locks };
}

// Registration descriptor for a fresh channel (fields are ignored by the contract in that case).
const NO_REGISTRATION = { version: 0, finalizesAt: 0, stateHash: ethers.ZeroHash, signedVersion: 0, endsBy: 0 };

function stateHashOf(state) {
  return ethers.TypedDataEncoder.from(TYPES).hash(state);
}

// The Registration of a concluded state (conclude, concludeBatch, a final register): what withdraw takes.
function concluded(state) {
  return { version: state.version, finalizesAt: 0, stateHash: stateHashOf(state), signedVersion: state.version, endsBy: 0 };
}

// The Registration a Registered or Progressed event announces.
function registrationOf(args) {
  const { version, finalizesAt, stateHash, signedVersion, endsBy } = args;
  return { version, finalizesAt, stateHash, signedVersion, endsBy };
}

// The adjudicator event `name` of a mined transaction, parsed.
async function eventOf(adj, tx, name) {
  const receipt = await (await tx).wait();
  const parsed = receipt.logs.map((l) => adj.interface.parseLog(l)).find((e) => e && e.name === name);
  if (!parsed) throw new Error(`no ${name} event`);
  return { args: parsed.args, receipt };
}

// deposit(params, asset, expectedHeld, amount): ETH when asset is ZERO.
function deposit(adj, params, asset, expectedHeld, amount, overrides = {}) {
  const value = asset === ZERO ? { value: amount } : {};
  return adj.deposit(params, asset, expectedHeld, amount, { ...value, ...overrides });
}

const gasTable = {};
function recordGas(key, gas) {
  gasTable[key] = Number(gas);
}
async function gasOf(txPromise) {
  const tx = await txPromise;
  const receipt = await tx.wait();
  return receipt.gasUsed;
}

function writeGasReport() {
  const keys = Object.keys(gasTable).sort();
  if (keys.length === 0) return;
  console.log('\n  gas used (hardhat, cancun):');
  for (const k of keys) console.log(`    ${k.padEnd(34)} ${gasTable[k]}`);
  const dir = path.join(__dirname, '..', 'build-hardhat');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'gas.json'), JSON.stringify(gasTable, null, 2) + '\n');
}

// A root hook (this file is loaded inside mocha): one report after every suite has run.
if (typeof after === 'function') after(() => writeGasReport());

module.exports = {
  ZERO,
  artifact,
  deploy,
  wallets,
  channelIdOf,
  makeParams,
  makeState,
  TYPES,
  domainOf,
  digestOf,
  sign,
  signAll,
  toHighS,
  ethAlloc,
  NO_REGISTRATION,
  stateHashOf,
  concluded,
  registrationOf,
  eventOf,
  deposit,
  recordGas,
  gasOf,
  writeGasReport,
};
