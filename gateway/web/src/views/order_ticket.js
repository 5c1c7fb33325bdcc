// The order ticket: every order.new field of SPEC §5 — instrument, side, qty,
// price, tif (+ expire_at for GTD), min_qty, attestation (sells), voucher
// (buys) and client_order_id. Prices are typed in CNY and sent as integer fen.

import { h } from '../lib/dom.js';
import { cny, qty } from '../lib/format.js';
import { field, readFields, statusLine } from '../lib/forms.js';

let seq = 0;
const newClientId = () => `web-${Date.now().toString(36)}-${++seq}`;

const FIELDS = [
  { name: 'instrument', label: 'Instrument', type: 'select', required: true },
  { name: 'side', label: 'Side', type: 'select', options: [['buy', 'Buy'], ['sell', 'Sell']], required: true },
  { name: 'qty', label: 'Quantity (units)', type: 'int', required: true, min: 1 },
  { name: 'price', label: 'Price (CNY per unit)', type: 'cny', required: true },
  { name: 'tif', label: 'Time in force', type: 'select', options: [['GTC', 'GTC — good till cancelled'], ['GTD', 'GTD — good till date'], ['IOC', 'IOC — immediate or cancel'], ['FOK', 'FOK — fill or kill']] },
  { name: 'expire_at', label: 'Expires at (GTD)', type: 'datetime' },
  { name: 'min_qty', label: 'Minimum fill (units, optional)', type: 'int', min: 1 },
  { name: 'attestation', label: 'Attestation (sell)', type: 'select' },
  { name: 'voucher', label: 'Voucher program (buy, optional)', type: 'select' },
  { name: 'client_order_id', label: 'Client order id', type: 'text', required: true },
];

/** onPlaced(result) after a successful order.new; onInstrument(symbol) on change. */
export function orderTicket(conn, { onPlaced, onInstrument }) {
  const status = statusLine();
  const byName = Object.fromEntries(FIELDS.map((f) => [f.name, field(f)]));
  const form = h('form', { class: 'op ticket', novalidate: true, 'aria-labelledby': 'ticket-h' },
    h('h2', { id: 'ticket-h' }, 'Place an order'),
    h('fieldset', {}, h('legend', { class: 'sr-only' }, 'Order'), Object.values(byName),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Place order'))),
    status);
  const el = (name) => form.elements[name];
  let instruments = [];
  el('client_order_id').value = newClientId();

  function sync() {
    const side = el('side').value;
    const gtd = el('tif').value === 'GTD';
    byName.attestation.hidden = side !== 'sell';
    el('attestation').disabled = side !== 'sell';
    byName.voucher.hidden = side !== 'buy';
    el('voucher').disabled = side !== 'buy';
    byName.expire_at.hidden = !gtd;
    el('expire_at').disabled = !gtd;
    const inst = instruments.find((i) => i.symbol === el('instrument').value);
    byName.qty.querySelector('small')?.remove();
    byName.price.querySelector('small')?.remove();
    if (inst) {
      byName.qty.append(h('small', {}, `lot ${qty(inst.lot)} ${inst.unit}`));
      byName.price.append(h('small', {}, `tick ${cny(inst.tick)} CNY`));
      el('qty').step = inst.lot;
    }
  }
  el('side').addEventListener('change', sync);
  el('tif').addEventListener('change', sync);
  el('instrument').addEventListener('change', () => { sync(); onInstrument(el('instrument').value); });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let v;
    try {
      v = readFields(form, FIELDS);
      if (v.tif === 'GTD' && !v.expire_at) throw new Error('a GTD order needs "Expires at"');
    } catch (e) {
      return status.error(e);
    }
    if (!v.attestation) delete v.attestation;
    if (!v.voucher) delete v.voucher;
    status.info('sending…');
    try {
      const r = await conn.request('order.new', v);
      const fills = r.fills.length ? `; ${r.fills.length} fill(s) at ${r.fills.map((f) => cny(f.price)).join(', ')}` : '';
      const why = r.reason ? ` (${r.reason})` : '';
      status.ok(`order ${r.order_id} ${r.status}${why}: filled ${qty(r.filled_qty)}, open ${qty(r.open_qty)}${fills}`);
      el('client_order_id').value = newClientId();
      onPlaced(r);
    } catch (e) {
      status.error(e);
    }
  });

  const options = (select, list, none) => {
    const keep = select.value;
    select.replaceChildren(...(none ? [h('option', { value: '' }, none)] : []),
      ...list.map(([value, label]) => h('option', { value }, label)));
    if (list.some(([value]) => value === keep)) select.value = keep;
  };

  return {
    form,
    setInstruments(list) {
      instruments = list;
      options(el('instrument'), list.map((i) => [i.symbol, `${i.symbol}${i.status === 'halted' ? ' (halted)' : ''}`]));
      sync();
    },
    setAttestations(list) {
      options(el('attestation'), list.filter((a) => a.status === 'valid').map((a) => [a.attestation, `${a.attestation} (${a.licences.join('/')}, tier ${a.tier})`]), '— none —');
    },
    setVouchers(list) {
      options(el('voucher'), list.map((p) => [p.program, `${p.program} (${cny(p.left)} CNY left)`]), '— no voucher —');
    },
    /** Fills the price (and the opposite side) from a click on the depth view. */
    pick(price, bookSide) {
      const inst = instruments.find((i) => i.symbol === el('instrument').value);
      el('price').value = cny(price).replaceAll(',', '');
      el('side').value = bookSide === 'buy' ? 'sell' : 'buy';
      if (inst && !el('qty').value) el('qty').value = inst.lot;
      sync();
      el('qty').focus();
    },
    get instrument() { return el('instrument').value; },
  };
}
