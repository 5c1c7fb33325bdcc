// A modal dialog for order.replace: a new open quantity and/or a new price.
// Lowering qty keeps time priority; a new price or more qty loses it.

import { h } from '../lib/dom.js';
import { cny } from '../lib/format.js';
import { field, readFields, statusLine } from '../lib/forms.js';

const FIELDS = [
  { name: 'qty', label: 'New open quantity', type: 'int', min: 1 },
  { name: 'price', label: 'New price (CNY)', type: 'cny' },
];

export function replaceDialog(conn, onDone) {
  const status = statusLine();
  const title = h('h2', { id: 'replace-h' }, 'Replace order');
  const form = h('form', { method: 'dialog', novalidate: true },
    title,
    h('p', { class: 'hint' }, 'Lowering the quantity keeps time priority; a new price or a larger quantity loses it.'),
    FIELDS.map(field),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', value: 'replace' }, 'Replace'),
      h('button', { type: 'button', onclick: () => el.close() }, 'Close')),
    status);
  const el = h('dialog', { 'aria-labelledby': 'replace-h' }, form);
  let order = null;

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let v;
    try {
      v = readFields(form, FIELDS);
      if (v.qty === order.open_qty) delete v.qty; // send only what changes
      if (v.price === order.price) delete v.price;
      if (v.qty === undefined && v.price === undefined) throw new Error('nothing changed: give a new quantity and/or a new price');
    } catch (e) {
      return status.error(e);
    }
    try {
      const r = await conn.request('order.replace', { order_id: order.order_id, ...v });
      status.ok(`order ${r.order_id} ${r.status}: open ${r.open_qty} at ${cny(r.price)}`);
      onDone(r);
    } catch (e) {
      status.error(e);
    }
  });

  return {
    el,
    open(o) {
      order = o;
      title.textContent = `Replace order ${o.order_id} (${o.side} ${o.instrument})`;
      form.elements.qty.value = o.open_qty;
      form.elements.price.value = cny(o.price).replaceAll(',', '');
      status.info('');
      el.showModal();
    },
  };
}
