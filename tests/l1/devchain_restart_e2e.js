// ctest devchain_restart_e2e: a real sluice-devchain process with --data-dir, driven over JSON-RPC, stopped
// with SIGTERM and with SIGKILL between requests, restarted on the same dir: the chain it serves afterwards
// is the one it served before (head number and hash, receipts, balances), and it goes on mining from there.
// A second process on the same dir is refused while the first runs. Node's own fetch; no npm package.
"use strict";
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const [server] = process.argv.slice(2);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sluice-restart-"));
const ALICE = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";  // hardhat's dev account 0
const BOB = "0x70997970c51812dc3a010c7d01e91b12ddc4c793";

function start(extra = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(server, ["--port", "0", "--data-dir", dataDir, ...extra], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve({ child, url: `http://127.0.0.1:${m[1]}` });
    });
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => reject(Object.assign(new Error(`exited ${code}: ${err.trim()}`), { code, err })));
  });
}

function stop(node, signal) {
  return new Promise((resolve) => {
    node.child.removeAllListeners("exit");
    node.child.on("exit", () => resolve());
    node.child.kill(signal);
  });
}

let id = 0;
async function rpc(url, method, params = []) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  console.log(`ok: ${what}`);
}

async function pay(url, n) {
  const hashes = [];
  for (let i = 0; i < n; ++i)
    hashes.push(await rpc(url, "eth_sendTransaction", [{ from: ALICE, to: BOB, value: "0x3e8" }]));
  return hashes;
}

async function snapshot(url) {
  const head = await rpc(url, "eth_getBlockByNumber", ["latest", false]);
  return { number: head.number, hash: head.hash, bob: await rpc(url, "eth_getBalance", [BOB, "latest"]) };
}

async function main() {
  let node = await start();
  const first = await pay(node.url, 5);
  const before = await snapshot(node.url);

  // A second process on the same data dir must not start a fork of the chain.
  try {
    const other = await start();
    await stop(other, "SIGKILL");
    check(false, "a second sluice-devchain on the same data dir is refused");
  } catch (e) {
    check(e.code === 1 && /store_busy/.test(e.err), "a second sluice-devchain on the same data dir is refused");
  }

  await stop(node, "SIGTERM");
  node = await start();
  const after = await snapshot(node.url);
  check(after.number === before.number && after.hash === before.hash, `same head after SIGTERM (${after.number})`);
  check(after.bob === before.bob, "same balance after SIGTERM");
  const receipt = await rpc(node.url, "eth_getTransactionReceipt", [first[2]]);
  check(receipt && receipt.status === "0x1" && receipt.blockHash, "an old receipt is still served");

  await pay(node.url, 3);
  const mid = await snapshot(node.url);
  await stop(node, "SIGKILL");  // no chance to flush anything: every acknowledged block must be on disk
  node = await start();
  const killed = await snapshot(node.url);
  check(killed.number === mid.number && killed.hash === mid.hash, `same head after SIGKILL (${killed.number})`);
  check(BigInt(killed.bob) === BigInt(before.bob) + 3000n, "the payments made after the first restart are kept");

  const more = await pay(node.url, 1);
  const last = await rpc(node.url, "eth_getTransactionReceipt", [more[0]]);
  check(BigInt(last.blockNumber) === BigInt(killed.number) + 1n, "mining goes on from the stored head");
  const block = await rpc(node.url, "eth_getBlockByNumber", [last.blockNumber, false]);
  check(block.parentHash === killed.hash, "the new block's parent is the stored head");
  await stop(node, "SIGTERM");
}

main()
  .then(() => fs.rmSync(dataDir, { recursive: true, force: true }))
  .catch((e) => {
    console.error(e.message);
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(1);
  });
