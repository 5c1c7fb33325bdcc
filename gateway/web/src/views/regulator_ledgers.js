// Regulator: one voucher program's ledger — the budget used, and each
// member's paid, approved and unsettled claims against the member cap.

import { h, replace, table, panel } from '../lib/dom.js';
import { cny } from '../lib/format.js';
import { statusLine, field } from '../lib/forms.js';
import { stackedBars, LEDGER_SEGMENTS, ledgerRow } from '../lib/svg.js';

export function ledgersSection(conn) {
  const status = statusLine();
  const holder = h('div');
  const form = h('form', { class: 'op inline', novalidate: true, 'aria-label': 'Voucher program' });
  form.addEventListener('submit', (ev) => { ev.preventDefault(); show(form.elements.program.value); });
  const el = panel('ledger-h', 'Voucher ledgers', form, status, holder);

  async function show(program) {
    if (!program) return;
    try {
      const r = await conn.request('report.vouchers', { program });
      const used = r.budget - r.budget_left;
      status.info(`${program}: ${r.rate_bps / 100} % of the contract, cap ${cny(r.member_cap)} CNY per member, ` +
        `budget ${cny(r.budget)} CNY, ${cny(used)} CNY committed, ${cny(r.budget_left)} left`);
      replace(holder,
        h('figure', { class: 'chart' },
          stackedBars([{ label: 'program budget', total: r.budget, values: { pending: used } }],
            [{ key: 'pending', label: 'committed', cls: 'seg-pending' }], { title: `${program} budget committed` }),
          h('figcaption', {}, 'Budget committed (claims not rejected) against the whole budget')),
        h('figure', { class: 'chart' },
          r.members.length ? stackedBars(r.members.map((m) => ledgerRow(m.member, m, r.member_cap)), LEDGER_SEGMENTS,
            { title: `${program}: each member's claims against the cap` }) : h('p', {}, 'no claims yet'),
          h('figcaption', {}, 'Each bar is one member\'s cap: paid, approved and unsettled claims')),
        table(null, [
          { label: 'Member', cell: (m) => m.member },
          { label: 'Reserved', cell: (m) => cny(m.reserved), num: true },
          { label: 'Approved', cell: (m) => cny(m.approved), num: true },
          { label: 'Paid', cell: (m) => cny(m.paid), num: true },
          { label: 'Rejected', cell: (m) => cny(m.rejected), num: true },
          { label: 'Left of cap', cell: (m) => cny(m.left), num: true },
        ], r.members, { empty: 'no member has a claim' }));
    } catch (e) {
      status.error(e);
    }
  }

  async function load() {
    try {
      const { programs } = await conn.request('voucher.programs');
      const keep = form.elements.program?.value;
      replace(form,
        field({ name: 'program', label: 'Program', type: 'select', options: programs.map((p) => p.program), value: keep }),
        h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show ledger')));
      show(keep || programs[0]?.program);
    } catch (e) {
      status.error(e);
    }
  }

  return { el, load };
}
