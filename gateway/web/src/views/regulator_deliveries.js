// Regulator: every trade's delivery and how long it took — opened with the
// trade, granted by the seller, confirmed by the buyer (or resolved by an
// operator) — filtered by state and member, paged.

import { h } from '../lib/dom.js';
import { duration } from '../lib/format.js';
import { deliveryTimes, lastStep, stepText } from '../lib/delivery.js';
import { deliveryList, whenCell, textCell, PARTY_COLUMNS } from './delivery_list.js';

export function deliveriesReport(conn) {
  const list = deliveryList(conn, {
    op: 'report.deliveries',
    id: 'rdeliv-h',
    title: 'Deliveries',
    hint: 'Times to grant and to confirm count from the trade; a re-grant after a dispute restarts "granted".',
    memberFilter: true,
    columns: [
      ...PARTY_COLUMNS,
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
