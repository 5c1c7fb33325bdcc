// Member: the sandbox delivery every trade opens. The seller grants access to
// the attested dataset (again after a dispute); the buyer confirms it, or
// disputes it with a reason, and may confirm a disputed one to withdraw the
// dispute. Each step reaches both parties as a `delivery` event.

import { h } from '../lib/dom.js';
import { time, localInput } from '../lib/format.js';
import { actionButton } from '../lib/forms.js';
import { formDialog } from '../lib/dialog.js';
import {
  sideOf, memberActions, defaultWindow, grantParams, lastGrant, lastStep, stepText, eventText,
} from '../lib/delivery.js';
import { deliveryList, whenCell, textCell, accessCell } from './delivery_list.js';

const GRANT_FIELDS = [
  { name: 'access_ref', label: 'Access reference', required: true, placeholder: 'sandbox://zsu1/meddialog/lab-42',
    hint: 'where the buyer reaches the data; at most 128 bytes' },
  { name: 'dataset', label: 'Dataset manifest SHA-256 (hex)', required: true, hint: "the trade's attested dataset, 64 hex digits" },
  { name: 'access_from', label: 'Access from', type: 'datetime', required: true },
  { name: 'access_until', label: 'Access until', type: 'datetime', required: true },
];
const DISPUTE_FIELDS = [
  { name: 'reason', label: 'Reason for the dispute', required: true, placeholder: 'manifest hash does not match the files served' },
];

/** me: the logged-in member id. */
export function deliveriesSection(conn, me) {
  let attestations = null; // attestations.list, fetched when a grant needs it
  const list = deliveryList(conn, {
    op: 'deliveries',
    id: 'deliv-h',
    title: 'Deliveries',
    hint: 'Every trade opens a sandbox delivery: the seller grants access to the attested dataset, ' +
      'the buyer confirms it or disputes it, an operator resolves what stays disputed.',
    empty: 'no deliveries: every trade opens one',
    columns: [
      { label: 'Trade', cell: (d) => d.trade_id, num: true },
      { label: 'Instrument', cell: (d) => d.instrument },
      { label: 'My side', cell: (d) => sideOf(d, me).side },
      { label: 'Counterparty', cell: (d) => sideOf(d, me).other },
      { label: 'State', cell: (d) => h('span', { class: `badge ${d.state}` }, d.state) },
      { label: 'Opened', cell: (d) => whenCell(d.opened_at) },
      { label: 'Granted', cell: (d) => whenCell(d.granted_at) },
      { label: 'Confirmed', cell: (d) => whenCell(d.confirmed_at) },
      { label: 'Access', cell: (d) => accessCell(lastGrant(d)) },
      { label: 'Latest step', cell: (d) => textCell(lastStep(d) ? stepText(lastStep(d)) : '') },
      { label: 'Actions', cell: (d) => h('span', { class: 'row-actions' }, memberActions(d, me).map((a) => rowAction(a, d))) },
    ],
  });

  const grant = formDialog({
    id: 'grant-h',
    title: 'Grant access',
    hint: 'The dataset must be the one the trade\'s attestation covers; the window must end in the future.',
    fields: GRANT_FIELDS,
    actions: [{
      label: 'Grant',
      run: async (v, d) => {
        const p = grantParams(d.trade_id, v);
        const r = await conn.request('delivery.grant', p);
        list.status.ok(`delivery of trade ${r.trade_id} ${r.state}: ${p.access_ref} until ${time(p.access_until)}`);
        list.load();
      },
    }],
  });
  const dispute = formDialog({
    id: 'dispute-h',
    title: 'Dispute the delivery',
    hint: 'The seller may grant again; an operator resolves a dispute that stays open.',
    fields: DISPUTE_FIELDS,
    actions: [{
      label: 'Dispute',
      cls: 'danger',
      run: async (v, d) => {
        const r = await conn.request('delivery.dispute', { trade_id: d.trade_id, reason: v.reason });
        list.status.ok(`delivery of trade ${r.trade_id} ${r.state}: ${v.reason}`);
        list.load();
      },
    }],
  });
  list.el.append(grant.el, dispute.el);

  function rowAction(action, d) {
    if (action === 'grant')
      return h('button', { type: 'button', 'aria-label': `Grant delivery of trade ${d.trade_id}`, onclick: () => openGrant(d) }, 'Grant');
    if (action === 'dispute')
      return h('button', { type: 'button', class: 'danger', 'aria-label': `Dispute delivery of trade ${d.trade_id}`,
        onclick: () => dispute.open(d, { title: `Dispute the delivery of trade ${d.trade_id}`, detail: about(d) }) }, 'Dispute');
    return actionButton('Confirm', list.status, async () => {
      const r = await conn.request('delivery.confirm', { trade_id: d.trade_id });
      list.load();
      return `delivery of trade ${r.trade_id} ${r.state}${d.state === 'disputed' ? ' (dispute withdrawn)' : ''}`;
    }, { 'aria-label': `Confirm delivery of trade ${d.trade_id}` });
  }

  async function datasetOf(d) {
    if (d.dataset) return d.dataset;
    try {
      attestations ??= (await conn.request('attestations.list')).attestations;
    } catch {
      return ''; // typed in by hand then
    }
    return attestations.find((a) => a.attestation === d.attestation)?.dataset ?? '';
  }

  async function openGrant(d) {
    const w = defaultWindow();
    grant.open(d, {
      title: `Grant access for trade ${d.trade_id}`,
      detail: about(d),
      values: {
        access_ref: lastGrant(d)?.access_ref ?? '',
        dataset: await datasetOf(d),
        access_from: localInput(w.access_from),
        access_until: localInput(w.access_until),
      },
    });
  }

  function about(d) {
    const step = lastStep(d);
    return h('p', { class: 'about' }, `${d.instrument}, bought by ${d.buyer} from ${d.seller} on ${time(d.opened_at)}; ` +
      `attestation ${d.attestation}`, step ? h('br') : null, step ? `latest: ${stepText(step)}` : null);
  }

  return {
    el: list.el,
    load: list.load,
    /** A `delivery` event: shown on its row at once, then the page is read again. */
    onEvent(ev) {
      list.apply(ev);
      if (ev.by !== me) list.status.info(eventText(ev));
      list.reload();
    },
    /** A new trade opens a delivery. */
    onTrade: list.reload,
  };
}
