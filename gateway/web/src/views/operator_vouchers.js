// Operator: voucher programs (create, enrol buyers) and the claims that
// fills opened, settled reserved → approved → paid, or rejected.

import { h, replace, table, panel } from '../lib/dom.js';
import { cny, time } from '../lib/format.js';
import { opForm, statusLine, field, actionButton } from '../lib/forms.js';

const NEXT = { reserved: ['approved', 'rejected'], approved: ['paid', 'rejected'], paid: [], rejected: [] };
const VERB = { approved: 'Approve', paid: 'Pay', rejected: 'Reject' };

export function vouchersSection(conn, data) {
  let programs = [];
  let claims = [];
  let claimQuery = null;
  const status = statusLine();
  const claimStatus = statusLine();
  const holder = h('div', { class: 'scroll' });
  const claimsHolder = h('div', { class: 'scroll' });
  const create = opForm({
    legend: 'Create a voucher program',
    fields: [
      { name: 'program', label: 'Program id', required: true, placeholder: 'SZ-CORPUS-VOUCHER-2026' },
      { name: 'rate_bps', label: 'Rate (basis points)', type: 'int', value: 3000, required: true, hint: '3000 = 30 % of the contract' },
      { name: 'member_cap', label: 'Cap per member (CNY)', type: 'cny', value: '2000000.00', required: true },
      { name: 'budget', label: 'Budget (CNY)', type: 'cny', value: '50000000.00', required: true },
      { name: 'year', label: 'Program year', type: 'int', value: new Date().getFullYear(), required: true },
      { name: 'domains', label: 'Limited to domains (comma-separated, optional)', type: 'list' },
      { name: 'delivery_required', label: 'Pay claims only after a confirmed delivery', type: 'bool',
        hint: 'settling a claim as paid answers DELIVERY_PENDING until the buyer (or an operator) confirms the delivery' },
    ],
    submit: 'Create program',
    onSubmit: async (v) => {
      const { delivery_required: gated, ...rest } = v;
      await conn.request('voucher.program.create', gated ? { ...rest, delivery_required: true } : rest);
      load();
      return `program ${v.program} created${gated ? '; its claims are paid only after a confirmed delivery' : ''}`;
    },
  });
  const enrolFields = () => [
    { name: 'program', label: 'Program', type: 'select', required: true, options: programs.map((p) => p.program) },
    { name: 'member', label: 'Buyer member', type: 'select', required: true,
      options: data().members.filter((m) => m.roles.includes('buyer')).map((m) => m.member) },
  ];
  let enrol = h('div');
  const claimsForm = h('form', { class: 'op inline', novalidate: true, 'aria-label': 'Find claims' });
  claimsForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    claimQuery = { program: claimsForm.elements.program.value };
    if (claimsForm.elements.status.value) claimQuery.status = claimsForm.elements.status.value;
    loadClaims();
  });

  const el = h('div', {},
    panel('prog-h', 'Voucher programs', status, holder, create, enrol),
    panel('claims-h', 'Claims to settle', claimsForm, claimStatus, claimsHolder));

  function renderEnrol() {
    const fresh = opForm({
      legend: 'Enrol a buyer in a program',
      fields: enrolFields(),
      submit: 'Enrol',
      onSubmit: async (v) => {
        await conn.request('voucher.enrol', v);
        return `${v.member} enrolled in ${v.program}`;
      },
    });
    enrol.replaceWith(fresh);
    enrol = fresh;
    const keep = claimsForm.elements.program?.value;
    replace(claimsForm,
      field({ name: 'program', label: 'Program', type: 'select', options: programs.map((p) => p.program), value: keep }),
      field({ name: 'status', label: 'Status', type: 'select', options: [['', 'any'], 'reserved', 'approved', 'paid', 'rejected'], value: 'reserved' }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Show claims')));
  }

  function render() {
    replace(holder, table(null, [
      { label: 'Program', cell: (p) => p.program },
      { label: 'Rate', cell: (p) => `${p.rate_bps / 100} %`, num: true },
      { label: 'Cap / member (CNY)', cell: (p) => cny(p.member_cap), num: true },
      { label: 'Budget (CNY)', cell: (p) => cny(p.budget), num: true },
      { label: 'Budget left', cell: (p) => cny(p.budget_left), num: true },
      { label: 'Year', cell: (p) => p.year, num: true },
      { label: 'Domains', cell: (p) => (p.domains?.length ? p.domains.join(', ') : 'all') },
    ], programs, { empty: 'no programs yet' }));
    renderEnrol();
  }

  function renderClaims() {
    const what = claimQuery ? `${claims.length} ${claimQuery.status ?? ''} claim(s) in ${claimQuery.program}` : null;
    replace(claimsHolder, table(what, [
      { label: 'Trade', cell: (c) => c.trade_id, num: true },
      { label: 'Member', cell: (c) => c.member },
      { label: 'Amount (CNY)', cell: (c) => cny(c.amount), num: true },
      { label: 'Status', cell: (c) => h('span', { class: `badge ${c.status}` }, c.status) },
      { label: 'Opened', cell: (c) => time(c.ts) },
      { label: 'Settle', cell: (c) => h('span', { class: 'row-actions' }, NEXT[c.status].map((to) =>
        actionButton(VERB[to], claimStatus, async () => {
          await conn.request('voucher.claim.settle', { trade_id: c.trade_id, status: to });
          loadClaims();
          return `claim on trade ${c.trade_id} ${to}`;
        }, { class: to === 'rejected' ? 'danger' : null, 'aria-label': `${VERB[to]} claim on trade ${c.trade_id}` }))) },
    ], claims, { empty: claimQuery ? 'no claims match' : 'choose a program' }));
  }

  async function loadClaims() {
    if (!claimQuery) return renderClaims();
    try {
      ({ claims } = await conn.request('report.claims', claimQuery));
    } catch (e) {
      claimStatus.error(e);
    }
    renderClaims();
  }

  async function load() {
    try {
      ({ programs } = await conn.request('voucher.programs'));
    } catch (e) {
      status.error(e);
    }
    render();
    renderClaims();
  }

  return { el, load, refreshMembers: renderEnrol };
}
