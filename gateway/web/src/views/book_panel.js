// The live depth view of one instrument: bid and ask ladders plus the depth
// chart, kept from the `book` channel. On a seq gap it resubscribes for a
// fresh snapshot; after a reconnect Conn resubscribes and a snapshot follows.

import { h, replace, throttled } from '../lib/dom.js';
import { BookState } from '../lib/book.js';
import { cny, qty } from '../lib/format.js';
import { depthChart } from '../lib/svg.js';
import { errorText } from '../lib/forms.js';

let panels = 0;

/**
 * opts.onPick(price, side): clicking a level's price (e.g. to fill a ticket).
 * opts.mine(): a Set of "buy:price" / "sell:price" the viewer rests at.
 */
export function bookPanel(conn, { onPick, mine, levels = 12 } = {}) {
  const id = `book-${++panels}`;
  let book = null;
  let gaps = 0;
  const title = h('h2', { id }, 'Depth');
  const meta = h('p', { class: 'book-meta', role: 'status', 'aria-live': 'polite' }, 'choose an instrument');
  const ladders = h('div', { class: 'ladders' });
  const chart = h('figure', { class: 'chart' });
  const el = h('section', { class: 'book panel', 'aria-labelledby': id }, title, meta, ladders, chart);

  const ladder = (side, rows) => {
    const max = Math.max(1, ...rows.map((r) => r.qty));
    const marks = mine?.() ?? new Set();
    const priceCell = (r) => onPick
      ? h('button', { type: 'button', class: 'link', title: `use ${cny(r.price)} in the ticket`, onclick: () => onPick(r.price, side) }, cny(r.price))
      : cny(r.price);
    return h('table', { class: `ladder ${side}` },
      h('caption', {}, side === 'buy' ? 'Bids' : 'Asks'),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, 'Price (CNY)'),
        h('th', { scope: 'col', class: 'num' }, 'Qty'), h('th', { scope: 'col', class: 'num' }, 'Orders'))),
      h('tbody', {}, rows.length === 0
        ? h('tr', {}, h('td', { colspan: 3, class: 'empty' }, side === 'buy' ? 'no bids' : 'no asks'))
        : rows.map((r) => h('tr', { style: `--w:${((r.qty / max) * 100).toFixed(1)}%`, class: marks.has(`${side}:${r.price}`) ? 'mine' : null },
          h('td', { class: 'num price' }, priceCell(r), marks.has(`${side}:${r.price}`) ? h('span', { class: 'tag' }, ' yours') : null),
          h('td', { class: 'num' }, qty(r.qty)),
          h('td', { class: 'num', title: r.orders === null ? 'changed since the snapshot: updates carry quantity only' : null }, r.orders ?? '–')))));
  };

  const render = throttled(() => {
    if (!book) return;
    const bids = book.levels('buy');
    const asks = book.levels('sell');
    title.textContent = `Depth — ${book.instrument}`;
    if (!book.stale) {
      const spread = bids.length && asks.length ? `, spread ${cny(asks[0].price - bids[0].price)}` : '';
      meta.textContent = `live, seq ${book.seq}${spread}${gaps ? ` (resynced ${gaps}× after a gap)` : ''}`;
    }
    replace(ladders, ladder('buy', bids.slice(0, levels)), ladder('sell', asks.slice(0, levels)),
      [...bids, ...asks].some((l) => l.orders === null)
        ? h('p', { class: 'footnote' }, 'Orders: counted at the last snapshot; – marks a level changed since (updates carry quantity only).')
        : null);
    replace(chart, depthChart(bids, asks), h('figcaption', {}, 'Cumulative quantity by price: bids left, asks right'));
  });

  const off = conn.on('book', (ev) => {
    if (!book || ev.instrument !== book.instrument) return;
    const r = book.apply(ev);
    if (r === 'gap') {
      gaps++;
      meta.textContent = `seq gap after ${book.seq}: resyncing…`;
      conn.resubscribe('book', book.instrument).catch((e) => { meta.textContent = errorText(e); });
    }
    render();
  });

  async function show(symbol) {
    if (!symbol || book?.instrument === symbol) return;
    if (book) conn.unsubscribe('book', book.instrument);
    book = new BookState(symbol);
    gaps = 0;
    title.textContent = `Depth — ${symbol}`;
    meta.textContent = 'waiting for the snapshot…';
    replace(ladders);
    replace(chart);
    try {
      await conn.subscribe('book', symbol);
    } catch (e) {
      meta.textContent = errorText(e);
    }
  }

  function destroy() {
    off();
    if (book) conn.unsubscribe('book', book.instrument);
  }

  return { el, show, destroy, refresh: render, get instrument() { return book?.instrument ?? null; } };
}
