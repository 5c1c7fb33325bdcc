// Member: the order ticket beside the live depth of its instrument, the
// member's own open orders (replace, cancel), its executions, its negotiated
// deals (RFQs and quotes), the deliveries its trades opened (grant, confirm,
// dispute) and its voucher usage against each program's cap.

import { h, replace, table, throttled } from '../lib/dom.js';
import { cny, qty, clock, time } from '../lib/format.js';
import { statusLine, errorText, actionButton } from '../lib/forms.js';
import { stackedBars, LEDGER_SEGMENTS, ledgerRow } from '../lib/svg.js';
import { bookPanel } from './book_panel.js';
import { orderTicket } from './order_ticket.js';
import { replaceDialog } from './replace_dialog.js';
import { deliveriesSection } from './deliveries.js';
import { rfqSection } from './rfqs.js';
import { termsText } from '../lib/rfq.js';

const EXEC_ROWS = 100;

export function memberView(root, { conn, session }) {
  let orders = [];
  let executions = [];
  let loadFailed = false;
  const seen = new Set();
  const ordersStatus = statusLine();
  const voucherStatus = statusLine();
  const ordersHolder = h('div', { class: 'scroll' });
  const execHolder = h('div', { class: 'scroll' });
  const voucherHolder = h('div');
  const book = bookPanel(conn, {
    onPick: (price, side) => ticket.pick(price, side),
    mine: () => new Set(orders.filter((o) => o.instrument === book.instrument).map((o) => `${o.side}:${o.price}`)),
  });
  const ticket = orderTicket(conn, {
    onPlaced: (r) => { addFills(r.fills, r); loadOrders(); loadVouchers(); },
    onInstrument: (s) => book.show(s),
  });
  const dialog = replaceDialog(conn, () => loadOrders());
  const deliveries = deliveriesSection(conn, session.user);
  const rfqs = rfqSection(conn, session.user, {
    onDeal: (r) => { addFills(r.fills.map((f) => ({ ...f, venue: 'negotiated', rfq_id: r.rfq_id, quote_id: r.quote_id, consideration: r.consideration })), { status: 'filled' }); loadVouchers(); },
  });

  root.append(h('div', { class: 'member' },
    h('div', { class: 'trade-row' }, h('section', { class: 'panel' }, ticket.form), book.el),
    h('section', { class: 'panel', 'aria-labelledby': 'open-h' },
      h('h2', { id: 'open-h' }, 'My open orders'), ordersStatus, ordersHolder),
    h('section', { class: 'panel', 'aria-labelledby': 'exec-h' },
      h('h2', { id: 'exec-h' }, 'My executions'),
      h('p', { class: 'hint' }, 'Fills and order ends reported to this session.'), execHolder),
    rfqs.el,
    deliveries.el,
    h('section', { class: 'panel', 'aria-labelledby': 'vouch-h' },
      h('h2', { id: 'vouch-h' }, 'Voucher usage'), voucherStatus, voucherHolder),
    dialog.el));

  const renderOrders = throttled(() => {
    replace(ordersHolder, table(null, [
      { label: 'Order', cell: (o) => o.order_id, num: true },
      { label: 'Client id', cell: (o) => o.client_order_id },
      { label: 'Instrument', cell: (o) => o.instrument },
      { label: 'Side', cell: (o) => h('span', { class: `side ${o.side}` }, o.side) },
      { label: 'Price (CNY)', cell: (o) => cny(o.price), num: true },
      { label: 'Open', cell: (o) => qty(o.open_qty), num: true },
      { label: 'Filled', cell: (o) => qty(o.filled_qty), num: true },
      { label: 'Min', cell: (o) => (o.min_qty ? qty(o.min_qty) : ''), num: true },
      { label: 'TIF', cell: (o) => o.tif + (o.expire_at ? ` ${time(o.expire_at)}` : '') },
      { label: 'Status', cell: (o) => o.status },
      { label: 'Actions', cell: (o) => h('span', { class: 'row-actions' },
        h('button', { type: 'button', onclick: () => dialog.open(o) }, 'Replace'),
        actionButton('Cancel', ordersStatus, async () => {
          const r = await conn.request('order.cancel', { order_id: o.order_id });
          loadOrders();
          return `order ${r.order_id} canceled (${qty(r.canceled_qty)} units)`;
        }, { 'aria-label': `Cancel order ${o.order_id}` })) },
    ], orders, { empty: 'no open orders' }));
    book.refresh();
  });

  const renderExecutions = throttled(() => replace(execHolder, table(null, [
    { label: 'Time', cell: (x) => clock(x.ts) },
    { label: 'Order', cell: (x) => x.order_id ?? (x.rfq_id ? `RFQ ${x.rfq_id}` : ''), num: true },
    { label: 'Instrument', cell: (x) => x.instrument },
    { label: 'Side', cell: (x) => h('span', { class: `side ${x.side}` }, x.side) },
    { label: 'Event', cell: (x) => (x.trade_id ? `fill #${x.trade_id} (${x.liquidity}${x.affiliated ? ', affiliated' : ''}` +
      `${x.venue === 'negotiated' ? ', negotiated' : ''})${x.consideration ? `, ${termsText(x)}` : ''}` : `${x.status}: ${x.reason}`) },
    { label: 'Price (CNY)', cell: (x) => cny(x.price), num: true },
    { label: 'Qty', cell: (x) => qty(x.trade_id ? x.qty : x.canceled_qty), num: true },
    { label: 'Notional', cell: (x) => (x.trade_id ? cny(x.notional) : ''), num: true },
    { label: 'Voucher offset', cell: (x) => (x.trade_id ? cny(x.voucher_offset) : ''), num: true },
    { label: 'Net cost', cell: (x) => (x.trade_id ? cny(x.net_cost) : ''), num: true },
    { label: 'Order after', cell: (x) => (x.venue === 'negotiated' ? `deal: quote ${x.quote_id} accepted` : x.status ? `${x.status}, open ${qty(x.open_qty)}` : '') },
  ], executions, { empty: 'no executions in this session yet' })));

  function addExecution(x) {
    const key = x.trade_id ? `f${x.trade_id}:${x.order_id}` : `d${x.order_id}:${x.status}`;
    if (seen.has(key)) return;
    seen.add(key);
    executions.unshift(x);
    if (executions.length > EXEC_ROWS) executions = executions.slice(0, EXEC_ROWS);
    renderExecutions();
  }

  function addFills(fills, order) {
    for (const f of [...fills].reverse()) addExecution({ ...f, status: order.status, open_qty: order.open_qty });
  }

  async function loadOrders() {
    try {
      ({ orders } = await conn.request('orders.open'));
      if (loadFailed) ordersStatus.info(''); // keep the message of an action, clear a stale load error
      loadFailed = false;
    } catch (e) {
      loadFailed = true;
      ordersStatus.error(e);
    }
    renderOrders();
  }

  async function loadVouchers() {
    try {
      const { programs } = await conn.request('voucher.usage');
      ticket.setVouchers(programs);
      rfqs.setVouchers(programs);
      voucherStatus.info(programs.length ? '' : 'not enrolled in any voucher program');
      replace(voucherHolder, programs.length ? stackedBars(programs.map((p) => ledgerRow(p.program, p, p.member_cap)),
        LEDGER_SEGMENTS, { title: 'Voucher usage against each program cap' }) : null,
      table(null, [
        { label: 'Program', cell: (p) => p.program },
        { label: 'Cap (CNY)', cell: (p) => cny(p.member_cap), num: true },
        { label: 'Reserved', cell: (p) => cny(p.reserved), num: true },
        { label: 'Approved', cell: (p) => cny(p.approved), num: true },
        { label: 'Paid', cell: (p) => cny(p.paid), num: true },
        { label: 'Rejected', cell: (p) => cny(p.rejected), num: true },
        { label: 'Left', cell: (p) => cny(p.left), num: true },
        { label: 'Used', cell: (p) => h('meter', { min: 0, max: p.member_cap || 1, value: p.reserved, title: `${cny(p.reserved)} of ${cny(p.member_cap)}` }) },
      ], programs, { empty: 'no programs' }));
    } catch (e) {
      voucherStatus.error(e);
    }
  }

  async function loadAll() {
    try {
      const [{ instruments }, { attestations }] = await Promise.all([
        conn.request('instruments.list'), conn.request('attestations.list')]);
      ticket.setInstruments(instruments);
      ticket.setAttestations(attestations);
      rfqs.setInstruments(instruments);
      rfqs.setAttestations(attestations);
      book.show(ticket.instrument);
    } catch (e) {
      ordersStatus.error(e);
    }
    loadOrders();
    loadVouchers();
    deliveries.load();
    rfqs.load();
  }

  const reloadOrders = throttled(loadOrders);
  const offs = [
    conn.on('execution', (x) => {
      addExecution(x);
      reloadOrders();
      if (x.voucher_offset) loadVouchers();
      if (x.trade_id) deliveries.onTrade(); // each trade opens a delivery
      if (x.venue === 'negotiated') rfqs.onDeal();
    }),
    conn.on('delivery', (ev) => deliveries.onEvent(ev)),
    conn.on('rfq', (ev) => rfqs.onRfq(ev.rfq)),
    conn.on('quote', (ev) => rfqs.onQuote(ev.quote)),
    conn.on('resync', loadAll),
  ];
  conn.subscribe('executions').catch((e) => ordersStatus.error(errorText(e)));
  renderExecutions();
  loadAll();

  return () => {
    offs.forEach((off) => off());
    conn.unsubscribe('executions');
    book.destroy();
  };
}
