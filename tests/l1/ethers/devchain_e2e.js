// An unmodified ethers v6 client against sluice-devchain (tests/l1/ethers/run_devchain_e2e.sh starts it):
// deploys the committed Adjudicator and TestToken artifacts, deposits ETH and tokens into a channel, waits
// for the receipts, reads the Deposited events with getLogs and a contract filter, calls the views and checks
// every figure. With the argument "interval" (the server runs with --block-time 1) it checks interval
// mining instead: transactions sent without waiting are pending, land in one block, and tx.wait() sees them;
// a same-nonce resend without a fee bump is refused; the base fee follows EIP-1559. Exits non-zero on the
// first mismatch.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');

const contractsDir = process.env.SLUICE_CONTRACTS_DIR;
const url = process.argv[2];
const { ethers } = require(path.join(contractsDir, 'node_modules', 'ethers'));

function artifact(name) {
  return JSON.parse(fs.readFileSync(path.join(contractsDir, 'artifacts', `${name}.json`), 'utf8'));
}

// Bad input over HTTP gets an error and the server keeps serving (fetch is Node's own, outside ethers).
async function hostileRequests(url) {
  const post = (body, type = 'application/json') =>
    fetch(url, { method: 'POST', headers: { 'content-type': type }, body });
  let res = await post('{"jsonrpc":"2.0","id":1,"method":');
  assert.strictEqual(res.status, 200);
  assert.strictEqual((await res.json()).error.code, -32700, 'malformed JSON');
  const one = { jsonrpc: '2.0', id: 1, method: 'eth_chainId' };
  res = await post(JSON.stringify(Array(101).fill(one)));
  assert.strictEqual((await res.json()).error.code, -32600, 'batch over 100');
  res = await post(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'eth_getBalance', params: [42] }));
  assert.strictEqual((await res.json()).error.code, -32602, 'wrong param type');
  res = await post(JSON.stringify(one), 'text/plain');
  assert.strictEqual(res.status, 415, 'content type');
  res = await fetch(url);
  assert.strictEqual(res.status, 405, 'GET');
  res = await post('[' + ' '.repeat(9 * 1024 * 1024) + ']');
  assert.strictEqual(res.status, 413, 'a body over the 8 MiB limit');
}

async function main() {
  // cacheTimeout -1: ethers otherwise answers a repeated identical request (a nonce, a balance) from the last
  // 250 ms, which on a chain that mines at once is a stale answer (hardhat's plugin uses no such cache).
  const provider = new ethers.JsonRpcProvider(url, undefined, { pollingInterval: 50, cacheTimeout: -1 });
  const network = await provider.getNetwork();
  assert.strictEqual(network.chainId, 31337n, 'chain id');

  // The first hardhat dev account, by its well-known key, signing locally (eth_sendRawTransaction) ...
  const wallet = new ethers.Wallet('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', provider);
  assert.strictEqual(wallet.address, '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266');
  assert.strictEqual(await provider.getBalance(wallet.address), ethers.parseEther('10000'), 'genesis balance');
  // ... and the second one unlocked on the node (eth_accounts, eth_sendTransaction).
  const node = await provider.getSigner(1);
  assert.strictEqual(await node.getAddress(), '0x70997970C51812dc3A010C7d01b50e0d17dc79C8');

  const adj = artifact('Adjudicator');
  const tok = artifact('TestToken');
  const adjudicator = await new ethers.ContractFactory(adj.abi, adj.bytecode, wallet).deploy();
  await adjudicator.waitForDeployment();
  const token = await new ethers.ContractFactory(tok.abi, tok.bytecode, node).deploy('Test', 'TST');
  await token.waitForDeployment();
  const adjAddress = await adjudicator.getAddress();
  const tokenAddress = await token.getAddress();
  // The runtime code is the artifact's, apart from the immutables (chain id, domain separator) the
  // constructor filled into the artifact's zero placeholders.
  const code = await provider.getCode(adjAddress);
  assert.strictEqual(code.length, adj.deployedBytecode.length, 'runtime code length');
  const filled = [...code].filter((c, i) => c !== adj.deployedBytecode[i] && adj.deployedBytecode[i] !== '0');
  assert.strictEqual(filled.length, 0, 'runtime code differs from the artifact outside immutables');
  assert.ok(code.includes(ethers.toBeHex(31337n, 32).slice(2)), 'the chain id immutable is filled in');

  // A two-party channel of the two dev accounts; its id by the adjudicator's view and by ethers' own ABI coder.
  const params = {
    chainId: 31337n,
    adjudicator: adjAddress,
    participants: [wallet.address, await node.getAddress()],
    nonce: 1n,
    challengeDuration: 3600n,
    app: ethers.ZeroAddress,
  };
  const PARAMS = 'tuple(uint256 chainId,address adjudicator,address[] participants,uint64 nonce,uint48 challengeDuration,address app)';
  const channel = await adjudicator.channelId(params);
  assert.strictEqual(channel, ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode([PARAMS], [params])), 'channel id');
  const ethAmount = ethers.parseEther('1.5');
  const before = await provider.getBalance(wallet.address);
  const r1 = await (await adjudicator.deposit(params, ethers.ZeroAddress, 0n, ethAmount, { value: ethAmount })).wait();
  assert.strictEqual(r1.status, 1, 'ETH deposit status');
  const spent = before - (await provider.getBalance(wallet.address, r1.blockNumber));
  assert.strictEqual(spent, ethAmount + r1.gasUsed * r1.gasPrice, `deposit plus gas is what the wallet paid (${spent} vs ${ethAmount} + ${r1.gasUsed} * ${r1.gasPrice})`);

  const tokens = 1000n;
  const tokenAsNode = token.connect(node);
  assert.strictEqual((await (await tokenAsNode.mint(await node.getAddress(), tokens)).wait()).status, 1);
  assert.strictEqual((await (await tokenAsNode.approve(adjAddress, tokens)).wait()).status, 1);
  const r2 = await (await adjudicator.connect(node).deposit(params, tokenAddress, 0n, 400n)).wait();
  assert.strictEqual(r2.status, 1, 'token deposit status');
  assert.strictEqual(await token.balanceOf(adjAddress), 400n, 'tokens moved to the adjudicator');

  // Views.
  assert.strictEqual(await adjudicator.holdings(channel, ethers.ZeroAddress), ethAmount, 'ETH holdings');
  assert.strictEqual(await adjudicator.holdings(channel, tokenAddress), 400n, 'token holdings');
  assert.strictEqual(await adjudicator.statusOf(channel), ethers.toBeHex(1, 32), 'channel open');

  // Events: a contract filter, and raw getLogs by topic, give the same two deposits.
  const events = await adjudicator.queryFilter(adjudicator.filters.Deposited(channel), 0, 'latest');
  assert.strictEqual(events.length, 2, 'two Deposited events');
  assert.strictEqual(events[0].args.asset, ethers.ZeroAddress);
  assert.strictEqual(events[0].args.amount, ethAmount);
  assert.strictEqual(events[1].args.asset, tokenAddress);
  assert.strictEqual(events[1].args.depositor, await node.getAddress());
  assert.strictEqual(events[1].args.held, 400n);
  assert.strictEqual(events[0].transactionHash, r1.hash);
  const topic = adjudicator.interface.getEvent('Deposited').topicHash;
  const logs = await provider.getLogs({ address: adjAddress, topics: [topic, channel], fromBlock: 0 });
  assert.deepStrictEqual(logs.map((l) => l.transactionHash), [r1.hash, r2.hash], 'getLogs by topic');
  const none = await provider.getLogs({ address: tokenAddress, topics: [topic], fromBlock: 0 });
  assert.strictEqual(none.length, 0, 'no Deposited events from the token');

  // Receipts and blocks hang together.
  const receipt = await provider.getTransactionReceipt(r1.hash);
  const block = await provider.getBlock(receipt.blockNumber);
  assert.strictEqual(block.hash, receipt.blockHash, 'receipt block hash');
  assert.deepStrictEqual(block.transactions, [r1.hash]);
  assert.strictEqual((await provider.getBlock(block.number - 1)).hash, block.parentHash, 'parent hash');
  const tx = await provider.getTransaction(r1.hash);
  assert.strictEqual(tx.from, wallet.address);
  assert.strictEqual(tx.value, ethAmount);
  assert.strictEqual(tx.type, 2);

  // A zero deposit reverts with the adjudicator's custom error: decoded by name from eth_call's revert data,
  // and refused at gas estimation when sent.
  await assert.rejects(adjudicator.deposit.staticCall(params, ethers.ZeroAddress, ethAmount, 0n), (e) => {
    assert.strictEqual(e.code, 'CALL_EXCEPTION');
    assert.strictEqual(e.revert && e.revert.name, 'ZeroAmount');
    return true;
  });
  await assert.rejects(adjudicator.deposit(params, ethers.ZeroAddress, ethAmount, 0n), (e) => {
    assert.strictEqual(e.code, 'CALL_EXCEPTION');
    assert.strictEqual(e.data, adjudicator.interface.getError('ZeroAmount').selector);
    return true;
  });
  // A transaction with a stale nonce is refused, and ethers recognises it.
  await assert.rejects(
    wallet.sendTransaction({ to: wallet.address, value: 1n, nonce: 0 }),
    (e) => e.code === 'NONCE_EXPIRED',
  );
  await hostileRequests(url);
  assert.strictEqual(await provider.getBalance(adjAddress), ethAmount, 'the node still answers ethers');
  console.log(`ethers e2e: ok (${await provider.getBlockNumber()} blocks)`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The base fee of the block after one with these figures (EIP-1559, elasticity 2, denominator 8).
function nextBaseFee(baseFee, gasUsed, gasLimit) {
  const target = gasLimit / 2n;
  if (gasUsed === target) return baseFee;
  if (gasUsed > target) {
    const delta = (baseFee * (gasUsed - target)) / target / 8n;
    return baseFee + (delta > 0n ? delta : 1n);
  }
  return baseFee - (baseFee * (target - gasUsed)) / target / 8n;
}

async function intervalMain() {
  const provider = new ethers.JsonRpcProvider(url, undefined, { pollingInterval: 100, cacheTimeout: -1 });
  const wallet = new ethers.Wallet('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80', provider);
  const node = await provider.getSigner(1);
  const nodeAddress = await node.getAddress();
  // Start right after a block is mined, so that everything below is sent within one block time.
  const start = await provider.getBlockNumber();
  while ((await provider.getBlockNumber()) === start) await sleep(20);
  const sent = [];
  for (let i = 0; i < 4; ++i) sent.push(await wallet.sendTransaction({ to: nodeAddress, value: BigInt(i + 1) }));
  sent.push(await node.sendTransaction({ to: wallet.address, value: 7n }));
  assert.deepStrictEqual(sent.slice(0, 4).map((t) => t.nonce), [0, 1, 2, 3], 'nonces from the pending count');
  assert.strictEqual(await provider.getTransactionReceipt(sent[0].hash), null, 'no receipt before the block');
  assert.strictEqual((await provider.getTransaction(sent[3].hash)).blockNumber, null, 'pending transaction');
  assert.strictEqual(await provider.getTransactionCount(wallet.address, 'pending'), 4, 'pending nonce');
  assert.strictEqual(await provider.getTransactionCount(wallet.address, 'latest'), 0, 'mined nonce');

  const receipts = await Promise.all(sent.map((t) => t.wait()));
  assert.ok(receipts.every((r) => r.status === 1), 'all succeeded');
  const numbers = new Set(receipts.map((r) => r.blockNumber));
  assert.strictEqual(numbers.size, 1, `one block for all five, got ${[...numbers]}`);
  const block = await provider.getBlock(receipts[0].blockNumber);
  assert.deepStrictEqual([...block.transactions].sort(), receipts.map((r) => r.hash).sort(), 'the block holds them');
  assert.strictEqual(block.gasUsed, 5n * 21000n, 'block gas used');
  const parent = await provider.getBlock(block.number - 1);
  assert.strictEqual(block.baseFeePerGas, nextBaseFee(parent.baseFeePerGas, parent.gasUsed, parent.gasLimit),
                     'EIP-1559 base fee');

  // A resend of a pooled nonce without a 10% fee bump is refused with geth's words, which ethers classifies.
  const fees = { maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 9n };
  const pooled = await wallet.sendTransaction({ to: nodeAddress, value: 1n, nonce: 4, ...fees });
  await assert.rejects(
    wallet.sendTransaction({ to: nodeAddress, value: 2n, nonce: 4, ...fees }),
    (e) => e.code === 'REPLACEMENT_UNDERPRICED',
  );
  assert.strictEqual((await pooled.wait()).status, 1, 'the pooled one is mined');
  assert.strictEqual(await provider.getTransactionCount(wallet.address, 'latest'), 5);
  console.log(`ethers e2e (interval mining): ok (${await provider.getBlockNumber()} blocks)`);
}

(process.argv[3] === 'interval' ? intervalMain() : main()).then(
  () => process.exit(0),
  (e) => {
    console.error('ethers e2e FAILED:', e);
    process.exit(1);
  },
);
