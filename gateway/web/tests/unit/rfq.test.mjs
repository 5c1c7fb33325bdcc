import { test } from 'node:test';
import assert from 'node:assert/strict';
import { time } from '../../src/lib/format.js';
import { tradesToCsv, parseReport, TRADE_COLUMNS } from '../../src/lib/csv.js';
import {
  defaultExpiry, defaultValidUntil, rfqParams, quoteParams, validCompany, coveringAttestations, termsText,
  tradeConsideration, rfqEventText, quoteEventText, applyRfq, applyQuote, mergeOpen, RFQ_DAYS, QUOTE_HOURS,
} from '../../src/lib/rfq.js';

const NOW = 1_800_000_000_000;
const INST = { symbol: 'X.TRAIN', lot: 10, tick: 100, licence: 'training', tier: 3, unit: 'mtok' };
const EQUITY = { type: 'equity', company: '91440300MA5G0XXX11', shares: 1_200_000, valuation_fen: 3_000_000_000 };
const rfq = (id, extra = {}) => ({ rfq_id: id, instrument: 'X.TRAIN', qty: 40, expire_at: NOW + 86_400_000, status: 'open', ...extra });
const quote = (id, rfqId, extra = {}) => ({ quote_id: id, rfq_id: rfqId, instrument: 'X.TRAIN', seller: 'S', price: 2_500_000, qty: 40,
  attestation: 'ATT', valid_until: NOW + 3600_000, status: 'open', ...extra });

test('default times: an RFQ for a day, a quote for a few hours but not past its RFQ', () => {
  assert.equal(defaultExpiry(NOW + 59_999), NOW + RFQ_DAYS * 86_400_000); // NOW is a whole minute
  assert.equal(defaultValidUntil(rfq(1), NOW), NOW + QUOTE_HOURS * 3600_000);
  assert.equal(defaultValidUntil(rfq(1, { expire_at: NOW + 600_000 }), NOW), NOW + 600_000);
});

test('rfq.new params are checked before they are sent', () => {
  const v = { instrument: 'X.TRAIN', qty: 40, expire_at: NOW + 1000, voucher: '' };
  assert.deepEqual(rfqParams(v, INST, NOW), { instrument: 'X.TRAIN', qty: 40, expire_at: NOW + 1000 });
  assert.deepEqual(rfqParams({ ...v, voucher: 'P' }, INST, NOW).voucher, 'P');
  assert.throws(() => rfqParams({ ...v, qty: 45 }, INST, NOW), /multiple of the lot \(10\)/);
  assert.throws(() => rfqParams({ ...v, qty: 0 }, INST, NOW), /positive whole number/);
  assert.throws(() => rfqParams({ ...v, expire_at: NOW }, INST, NOW), /in the past/);
  assert.throws(() => rfqParams({ ...v, expire_at: undefined }, INST, NOW), /Expires at is required/);
});

test('company codes carry their GB 32100-2015 check character', () => {
  assert.equal(validCompany('91440300MA5G0XXX11'), true);
  assert.equal(validCompany('91440101MA9W1234KU'), true);
  assert.equal(validCompany('91440300MA5G0XXX12'), false); // wrong check character
  assert.equal(validCompany('91440300MA5G0XXX1'), false); // 17 characters
  assert.equal(validCompany('91440300MA5G0XXI11'), false); // I is not in the alphabet
  assert.equal(validCompany(undefined), false);
});

test('quote.new params: cash on the tick, or an equity consideration', () => {
  const base = { attestation: 'ATT', valid_until: NOW + 1000 };
  assert.deepEqual(quoteParams(rfq(7), { ...base, equity: false, price: 2_500_000 }, INST, NOW),
    { rfq_id: 7, attestation: 'ATT', valid_until: NOW + 1000, price: 2_500_000 });
  assert.throws(() => quoteParams(rfq(7), { ...base, price: 2_500_050 }, INST, NOW), /multiple of the tick \(1\.00 CNY\)/);
  assert.throws(() => quoteParams(rfq(7), { ...base }, INST, NOW), /Price \(CNY per unit\) is required/);
  assert.throws(() => quoteParams(rfq(7), { ...base, attestation: '', price: 100 }, INST, NOW), /Attestation is required/);
  assert.throws(() => quoteParams(rfq(7), { ...base, valid_until: NOW, price: 100 }, INST, NOW), /in the past/);
  const eq = { ...base, equity: true, company: ' 91440300ma5g0xxx11 ', shares: 1_200_000, valuation: 3_000_000_000 };
  assert.deepEqual(quoteParams(rfq(7), eq, INST, NOW),
    { rfq_id: 7, attestation: 'ATT', valid_until: NOW + 1000, consideration: EQUITY });
  assert.throws(() => quoteParams(rfq(7), { ...eq, company: '91440300MA5G0XXX12' }, INST, NOW), /unified social credit code/);
  assert.throws(() => quoteParams(rfq(7), { ...eq, shares: 0 }, INST, NOW), /Shares must be a positive/);
  assert.throws(() => quoteParams(rfq(7), { ...eq, valuation: undefined }, INST, NOW), /Valuation/);
});

test('attestations that may back a quote: valid, the licence, a tier not above the instrument', () => {
  const a = (id, extra = {}) => ({ attestation: id, status: 'valid', licences: ['training', 'finetune'], tier: 3,
    issued_at: NOW - 1000, expires_at: NOW + 1000, ...extra });
  const list = [a('OK'), a('REVOKED', { status: 'revoked' }), a('EVAL', { licences: ['evaluation'] }), a('TIER4', { tier: 4 }),
    a('TIER2', { tier: 2 }), a('LATE', { expires_at: NOW })];
  assert.deepEqual(coveringAttestations(list, INST, NOW).map((x) => x.attestation), ['OK', 'TIER2']);
  assert.deepEqual(coveringAttestations(list, undefined, NOW), []);
});

test('terms and considerations as one line', () => {
  assert.equal(termsText(quote(1, 7)), '25,000.00 CNY per unit');
  assert.equal(termsText(quote(1, 7, { price: 75_000_000, consideration: EQUITY })),
    'equity: 1,200,000 shares of 91440300MA5G0XXX11, valued 30,000,000.00 CNY');
  assert.equal(tradeConsideration({ venue: 'book' }), '');
  assert.equal(tradeConsideration({}), '');
  assert.equal(tradeConsideration({ venue: 'negotiated', consideration: 'cash', company: '', shares: 0 }), 'cash');
  assert.equal(tradeConsideration({ venue: 'negotiated', consideration: 'equity', company: '91440101MA9W1234KU', shares: 5000 }),
    '5,000 shares of 91440101MA9W1234KU');
});

test('notices: what the other side did, never the member\'s own action', () => {
  const mine = rfq(7, { buyer: 'B' });
  assert.equal(rfqEventText(mine, 'B'), null);
  assert.equal(rfqEventText({ ...mine, status: 'filled' }, 'B'), null);
  assert.equal(rfqEventText({ ...mine, status: 'expired' }, 'B'), 'RFQ 7 (X.TRAIN) expired');
  assert.equal(rfqEventText(rfq(7), 'S'), `new RFQ 7: 40 of X.TRAIN, open until ${time(NOW + 86_400_000)}`);
  assert.equal(rfqEventText(rfq(7, { status: 'filled' }), 'S'), 'RFQ 7 (X.TRAIN) closed: filled');
  assert.equal(quoteEventText(quote(3, 7), 'B'), `quote 3 on RFQ 7 from S: 25,000.00 CNY per unit, valid until ${time(NOW + 3600_000)}`);
  assert.equal(quoteEventText(quote(3, 7, { consideration: EQUITY }), 'B'),
    `quote 3 on RFQ 7 from S: equity: 1,200,000 shares of 91440300MA5G0XXX11, valued 30,000,000.00 CNY, valid until ${time(NOW + 3600_000)}`);
  assert.equal(quoteEventText(quote(3, 7, { status: 'withdrawn' }), 'B'), 'quote 3 on RFQ 7 from S withdrawn');
  assert.equal(quoteEventText(quote(3, 7, { status: 'superseded' }), 'B'), null); // the new quote says more
  assert.equal(quoteEventText(quote(3, 7, { status: 'accepted' }), 'B'), null);
  assert.equal(quoteEventText(quote(3, 7), 'S'), null);
  assert.equal(quoteEventText(quote(3, 7, { status: 'superseded' }), 'S'), null);
  assert.equal(quoteEventText(quote(3, 7, { status: 'accepted' }), 'S'), 'quote 3 on RFQ 7 accepted: 25,000.00 CNY per unit');
  assert.equal(quoteEventText(quote(3, 7, { status: 'rfq_closed' }), 'S'), 'quote 3 on RFQ 7 rfq_closed');
  assert.equal(quoteEventText(quote(3, 7, { status: 'attestation_revoked' }), 'S'), 'quote 3 on RFQ 7 attestation_revoked');
  assert.equal(quoteEventText(quote(3, 7, { status: 'attestation_revoked' }), 'B'), 'quote 3 on RFQ 7 from S attestation_revoked');
});

test('events keep the lists current; a load keeps the ended quotes of open RFQs', () => {
  let s = { rfqs: [], quotes: [] };
  s = applyRfq(s, rfq(8));
  s = applyRfq(s, rfq(7));
  assert.deepEqual(s.rfqs.map((r) => r.rfq_id), [7, 8]);
  s = applyQuote(s, quote(1, 7));
  s = applyQuote(s, quote(1, 7, { status: 'superseded' }));
  s = applyQuote(s, quote(2, 7, { price: 2_400_000 }));
  s = applyQuote(s, quote(3, 8));
  assert.deepEqual(s.quotes.map((q) => [q.quote_id, q.status]), [[1, 'superseded'], [2, 'open'], [3, 'open']]);
  // The server lists open ones only: the superseded quote stays shown while RFQ 7 is open.
  const fresh = { rfqs: [rfq(7), rfq(8)], quotes: [quote(3, 8), quote(2, 7, { price: 2_400_000 })] };
  const merged = mergeOpen(s, fresh);
  assert.deepEqual(merged.quotes.map((q) => [q.quote_id, q.status]), [[1, 'superseded'], [2, 'open'], [3, 'open']]);
  // RFQ 7 fills: it and its quotes go.
  const closed = applyRfq(merged, rfq(7, { status: 'filled' }));
  assert.deepEqual(closed.rfqs.map((r) => r.rfq_id), [8]);
  assert.deepEqual(closed.quotes.map((q) => q.quote_id), [3]);
  // A load after the close forgets the ended quotes of closed RFQs.
  assert.deepEqual(mergeOpen(s, { rfqs: [rfq(8)], quotes: [quote(3, 8)] }).quotes.map((q) => q.quote_id), [3]);
  assert.equal(s.rfqs.length, 2); // inputs are not changed
});

test('the CSV export carries venue, chain version and consideration, in corpex-report\'s order', () => {
  const at = (c) => TRADE_COLUMNS.indexOf(c);
  assert.ok(at('aggressor') < at('venue') && at('venue') < at('chain_version') && at('shares') < at('price'));
  const t = { trade_id: 5, ts: NOW, venue: 'negotiated', chain_version: 2, consideration: 'equity', company: EQUITY.company,
    shares: EQUITY.shares, notional: 3_000_000_000, prev_hash: '0'.repeat(64), hash: 'h' };
  const [row] = parseReport(tradesToCsv([t]));
  assert.equal(row.venue, 'negotiated');
  assert.equal(row.chain_version, '2');
  assert.equal(row.company, EQUITY.company);
  assert.equal(row.shares, '1200000');
});
