// The chain module against an independent SHA-256 (node:crypto), and a
// tampered field reported at the right trade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { verifyChain, chainPreimage, sha256Hex, ZERO_HASH, describeVerdict } from '../../src/lib/chain.js';
import { tradesToCsv, parseReport } from '../../src/lib/csv.js';

// Built independently of chain.js: the field list of SPEC §5 typed out again.
function nodeHash(t) {
  const text = [t.prev_hash, t.trade_id, t.ts, t.instrument, t.price, t.qty, t.buyer, t.seller,
    t.buy_order_id, t.sell_order_id, t.aggressor, t.attestation, t.dataset, t.voucher_program,
    t.voucher_offset].join('|');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function makeChain(n) {
  const trades = [];
  let prev = ZERO_HASH;
  for (let i = 1; i <= n; i++) {
    const t = {
      trade_id: i, ts: 1767225600000 + i * 1000, instrument: i % 2 ? 'ZH-MED-DIALOG.TRAIN.12M' : '粤语-热线.TRAIN',
      price: 120000 + i * 100, qty: 5 * i, notional: (120000 + i * 100) * 5 * i, aggressor: i % 3 ? 'buy' : 'sell',
      buyer: 'SZ-MODEL-LAB', seller: 'GZ-HOSP-ZSU1', buy_order_id: 10 + 2 * i, sell_order_id: 11 + 2 * i,
      affiliated: false, attestation: 'ATT-ZSU1-MEDDIALOG-2026', dataset: 'f40d7716bdf4e57c81c1b9b4cc62dc3c5b9c3517ff6e6a757aa395a227fa2acb',
      voucher_program: i % 2 ? 'SZ-CORPUS-VOUCHER-2026' : '', voucher_offset: i % 2 ? 3000 * i : 0,
      net_cost: 0, prev_hash: prev,
    };
    t.hash = nodeHash(t);
    prev = t.hash;
    trades.push(t);
  }
  return trades;
}

test('sha256Hex matches node:crypto, also for UTF-8 text', async () => {
  for (const s of ['', 'abc', '粤语|语料券|€']) {
    assert.equal(await sha256Hex(s), createHash('sha256').update(s, 'utf8').digest('hex'));
  }
});

test('preimage is the SPEC field order joined by |', () => {
  const [t] = makeChain(1);
  assert.equal(chainPreimage(t).split('|').length, 15);
  assert.ok(chainPreimage(t).startsWith(`${ZERO_HASH}|1|1767225601000|ZH-MED-DIALOG.TRAIN.12M|120100|5|`));
});

test('an intact chain verifies', async () => {
  const v = await verifyChain(makeChain(25));
  assert.equal(v.ok, true);
  assert.equal(v.count, 25);
  assert.equal(v.gaps, 0);
  assert.match(describeVerdict(v), /^chain verified: 25 trades/);
});

test('a tampered field is reported at its trade', async () => {
  const trades = makeChain(10);
  trades[6].qty += 1; // trade 7
  const v = await verifyChain(trades);
  assert.equal(v.ok, false);
  assert.equal(v.trade_id, 7);
  assert.equal(v.count, 6);
  assert.match(v.reason, /hash to/);
  assert.match(describeVerdict(v), /^chain BROKEN at trade 7:/);
});

test('a rehashed tampered trade breaks the link to the next', async () => {
  const trades = makeChain(10);
  trades[3].price = 1;
  trades[3].hash = nodeHash(trades[3]); // a forger fixes the trade's own hash…
  const v = await verifyChain(trades);
  assert.equal(v.ok, false); // …but trade 5's prev_hash still names the old one
  assert.equal(v.trade_id, 5);
  assert.match(v.reason, /prev_hash is not the hash of trade 4/);
});

test("trade 1's prev_hash must be zeros; a deleted trade shows as a gap", async () => {
  const trades = makeChain(5);
  trades[0].prev_hash = 'f'.repeat(64);
  trades[0].hash = nodeHash(trades[0]);
  assert.equal((await verifyChain(trades)).trade_id, 1);
  const gappy = makeChain(5).filter((t) => t.trade_id !== 3);
  const v = await verifyChain(gappy);
  assert.equal(v.ok, true);
  assert.equal(v.gaps, 1);
});

test('CSV round trip keeps the chain; a tampered CSV cell breaks it', async () => {
  const csv = tradesToCsv(makeChain(8));
  assert.equal((await verifyChain(parseReport(csv))).ok, true);
  const lines = csv.split('\n');
  lines[4] = lines[4].replace('GZ-HOSP-ZSU1', 'GZ-HOSP-OTHER'); // trade 4's seller
  const v = await verifyChain(parseReport(lines.join('\n')));
  assert.equal(v.trade_id, '4');
});

test('a negotiated trade hashes with version 2, the same answer as corpex and hashlib', async () => {
  const t = {
    prev_hash: ZERO_HASH, trade_id: 7, ts: 1764921600123, instrument: 'ZH-MED-DIALOG.TRAIN.12M',
    price: 75000, qty: 40, buyer: 'GZ-MEDAI', seller: 'GZ-HOSP-ZSU1', buy_order_id: 0, sell_order_id: 0,
    aggressor: 'buy', attestation: 'ATT-ZSU1-MEDDIALOG-2026', dataset: 'ab'.repeat(32), voucher_program: '',
    voucher_offset: 0, venue: 'negotiated', chain_version: 2, notional: 3000000000, consideration: 'equity',
    company: '91440300MA5G0XXX11', shares: 1200000,
  };
  assert.equal(await sha256Hex(chainPreimage(t)), '31d1ed111951620f07a2e2aef22e634f6ec5b6f28d1efcc6bb9ff2dc144a3421');
  t.hash = '31d1ed111951620f07a2e2aef22e634f6ec5b6f28d1efcc6bb9ff2dc144a3421';
  t.trade_id = 1;
  t.ts = 1764921600123;
  const v = await verifyChain([{ ...t, hash: await sha256Hex(chainPreimage({ ...t })) }]);
  assert.equal(v.ok, true);
  const tampered = { ...t, shares: 1200001 };
  tampered.hash = await sha256Hex(chainPreimage(t));
  assert.equal((await verifyChain([tampered])).ok, false);
});
