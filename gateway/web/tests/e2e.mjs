// End-to-end: the built console in Debian's headless Chromium against a real
// corpexd on loopback. Scenarios (SPEC §5 over the page's own WebSocket):
//   1. a seller logs in, places an order and sees it in the depth view;
//   2. a buyer's crossing orders show on the seller's trades tape;
//   3. corpexd restarts: the page reconnects, logs in again and resubscribes;
//   4. an operator revokes the attestation and the book empties;
//   5. a regulator exports CSV and verifies the chain (and a tampered copy breaks);
//   6. deliveries: the seller grants trade 2, the buyer disputes, the operator
//      sees the dispute (and fails trade 3), the seller grants again, the buyer
//      confirms, the regulator reads the delivery times and pages; a program
//      created with "paid only after a confirmed delivery" refuses to pay a
//      claim (DELIVERY_PENDING) until the buyer confirms;
//   7. negotiated deals: the buyer asks for quotes (one RFQ with a voucher),
//      the seller quotes in cash and again (the first shows superseded), a
//      second seller quotes equity (refused on the voucher RFQ), the buyer
//      cancels one RFQ and accepts the cash quote; both see the execution, the
//      regulator sees trade 5 as negotiated and the chain (version 2) verifies.
// One screenshot per view goes to $WEB_E2E_OUT (default <repo>/build/web-e2e).
// Exits non-zero with a one-line reason on any failure; corpexd is always stopped.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(WEB, '../..');
const BUILD = resolve(process.env.CORPEX_BUILD ?? join(REPO, 'build'));
const OUT = resolve(process.env.WEB_E2E_OUT ?? join(BUILD, 'web-e2e'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CORPEXD = join(BUILD, 'gateway/corpexd');
const ADMIN = join(BUILD, 'tools/corpex-admin');
const REPORT = join(BUILD, 'tools/corpex-report');
const SYMBOL = 'ZH-MED-DIALOG.TRAIN.12M';
const ATT = 'ATT-E2E-MEDDIALOG';
const PROGRAM = 'SZ-CORPUS-VOUCHER-E2E';
const DATASET = 'f40d7716bdf4e57c81c1b9b4cc62dc3c5b9c3517ff6e6a757aa395a227fa2acb';
const ATT2 = 'ATT-E2E-MEDDIALOG-V2';
const DATASET2 = '0c1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f';
const PROGRAM2 = 'SZ-DELIVERY-GATED-E2E';
const ATT3 = 'ATT-E2E-MEDDIALOG-EQ';
const DATASET3 = '7a1e2d3f4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f';
const COMPANY = '91440101MA9W1234KU';
const T = 15_000; // ms to wait for any one thing on a page

const ops = { user: 'ops', secret: randomBytes(16).toString('hex') };
const reg = { user: 'csrc', secret: randomBytes(16).toString('hex') };
const tmp = mkdtempSync(join(tmpdir(), 'corpex-web-e2e-'));
let server = null;
let browser = null;
let port = 0;
const pages = {};
const step = (msg) => console.log(`· ${msg}`);

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
  });
}

async function startServer() {
  const log = join(tmp, 'corpexd.log');
  server = spawn(CORPEXD, ['--config', join(tmp, 'config.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr.on('data', (d) => { stderr += d; });
  server.on('exit', () => writeFileSync(log, stderr));
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) throw new Error(`corpexd exited: ${stderr.trim().split('\n').at(-1)}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('corpexd did not answer GET /health within 10 s');
}

async function stopServer() {
  if (!server || server.exitCode !== null) return;
  const gone = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  const t = setTimeout(() => server.kill('SIGKILL'), 5000);
  await gone;
  clearTimeout(t);
}

/** corpex-admin as the operator; returns the server's JSON result. */
function admin(...args) {
  try {
    const out = execFileSync(ADMIN, [...args, '--json', '--url', `ws://127.0.0.1:${port}/v1`,
      '--user', ops.user, '--secret', ops.secret], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.trim() ? JSON.parse(out) : {};
  } catch (e) {
    throw new Error(`corpex-admin ${args.slice(0, 2).join(' ')}: ${(e.stderr || e.message).trim()}`);
  }
}

/** Waits until the element's text matches re; fails naming what it saw. */
async function waitText(page, selector, re, what) {
  try {
    await page.waitForFunction(([sel, src, flags]) => {
      const el = document.querySelector(sel);
      return el && new RegExp(src, flags).test(el.innerText);
    }, [selector, re.source, re.flags], { timeout: T });
  } catch {
    const seen = await page.locator(selector).first().innerText({ timeout: 1000 }).catch(() => '(absent)');
    throw new Error(`${what}: wanted ${re} in ${selector}, saw "${String(seen).replace(/\s+/g, ' ').slice(0, 300)}"`);
  }
}

async function shot(page, name) {
  const path = join(OUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  step(`screenshot ${path}`);
}

async function login(name, user, secret) {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error(`[${name}] page error: ${e.message}`));
  pages[name] = page;
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByLabel('User').fill(user);
  await page.getByLabel('Secret').fill(secret);
  await page.getByRole('button', { name: 'Log in' }).click();
  await waitText(page, '#who', new RegExp(`^${user} \\(`), `${name} login`);
  const kept = await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length);
  if (kept !== 0) throw new Error(`${name} login left ${kept} items in web storage or cookies`);
  return page;
}

async function placeOrder(page, o) {
  await waitText(page, '#main form.ticket select[name=instrument]', new RegExp(SYMBOL.replaceAll('.', '\\.')), 'ticket instruments');
  await page.getByLabel('Instrument', { exact: true }).selectOption(SYMBOL);
  await page.getByLabel('Side').selectOption(o.side);
  await page.getByLabel('Quantity (units)').fill(String(o.qty));
  await page.getByLabel('Price (CNY per unit)').fill(o.price);
  if (o.attestation) await page.getByLabel('Attestation (sell)').selectOption(o.attestation);
  if (o.voucher !== undefined) await page.getByLabel('Voucher program (buy, optional)').selectOption(o.voucher);
  await page.getByRole('button', { name: 'Place order' }).click();
  await waitText(page, 'form.ticket .status', o.expect, `order ${o.side} ${o.qty}@${o.price}`);
}

async function main() {
  for (const [what, path] of [['corpexd', CORPEXD], ['corpex-admin', ADMIN], ['chromium', CHROMIUM], ['the built console (make web)', join(WEB, 'dist/index.html')]])
    if (!existsSync(path)) throw new Error(`${what} not found at ${path}`);
  mkdirSync(OUT, { recursive: true });
  for (const f of readdirSync(OUT)) if (/^failure-.*\.png$|\.csv$/.test(f)) rmSync(join(OUT, f));
  port = await freePort();
  writeFileSync(join(tmp, 'config.json'), JSON.stringify({
    listen: `127.0.0.1:${port}`, data_dir: join(tmp, 'data'), web_root: join(WEB, 'dist'),
    accounts: [{ ...ops, role: 'operator' }, { ...reg, role: 'regulator' }],
  }));
  await startServer();
  step(`corpexd up on 127.0.0.1:${port}`);

  // The market, as an operator sets it up (year in China Standard Time).
  const year = new Date(Date.now() + 8 * 3600_000).getUTCFullYear();
  admin('instrument', 'create', SYMBOL, '--domain', 'medical', '--language', 'zh', '--modality', 'text',
    '--licence', 'training', '--term-months', '12', '--tier', '3', '--unit', 'mtok', '--tick', '100', '--lot', '1');
  const seller = admin('member', 'create', 'GZ-HOSP-ZSU1', '--name', 'Sun Yat-sen University First Affiliated Hospital',
    '--group', 'SYSU-HEALTH', '--roles', 'seller', '--tier', '4');
  const buyer = admin('member', 'create', 'SZ-MODEL-LAB', '--name', 'Shenzhen Foundation Model Lab',
    '--group', 'SZ-MODEL', '--roles', 'buyer', '--tier', '4');
  const now = Date.now();
  admin('attestation', 'register', ATT, '--member', 'GZ-HOSP-ZSU1',
    '--dataset', DATASET,
    '--assessor', 'King & Wood Mallesons (Guangzhou)', '--licences', 'training,finetune', '--tier', '3',
    '--issued-at', String(now - 86_400_000), '--expires-at', String(now + 365 * 86_400_000));
  admin('voucher', 'program-create', PROGRAM, '--rate-bps', '3000', '--member-cap', '200000000',
    '--budget', '500000000', '--year', String(year));
  admin('voucher', 'enrol', PROGRAM, 'SZ-MODEL-LAB');
  step('seeded instrument, seller, buyer, attestation, voucher program');

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });

  // 1. The seller places a sell order and sees it in the depth view.
  const s = await login('seller', seller.member, seller.secret);
  await waitText(s, '#nav', /My orders/, 'member nav');
  await placeOrder(s, { side: 'sell', qty: 100, price: '25000.50', attestation: ATT, expect: /^INVALID_PRICE: .*tick/ });
  await placeOrder(s, { side: 'sell', qty: 100, price: '25000.00', attestation: ATT, expect: /order \d+ new: filled 0, open 100/ });
  await waitText(s, '.book .ladder.sell tbody', /25,000\.00\s*yours\s*100/, 'seller depth view');
  await waitText(s, '.book-meta', /live, seq \d+/, 'seller book live');
  await waitText(s, '#open-h + .status + .scroll tbody', /GZ-HOSP|sell/, 'seller open orders');
  await shot(s, '1-member-seller-order-in-depth');
  step('scenario 1 passed: order shows in the depth view');

  // 2. The buyer crosses it; the trades show on the seller's market tape.
  await s.getByRole('link', { name: 'Market' }).click();
  await waitText(s, '.instruments tbody', new RegExp(SYMBOL.replaceAll('.', '\\.')), 'market instruments');
  await waitText(s, '.book .ladder.sell tbody', /25,000\.00\s*100/, 'market depth');
  const b = await login('buyer', buyer.member, buyer.secret);
  await placeOrder(b, { side: 'buy', qty: 20, price: '25000.00', voucher: PROGRAM, expect: /order \d+ filled: filled 20, open 0; 1 fill/ });
  await placeOrder(b, { side: 'buy', qty: 30, price: '25000.00', voucher: PROGRAM, expect: /order \d+ filled: filled 30, open 0; 1 fill/ });
  await waitText(s, '#tape-h + .tape tbody', /ZH-MED-DIALOG\.TRAIN\.12M\s*25,000\.00\s*30\s*buy/, 'tape shows the crossing trade');
  await waitText(s, `.instruments tr[data-symbol="${SYMBOL}"]`, /25,000\.00\s*50\s*2\s*$/, 'last price, volume, trades');
  await waitText(s, '.book .ladder.sell tbody', /25,000\.00\s*50/, 'depth after the fills');
  await waitText(b, '#exec-h ~ .scroll tbody', /fill #2 \(taker\)/, 'buyer executions');
  await waitText(b, '#vouch-h ~ div', /SZ-CORPUS-VOUCHER-E2E\s*2,000,000\.00\s*375,000\.00/, 'buyer voucher usage');
  // A resting bid, then a replace to a smaller size: both sides show in the depth.
  await placeOrder(b, { side: 'buy', qty: 15, price: '24500.00', voucher: '', expect: /order \d+ new: filled 0, open 15/ });
  await waitText(s, '.book .ladder.buy tbody', /24,500\.00\s*15/, 'bid in the market depth');
  await b.locator('#open-h ~ .scroll').getByRole('button', { name: 'Replace' }).click();
  await b.getByLabel('New open quantity').fill('12');
  await b.locator('dialog[open]').getByRole('button', { name: 'Replace', exact: true }).click();
  await waitText(b, 'dialog[open] .status', /order \d+ new: open 12 at 24,500\.00/, 'replace result');
  await b.locator('dialog[open]').getByRole('button', { name: 'Close' }).click();
  await waitText(s, '.book .ladder.buy tbody', /24,500\.00\s*12/, 'replaced bid in the market depth');
  await waitText(b, '.book .ladder.buy tbody', /24,500\.00\s*yours\s*12/, 'own bid marked in the buyer depth');
  await shot(s, '2-market-tape-after-cross');
  await shot(b, '2-member-buyer-executions-vouchers');
  step('scenario 2 passed: crossing orders show on the tape');

  // 3. corpexd restarts: both pages reconnect, log in again and resubscribe.
  await stopServer();
  await waitText(s, '#conn', /connection lost/, 'seller sees the drop');
  await startServer();
  await waitText(s, '#conn', /^connected$/, 'seller reconnects');
  await waitText(b, '#conn', /^connected$/, 'buyer reconnects');
  await waitText(b, 'form.ticket select[name=voucher]', /SZ-CORPUS-VOUCHER-E2E/, 'buyer view reloaded');
  await placeOrder(b, { side: 'buy', qty: 10, price: '25000.00', voucher: PROGRAM, expect: /filled: filled 10, open 0/ });
  await waitText(s, '#tape-h + .tape tbody', /^\S+\s*ZH-MED-DIALOG\.TRAIN\.12M\s*25,000\.00\s*10\s*buy\s*3/, 'tape after reconnect (trade 3)');
  await waitText(s, '.book .ladder.sell tbody', /25,000\.00\s*40/, 'depth after reconnect');
  await b.locator('#open-h ~ .scroll').getByRole('button', { name: /^Cancel order/ }).click();
  await waitText(b, '#open-h + .status', /order \d+ canceled \(12 units\)/, 'cancel result');
  await waitText(s, '.book .ladder.buy tbody', /no bids/, 'bid gone after cancel');
  step('scenario 3 passed: reconnect, re-login and resubscribe');

  // 4. The operator revokes the attestation; the resting order goes, the book empties.
  const o = await login('operator', ops.user, ops.secret);
  await waitText(o, '#att-h ~ .scroll tbody', new RegExp(`${ATT}.*valid`), 'attestation listed');
  await waitText(o, '#members-h ~ .scroll tbody', /GZ-HOSP-ZSU1[\s\S]*SZ-MODEL-LAB|SZ-MODEL-LAB[\s\S]*GZ-HOSP-ZSU1/, 'members listed');
  await o.getByRole('button', { name: `Revoke ${ATT}` }).click();
  await o.getByLabel('Reason (recorded)').fill('assessor withdrew the opinion');
  await o.locator('dialog[open]').getByRole('button', { name: 'Revoke' }).click();
  await waitText(o, '#att-h + .status', new RegExp(`attestation ${ATT} revoked: 1 resting order cancelled`), 'revoke result');
  await waitText(o, '#att-h ~ .scroll tbody', new RegExp(`${ATT}.*revoked`), 'attestation revoked');
  await waitText(s, '.book .ladder.sell tbody', /no asks/, 'book empties');
  await waitText(s, '.book .ladder.buy tbody', /no bids/, 'no bids either');
  await o.locator('#claims-h ~ form select[name=program]').selectOption(PROGRAM);
  await o.getByRole('button', { name: 'Show claims' }).click();
  await waitText(o, '#claims-h ~ .scroll tbody', /SZ-MODEL-LAB\s*150,000\.00\s*reserved/, 'claims to settle');
  await o.getByRole('button', { name: 'Approve claim on trade 1', exact: true }).click();
  await waitText(o, '#claims-h ~ .status', /claim on trade 1 approved/, 'claim approved');
  await o.getByRole('button', { name: 'Approve claim on trade 2', exact: true }).click();
  await waitText(o, '#claims-h ~ .status', /claim on trade 2 approved/, 'claim 2 approved');
  await o.locator('#claims-h ~ form select[name=status]').selectOption('approved');
  await o.getByRole('button', { name: 'Show claims' }).click();
  await o.getByRole('button', { name: 'Pay claim on trade 1', exact: true }).click();
  await waitText(o, '#claims-h ~ .status', /claim on trade 1 paid/, 'claim paid');
  await waitText(o, '#claims-h ~ .scroll tbody', /^2\s*SZ-MODEL-LAB\s*225,000\.00\s*approved/, 'approved claims');
  await waitText(o, '#status-h ~ div dl', /resting orders\s*0/, 'status counts refresh');
  await shot(o, '4-operator-after-revoke');
  await shot(s, '4-market-book-empty-after-revoke');
  step('scenario 4 passed: revoke empties the book');

  // 5. The regulator pages, exports and verifies the chain.
  const r = await login('regulator', reg.user, reg.secret);
  await r.getByLabel('Rows per page').fill('2');
  await r.getByRole('button', { name: 'Show trades' }).click();
  await waitText(r, '#trades-h ~ .scroll tbody', /^1\b.*GZ-HOSP-ZSU1/, 'report page 1');
  await r.getByRole('button', { name: 'Next page' }).click();
  await waitText(r, '.pager', /page 2/, 'report page 2');
  await waitText(r, '#trades-h ~ .scroll tbody', /^3\b/, 'page 2 holds trade 3');
  const [download] = await Promise.all([
    r.waitForEvent('download', { timeout: T }),
    r.getByRole('button', { name: 'Export CSV (all pages)' }).click(),
  ]);
  const csvPath = join(OUT, 'trades.csv');
  await download.saveAs(csvPath);
  const csv = readFileSync(csvPath, 'utf8');
  if (csv.trim().split('\n').length !== 4) throw new Error(`CSV export: wanted 3 trades, got:\n${csv}`);
  await r.getByRole('button', { name: 'Verify the whole chain' }).click();
  await waitText(r, '.verdict', /chain verified: 3 trades \(1\.\.3\)/, 'chain verified');
  await waitText(r, '#ledger-h ~ div', /SZ-MODEL-LAB\s*450,000\.00\s*225,000\.00\s*150,000\.00/, 'voucher ledger');
  await shot(r, '5-regulator-chain-verified');
  if (existsSync(REPORT)) { // the console's CSV is the CLI's format: cross-check
    execFileSync(REPORT, ['verify', csvPath], { stdio: 'pipe' });
    step('corpex-report verify accepts the exported CSV');
  }
  // A tampered copy: trade 2's quantity changed from 30 to 300.
  const lines = csv.split('\n');
  const header = lines[0].split(',');
  const cells = lines[2].split(',');
  cells[header.indexOf('qty')] = '300';
  lines[2] = cells.join(',');
  const tampered = join(OUT, 'trades-tampered.csv');
  writeFileSync(tampered, lines.join('\n'));
  await r.locator('#verify-file').setInputFiles(tampered);
  await waitText(r, '.verdict', /chain BROKEN at trade 2: its fields hash to/, 'tampered file breaks');
  await waitText(r, '#trades-h ~ .scroll tr.broken', /^2\b/, 'broken row marked');
  await shot(r, '6-regulator-broken-chain');
  if (existsSync(REPORT)) {
    let code = 0;
    try { execFileSync(REPORT, ['verify', tampered], { stdio: 'pipe' }); } catch (e) { code = e.status; }
    if (code !== 1) throw new Error(`corpex-report verify on the tampered CSV exited ${code}, wanted 1`);
  }
  step('scenario 5 passed: export, verify, tamper detected at trade 2');

  await deliveries(s, b, o, r);
  await gatedClaim(s, b, o, year);
  step('scenario 6 passed: grant, dispute, re-grant, confirm; operator and regulator see each step; DELIVERY_PENDING until confirmed');

  await negotiated(s, b, r);
  step('scenario 7 passed: RFQ, cash quote superseded, equity quote (VOUCHER_INVALID on a voucher RFQ), cancel, accept; trade 5 negotiated, chain verified');
}

/** 7. Negotiated deals: RFQs, quotes (cash, superseded, equity), cancel, accept; the regulator's view of the deal. */
async function negotiated(s, b, r) {
  const rfqStatus = '#rfq-h ~ .status';
  const mine = (id) => `#my-rfqs-h ~ form + .scroll tr[data-rfq="${id}"]`;
  const quotable = (id) => `#quotable-h + .scroll tr[data-rfq="${id}"]`;
  const received = (id) => `#received-h + .scroll tr[data-quote="${id}"]`;
  const myQuote = (id) => `#my-quotes-h + .scroll tr[data-quote="${id}"]`;
  const SYM = SYMBOL.replaceAll('.', '\\.');
  const now = Date.now();
  const eq = admin('member', 'create', 'SH-MEDDATA-CO', '--name', 'Shanghai Medical Data Co.',
    '--group', 'SH-MEDDATA', '--roles', 'seller', '--tier', '4');
  admin('attestation', 'register', ATT3, '--member', 'SH-MEDDATA-CO', '--dataset', DATASET3,
    '--assessor', 'Fangda Partners (Shanghai)', '--licences', 'training', '--tier', '3',
    '--issued-at', String(now - 86_400_000), '--expires-at', String(now + 365 * 86_400_000));
  const e = await login('equity-seller', eq.member, eq.secret);

  // The buyer asks for quotes: 40 units without a voucher, 10 with one.
  await waitText(b, '#my-rfqs-h ~ form select[name=instrument]', new RegExp(SYM), 'RFQ instruments');
  const expiry = Date.parse(await b.getByLabel('RFQ expires at').inputValue());
  if (!(Math.abs(expiry - Date.now() - 86_400_000) < 120_000)) throw new Error(`RFQ expiry defaults to ${new Date(expiry).toISOString()}, wanted now + 1 day`);
  await b.getByLabel('RFQ instrument').selectOption(SYMBOL);
  await b.getByLabel('RFQ size (units)').fill('40');
  await b.getByRole('button', { name: 'Ask for quotes' }).click();
  await waitText(b, '#my-rfqs-h ~ form .status', new RegExp(`^RFQ 1 open: 40 of ${SYM}$`), 'RFQ 1 open');
  await b.getByLabel('RFQ size (units)').fill('10');
  await b.getByLabel('RFQ voucher program (optional)').selectOption(PROGRAM);
  await b.getByRole('button', { name: 'Ask for quotes' }).click();
  await waitText(b, '#my-rfqs-h ~ form .status', new RegExp(`^RFQ 2 open: 10 of ${SYM} with ${PROGRAM}$`), 'RFQ 2 open');
  await waitText(b, mine(1), new RegExp(`^1\\s+${SYM}\\s+40\\s+[\\s\\S]*Cancel$`), 'buyer lists RFQ 1');
  await waitText(b, mine(2), new RegExp(`^2\\s+${SYM}\\s+10\\s+${PROGRAM}`), 'buyer lists RFQ 2 with its voucher');

  // The seller sees both, without the buyer's name, and quotes in cash on RFQ 1.
  await waitText(s, quotable(1), new RegExp(`^1\\s+${SYM}\\s+40\\s+[\\s\\S]*Quote$`), 'seller sees RFQ 1');
  await waitText(s, quotable(2), new RegExp(`^2\\s+${SYM}\\s+10\\s`), 'seller sees RFQ 2');
  for (const t of [await s.locator('#quotable-h + .scroll').innerText(), await e.locator('#quotable-h + .scroll').innerText()])
    if (/SZ-MODEL-LAB|SZ-CORPUS/.test(t)) throw new Error(`an RFQ shown to a seller names its buyer or program: ${t.replace(/\s+/g, ' ')}`);
  await s.getByRole('button', { name: 'Quote on RFQ 1' }).click();
  const dlg = s.locator('dialog[open]');
  const atts = await dlg.locator('select[name=attestation] option').allInnerTexts();
  if (atts.length !== 1 || !atts[0].startsWith(ATT2)) throw new Error(`quote dialog offers attestations ${JSON.stringify(atts)}, wanted only ${ATT2} (${ATT} is revoked)`);
  await dlg.getByLabel('Cash price per unit (CNY)').fill('24000.50');
  await dlg.getByRole('button', { name: 'Send quote' }).click();
  await waitText(s, 'dialog[open] .status', /^Price must be a multiple of the tick \(1\.00 CNY\)$/, 'quote off the tick');
  await dlg.getByLabel('Cash price per unit (CNY)').fill('24000.00');
  await dlg.getByRole('button', { name: 'Send quote' }).click();
  await waitText(s, rfqStatus, /^quote 1 on RFQ 1 sent: 24,000\.00 CNY per unit$/, 'first quote sent');
  await waitText(b, rfqStatus, /^quote 1 on RFQ 1 from GZ-HOSP-ZSU1: 24,000\.00 CNY per unit, valid until /, 'buyer told of quote 1');
  await waitText(b, received(1), /^1\s+1\s+GZ-HOSP-ZSU1\s+24,000\.00 CNY per unit\s+960,000\.00\s+[\s\S]*open\s+Accept$/, 'buyer sees quote 1');

  // The seller quotes again (its last price prefilled): the first is superseded on the buyer's page.
  await s.getByRole('button', { name: 'Quote on RFQ 1' }).click();
  const price = dlg.getByLabel('Cash price per unit (CNY)');
  if (await price.inputValue() !== '24000.00') throw new Error(`second quote: price prefilled with "${await price.inputValue()}"`);
  await price.fill('23500.00');
  await dlg.getByRole('button', { name: 'Send quote' }).click();
  await waitText(s, rfqStatus, /^quote 2 on RFQ 1 sent: 23,500\.00 CNY per unit$/, 'second quote sent');
  await waitText(b, received(1), /^1\s+1\s+GZ-HOSP-ZSU1\s+24,000\.00 CNY per unit[\s\S]*superseded\s*$/, 'quote 1 superseded on the buyer page');
  await waitText(b, received(2), /^2\s+1\s+GZ-HOSP-ZSU1\s+23,500\.00 CNY per unit\s+940,000\.00\s+[\s\S]*open\s+Accept$/, 'buyer sees quote 2');
  await waitText(s, myQuote(1), /superseded\s*$/, 'seller sees quote 1 superseded');
  await waitText(s, myQuote(2), new RegExp(`^2\\s+1\\s+${SYM}\\s+40\\s+23,500\\.00 CNY per unit\\s+${ATT2}[\\s\\S]*open\\s+Withdraw$`), 'seller sees quote 2 open');

  // A second seller offers equity: refused on the voucher RFQ, quoted on RFQ 1.
  await waitText(e, quotable(2), new RegExp(`^2\\s+${SYM}`), 'equity seller sees RFQ 2');
  const edlg = e.locator('dialog[open]');
  await e.getByRole('button', { name: 'Quote on RFQ 2' }).click();
  await edlg.getByLabel('Pay in equity (data for equity)').check();
  if (await edlg.getByLabel('Cash price per unit (CNY)').isVisible()) throw new Error('equity quote: the cash price is still shown');
  await edlg.getByLabel('Company (unified social credit code)').fill('91440101MA9W1234KX');
  await edlg.getByLabel('Shares').fill('5000');
  await edlg.getByLabel('Valuation (CNY)').fill('900000');
  await edlg.getByRole('button', { name: 'Send quote' }).click();
  await waitText(e, 'dialog[open] .status', /^Company: an 18-character unified social credit code with a valid check character$/, 'bad company code');
  await edlg.getByLabel('Company (unified social credit code)').fill(COMPANY);
  await edlg.getByRole('button', { name: 'Send quote' }).click();
  await waitText(e, 'dialog[open] .status', /^VOUCHER_INVALID: an equity consideration is not voucher-eligible/, 'equity on a voucher RFQ');
  await edlg.getByRole('button', { name: 'Close' }).click();
  await e.getByRole('button', { name: 'Quote on RFQ 1' }).click();
  await edlg.getByLabel('Pay in equity (data for equity)').check();
  await edlg.getByLabel('Company (unified social credit code)').fill(COMPANY);
  await edlg.getByLabel('Shares').fill('5000');
  await edlg.getByLabel('Valuation (CNY)').fill('900000');
  await edlg.getByRole('button', { name: 'Send quote' }).click();
  const equityTerms = `equity: 5,000 shares of ${COMPANY}, valued 900,000\\.00 CNY`;
  await waitText(e, rfqStatus, new RegExp(`^quote 3 on RFQ 1 sent: ${equityTerms}$`), 'equity quote sent');
  await waitText(b, received(3), new RegExp(`^3\\s+1\\s+SH-MEDDATA-CO\\s+${equityTerms}\\s+900,000\\.00\\s+[\\s\\S]*open\\s+Accept$`), 'buyer sees the equity quote');
  await b.locator('#rfq-h').scrollIntoViewIfNeeded();
  await shot(b, '10-member-buyer-rfq-quotes');
  await e.locator('#rfq-h').scrollIntoViewIfNeeded();
  await shot(e, '10-member-equity-seller-quotes');

  // The buyer cancels RFQ 2; the sellers see it close.
  await b.getByRole('button', { name: 'Cancel RFQ 2' }).click();
  await waitText(b, rfqStatus, /^RFQ 2 canceled$/, 'RFQ 2 canceled');
  await waitText(e, rfqStatus, new RegExp(`^RFQ 2 \\(${SYM}\\) closed: canceled$`), 'equity seller told RFQ 2 closed');
  await waitText(s, '#quotable-h + .scroll tbody', new RegExp(`^1\\s+${SYM}\\s[\\s\\S]*Quote again$`), 'RFQ 1 left on the seller page');
  await s.locator(quotable(2)).waitFor({ state: 'detached', timeout: T });

  // The buyer accepts the cash quote: trade 5, on both members' executions.
  await b.getByRole('button', { name: 'Accept quote 2' }).click();
  await waitText(b, rfqStatus, /^quote 2 accepted: trade 5, 40 at 23,500\.00, notional 940,000\.00 CNY$/, 'accept result');
  await waitText(b, '#my-rfqs-h ~ form + .scroll tbody', /no open RFQs of mine/, 'RFQ 1 filled and gone');
  await waitText(b, '#received-h + .scroll tbody', /no quotes on my RFQs/, 'its quotes gone');
  await waitText(b, '#exec-h ~ .scroll tbody', new RegExp(`^\\S+\\s+RFQ 1\\s+${SYM}\\s+buy\\s+fill #5 \\(taker, negotiated\\)\\s+23,500\\.00\\s+40\\s+940,000\\.00`), 'buyer execution');
  await waitText(s, '#exec-h ~ .scroll tbody', new RegExp(`^\\S+\\s+RFQ 1\\s+${SYM}\\s+sell\\s+fill #5 \\(\\w+, negotiated\\)\\s+23,500\\.00\\s+40\\s+940,000\\.00[^\\n]*deal: quote 2 accepted`), 'seller execution');
  await waitText(e, rfqStatus, /^(quote 3 on RFQ 1 rfq_closed|RFQ 1 \(.*\) closed: filled)$/, 'equity seller told RFQ 1 closed');
  await waitText(s, '#quotable-h + .scroll tbody', /no RFQs to quote/, 'seller has nothing left to quote');
  await waitText(b, '#deliv-h ~ .scroll tr[data-trade="5"]', /^5\s+[^\n]*buyer\s+GZ-HOSP-ZSU1\s+pending/, 'the deal opens a delivery');
  await b.locator('#exec-h').scrollIntoViewIfNeeded();
  await shot(b, '11-member-buyer-negotiated-execution');
  await s.locator('#exec-h').scrollIntoViewIfNeeded();
  await shot(s, '11-member-seller-negotiated-execution');

  // The regulator: trade 5 negotiated, paid in cash; the chain (now with version 2) verifies, also in corpex-report.
  await r.getByLabel('Rows per page').fill('50');
  await r.getByRole('button', { name: 'Show trades' }).click();
  await waitText(r, '#trades-h ~ .scroll tbody', new RegExp(`^1\\s[^\\n]*\\sbook\\s[\\s\\S]*\\n5\\s+\\S+ \\S+\\s+${SYM}\\s+SZ-MODEL-LAB\\s+GZ-HOSP-ZSU1\\s+buy\\s+negotiated\\s+cash\\s+23,500\\.00\\s+40\\s+940,000\\.00\\s+${ATT2}`), 'regulator sees trade 5 negotiated');
  await r.getByRole('button', { name: 'Verify the whole chain' }).click();
  await waitText(r, '.verdict', /chain verified: 5 trades \(1\.\.5\)/, 'chain with a negotiated trade verified');
  await shot(r, '12-regulator-negotiated-trade');
  const [download] = await Promise.all([
    r.waitForEvent('download', { timeout: T }),
    r.getByRole('button', { name: 'Export CSV (all pages)' }).click(),
  ]);
  const csvPath = join(OUT, 'trades-negotiated.csv');
  await download.saveAs(csvPath);
  const rows = parseCsv(readFileSync(csvPath, 'utf8'));
  if (rows.length !== 5 || rows[4].venue !== 'negotiated' || rows[4].chain_version !== '2' || rows[4].consideration !== 'cash')
    throw new Error(`CSV export after the deal: wanted trade 5 negotiated, chain_version 2, cash; got ${JSON.stringify(rows.at(-1))}`);
  if (existsSync(REPORT)) {
    execFileSync(REPORT, ['verify', csvPath], { stdio: 'pipe' });
    step('corpex-report verify accepts the exported CSV with a version 2 trade');
  }
}

/** A plain CSV (no quoted commas) as objects by header. */
function parseCsv(text) {
  const [head, ...lines] = text.trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

/** 6b. A program whose claims are paid only after a confirmed delivery (trade 4). */
async function gatedClaim(s, b, o, year) {
  await o.getByLabel('Program id').fill(PROGRAM2);
  await o.getByLabel('Program year').fill(String(year));
  await o.getByLabel('Pay claims only after a confirmed delivery').check();
  await o.getByRole('button', { name: 'Create program' }).click();
  await waitText(o, '#prog-h ~ form.op .status', new RegExp(`^program ${PROGRAM2} created; its claims are paid only after a confirmed delivery$`), 'gated program created');
  const now = Date.now();
  admin('voucher', 'enrol', PROGRAM2, 'SZ-MODEL-LAB');
  admin('attestation', 'register', ATT2, '--member', 'GZ-HOSP-ZSU1', '--dataset', DATASET2,
    '--assessor', 'King & Wood Mallesons (Guangzhou)', '--licences', 'training', '--tier', '3',
    '--issued-at', String(now - 86_400_000), '--expires-at', String(now + 365 * 86_400_000));
  for (const page of [s, b]) { // a fresh view reads the new attestation and program
    await page.getByRole('link', { name: 'Market' }).click();
    await page.getByRole('link', { name: 'My orders' }).click();
  }
  await placeOrder(s, { side: 'sell', qty: 5, price: '25000.00', attestation: ATT2, expect: /order \d+ new: filled 0, open 5/ });
  await placeOrder(b, { side: 'buy', qty: 5, price: '25000.00', voucher: PROGRAM2, expect: /order \d+ filled: filled 5, open 0; 1 fill/ });
  await waitText(s, '#deliv-h ~ .scroll tr[data-trade="4"]', /^4\s[^\n]*pending[\s\S]*Grant\s*$/, 'trade 4 opens a delivery');

  await o.locator('#claims-h ~ form select[name=program]').selectOption(PROGRAM2);
  await o.locator('#claims-h ~ form select[name=status]').selectOption('reserved');
  await o.getByRole('button', { name: 'Show claims' }).click();
  await o.getByRole('button', { name: 'Approve claim on trade 4', exact: true }).click();
  await waitText(o, '#claims-h ~ .status', /claim on trade 4 approved/, 'gated claim approved');
  await o.locator('#claims-h ~ form select[name=status]').selectOption('approved');
  await o.getByRole('button', { name: 'Show claims' }).click();
  await o.getByRole('button', { name: 'Pay claim on trade 4', exact: true }).click();
  await waitText(o, '#claims-h ~ .status', /^DELIVERY_PENDING: the trade's delivery is pending, not confirmed: the claim cannot be paid yet$/, 'pay before the delivery');

  await s.getByRole('button', { name: 'Grant delivery of trade 4' }).click();
  const dataset = s.locator('dialog[open]').getByLabel('Dataset manifest SHA-256 (hex)');
  if (await dataset.inputValue() !== DATASET2) throw new Error(`grant of trade 4: dataset prefilled with "${await dataset.inputValue()}", wanted ${ATT2}'s`);
  await s.locator('dialog[open]').getByLabel('Access reference').fill('sandbox://zsu1/meddialog-v2/e2e');
  await s.locator('dialog[open]').getByRole('button', { name: 'Grant', exact: true }).click();
  await waitText(s, '#deliv-h ~ .status', /^delivery of trade 4 granted: /, 'grant of trade 4');
  await b.getByRole('button', { name: 'Confirm delivery of trade 4' }).click();
  await waitText(b, '#deliv-h ~ .status', /^delivery of trade 4 confirmed$/, 'confirm of trade 4');
  await o.getByRole('button', { name: 'Pay claim on trade 4', exact: true }).click();
  await waitText(o, '#claims-h ~ .status', /^claim on trade 4 paid$/, 'pay after the confirmed delivery');
}

/** 6. A trade's sandbox delivery, step by step, in all four pages. */
async function deliveries(s, b, o, r) {
  const row = (id) => `#deliv-h ~ .scroll tr[data-trade="${id}"]`;
  const TS = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d';
  await s.getByRole('link', { name: 'My orders' }).click();
  await waitText(s, row(2), /^2\s+ZH-MED-DIALOG\.TRAIN\.12M\s+seller\s+SZ-MODEL-LAB\s+pending/, 'seller sees trade 2 pending');
  await waitText(b, row(2), /^2\s+ZH-MED-DIALOG\.TRAIN\.12M\s+buyer\s+GZ-HOSP-ZSU1\s+pending/, 'buyer sees trade 2 pending');
  await waitText(s, '#deliv-h ~ .pager', /page 1: 3 deliveries/, 'one delivery per trade');

  // The seller grants: the dataset comes prefilled; a wrong one is refused.
  await s.getByRole('button', { name: 'Grant delivery of trade 2' }).click();
  const grant = s.locator('dialog[open]');
  const dataset = grant.getByLabel('Dataset manifest SHA-256 (hex)');
  if (await dataset.inputValue() !== DATASET) throw new Error(`grant: dataset prefilled with "${await dataset.inputValue()}"`);
  const from = Date.parse(await grant.getByLabel('Access from').inputValue());
  const until = Date.parse(await grant.getByLabel('Access until').inputValue());
  if (!(Math.abs(from - Date.now()) < 120_000 && Math.abs(until - from - 30 * 86_400_000) <= 3600_000))
    throw new Error(`grant: default window ${new Date(from).toISOString()} → ${new Date(until).toISOString()}, wanted now → now + 30 days`);
  await grant.getByLabel('Access reference').fill('sandbox://zsu1/meddialog/e2e-1');
  await dataset.fill('ab'.repeat(32));
  await grant.getByRole('button', { name: 'Grant', exact: true }).click();
  await waitText(s, 'dialog[open] .status', /^ATTESTATION_INVALID: dataset is not the one the trade's attestation covers$/, 'grant of another dataset');
  await dataset.fill(DATASET);
  await grant.getByRole('button', { name: 'Grant', exact: true }).click();
  await waitText(s, '#deliv-h ~ .status', /^delivery of trade 2 granted: sandbox:\/\/zsu1\/meddialog\/e2e-1 until /, 'grant result');
  await waitText(s, row(2), /seller\s+SZ-MODEL-LAB\s+granted/, 'seller sees the grant');

  // The buyer is told, sees the access and disputes it.
  await waitText(b, '#deliv-h ~ .status', /^delivery of trade 2 granted by GZ-HOSP-ZSU1 \(access sandbox:\/\/zsu1\/meddialog\/e2e-1, /, 'buyer notified of the grant');
  await waitText(b, row(2), /granted[\s\S]*sandbox:\/\/zsu1\/meddialog\/e2e-1[\s\S]*Confirm\s*Dispute\s*$/, 'buyer sees the grant');
  await b.getByRole('button', { name: 'Dispute delivery of trade 2' }).click();
  await b.getByLabel('Reason for the dispute').fill('manifest hash does not match the files served');
  await b.locator('dialog[open]').getByRole('button', { name: 'Dispute', exact: true }).click();
  await waitText(b, '#deliv-h ~ .status', /^delivery of trade 2 disputed: manifest hash does not match the files served$/, 'dispute result');
  await waitText(b, row(2), /disputed[\s\S]*disputed by SZ-MODEL-LAB: manifest hash[^\t]*\s*Confirm\s*$/, 'buyer may withdraw the dispute');
  await waitText(s, row(2), /disputed[\s\S]*disputed by SZ-MODEL-LAB: manifest hash does not match the files served\s*Grant\s*$/, 'seller sees the dispute');

  // The operator finds the dispute and reads its steps; it fails trade 3, never granted.
  await o.locator('#disputes-h ~ form').getByRole('button', { name: 'Show deliveries' }).click();
  await waitText(o, '#disputes-h ~ .scroll tbody', /^2\s+ZH-MED-DIALOG\.TRAIN\.12M\s+SZ-MODEL-LAB\s+GZ-HOSP-ZSU1\s+disputed[^\n]*disputed by SZ-MODEL-LAB: manifest hash[^\n]*Resolve…\s*$/, 'operator sees the dispute');
  await o.getByRole('button', { name: 'Resolve delivery of trade 2' }).click();
  await waitText(o, 'dialog[open] ol.steps', /granted by GZ-HOSP-ZSU1 \(sandbox:\/\/zsu1\/meddialog\/e2e-1, [^\n]*\n[^\n]*disputed by SZ-MODEL-LAB: manifest hash/, 'steps of the dispute');
  await o.locator('#disputes-h').scrollIntoViewIfNeeded();
  await shot(o, '7-operator-disputes');
  await o.locator('dialog[open]').getByRole('button', { name: 'Close' }).click();
  await o.locator('#disputes-h ~ form select[name=state]').selectOption('pending');
  await o.locator('#disputes-h ~ form').getByRole('button', { name: 'Show deliveries' }).click();
  await waitText(o, '#disputes-h ~ .scroll tbody', /^1\s[^\n]*pending[^\n]*\n3\s[^\n]*pending[^\n]*$/, 'operator sees the pending deliveries');
  await o.getByRole('button', { name: 'Resolve delivery of trade 3' }).click();
  await waitText(o, 'dialog[open]', /no steps yet/, 'resolve dialog of a pending delivery');
  await o.getByLabel('Note (recorded, optional)').fill('seller never granted access');
  await o.locator('dialog[open]').getByRole('button', { name: 'Resolve failed' }).click();
  await waitText(o, '#disputes-h ~ .status', /^delivery of trade 3 resolved: failed$/, 'resolve result');
  await waitText(o, '#disputes-h ~ .scroll tbody', /^1\s[^\n]*pending[^\n]*$/, 'only trade 1 still pending');
  await waitText(s, row(3), /failed[\s\S]*failed by the operator: seller never granted access\s*$/, 'seller sees trade 3 failed');

  // The seller grants again (the last access reference comes prefilled); the buyer confirms.
  await s.getByRole('button', { name: 'Grant delivery of trade 2' }).click();
  const ref = grant.getByLabel('Access reference');
  if (await ref.inputValue() !== 'sandbox://zsu1/meddialog/e2e-1') throw new Error(`re-grant: access reference prefilled with "${await ref.inputValue()}"`);
  await ref.fill('sandbox://zsu1/meddialog/e2e-2');
  await grant.getByRole('button', { name: 'Grant', exact: true }).click();
  await waitText(s, '#deliv-h ~ .status', /^delivery of trade 2 granted: sandbox:\/\/zsu1\/meddialog\/e2e-2 until /, 'second grant');
  await waitText(b, row(2), /granted[\s\S]*sandbox:\/\/zsu1\/meddialog\/e2e-2[\s\S]*Confirm\s*Dispute\s*$/, 'buyer sees the second grant');
  await b.getByRole('button', { name: 'Confirm delivery of trade 2' }).click();
  await waitText(b, '#deliv-h ~ .status', /^delivery of trade 2 confirmed$/, 'confirm result');
  await waitText(b, row(2), new RegExp(`confirmed\\s+(${TS}\\s+){3}sandbox://zsu1/meddialog/e2e-2, [^\\t]*\\s+confirmed by SZ-MODEL-LAB\\s*$`), 'buyer sees it confirmed');
  await waitText(s, row(2), /confirmed[\s\S]*confirmed by SZ-MODEL-LAB\s*$/, 'seller sees it confirmed');
  await waitText(s, '#deliv-h ~ .status', /^delivery of trade 2 confirmed by SZ-MODEL-LAB$/, 'seller notified of the confirmation');
  await s.locator('#deliv-h').scrollIntoViewIfNeeded();
  await shot(s, '8-member-seller-deliveries');
  await b.locator('#deliv-h').scrollIntoViewIfNeeded();
  await shot(b, '8-member-buyer-deliveries');

  // The regulator: the confirmed delivery with its times, then every state paged by 2.
  const form = r.locator('#rdeliv-h ~ form');
  await form.locator('select[name=state]').selectOption('confirmed');
  await form.getByRole('button', { name: 'Show deliveries' }).click();
  await waitText(r, '#rdeliv-h ~ .scroll tbody', new RegExp(`^2\\s+ZH-MED-DIALOG\\.TRAIN\\.12M\\s+SZ-MODEL-LAB\\s+GZ-HOSP-ZSU1\\s+confirmed\\s+` +
    `(${TS}\\s+){3}\\d+ (ms|s|min \\d\\d s)\\s+\\d+ (ms|s|min \\d\\d s)\\s+${TS}\\s+confirmed by SZ-MODEL-LAB\\s*$`), 'regulator sees it confirmed with its times');
  await form.locator('select[name=state]').selectOption('');
  await r.getByLabel('Deliveries per page').fill('2');
  await form.getByRole('button', { name: 'Show deliveries' }).click();
  await waitText(r, '#rdeliv-h ~ .pager', /page 1: 2 deliveries, more follow/, 'deliveries page 1');
  await waitText(r, '#rdeliv-h ~ .scroll tbody', /^1\s[^\n]*pending[^\n]*\n2\s[^\n]*confirmed[^\n]*$/, 'page 1 holds trades 1 and 2');
  await r.locator('#rdeliv-h').scrollIntoViewIfNeeded();
  await shot(r, '9-regulator-deliveries');
  await r.getByRole('button', { name: 'Next deliveries' }).click();
  await waitText(r, '#rdeliv-h ~ .pager', /page 2: 1 delivery\b/, 'deliveries page 2');
  await waitText(r, '#rdeliv-h ~ .scroll tbody', new RegExp(`^3\\s[^\\n]*failed\\s+${TS}\\s+${TS}\\s+failed by the operator: seller never granted access\\s*$`), 'page 2 holds trade 3, failed');
}

let failed = null;
try {
  await main();
} catch (e) {
  failed = e;
  for (const [name, page] of Object.entries(pages))
    await page.screenshot({ path: join(OUT, `failure-${name}.png`), fullPage: true }).catch(() => {});
} finally {
  await browser?.close().catch(() => {});
  await stopServer().catch(() => {});
  if (!failed || !process.env.KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
}
if (failed) {
  console.error(`e2e FAIL: ${String(failed.message).split('\n')[0]}`);
  process.exit(1);
}
console.log(`e2e PASS: 7 scenarios; screenshots in ${OUT}`);
