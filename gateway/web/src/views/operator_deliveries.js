// Operator: deliveries in dispute (any state through the filter, e.g. the
// pending ones a seller has not granted), each resolved confirmed or failed
// with a recorded note after reading its steps.

import { h } from '../lib/dom.js';
import { time } from '../lib/format.js';
import { formDialog } from '../lib/dialog.js';
import { canResolve, lastStep, stepText, accessText } from '../lib/delivery.js';
import { deliveryList, whenCell, textCell, PARTY_COLUMNS } from './delivery_list.js';

export function disputesSection(conn) {
  const list = deliveryList(conn, {
    op: 'report.deliveries',
    id: 'disputes-h',
    title: 'Disputes',
    hint: 'Deliveries the buyer disputed; choose another state to see, for instance, the pending ones not granted yet.',
    state: 'disputed',
    memberFilter: true,
    columns: [
      ...PARTY_COLUMNS,
      { label: 'Disputed', cell: (d) => whenCell(d.disputed_at) },
      { label: 'Latest step', cell: (d) => textCell(lastStep(d) ? stepText(lastStep(d)) : '') },
      { label: 'Resolve', cell: (d) => (canResolve(d)
        ? h('button', { type: 'button', 'aria-label': `Resolve delivery of trade ${d.trade_id}`, onclick: () => openResolve(d) }, 'Resolve…')
        : '') },
    ],
  });

  const resolve = formDialog({
    id: 'resolve-h',
    title: 'Resolve a delivery',
    hint: 'Confirmed lets a delivery-gated voucher claim be paid; failed closes the delivery for good.',
    fields: [{ name: 'note', label: 'Note (recorded, optional)', placeholder: 'sandbox logs show the files were served' }],
    actions: ['confirmed', 'failed'].map((outcome) => ({
      label: `Resolve ${outcome}`,
      cls: outcome === 'failed' ? 'danger' : null,
      run: async (v, d) => {
        const r = await conn.request('delivery.resolve', { trade_id: d.trade_id, outcome, ...(v.note ? { note: v.note } : {}) });
        list.status.ok(`delivery of trade ${r.trade_id} resolved: ${r.state}`);
        list.load();
      },
    })),
  });
  list.el.append(resolve.el);

  function openResolve(d) {
    resolve.open(d, {
      title: `Resolve the delivery of trade ${d.trade_id}`,
      detail: h('div', {},
        h('p', { class: 'about' }, `${d.instrument}: ${d.buyer} bought from ${d.seller} on ${time(d.opened_at)}; ` +
          `attestation ${d.attestation}; now ${d.state}`),
        d.steps?.length
          ? h('ol', { class: 'steps', 'aria-label': 'Steps so far' }, d.steps.map((s) => h('li', {},
            `${time(s.ts)} ${stepText(s)}`, s.state === 'granted' ? ` (${accessText(s)})` : '')))
          : h('p', { class: 'hint' }, 'no steps yet: the seller has not granted access')),
    });
  }

  return { el: list.el, load: list.load };
}
