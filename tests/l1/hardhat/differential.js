// The differential check (ctest devchain_hardhat_differential): hardhat node, the reference L1, and
// sluice-devchain receive the very same signed raw transactions, and every observable result must be equal.
// run_differential.sh starts both servers; this script aligns what differs between their defaults, sends the
// adjudicator's life cycle (deploy, deposits of ETH and ERC-20, conclude, concludeBatch, register ->
// evm_increaseTime -> withdraw, reverting calls and transactions) and compares, for every transaction, the
// receipt, the transaction and its block; for every eth_call the return or revert data; and at the end the
// logs, balances, nonces, code and storage slots of every account touched. Each difference is printed with
// both values; the exit status is non-zero when there is any.
//
// Alignment (the only places where the two nodes are told apart):
//  * hardfork: hardhat node runs contracts/hardhat.config.js's network (cancun); run_differential.sh starts the
//    devchain with --hardfork set to the same name (SLUICE_HARDFORK).
//  * coinbase: hardhat_setCoinbase makes hardhat's the devchain's (tips go there; its balance is compared).
//  * base fee: not aligned: both start at 1 gwei and follow EIP-1559, so the per-block comparison of
//    baseFeePerGas checks the devchain's adjustment against hardhat's.
//  * time: both genesis blocks carry different timestamps, so each block's timestamp is set on both with
//    evm_setNextBlockTimestamp (the later chain's latest + 1), except the withdraw after evm_increaseTime,
//    whose timestamp follows each node's own clock (that block's timestamp is the one field not compared).
// Not compared: a revert's JSON-RPC error code (hardhat -32603, the devchain geth's 3); Prague (hardhat
// 2.29.1's Prague genesis holds a placeholder that reverts "EIP-2935 is not supported" at EIP-2935's address).
'use strict';
const fs = require('fs');
const path = require('path');

const contractsDir = path.resolve(process.env.SLUICE_CONTRACTS_DIR);
const [hardhatUrl, devchainUrl] = process.argv.slice(2);
// helpers.js loads hardhat, which finds its config from the working directory.
process.chdir(contractsDir);
const h = require(path.join(contractsDir, 'test', 'helpers.js'));
const { ethers } = require(path.join(contractsDir, 'node_modules', 'ethers'));

const E = (n) => ethers.parseEther(String(n));
const GWEI = 1_000_000_000n;
const CHAIN_ID = 31337n;
const DEV_KEYS = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
];

const nodes = [
  { name: 'hardhat', url: hardhatUrl },
  { name: 'devchain', url: devchainUrl },
];
const differences = [];
let compared = 0;

// ---- JSON-RPC over Node's own fetch: the raw answers, so nothing in between normalises them ----
let nextId = 1;
async function rpc(node, method, params = []) {
  const res = await fetch(node.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
  });
  return res.json();
}
async function result(node, method, params = []) {
  const answer = await rpc(node, method, params);
  if (answer.error) throw new Error(`${node.name} ${method}: ${JSON.stringify(answer.error)}`);
  return answer.result;
}
const both = (method, params = []) => Promise.all(nodes.map((n) => result(n, method, params)));

// Hex quantities and data compare case-insensitively (addresses: hardhat answers lower case too).
function canonical(v) {
  if (typeof v === 'string') return v.toLowerCase();
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical(v[k]);
    return out;
  }
  return v;
}
function same(what, a, b) {
  ++compared;
  const ca = JSON.stringify(canonical(a));
  const cb = JSON.stringify(canonical(b));
  if (ca !== cb) differences.push(`${what}:\n      hardhat  ${ca}\n      devchain ${cb}`);
}
function sameFields(what, a, b, fields) {
  for (const f of fields) same(`${what}.${f}`, a?.[f], b?.[f]);
}

// ---- alignment ----
async function alignNextTimestamp() {
  const blocks = await both('eth_getBlockByNumber', ['latest', false]);
  const t = Math.max(...blocks.map((b) => Number(b.timestamp))) + 1;
  await both('evm_setNextBlockTimestamp', [t]);
  return t;
}

// ---- transactions: signed once, the same bytes to both ----
const nonces = new Map();
async function signed(wallet, { to = null, data = '0x', value = 0n, gasLimit = 3_000_000n, type = 2 }) {
  const nonce = nonces.get(wallet.address) ?? 0;
  nonces.set(wallet.address, nonce + 1);
  const tx = { chainId: CHAIN_ID, nonce, to, data, value, gasLimit, type };
  if (type === 2) Object.assign(tx, { maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: GWEI });
  else tx.gasPrice = 2n * GWEI;
  if (type === 1) tx.accessList = [{ address: wallet.address, storageKeys: [ethers.ZeroHash] }];
  return wallet.signTransaction(tx);
}

const RECEIPT_FIELDS = ['status', 'gasUsed', 'cumulativeGasUsed', 'effectiveGasPrice', 'contractAddress', 'type',
  'from', 'to', 'transactionIndex', 'blockNumber', 'logsBloom', 'transactionHash', 'blobGasUsed', 'blobGasPrice'];
const LOG_FIELDS = ['address', 'topics', 'data', 'logIndex', 'transactionIndex', 'blockNumber', 'transactionHash',
  'removed'];
const TX_FIELDS = ['type', 'nonce', 'gas', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas', 'value', 'input', 'to',
  'from', 'v', 'r', 's', 'accessList', 'blockNumber', 'transactionIndex', 'hash'];

// Two fields the execution API has and hardhat 2.29.1 leaves out: yParity (typed transactions) and chainId
// (legacy EIP-155 ones). Where hardhat gives them they are compared; where not, the devchain's must agree with
// hardhat's v, which carries both.
function compareSignatureFields(label, hh, dc) {
  const v = BigInt(hh.v);
  if (hh.yParity !== undefined || hh.type !== '0x0') {
    same(`${label} transaction.yParity`, hh.yParity ?? ethers.toQuantity(v), dc.yParity);
  }
  if (hh.chainId !== undefined || hh.type !== '0x0') same(`${label} transaction.chainId`, hh.chainId, dc.chainId);
  else if (v >= 35n) same(`${label} transaction.chainId (from v)`, ethers.toQuantity((v - 35n) / 2n), dc.chainId);
}
const BLOCK_FIELDS = ['number', 'timestamp', 'gasUsed', 'gasLimit', 'baseFeePerGas', 'miner', 'logsBloom',
  'transactionsRoot', 'receiptsRoot', 'stateRoot', 'difficulty', 'blobGasUsed', 'excessBlobGas',
  'withdrawalsRoot', 'withdrawals'];

// Sends `raw` to both, compares the answers, receipts, logs, the transaction and its block; returns the
// hardhat receipt. A transaction the EVM reverts is still mined: hardhat node then answers
// eth_sendRawTransaction with an error carrying the hash (throwOnTransactionFailures), the devchain with the hash.
async function send(label, raw, { expectStatus = '0x1', keepClock = false } = {}) {
  if (!keepClock) await alignNextTimestamp();
  const hash = ethers.keccak256(raw);
  const answers = await Promise.all(nodes.map((n) => rpc(n, 'eth_sendRawTransaction', [raw])));
  const [hhAnswer, dcAnswer] = answers;
  if (hhAnswer.error && !(expectStatus === '0x0' && JSON.stringify(hhAnswer.error).includes(hash.slice(2)))) {
    throw new Error(`${label}: hardhat refused the transaction: ${JSON.stringify(hhAnswer.error)}`);
  }
  if (!hhAnswer.error) same(`${label} eth_sendRawTransaction`, hhAnswer.result, hash);
  same(`${label} eth_sendRawTransaction`, hash, dcAnswer.result ?? dcAnswer.error);
  const receipts = await both('eth_getTransactionReceipt', [hash]);
  if (!receipts[0]) throw new Error(`${label}: hardhat mined no receipt`);
  same(`${label} receipt present`, true, receipts[1] !== null);
  if (!receipts[1]) return receipts[0];
  same(`${label} status (expected ${expectStatus})`, expectStatus, receipts[0].status);
  sameFields(`${label} receipt`, receipts[0], receipts[1], RECEIPT_FIELDS);
  same(`${label} log count`, receipts[0].logs.length, receipts[1].logs.length);
  receipts[0].logs.forEach((log, i) => sameFields(`${label} log ${i}`, log, receipts[1].logs[i], LOG_FIELDS));
  const txs = await both('eth_getTransactionByHash', [hash]);
  sameFields(`${label} transaction`, txs[0], txs[1], TX_FIELDS);
  compareSignatureFields(label, txs[0], txs[1]);
  const blocks = await both('eth_getBlockByNumber', [receipts[0].blockNumber, false]);
  const blockFields = keepClock ? BLOCK_FIELDS.filter((f) => f !== 'timestamp') : BLOCK_FIELDS;
  sameFields(`${label} block`, blocks[0], blocks[1], blockFields);
  same(`${label} block transactions`, blocks[0].transactions, blocks[1].transactions);
  console.log(`  ${label}: status ${receipts[0].status}, gas ${BigInt(receipts[0].gasUsed)}`);
  return receipts[0];
}

// eth_call on both: the return data, or for a revert the revert data (error.data, a string on both nodes).
async function call(label, from, to, data, { reverts = false } = {}) {
  const answers = await Promise.all(nodes.map((n) => rpc(n, 'eth_call', [{ from, to, data }, 'latest'])));
  const out = answers.map((a) => (a.error ? { reverted: true, data: revertData(a.error) } : { data: a.result }));
  same(`${label} eth_call`, out[0], out[1]);
  same(`${label} reverted (expected ${reverts})`, reverts, Boolean(out[0].reverted));
  // The error codes are not compared: hardhat answers a revert with -32603, the devchain with geth's 3 (the
  // execution API's); both carry the revert data, compared above.
  return out[0].data;
}
function revertData(error) {
  if (typeof error.data === 'string') return error.data;
  if (error.data && typeof error.data.data === 'string') return error.data.data;
  return null;
}

function artifact(name) {
  return JSON.parse(fs.readFileSync(path.join(contractsDir, 'artifacts', `${name}.json`), 'utf8'));
}

async function main() {
  const chainIds = await both('eth_chainId');
  same('eth_chainId', chainIds[0], chainIds[1]);
  same('eth_chainId is 31337', chainIds[0], ethers.toQuantity(CHAIN_ID));
  const accounts = await both('eth_accounts');
  same('eth_accounts', accounts[0], accounts[1]);
  const genesis = await both('eth_getBlockByNumber', ['0x0', false]);
  sameFields('genesis', genesis[0], genesis[1], ['number', 'gasLimit', 'baseFeePerGas', 'stateRoot']);
  const coinbase = (await result(nodes[1], 'eth_getBlockByNumber', ['latest', false])).miner;
  await result(nodes[0], 'hardhat_setCoinbase', [coinbase]);

  const deployer = new ethers.Wallet(DEV_KEYS[0]);
  const hub = new ethers.Wallet(DEV_KEYS[1]);
  // The participants of the contract tests (helpers.wallets), funded below by transactions of every type.
  const parts = [0, 1, 2, 3].map((i) => new ethers.Wallet(ethers.keccak256(ethers.toUtf8Bytes(`sluice-p-${i}`))));
  const touched = [deployer.address, hub.address, coinbase, ethers.ZeroAddress, ...parts.map((p) => p.address)];

  const adjArt = artifact('Adjudicator');
  const tokArt = artifact('TestToken');
  const adjI = new ethers.Interface(adjArt.abi);
  const tokI = new ethers.Interface(tokArt.abi);

  console.log('transactions (hardhat status and gas; every field compared with the devchain):');
  const deployAdj = await send('deploy Adjudicator', await signed(deployer, { data: adjArt.bytecode, gasLimit: 8_000_000n }));
  const adj = ethers.getAddress(deployAdj.contractAddress);
  const tokenArgs = ethers.AbiCoder.defaultAbiCoder().encode(['string', 'string'], ['Test', 'TST']);
  const deployTok = await send('deploy TestToken',
    await signed(deployer, { data: ethers.concat([tokArt.bytecode, tokenArgs]), gasLimit: 2_000_000n }));
  const token = ethers.getAddress(deployTok.contractAddress);
  touched.push(adj, token);
  const codes = await Promise.all(nodes.map((n) => result(n, 'eth_getCode', [adj, 'latest'])));
  same('adjudicator runtime code', codes[0], codes[1]);

  await send('fund p0 (legacy, EIP-155)', await signed(deployer, { to: parts[0].address, value: E(1), gasLimit: 21_000n, type: 0 }));
  await send('fund p1 (EIP-2930)', await signed(deployer, { to: parts[1].address, value: E(1), gasLimit: 30_000n, type: 1 }));
  await send('fund p2 (EIP-1559)', await signed(deployer, { to: parts[2].address, value: E(1), gasLimit: 21_000n }));
  await send('fund p3 (EIP-1559)', await signed(hub, { to: parts[3].address, value: E(1), gasLimit: 21_000n }));

  await send('token.mint', await signed(deployer, { to: token, data: tokI.encodeFunctionData('mint', [deployer.address, E(100)]), gasLimit: 200_000n }));
  await send('token.approve', await signed(deployer, { to: token, data: tokI.encodeFunctionData('approve', [adj, E(100)]), gasLimit: 200_000n }));

  const paramsOf = (members, nonce, challengeDuration = 3600) => ({
    chainId: CHAIN_ID, adjudicator: adj, participants: members.map((w) => w.address), nonce, challengeDuration,
    app: ethers.ZeroAddress,
  });
  const deposit = (params, asset, held, amount) => adjI.encodeFunctionData('deposit', [params, asset, held, amount]);

  // Channel A: ETH and tokens in, concluded by a final state, withdrawn.
  const pA = paramsOf([parts[0], parts[1]], 1);
  const cA = h.channelIdOf(pA);
  same('channelId view (before any deposit)', await call('channelId', deployer.address, adj, adjI.encodeFunctionData('channelId', [pA])), cA);
  await send('deposit ETH', await signed(deployer, { to: adj, data: deposit(pA, ethers.ZeroAddress, 0n, E(2)), value: E(2), gasLimit: 300_000n }));
  await send('deposit ERC-20', await signed(deployer, { to: adj, data: deposit(pA, token, 0n, E(3)), gasLimit: 300_000n }));
  await send('deposit reverts (WrongValue)', await signed(deployer, { to: adj, data: deposit(pA, ethers.ZeroAddress, E(2), 2n), value: 1n, gasLimit: 300_000n }), { expectStatus: '0x0' });
  const sA = h.makeState(pA, {
    version: 5, outcome: [h.ethAlloc([E(1.2), E(0.8)]), { asset: token, balances: [E(1), E(2)], locks: [] }], isFinal: true,
  });
  await call('stateDigest', deployer.address, adj, adjI.encodeFunctionData('stateDigest', [sA]));
  await call('conclude reverts (WrongSigner)', deployer.address, adj,
    adjI.encodeFunctionData('conclude', [pA, sA, ethers.concat([h.sign(parts[0], pA, sA), h.sign(parts[2], pA, sA)])]), { reverts: true });
  await send('conclude', await signed(hub, { to: adj, data: adjI.encodeFunctionData('conclude', [pA, sA, h.signAll([parts[0], parts[1]], pA, sA)]), gasLimit: 500_000n }));
  await send('withdraw after conclude', await signed(hub, { to: adj, data: adjI.encodeFunctionData('withdraw', [pA, sA, h.concluded(sA)]), gasLimit: 800_000n }));

  // concludeBatch over three hub channels; the second carries a high-s signature and is skipped, not failed.
  const items = [];
  for (let i = 0; i < 3; ++i) {
    const members = [parts[0], parts[1 + i]];
    const p = paramsOf(members, 10 + i);
    await send(`batch channel ${i}: deposit`, await signed(hub, { to: adj, data: deposit(p, ethers.ZeroAddress, 0n, E(0.01)), value: E(0.01), gasLimit: 300_000n }));
    const s = h.makeState(p, { version: 1000 + i, outcome: [h.ethAlloc([E(0.004), E(0.006)])], isFinal: true });
    let sigs = h.signAll(members, p, s);
    if (i === 1) sigs = ethers.concat([h.sign(members[0], p, s), h.toHighS(h.sign(members[1], p, s))]);
    items.push({ params: p, state: s, sigs });
  }
  await call('concludeBatch (eth_call)', hub.address, adj, adjI.encodeFunctionData('concludeBatch', [items]));
  await send('concludeBatch', await signed(hub, { to: adj, data: adjI.encodeFunctionData('concludeBatch', [items]), gasLimit: 1_000_000n }));
  await send('withdraw batch channel 0', await signed(hub, { to: adj, data: adjI.encodeFunctionData('withdraw', [items[0].params, items[0].state, h.concluded(items[0].state)]), gasLimit: 500_000n }));

  // Channel C: a dispute. register, a withdraw too early reverts, evm_increaseTime past the challenge, withdraw.
  const pC = paramsOf([parts[2], parts[3]], 20, 1000);
  const cC = h.channelIdOf(pC);
  await send('dispute channel: deposit', await signed(parts[2], { to: adj, data: deposit(pC, ethers.ZeroAddress, 0n, E(0.5)), value: E(0.5), gasLimit: 300_000n }));
  const v5 = h.makeState(pC, { version: 5, outcome: [h.ethAlloc([E(0.2), E(0.3)])] });
  const registerRaw = await signed(parts[2], { to: adj, data: adjI.encodeFunctionData('register', [pC, v5, h.signAll([parts[2], parts[3]], pC, v5), h.NO_REGISTRATION]), gasLimit: 500_000n });
  const registered = await send('register', registerRaw);
  const at = Number((await result(nodes[0], 'eth_getBlockByNumber', [registered.blockNumber, false])).timestamp);
  const reg = { version: 5, finalizesAt: at + 1000, stateHash: h.stateHashOf(v5), signedVersion: 5, endsBy: at + 4000 };
  const withdrawC = adjI.encodeFunctionData('withdraw', [pC, v5, reg]);
  await call('withdraw during the challenge (ChallengeRunning)', parts[3].address, adj, withdrawC, { reverts: true });
  await send('withdraw reverts (ChallengeRunning)', await signed(parts[3], { to: adj, data: withdrawC, gasLimit: 500_000n }), { expectStatus: '0x0' });
  await both('evm_increaseTime', [1001]);
  await send('withdraw after the challenge', await signed(parts[3], { to: adj, data: withdrawC, gasLimit: 500_000n }), { keepClock: true });
  await send('withdraw again reverts (WrongCurrent)', await signed(parts[3], { to: adj, data: withdrawC, gasLimit: 500_000n }), { expectStatus: '0x0' });

  // Views and reverting calls on the final state.
  const views = [
    ['holdings A ETH', adj, adjI.encodeFunctionData('holdings', [cA, ethers.ZeroAddress])],
    ['holdings A token', adj, adjI.encodeFunctionData('holdings', [cA, token])],
    ['statusOf A', adj, adjI.encodeFunctionData('statusOf', [cA])],
    ['statusOf C', adj, adjI.encodeFunctionData('statusOf', [cC])],
    ['statusOf batch 1 (skipped)', adj, adjI.encodeFunctionData('statusOf', [h.channelIdOf(items[1].params)])],
    ['hashState', adj, adjI.encodeFunctionData('hashState', [v5])],
    ['domainSeparator', adj, adjI.encodeFunctionData('domainSeparator', [])],
    ['token totalSupply', token, tokI.encodeFunctionData('totalSupply', [])],
    ['token name', token, tokI.encodeFunctionData('name', [])],
    ['token allowance', token, tokI.encodeFunctionData('allowance', [deployer.address, adj])],
    ...touched.map((a) => [`token balanceOf ${a}`, token, tokI.encodeFunctionData('balanceOf', [a])]),
  ];
  for (const [label, to, data] of views) await call(label, deployer.address, to, data);
  await call('deposit zero reverts (ZeroAmount)', deployer.address, adj, deposit(pA, ethers.ZeroAddress, 0n, 0n), { reverts: true });
  await call('deposit on a settled channel (ChannelSettled)', deployer.address, adj, deposit(pC, token, 0n, 1n), { reverts: true });
  await call('token transfer beyond balance (InsufficientBalance)', parts[0].address, token,
    tokI.encodeFunctionData('transfer', [deployer.address, E(1000)]), { reverts: true });
  await call('a call to an account without code', deployer.address, parts[0].address, '0x12345678');

  // Every log of both contracts, the heads, and the state of every touched account.
  const logs = await both('eth_getLogs', [{ fromBlock: '0x0', toBlock: 'latest', address: [adj, token] }]);
  same('eth_getLogs count', logs[0].length, logs[1].length);
  logs[0].forEach((l, i) => sameFields(`eth_getLogs ${i}`, l, logs[1][i], LOG_FIELDS));
  const heads = await both('eth_blockNumber');
  same('eth_blockNumber', heads[0], heads[1]);
  const slot = (key, index) => ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(['bytes32', 'uint256'], [key, index]));
  const addrKey = (a) => ethers.zeroPadValue(a, 32);
  const slots = [
    [adj, [0, 1, 2, 3].map((i) => ethers.toBeHex(i, 32))],
    [adj, [cA, cC, ...items.map((it) => h.channelIdOf(it.params))].map((c) => slot(c, 0))],
    [adj, [cA, cC].flatMap((c) => [ethers.ZeroAddress, token].map((a) => slot(addrKey(a), slot(c, 1))))],
    [adj, parts.map((p) => slot(addrKey(ethers.ZeroAddress), slot(addrKey(p.address), 3)))],
    [token, [0, 1, 2, 3, 4].map((i) => ethers.toBeHex(i, 32))],
    [token, touched.map((a) => slot(addrKey(a), 3))],
    [token, [slot(addrKey(adj), slot(addrKey(deployer.address), 4))]],
  ];
  let nonZeroSlots = 0;
  for (const [account, keys] of slots) {
    for (const key of keys) {
      const values = await both('eth_getStorageAt', [account, key, 'latest']);
      same(`storage ${account} ${key}`, values[0], values[1]);
      if (BigInt(values[0]) !== 0n) ++nonZeroSlots;
    }
  }
  for (const account of touched) {
    for (const method of ['eth_getBalance', 'eth_getTransactionCount', 'eth_getCode']) {
      const values = await Promise.all(nodes.map((n) => result(n, method, [account, 'latest'])));
      same(`${method} ${account}`, values[0], values[1]);
    }
  }
  // A check that compares nothing passes for nothing: the scenario must have moved money and written state.
  same('non-zero storage slots read (expected at least 10)', true, nonZeroSlots >= 10);
  same('adjudicator and token logs (expected at least 15)', true, logs[0].length >= 15);

  if (differences.length > 0) {
    console.error(`\ndifferential: ${differences.length} of ${compared} comparisons differ:`);
    for (const d of differences) console.error(`  ${d}`);
    return 1;
  }
  console.log(`differential: hardhat and sluice-devchain agree on all ${compared} comparisons ` +
    `(${Number(heads[0])} blocks, ${logs[0].length} logs, ${nonZeroSlots} non-zero slots)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error('differential FAILED:', e);
    process.exit(1);
  },
);
