import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latestLoader } from '../../src/lib/latest.js';

// A fetch whose answers the test releases by hand, in any order.
function pending() {
  const calls = [];
  const fetch = () => new Promise((resolve, reject) => calls.push({ resolve, reject }));
  return { calls, fetch };
}

function harness() {
  const seen = { taken: [], renders: 0, status: [] };
  const { calls, fetch } = pending();
  const status = { info: (t) => seen.status.push(['info', t]), error: (e) => seen.status.push(['error', String(e)]) };
  const load = latestLoader({ fetch, status, take: (a) => seen.taken.push(a), render: () => { seen.renders += 1; } });
  return { seen, calls, load };
}

test('an older answer arriving after a newer one is dropped', async () => {
  const { seen, calls, load } = harness();
  const first = load();
  const second = load();
  calls[1].resolve('new');
  await second;
  calls[0].resolve('old');
  await first;
  assert.deepEqual(seen.taken, ['new']);
  assert.equal(seen.renders, 1);
});

test('an older failure after a newer answer shows no error', async () => {
  const { seen, calls, load } = harness();
  const first = load();
  const second = load();
  calls[1].resolve('new');
  await second;
  calls[0].reject(new Error('timeout'));
  await first;
  assert.deepEqual(seen.status, []);
  assert.deepEqual(seen.taken, ['new']);
});

test('a failed load shows its error until a later load succeeds, and only then clears it', async () => {
  const { seen, calls, load } = harness();
  const a = load();
  calls[0].reject(new Error('closed'));
  await a;
  assert.deepEqual(seen.status, [['error', 'Error: closed']]);
  assert.equal(seen.renders, 1);
  const b = load();
  calls[1].resolve('page');
  await b;
  assert.deepEqual(seen.status, [['error', 'Error: closed'], ['info', '']]);
  const c = load();
  calls[2].resolve('page 2');
  await c;
  // A good load after a good load leaves the status line (an action's message) alone.
  assert.equal(seen.status.length, 2);
  assert.deepEqual(seen.taken, ['page', 'page 2']);
});
