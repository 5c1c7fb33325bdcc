// Operator: exchange status, members (with suspend and the kill switch),
// instruments (with halts), attestations, voucher programs, claims and
// delivery disputes.
// Each section reloads what it shows after the command it sends.

import { h, replace, table, panel } from '../lib/dom.js';
import { cny, qty } from '../lib/format.js';
import { opForm, statusLine, actionButton } from '../lib/forms.js';
import { attestationsSection } from './operator_attestations.js';
import { vouchersSection } from './operator_vouchers.js';
import { disputesSection } from './operator_deliveries.js';

const MODALITIES = ['text', 'speech', 'image', 'video', 'multimodal'];
const LICENCES = ['training', 'finetune', 'evaluation', 'commercial'];
const UNITS = ['mtok', 'hour', 'image', 'record'];
const TIERS = [1, 2, 3, 4];
const STATUS_REFRESH_MS = 3000;

export function operatorView(root, { conn }) {
  const data = { members: [], instruments: [] };
  const statusHolder = h('div');
  const membersHolder = h('div', { class: 'scroll' });
  const instHolder = h('div', { class: 'scroll' });
  const memberStatus = statusLine();
  const instStatus = statusLine();
  const overview = statusLine();
  const att = attestationsSection(conn, () => data);
  const vouchers = vouchersSection(conn, () => data);
  const disputes = disputesSection(conn);

  const toc = h('nav', { class: 'toc', 'aria-label': 'Operator sections' },
    [['status-h', 'Status'], ['members-h', 'Members and kill switch'], ['inst-h', 'Instruments and halts'],
      ['att-h', 'Attestations'], ['prog-h', 'Voucher programs'], ['claims-h', 'Claims'],
      ['disputes-h', 'Disputes']]
      .map(([id, label]) => h('a', { href: `#/operator`, onclick: (e) => { e.preventDefault(); document.getElementById(id).scrollIntoView(); } }, label)));
  root.append(h('div', { class: 'operator' }, toc,
    panel('status-h', 'Exchange status', overview, statusHolder,
      actionButton('Refresh', overview, async () => { await loadAll(); return 'refreshed'; })),
    panel('members-h', 'Members and kill switch', memberStatus, membersHolder, opForm({
      legend: 'Create a member',
      fields: [
        { name: 'member', label: 'Member id', required: true, placeholder: 'SZ-MODEL-LAB' },
        { name: 'name', label: 'Name', required: true },
        { name: 'group', label: 'Affiliate group', required: true },
        { name: 'roles', label: 'Roles', type: 'checks', options: ['buyer', 'seller'], value: ['buyer'], required: true },
        { name: 'tier', label: 'Qualified up to tier', type: 'select', options: TIERS, value: 2 },
      ],
      submit: 'Create member',
      onSubmit: async (v) => {
        const r = await conn.request('member.create', { ...v, tier: Number(v.tier) });
        loadMembers();
        return h('span', {}, `member ${r.member} created. Its secret, shown only now — hand it over securely: `,
          h('output', { class: 'secret' }, r.secret));
      },
    })),
    panel('inst-h', 'Instruments and halts', instStatus, instHolder, opForm({
      legend: 'List an instrument',
      fields: [
        { name: 'symbol', label: 'Symbol', required: true, placeholder: 'ZH-MED-DIALOG.TRAIN.12M' },
        { name: 'domain', label: 'Domain', required: true, placeholder: 'medical' },
        { name: 'language', label: 'Language', required: true, value: 'zh' },
        { name: 'modality', label: 'Modality', type: 'select', options: MODALITIES },
        { name: 'licence', label: 'Licence', type: 'select', options: LICENCES },
        { name: 'term_months', label: 'Term (months)', type: 'int', value: 12, required: true },
        { name: 'tier', label: 'Tier', type: 'select', options: TIERS, value: 2 },
        { name: 'unit', label: 'Unit', type: 'select', options: UNITS },
        { name: 'tick', label: 'Tick (CNY)', type: 'cny', value: '1.00', required: true },
        { name: 'lot', label: 'Lot (units)', type: 'int', value: 1, required: true },
      ],
      submit: 'List instrument',
      onSubmit: async (v) => {
        await conn.request('instrument.create', { ...v, tier: Number(v.tier) });
        loadInstruments();
        return `instrument ${v.symbol} listed`;
      },
    })),
    att.el,
    vouchers.el,
    disputes.el));

  function renderMembers() {
    replace(membersHolder, table(null, [
      { label: 'Member', cell: (m) => m.member },
      { label: 'Name', cell: (m) => m.name },
      { label: 'Group', cell: (m) => m.group },
      { label: 'Roles', cell: (m) => m.roles.join(', ') },
      { label: 'Tier', cell: (m) => m.tier, num: true },
      { label: 'Status', cell: (m) => h('span', { class: `badge ${m.status}` }, m.status) },
      { label: 'Actions', cell: (m) => h('span', { class: 'row-actions' },
        m.status === 'active'
          ? actionButton('Suspend', memberStatus, async () => {
            if (!confirm(`Suspend ${m.member}? Its orders are cancelled and its sessions closed.`)) return null;
            await conn.request('member.suspend', { member: m.member });
            loadMembers();
            return `member ${m.member} suspended`;
          }, { 'aria-label': `Suspend ${m.member}` })
          : actionButton('Resume', memberStatus, async () => {
            await conn.request('member.resume', { member: m.member });
            loadMembers();
            return `member ${m.member} resumed`;
          }, { 'aria-label': `Resume ${m.member}` }),
        actionButton('Kill orders', memberStatus, async () => {
          if (!confirm(`Kill switch: cancel every order of ${m.member}?`)) return null;
          const r = await conn.request('member.kill', { member: m.member });
          return `kill switch on ${m.member}: ${r.canceled} orders cancelled`;
        }, { class: 'danger', 'aria-label': `Kill switch for ${m.member}` })) },
    ], data.members, { empty: 'no members yet' }));
  }

  function renderInstruments() {
    replace(instHolder, table(null, [
      { label: 'Symbol', cell: (i) => i.symbol },
      { label: 'Domain', cell: (i) => i.domain },
      { label: 'Modality', cell: (i) => i.modality },
      { label: 'Licence', cell: (i) => `${i.licence} ${i.term_months}m` },
      { label: 'Tier', cell: (i) => i.tier, num: true },
      { label: 'Tick', cell: (i) => cny(i.tick), num: true },
      { label: 'Lot', cell: (i) => `${qty(i.lot)} ${i.unit}`, num: true },
      { label: 'Volume', cell: (i) => qty(i.volume), num: true },
      { label: 'Status', cell: (i) => h('span', { class: `badge ${i.status}` }, i.status) },
      { label: 'Halt', cell: (i) => (i.status === 'active'
        ? actionButton('Halt', instStatus, async () => {
          await conn.request('instrument.halt', { symbol: i.symbol });
          loadInstruments();
          return `${i.symbol} halted: it accepts cancels only`;
        }, { 'aria-label': `Halt ${i.symbol}` })
        : actionButton('Resume', instStatus, async () => {
          await conn.request('instrument.resume', { symbol: i.symbol });
          loadInstruments();
          return `${i.symbol} resumed`;
        }, { 'aria-label': `Resume ${i.symbol}` })) },
    ], data.instruments, { empty: 'no instruments yet' }));
  }

  async function loadStatus() {
    try {
      const st = await conn.request('status');
      replace(statusHolder, h('dl', { class: 'counts' }, Object.entries(st).flatMap(([k, v]) =>
        [h('dt', {}, k.replaceAll('_', ' ')), h('dd', {}, k === 'clock' ? new Date(v).toISOString() : String(v))])));
    } catch (e) {
      overview.error(e);
    }
  }

  async function loadMembers() {
    try { ({ members: data.members } = await conn.request('members.list')); } catch (e) { memberStatus.error(e); }
    renderMembers();
    att.refreshMembers();
    vouchers.refreshMembers();
  }

  async function loadInstruments() {
    try { ({ instruments: data.instruments } = await conn.request('instruments.list')); } catch (e) { instStatus.error(e); }
    renderInstruments();
  }

  async function loadAll() {
    await Promise.all([loadStatus(), loadMembers(), loadInstruments(), att.load(), vouchers.load(), disputes.load()]);
  }

  const off = conn.on('resync', loadAll);
  const timer = setInterval(() => { if (conn.state === 'open') loadStatus(); }, STATUS_REFRESH_MS);
  loadAll();
  return () => { off(); clearInterval(timer); };
}
