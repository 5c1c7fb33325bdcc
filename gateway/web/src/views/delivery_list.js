// A titled, paged list of deliveries — a member's own (`deliveries`) or any
// member's (`report.deliveries`): a state filter (and a member one for
// reports), previous/next pages over next_cursor, the caller's columns.
// load() shows the current page again; a stale answer never overwrites a
// newer one.

import { h, replace, table, panel, throttled } from '../lib/dom.js';
import { time } from '../lib/format.js';
import { field, readFields, statusLine } from '../lib/forms.js';
import { DELIVERY_STATES, applyEvent, accessText } from '../lib/delivery.js';
import { latestLoader } from '../lib/latest.js';

const PAGE = 50;

/** Cells that wrap only when the table is short of room: a time, a line of text, a grant's access. */
export const whenCell = (ms) => {
  const [day, clock] = time(ms).split(' ');
  return ms ? h('span', { class: 'when' }, h('span', {}, day), ' ', h('span', {}, clock)) : '';
};
export const textCell = (text) => (text ? h('span', { class: 'wrap' }, text) : '');
export const accessCell = (step) => textCell(accessText(step));

/** What an operator's and a regulator's lists open with: the trade, its parties, its state, when it opened and was granted. */
export const PARTY_COLUMNS = [
  { label: 'Trade', cell: (d) => d.trade_id, num: true },
  { label: 'Instrument', cell: (d) => d.instrument },
  { label: 'Buyer', cell: (d) => d.buyer },
  { label: 'Seller', cell: (d) => d.seller },
  { label: 'State', cell: (d) => h('span', { class: `badge ${d.state}` }, d.state) },
  { label: 'Opened', cell: (d) => whenCell(d.opened_at) },
  { label: 'Granted', cell: (d) => whenCell(d.granted_at) },
];

export function deliveryList(conn, { op, id, title, hint, state = '', memberFilter = false, columns, empty }) {
  const fields = [
    { name: 'state', label: 'Delivery state', type: 'select', options: [['', 'any'], ...DELIVERY_STATES], value: state },
    memberFilter ? { name: 'member', label: 'Buyer or seller (optional)' } : null,
    { name: 'limit', label: 'Deliveries per page', type: 'int', value: PAGE, min: 1 },
  ].filter(Boolean);
  let query = { limit: PAGE, ...(state ? { state } : {}) };
  let cursors = [null]; // the cursor of each page shown so far
  let page = { deliveries: [], next_cursor: null };
  let loaded = false;
  const status = statusLine();
  const pager = h('div', { class: 'pager' });
  const holder = h('div', { class: 'scroll' });
  const filters = h('form', { class: 'op inline', novalidate: true, 'aria-label': `${title}: filter` },
    fields.map(field), h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show deliveries')));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    try {
      query = readFields(filters, fields);
    } catch (e) {
      status.error(e);
      return;
    }
    if (!query.state) delete query.state;
    cursors = [null];
    status.info('');
    load();
  });
  const el = panel(id, title, hint ? h('p', { class: 'hint' }, hint) : null, filters, status, pager, holder);

  function render() {
    const n = cursors.length;
    const count = page.deliveries.length;
    replace(pager,
      h('button', { type: 'button', disabled: n <= 1, onclick: () => { cursors.pop(); load(); } }, 'Previous deliveries'),
      h('span', {}, ` page ${n}: ${count} deliver${count === 1 ? 'y' : 'ies'}${page.next_cursor ? ', more follow' : ''} `),
      h('button', { type: 'button', disabled: !page.next_cursor, onclick: () => { cursors.push(page.next_cursor); load(); } }, 'Next deliveries'));
    replace(holder, table(null, columns, page.deliveries, {
      empty: loaded ? (empty ?? 'no deliveries match') : 'loading…',
      rowAttrs: (d) => ({ 'data-trade': d.trade_id, 'data-state': d.state }),
    }));
  }

  const load = latestLoader({
    fetch: () => conn.request(op, { ...query, ...(cursors.at(-1) ? { cursor: cursors.at(-1) } : {}) }),
    status,
    take: (r) => { page = r; loaded = true; },
    render,
  });

  render();
  return {
    el,
    status,
    load,
    /** At most one load per animation frame, for bursts of events. */
    reload: throttled(load),
    /** Shows an event's step on the row at once, before the next load. */
    apply(ev) {
      page = { ...page, deliveries: applyEvent(page.deliveries, ev) };
      render();
    },
  };
}
