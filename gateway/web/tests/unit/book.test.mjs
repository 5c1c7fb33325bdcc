import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BookState } from '../../src/lib/book.js';

const snap = (seq) => ({ event: 'book', instrument: 'X', type: 'snapshot', seq,
  bids: [[100, 5, 1], [90, 3, 2]], asks: [[120, 4, 1]] });
const upd = (seq, changes) => ({ event: 'book', instrument: 'X', type: 'update', seq, changes });

test('snapshot then consecutive updates', () => {
  const b = new BookState('X');
  assert.equal(b.apply(upd(1, [['buy', 100, 1]])), 'ignored'); // before any snapshot
  assert.equal(b.apply(snap(41)), 'snapshot');
  assert.equal(b.apply(upd(42, [['buy', 110, 2], ['sell', 120, 0]])), 'update');
  assert.deepEqual(b.levels('buy').map((l) => [l.price, l.qty]), [[110, 2], [100, 5], [90, 3]]);
  assert.deepEqual(b.levels('sell'), []);
});

test('a seq gap makes the book stale until the next snapshot', () => {
  const b = new BookState('X');
  b.apply(snap(7));
  assert.equal(b.apply(upd(9, [['buy', 100, 0]])), 'gap');
  assert.equal(b.stale, true);
  assert.equal(b.apply(upd(10, [['buy', 100, 0]])), 'ignored');
  assert.equal(b.apply(snap(12)), 'snapshot');
  assert.equal(b.apply(upd(13, [['sell', 130, 1]])), 'update');
  assert.equal(b.levels('sell').length, 2);
});

test('other instruments are ignored', () => {
  const b = new BookState('X');
  assert.equal(b.apply({ ...snap(1), instrument: 'Y' }), 'ignored');
});
