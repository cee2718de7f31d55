// Signs the load of ./dev.sh bench-l1 once, for fresh chains with the hardhat dev accounts (hardhat node and
// sluice-devchain start equal, so the same bytes are valid on both):
//   OUT/setup.txt      the adjudicator's deployment by dev account 0 (nonce 0), sent before measuring
//   OUT/transfers.txt  LANES lanes (dev accounts 1..LANES), TRANSFERS plain ETH transfers each
//   OUT/deposits.txt   LANES lanes (dev accounts LANES+1..2*LANES), DEPOSITS ETH deposits each, every lane into
//                      its own channel (deposit's expectedHeld makes one lane's deposits sequential)
//   OUT/call.json      {to, data}: the adjudicator view the call benchmark runs (holdings of lane 0's channel)
// Lines are "LANE 0xRAW" (devchain_bench --raw). usage: node sign_load.js CONTRACTS_DIR OUT LANES TRANSFERS DEPOSITS
'use strict';
const fs = require('fs');
const path = require('path');

const [contractsArg, out, lanesText, transfersText, depositsText] = process.argv.slice(2);
const contractsDir = path.resolve(contractsArg);
const { ethers } = require(path.join(contractsDir, 'node_modules', 'ethers'));
const lanes = Number(lanesText);
const transfers = Number(transfersText);
const deposits = Number(depositsText);
const MNEMONIC = 'test test test test test test test test test test test junk';
const GWEI = 1_000_000_000n;
const fees = { chainId: 31337n, type: 2, maxFeePerGas: 3n * GWEI, maxPriorityFeePerGas: GWEI };

function devAccount(i) {
  return ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${i}`);
}

async function main() {
  if (2 * lanes + 1 > 20) throw new Error('at most 9 lanes: there are 20 dev accounts');
  const adjArt = JSON.parse(fs.readFileSync(path.join(contractsDir, 'artifacts', 'Adjudicator.json'), 'utf8'));
  const adjI = new ethers.Interface(adjArt.abi);
  const deployer = devAccount(0);
  const adj = ethers.getCreateAddress({ from: deployer.address, nonce: 0 });
  const setup = await deployer.signTransaction({ ...fees, nonce: 0, to: null, data: adjArt.bytecode, gasLimit: 8_000_000n });
  fs.writeFileSync(path.join(out, 'setup.txt'), `0 ${setup}\n`);

  const sink = devAccount(19).address;
  const lines = [];
  for (let l = 0; l < lanes; ++l) {
    const w = devAccount(1 + l);
    for (let n = 0; n < transfers; ++n) {
      lines.push(`${l} ${await w.signTransaction({ ...fees, nonce: n, to: sink, value: 1n, gasLimit: 21_000n })}`);
    }
  }
  fs.writeFileSync(path.join(out, 'transfers.txt'), lines.join('\n') + '\n');

  const amount = 1000n;
  const channels = [];
  lines.length = 0;
  for (let l = 0; l < lanes; ++l) {
    const w = devAccount(1 + lanes + l);
    const params = {
      chainId: 31337n, adjudicator: adj, participants: [w.address, sink], nonce: BigInt(l), challengeDuration: 3600n,
      app: ethers.ZeroAddress,
    };
    channels.push(params);
    for (let n = 0; n < deposits; ++n) {
      const data = adjI.encodeFunctionData('deposit', [params, ethers.ZeroAddress, BigInt(n) * amount, amount]);
      lines.push(`${l} ${await w.signTransaction({ ...fees, nonce: n, to: adj, value: amount, data, gasLimit: 200_000n })}`);
    }
  }
  fs.writeFileSync(path.join(out, 'deposits.txt'), lines.join('\n') + '\n');
  const channel = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(
    ['tuple(uint256 chainId,address adjudicator,address[] participants,uint64 nonce,uint48 challengeDuration,address app)'],
    [channels[0]]));
  const call = { to: adj, data: adjI.encodeFunctionData('holdings', [channel, ethers.ZeroAddress]) };
  fs.writeFileSync(path.join(out, 'call.json'), JSON.stringify(call) + '\n');
}

main().catch((e) => {
  console.error('sign_load FAILED:', e);
  process.exit(1);
});
