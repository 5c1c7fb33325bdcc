// Regulator: every trade's delivery and how long it took — opened with the
// trade, granted by the seller, confirmed by the buyer (or resolved by an
// operator) — filtered by state and member, paged.

import { h } from '../lib/dom.js';
import { duration } from '../lib/format.js';
import { deliveryTimes, lastStep, stepText } from '../lib/delivery.js';
import { deliveryList, whenCell, textCell } from './delivery_list.js';

export function deliveriesReport(conn) {
  const list = deliveryList(conn, {
    op: 'report.deliveries',
    id: 'rdeliv-h',
    title: 'Deliveries',
    hint: 'Times to grant and to confirm count from the trade; a re-grant after a dispute restarts "granted".',
    memberFilter: true,
    columns: [
      { label: 'Trade', cell: (d) => d.trade_id, num: true },
      { label: 'Instrument', cell: (d) => d.instrument },
      { label: 'Buyer', cell: (d) => d.buyer },
      { label: 'Seller', cell: (d) => d.seller },
      { label: 'State', cell: (d) => h('span', { class: `badge ${d.state}` }, d.state) },
      { label: 'Opened', cell: (d) => whenCell(d.opened_at) },
      { label: 'Granted', cell: (d) => whenCell(d.granted_at) },
      { label: 'Confirmed', cell: (d) => whenCell(d.confirmed_at) },
      { label: 'Time to grant', cell: (d) => duration(deliveryTimes(d).toGrant), num: true },
      { label: 'Time to confirm', num: true, cell: (d) => {
        const t = deliveryTimes(d);
        return t.toConfirm === null ? '' : h('span', { title: `${duration(t.grantToConfirm)} after the latest grant` }, duration(t.toConfirm));
      } },
      { label: 'Disputed', cell: (d) => whenCell(d.disputed_at) },
      { label: 'Resolved', cell: (d) => whenCell(d.resolved_at) },
      { label: 'Latest step', cell: (d) => textCell(lastStep(d) ? stepText(lastStep(d)) : '') },
    ],
  });
  return { el: list.el, load: list.load };
}
