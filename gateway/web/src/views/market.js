// Market: every instrument with its last price and volume, the live depth of
// the one chosen, and the trades tape. Open to every logged-in role.

import { h, replace, table, throttled } from '../lib/dom.js';
import { cny, qty, clock } from '../lib/format.js';
import { statusLine } from '../lib/forms.js';
import { bookPanel } from './book_panel.js';

const TAPE_ROWS = 60;
const REFRESH_MS = 10_000;

export function marketView(root, { conn }) {
  const status = statusLine();
  const instHolder = h('div', { class: 'scroll' });
  const tapeHolder = h('div', { class: 'scroll tape' });
  const book = bookPanel(conn);
  let instruments = [];
  let tape = [];
  const subscribed = new Set();

  root.append(h('div', { class: 'market' },
    h('section', { class: 'panel instruments', 'aria-labelledby': 'inst-h' },
      h('h2', { id: 'inst-h' }, 'Instruments'), status, instHolder,
      h('p', { class: 'footnote' }, 'Last price, volume and trades count since the exchange last started; choose an instrument for its depth.')),
    book.el,
    h('section', { class: 'panel', 'aria-labelledby': 'tape-h' },
      h('h2', { id: 'tape-h' }, 'Trades tape'), tapeHolder)));

  const renderInstruments = throttled(() => replace(instHolder, table(null, [
    { label: 'Instrument', cell: (i) => h('button', { type: 'button', class: 'link', 'aria-pressed': String(i.symbol === book.instrument), onclick: () => { book.show(i.symbol); renderInstruments(); } }, i.symbol) },
    { label: 'Domain', cell: (i) => i.domain },
    { label: 'Lang', cell: (i) => i.language },
    { label: 'Modality', cell: (i) => i.modality },
    { label: 'Licence', cell: (i) => `${i.licence} ${i.term_months}m` },
    { label: 'Tier', cell: (i) => i.tier, num: true },
    { label: 'Unit', cell: (i) => i.unit },
    { label: 'Tick', cell: (i) => cny(i.tick), num: true },
    { label: 'Lot', cell: (i) => qty(i.lot), num: true },
    { label: 'Status', cell: (i) => h('span', { class: `badge ${i.status}` }, i.status) },
    { label: 'Last (CNY)', cell: (i) => (i.last_price ? cny(i.last_price) : '—'), num: true },
    { label: 'Volume', cell: (i) => qty(i.volume), num: true },
    { label: 'Trades', cell: (i) => qty(i.trades), num: true },
  ], instruments, { empty: 'no instruments listed yet', rowAttrs: (i) => ({ 'data-symbol': i.symbol, class: i.symbol === book.instrument ? 'selected' : null }) })));

  const renderTape = throttled(() => replace(tapeHolder, table(null, [
    { label: 'Time', cell: (t) => clock(t.ts) },
    { label: 'Instrument', cell: (t) => t.instrument },
    { label: 'Price (CNY)', cell: (t) => cny(t.price), num: true },
    { label: 'Qty', cell: (t) => qty(t.qty), num: true },
    { label: 'Aggressor', cell: (t) => h('span', { class: `side ${t.aggressor}` }, t.aggressor) },
    { label: 'Trade', cell: (t) => t.trade_id, num: true },
  ], tape, { empty: 'no trades yet' })));

  async function load() {
    try {
      ({ instruments } = await conn.request('instruments.list'));
      status.info('');
    } catch (e) {
      status.error(e);
      return;
    }
    renderInstruments();
    if (!tape.length) {
      // The tape starts with the exchange's latest trades, not empty.
      try {
        const { trades } = await conn.request('trades.recent', { limit: TAPE_ROWS });
        const live = new Set(tape.map((t) => t.trade_id));
        tape = [...tape, ...trades.filter((t) => !live.has(t.trade_id))].slice(0, TAPE_ROWS);
        renderTape();
      } catch (e) {
        status.error(e);
      }
    }
    for (const i of instruments) {
      if (subscribed.has(i.symbol)) continue;
      subscribed.add(i.symbol);
      conn.subscribe('trades', i.symbol).catch((e) => status.error(e));
    }
    if (!book.instrument && instruments.length) {
      const busiest = [...instruments].sort((a, b) => b.trades - a.trades)[0];
      book.show(busiest.symbol);
      renderInstruments();
    }
  }

  const offs = [
    conn.on('trade', (t) => {
      tape.unshift(t);
      if (tape.length > TAPE_ROWS) tape = tape.slice(0, TAPE_ROWS);
      const i = instruments.find((x) => x.symbol === t.instrument);
      if (i) Object.assign(i, { last_price: t.price, last_qty: t.qty, volume: i.volume + t.qty, trades: i.trades + 1 });
      renderTape();
      renderInstruments();
    }),
    conn.on('resync', load),
  ];
  const timer = setInterval(() => { if (conn.state === 'open') load(); }, REFRESH_MS);
  renderTape();
  load();

  return () => {
    offs.forEach((off) => off());
    clearInterval(timer);
    for (const s of subscribed) conn.unsubscribe('trades', s);
    book.destroy();
  };
}
