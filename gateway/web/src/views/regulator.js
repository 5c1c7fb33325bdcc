// Regulator: trade reports with filters and paging, CSV export, the hash
// chain verified here with WebCrypto (live from the server, or from a report
// file), every trade's delivery with its times, and voucher ledgers as charts.

import { h, replace, table, panel } from '../lib/dom.js';
import { cny, qty, time, isoDate } from '../lib/format.js';
import { opForm, statusLine, errorText } from '../lib/forms.js';
import { verifyChain, describeVerdict } from '../lib/chain.js';
import { tradesToCsv, parseReport } from '../lib/csv.js';
import { ledgersSection } from './regulator_ledgers.js';
import { deliveriesReport } from './regulator_deliveries.js';
import { tradeConsideration } from '../lib/rfq.js';

const MAX_MS = 9_223_372_036_853; // the largest ms the server accepts
const PAGE_FETCH = 1000;

export function regulatorView(root, { conn }) {
  let query = null; // the filters of the shown report
  let cursors = [null]; // cursor of each page shown so far
  let page = { trades: [], next_cursor: null };
  let broken = null; // trade_id of the first broken link, to mark its row
  let source = 'server';
  const status = statusLine();
  const verdict = h('p', { class: 'verdict', role: 'status', 'aria-live': 'polite' });
  const holder = h('div', { class: 'scroll' });
  const pager = h('div', { class: 'pager' });
  const year = new Date().getFullYear();

  const filters = opForm({
    legend: 'Trade report',
    cls: 'filters',
    fields: [
      { name: 'from', label: 'From (inclusive)', type: 'date', value: `${year}-01-01`, required: true },
      { name: 'to', label: 'To (exclusive)', type: 'date', value: isoDate(Date.now() + 86_400_000), required: true },
      { name: 'member', label: 'Member (optional)' },
      { name: 'instrument', label: 'Instrument (optional)' },
      { name: 'limit', label: 'Rows per page', type: 'int', value: 50, min: 1 },
    ],
    submit: 'Show trades',
    onSubmit: async (v) => {
      query = v;
      cursors = [null];
      source = 'server';
      broken = null;
      await showPage();
      return null;
    },
  });
  const exportBtn = h('button', { type: 'button', onclick: () => exportCsv() }, 'Export CSV (all pages)');
  const verifyBtn = h('button', { type: 'button', onclick: () => verifyLive() }, 'Verify the whole chain');
  const fileInput = h('input', { type: 'file', id: 'verify-file', accept: '.csv,.jsonl,.json,text/csv' });
  fileInput.addEventListener('change', () => verifyFile(fileInput.files[0]));
  const ledgers = ledgersSection(conn);
  const deliveries = deliveriesReport(conn);

  root.append(h('div', { class: 'regulator' },
    panel('trades-h', 'Trades', filters,
      h('div', { class: 'actions' }, exportBtn, verifyBtn,
        h('label', { for: 'verify-file', class: 'file' }, 'Verify a report file: ', fileInput)),
      status, verdict, pager, holder),
    deliveries.el,
    ledgers.el));

  function params(cursor, limit) {
    const p = { from: query.from, to: query.to, limit };
    if (query.member) p.member = query.member;
    if (query.instrument) p.instrument = query.instrument;
    if (cursor) p.cursor = cursor;
    return p;
  }

  async function showPage() {
    page = await conn.request('report.trades', params(cursors.at(-1), query.limit ?? 50));
    status.info(`${page.trades.length} trade(s) on page ${cursors.length}${page.next_cursor ? '; more follow' : ''}`);
    render();
  }

  async function allTrades(p0) {
    const out = [];
    let cursor = null;
    do {
      const r = await conn.request('report.trades', { ...p0, limit: PAGE_FETCH, ...(cursor ? { cursor } : {}) });
      out.push(...r.trades);
      cursor = r.next_cursor;
      status.info(`fetched ${out.length} trades…`);
    } while (cursor);
    return out;
  }

  function render() {
    const n = cursors.length;
    replace(pager, source === 'server'
      ? [h('button', { type: 'button', disabled: n <= 1, onclick: () => { cursors.pop(); showPage().catch((e) => status.error(e)); } }, 'Previous page'),
        h('span', {}, ` page ${n} `),
        h('button', { type: 'button', disabled: !page.next_cursor, onclick: () => { cursors.push(page.next_cursor); showPage().catch((e) => status.error(e)); } }, 'Next page')]
      : h('span', {}, `showing ${source}`));
    replace(holder, table(null, [
      { label: 'Trade', cell: (t) => t.trade_id, num: true },
      { label: 'Time', cell: (t) => time(t.ts) },
      { label: 'Instrument', cell: (t) => t.instrument },
      { label: 'Buyer', cell: (t) => t.buyer },
      { label: 'Seller', cell: (t) => t.seller },
      { label: 'Aggr.', cell: (t) => t.aggressor },
      { label: 'Venue', cell: (t) => t.venue ?? 'book' },
      { label: 'Paid in', cell: (t) => tradeConsideration(t) },
      { label: 'Price (CNY)', cell: (t) => cny(t.price), num: true },
      { label: 'Qty', cell: (t) => qty(t.qty), num: true },
      { label: 'Notional', cell: (t) => cny(t.notional), num: true },
      { label: 'Voucher', cell: (t) => (t.voucher_program ? `${t.voucher_program}: ${cny(t.voucher_offset)}` : '') },
      { label: 'Attestation', cell: (t) => t.attestation },
      { label: 'Hash', cell: (t) => h('code', { title: t.hash }, `${String(t.hash).slice(0, 10)}…`) },
    ], page.trades, {
      empty: query ? 'no trades match' : 'choose a range and press "Show trades"',
      rowAttrs: (t) => (String(t.trade_id) === String(broken) ? { class: 'broken', 'aria-label': 'first broken link' } : {}),
    }));
  }

  function showVerdict(v, what) {
    broken = v.ok ? null : v.trade_id;
    verdict.className = `verdict ${v.ok ? 'ok' : 'error'}`;
    replace(verdict, `${what}: ${describeVerdict(v)}`);
  }

  async function exportCsv() {
    if (!query) return status.error('choose a range and press "Show trades" first');
    try {
      const trades = await allTrades(params(null, PAGE_FETCH));
      const blob = new Blob([tradesToCsv(trades)], { type: 'text/csv' });
      const a = h('a', { href: URL.createObjectURL(blob), download: `corpex-trades-${isoDate(query.from)}-${isoDate(query.to)}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      status.ok(`exported ${trades.length} trades as CSV`);
    } catch (e) {
      status.error(e);
    }
  }

  async function verifyLive() {
    verifyBtn.disabled = true;
    try {
      const trades = await allTrades({ from: 0, to: MAX_MS });
      const v = await verifyChain(trades);
      status.info('');
      showVerdict(v, `server report (${trades.length} trades)`);
      render();
    } catch (e) {
      status.error(e);
    } finally {
      verifyBtn.disabled = false;
    }
  }

  async function verifyFile(file) {
    if (!file) return;
    try {
      const trades = parseReport(await file.text());
      const v = await verifyChain(trades);
      source = `file ${file.name} (${trades.length} trades)`;
      page = { trades, next_cursor: null };
      showVerdict(v, `file ${file.name}`);
      status.info('');
      render();
      holder.querySelector('tr.broken')?.scrollIntoView({ block: 'center' });
    } catch (e) {
      status.error(`cannot read ${file.name}: ${errorText(e)}`);
    } finally {
      fileInput.value = '';
    }
  }

  render();
  ledgers.load();
  deliveries.load();
  const off = conn.on('resync', () => { ledgers.load(); deliveries.load(); });
  return () => off();
}
