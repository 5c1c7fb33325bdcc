import { test } from 'node:test';
import assert from 'node:assert/strict';
import { duration, localInput, dateTimeMs, time } from '../../src/lib/format.js';
import {
  memberActions, canResolve, sideOf, defaultWindow, grantParams, deliveryTimes, lastGrant, stepText, accessText,
  eventText, applyEvent, ACCESS_DAYS,
} from '../../src/lib/delivery.js';

const DATASET = 'f40d7716bdf4e57c81c1b9b4cc62dc3c5b9c3517ff6e6a757aa395a227fa2acb';
const d = (state, extra = {}) => ({ trade_id: 7, instrument: 'X.TRAIN', buyer: 'B', seller: 'S', state, steps: [], ...extra });

test('durations read as the largest two units', () => {
  assert.equal(duration(850), '850 ms');
  assert.equal(duration(0), '0 ms');
  assert.equal(duration(42_999), '42 s');
  assert.equal(duration(245_000), '4 min 05 s');
  assert.equal(duration(3 * 3600_000 + 7 * 60_000 + 59_000), '3 h 07 min');
  assert.equal(duration(2 * 86_400_000 + 4 * 3600_000), '2 d 04 h');
  assert.equal(duration(null), '');
  assert.equal(duration(undefined), '');
  assert.equal(duration(-5), '');
});

test('a datetime-local value round-trips to the minute', () => {
  const ms = Date.UTC(2026, 2, 1, 6, 5, 42, 123);
  const v = localInput(ms);
  assert.match(v, /^\d{4}-\d\d-\d\dT\d\d:\d\d$/);
  assert.equal(dateTimeMs(v), Math.floor(ms / 60_000) * 60_000);
});

test('who may do what next', () => {
  assert.deepEqual(memberActions(d('pending'), 'S'), ['grant']);
  assert.deepEqual(memberActions(d('disputed'), 'S'), ['grant']);
  assert.deepEqual(memberActions(d('granted'), 'S'), []);
  assert.deepEqual(memberActions(d('confirmed'), 'S'), []);
  assert.deepEqual(memberActions(d('pending'), 'B'), []);
  assert.deepEqual(memberActions(d('granted'), 'B'), ['confirm', 'dispute']);
  assert.deepEqual(memberActions(d('disputed'), 'B'), ['confirm']); // withdraws the dispute
  assert.deepEqual(memberActions(d('failed'), 'B'), []);
  assert.deepEqual(memberActions(d('granted'), 'OTHER'), []);
  assert.deepEqual(['pending', 'granted', 'disputed', 'confirmed', 'failed'].map((s) => canResolve(d(s))),
    [true, true, true, false, false]);
  assert.deepEqual(sideOf(d('pending'), 'B'), { side: 'buyer', other: 'S' });
  assert.deepEqual(sideOf(d('pending'), 'S'), { side: 'seller', other: 'B' });
});

test('the default access window: from this minute for 30 days', () => {
  const now = Date.UTC(2026, 0, 10, 9, 30, 15, 500);
  const w = defaultWindow(now);
  assert.equal(w.access_from, Date.UTC(2026, 0, 10, 9, 30));
  assert.equal(w.access_until - w.access_from, ACCESS_DAYS * 86_400_000);
});

test('grant params are checked before they are sent', () => {
  const now = 1_800_000_000_000;
  const ok = { access_ref: ' sandbox://a ', dataset: DATASET.toUpperCase(), access_from: now, access_until: now + 1000 };
  assert.deepEqual(grantParams(7, ok, now),
    { trade_id: 7, access_ref: 'sandbox://a', dataset: DATASET, access_from: now, access_until: now + 1000 });
  assert.throws(() => grantParams(7, { ...ok, access_ref: '' }, now), /Access reference is required/);
  assert.throws(() => grantParams(7, { ...ok, access_ref: 'x'.repeat(129) }, now), /at most 128 bytes/);
  assert.throws(() => grantParams(7, { ...ok, access_ref: '数'.repeat(43) }, now), /at most 128 bytes/); // 129 bytes
  assert.throws(() => grantParams(7, { ...ok, dataset: DATASET.slice(1) }, now), /64 hex digits/);
  assert.throws(() => grantParams(7, { ...ok, access_until: now }, now), /must be after/);
  assert.throws(() => grantParams(7, { ...ok, access_from: now - 2000, access_until: now - 1000 }, now), /in the past/);
  assert.throws(() => grantParams(7, { ...ok, access_from: undefined }, now), /start and an end/);
});

test('report times count from the trade; a missing time leaves a blank', () => {
  const times = deliveryTimes({ opened_at: 1000, granted_at: 61_000, confirmed_at: 181_000 });
  assert.deepEqual(times, { toGrant: 60_000, toConfirm: 180_000, grantToConfirm: 120_000 });
  assert.equal(duration(times.toConfirm), '3 min 00 s');
  assert.deepEqual(deliveryTimes({ opened_at: 1000, granted_at: null, confirmed_at: null }),
    { toGrant: null, toConfirm: null, grantToConfirm: null });
  assert.equal(duration(deliveryTimes({ opened_at: 1000, granted_at: null }).toGrant), '');
});

test('steps and events as one line', () => {
  const grant = { state: 'granted', by: 'S', ts: 5, access_ref: 'sandbox://a', dataset: DATASET, access_from: 1000, access_until: 2000 };
  assert.equal(stepText(grant), 'granted by S');
  assert.equal(accessText(grant), `sandbox://a, ${time(1000)} → ${time(2000)}`);
  assert.equal(stepText({ state: 'disputed', by: 'B', reason: 'files missing' }), 'disputed by B: files missing');
  assert.equal(stepText({ state: 'failed', by: 'operator', note: 'never served' }), 'failed by the operator: never served');
  assert.equal(stepText({ state: 'confirmed', by: 'B' }), 'confirmed by B');
  assert.equal(eventText({ event: 'delivery', trade_id: 7, ...grant }), `delivery of trade 7 granted by S (access ${accessText(grant)})`);
  assert.equal(lastGrant({ steps: [grant, { state: 'disputed', by: 'B' }] }), grant);
  assert.equal(lastGrant({ steps: [] }), null);
});

test('an event updates its row at once and leaves the others', () => {
  const list = [d('granted', { trade_id: 7, granted_at: 10 }), d('pending', { trade_id: 8 })];
  const out = applyEvent(list, { event: 'delivery', trade_id: 7, instrument: 'X.TRAIN', buyer: 'B', seller: 'S',
    state: 'disputed', by: 'B', reason: 'r', ts: 20 });
  assert.equal(out[0].state, 'disputed');
  assert.equal(out[0].disputed_at, 20);
  assert.equal(out[0].granted_at, 10);
  assert.deepEqual(out[0].steps, [{ state: 'disputed', by: 'B', reason: 'r', ts: 20 }]);
  assert.equal(out[1], list[1]);
  assert.equal(list[0].state, 'granted'); // the input is not changed
  const resolved = applyEvent(out, { event: 'delivery', trade_id: '7', state: 'failed', by: 'operator', ts: 30 });
  assert.equal(resolved[0].resolved_at, 30);
  assert.equal(resolved[0].confirmed_at, undefined);
});
