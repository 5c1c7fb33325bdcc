import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cny, parseCny } from '../../src/lib/format.js';
import { loginParams, importSecret } from '../../src/lib/auth.js';
import { createHmac } from 'node:crypto';

test('fen ↔ CNY without floating point', () => {
  assert.equal(cny(123456), '1,234.56');
  assert.equal(cny(5), '0.05');
  assert.equal(cny(-100), '-1.00');
  assert.equal(parseCny('1234.5'), 123450);
  assert.equal(parseCny('0.07'), 7);
  assert.equal(parseCny('1,200'), 120000);
  assert.equal(parseCny('1.005'), null);
  assert.equal(parseCny('-1'), null);
  assert.equal(parseCny('abc'), null);
});

test('login signature equals HMAC-SHA256(secret, user\\nts\\nnonce)', async () => {
  const key = await importSecret('demo-operator-secret');
  const p = await loginParams(key, 'ops');
  const want = createHmac('sha256', 'demo-operator-secret').update(`ops\n${p.ts}\n${p.nonce}`).digest('hex');
  assert.equal(p.sig, want);
  assert.equal(p.nonce.length, 32);
});
