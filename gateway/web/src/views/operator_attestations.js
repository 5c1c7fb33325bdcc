// Operator: compliance attestations — register one, or revoke it, which
// cancels at once every resting order that cites it (the count is shown).

import { h, replace, table, panel } from '../lib/dom.js';
import { time, isoDate } from '../lib/format.js';
import { opForm, statusLine, field, readFields } from '../lib/forms.js';

const LICENCES = ['training', 'finetune', 'evaluation', 'commercial'];
const DAY_MS = 86_400_000;

export function attestationsSection(conn, data) {
  let attestations = [];
  const status = statusLine();
  const holder = h('div', { class: 'scroll' });
  const memberSelect = () => field({ name: 'member', label: 'Seller member', type: 'select', required: true,
    options: data().members.filter((m) => m.roles.includes('seller')).map((m) => m.member) });
  const registerFields = [
    { name: 'attestation', label: 'Attestation id', required: true, placeholder: 'ATT-ZSU1-MEDDIALOG-2026' },
    { name: 'member', label: 'Seller member', type: 'select', required: true },
    { name: 'dataset', label: 'Dataset manifest SHA-256 (hex)', required: true, hint: '64 hex digits' },
    { name: 'assessor', label: 'Assessor', required: true, placeholder: 'King & Wood Mallesons (Guangzhou)' },
    { name: 'licences', label: 'Licences covered', type: 'checks', options: LICENCES, value: ['training'], required: true },
    { name: 'tier', label: 'Data tier', type: 'select', options: [1, 2, 3, 4], value: 2 },
    { name: 'issued_at', label: 'Issued on', type: 'date', value: isoDate(Date.now()), required: true },
    { name: 'expires_at', label: 'Expires on', type: 'date', value: isoDate(Date.now() + 365 * DAY_MS), required: true },
  ];
  const form = opForm({
    legend: 'Register an attestation',
    fields: registerFields,
    submit: 'Register attestation',
    onSubmit: async (v) => {
      await conn.request('attestation.register', { ...v, tier: Number(v.tier) });
      load();
      return `attestation ${v.attestation} registered`;
    },
  });
  const revoke = revokeDialog(conn, (msg) => { status.ok(msg); load(); });
  const el = panel('att-h', 'Attestations', status, holder, form, revoke.el);

  function render() {
    replace(holder, table(null, [
      { label: 'Attestation', cell: (a) => a.attestation },
      { label: 'Seller', cell: (a) => a.member },
      { label: 'Dataset', cell: (a) => h('code', { title: a.dataset }, `${a.dataset.slice(0, 12)}…`) },
      { label: 'Assessor', cell: (a) => a.assessor },
      { label: 'Licences', cell: (a) => a.licences.join(', ') },
      { label: 'Tier', cell: (a) => a.tier, num: true },
      { label: 'Valid', cell: (a) => `${time(a.issued_at).slice(0, 10)} → ${time(a.expires_at).slice(0, 10)}` },
      { label: 'Status', cell: (a) => h('span', { class: `badge ${a.status}` }, a.status) },
      { label: 'Action', cell: (a) => (a.status === 'valid'
        ? h('button', { type: 'button', class: 'danger', 'aria-label': `Revoke ${a.attestation}`, onclick: () => revoke.open(a) }, 'Revoke')
        : '') },
    ], attestations, { empty: 'no attestations yet' }));
  }

  async function load() {
    try {
      ({ attestations } = await conn.request('attestations.list'));
    } catch (e) {
      status.error(e);
    }
    render();
  }

  return {
    el,
    load,
    refreshMembers() {
      form.querySelector('[name=member]').closest('.field').replaceWith(memberSelect());
    },
  };
}

function revokeDialog(conn, onDone) {
  const status = statusLine();
  const title = h('h2', { id: 'revoke-h' }, 'Revoke attestation');
  const fields = [{ name: 'reason', label: 'Reason (recorded)', required: true, placeholder: 'data source found unlawful' }];
  const form = h('form', { novalidate: true }, title,
    h('p', { class: 'hint' }, 'Every resting order that cites it is cancelled at once.'),
    fields.map(field),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'danger' }, 'Revoke'),
      h('button', { type: 'button', onclick: () => el.close() }, 'Close')),
    status);
  const el = h('dialog', { 'aria-labelledby': 'revoke-h' }, form);
  let att = null;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const v = readFields(form, fields);
      const r = await conn.request('attestation.revoke', { attestation: att.attestation, reason: v.reason });
      el.close();
      onDone(`attestation ${att.attestation} revoked: ${r.canceled} resting order${r.canceled === 1 ? '' : 's'} cancelled`);
    } catch (e) {
      status.error(e);
    }
  });
  return {
    el,
    open(a) {
      att = a;
      title.textContent = `Revoke ${a.attestation}`;
      form.reset();
      status.info('');
      el.showModal();
    },
  };
}
