// Member: negotiated deals (request for quote). A buyer asks for quotes on a
// listed instrument, reads the quotes its RFQs receive (cash or equity) and
// accepts one or cancels the RFQ; a seller quotes on the RFQs it may sell
// into (they come without the buyer's name) and withdraws its open quotes.
// rfq and quote events update the lists at once and leave a one-line notice.

import { h, replace, table, panel, throttled } from '../lib/dom.js';
import { cny, qty, localInput } from '../lib/format.js';
import { opForm, statusLine, actionButton } from '../lib/forms.js';
import {
  rfqParams, defaultExpiry, termsText, rfqEventText, quoteEventText, applyRfq, applyQuote, mergeOpen,
} from '../lib/rfq.js';
import { latestLoader } from '../lib/latest.js';
import { whenCell } from './delivery_list.js';
import { quoteDialog } from './quote_dialog.js';

const ASK_FIELDS = [
  { name: 'instrument', label: 'RFQ instrument', type: 'select', required: true },
  { name: 'qty', label: 'RFQ size (units)', type: 'int', required: true, min: 1 },
  { name: 'expire_at', label: 'RFQ expires at', type: 'datetime', required: true },
  { name: 'voucher', label: 'RFQ voucher program (optional)', type: 'select', options: [['', '— no voucher —']] },
];

const badge = (status) => h('span', { class: `badge ${status}` }, status);

/** me: the logged-in member id; onDeal(result) after an accepted quote (its fills). */
export function rfqSection(conn, me, { onDeal }) {
  let state = { rfqs: [], quotes: [] };
  let instruments = [];
  let attestations = [];
  let loaded = false;
  const status = statusLine();
  const buyHolder = h('div', { class: 'scroll' });
  const receivedHolder = h('div', { class: 'scroll' });
  const sellHolder = h('div', { class: 'scroll' });
  const quotesHolder = h('div', { class: 'scroll' });

  const ask = opForm({
    legend: 'Ask for quotes',
    cls: 'inline rfq-ask',
    fields: ASK_FIELDS,
    submit: 'Ask for quotes',
    onSubmit: async (v, form) => {
      const inst = instruments.find((i) => i.symbol === v.instrument);
      const r = await conn.request('rfq.new', rfqParams(v, inst));
      state = applyRfq(state, r);
      render();
      form.elements.expire_at.value = localInput(defaultExpiry());
      return `RFQ ${r.rfq_id} open: ${qty(r.qty)} of ${r.instrument}${r.voucher ? ` with ${r.voucher}` : ''}`;
    },
  });
  ask.elements.expire_at.value = localInput(defaultExpiry());

  const dialog = quoteDialog(conn, () => ({ instruments, attestations }), (q) => {
    status.ok(`quote ${q.quote_id} on RFQ ${q.rfq_id} sent: ${termsText(q)}`);
    state = applyQuote(state, q);
    render();
    reload();
  });

  const el = panel('rfq-h', 'RFQ — negotiated deals',
    h('p', { class: 'hint' }, 'Buyers ask for quotes on a listed instrument; sellers with an attestation for it quote in cash or in equity; ' +
      'the buyer accepts one and the deal is a trade, reported and delivered like any other.'),
    status,
    h('h3', { id: 'my-rfqs-h' }, 'My RFQs'), ask, buyHolder,
    h('h3', { id: 'received-h' }, 'Quotes received'), receivedHolder,
    h('h3', { id: 'quotable-h' }, 'RFQs I may quote'), sellHolder,
    h('h3', { id: 'my-quotes-h' }, 'My quotes'), quotesHolder,
    dialog.el);

  const mineRfq = (r) => r.buyer === me;
  const rfqOf = (q) => state.rfqs.find((r) => String(r.rfq_id) === String(q.rfq_id));
  const myOpenQuote = (r) => state.quotes.find((q) => q.seller === me && q.status === 'open' && String(q.rfq_id) === String(r.rfq_id));
  const empty = (text) => (loaded ? text : 'loading…');

  function render() {
    const mine = state.rfqs.filter(mineRfq);
    const others = state.rfqs.filter((r) => !mineRfq(r));
    const received = state.quotes.filter((q) => q.seller !== me && rfqOf(q) && mineRfq(rfqOf(q)));
    const quoted = state.quotes.filter((q) => q.seller === me);
    replace(buyHolder, table(null, [
      { label: 'RFQ', cell: (r) => r.rfq_id, num: true },
      { label: 'Instrument', cell: (r) => r.instrument },
      { label: 'Qty', cell: (r) => qty(r.qty), num: true },
      { label: 'Voucher', cell: (r) => r.voucher ?? '' },
      { label: 'Expires', cell: (r) => whenCell(r.expire_at) },
      { label: 'Open quotes', cell: (r) => received.filter((q) => q.status === 'open' && String(q.rfq_id) === String(r.rfq_id)).length, num: true },
      { label: 'Actions', cell: (r) => h('span', { class: 'row-actions' }, actionButton('Cancel', status, async () => {
        const x = await conn.request('rfq.cancel', { rfq_id: r.rfq_id });
        state = applyRfq(state, x);
        render();
        return `RFQ ${x.rfq_id} ${x.status}`;
      }, { 'aria-label': `Cancel RFQ ${r.rfq_id}` })) },
    ], mine, { empty: empty('no open RFQs of mine'), rowAttrs: (r) => ({ 'data-rfq': r.rfq_id }) }));
    replace(receivedHolder, table(null, [
      { label: 'Quote', cell: (q) => q.quote_id, num: true },
      { label: 'RFQ', cell: (q) => q.rfq_id, num: true },
      { label: 'Seller', cell: (q) => q.seller },
      { label: 'Terms', cell: (q) => termsText(q) },
      { label: 'Notional (CNY)', cell: (q) => cny(q.consideration?.valuation_fen ?? q.price * q.qty), num: true },
      { label: 'Valid until', cell: (q) => whenCell(q.valid_until) },
      { label: 'Status', cell: (q) => badge(q.status) },
      { label: 'Actions', cell: (q) => (q.status !== 'open' ? '' : h('span', { class: 'row-actions' }, actionButton('Accept', status, async () => {
        const x = await conn.request('quote.accept', { quote_id: q.quote_id });
        onDeal(x);
        reload();
        const f = x.fills[0];
        return `quote ${x.quote_id} ${x.status}: trade ${f?.trade_id}, ${qty(f?.qty)} at ${cny(f?.price)}, notional ${cny(f?.notional)} CNY` +
          (x.consideration ? ` (${termsText(x)})` : '');
      }, { 'aria-label': `Accept quote ${q.quote_id}` }))) },
    ], received, { empty: empty('no quotes on my RFQs'), rowAttrs: (q) => ({ 'data-quote': q.quote_id, 'data-status': q.status }) }));
    replace(sellHolder, table(null, [
      { label: 'RFQ', cell: (r) => r.rfq_id, num: true },
      { label: 'Instrument', cell: (r) => r.instrument },
      { label: 'Qty', cell: (r) => qty(r.qty), num: true },
      { label: 'Expires', cell: (r) => whenCell(r.expire_at) },
      { label: 'My quote', cell: (r) => { const q = myOpenQuote(r); return q ? `${q.quote_id}: ${termsText(q)}` : ''; } },
      { label: 'Actions', cell: (r) => h('span', { class: 'row-actions' }, h('button', { type: 'button', 'aria-label': `Quote on RFQ ${r.rfq_id}`,
        onclick: () => dialog.open(r, myOpenQuote(r)) }, myOpenQuote(r) ? 'Quote again' : 'Quote')) },
    ], others, { empty: empty('no RFQs to quote'), rowAttrs: (r) => ({ 'data-rfq': r.rfq_id }) }));
    replace(quotesHolder, table(null, [
      { label: 'Quote', cell: (q) => q.quote_id, num: true },
      { label: 'RFQ', cell: (q) => q.rfq_id, num: true },
      { label: 'Instrument', cell: (q) => q.instrument },
      { label: 'Qty', cell: (q) => qty(q.qty), num: true },
      { label: 'Terms', cell: (q) => termsText(q) },
      { label: 'Attestation', cell: (q) => q.attestation },
      { label: 'Valid until', cell: (q) => whenCell(q.valid_until) },
      { label: 'Status', cell: (q) => badge(q.status) },
      { label: 'Actions', cell: (q) => (q.status !== 'open' ? '' : h('span', { class: 'row-actions' }, actionButton('Withdraw', status, async () => {
        const x = await conn.request('quote.cancel', { quote_id: q.quote_id });
        state = applyQuote(state, x);
        render();
        return `quote ${x.quote_id} ${x.status}`;
      }, { 'aria-label': `Withdraw quote ${q.quote_id}` }))) },
    ], quoted, { empty: empty('no quotes of mine on open RFQs'), rowAttrs: (q) => ({ 'data-quote': q.quote_id, 'data-status': q.status }) }));
  }

  const load = latestLoader({
    fetch: () => conn.request('rfqs.open'),
    status,
    take: (r) => { state = mergeOpen(state, r); loaded = true; },
    render,
  });
  const reload = throttled(load);

  const setOptions = (select, list) => {
    const keep = select.value;
    select.replaceChildren(...list.map(([value, label]) => h('option', { value }, label)));
    if (list.some(([value]) => value === keep)) select.value = keep;
  };

  render();
  return {
    el,
    load,
    setInstruments(list) {
      instruments = list;
      setOptions(ask.elements.instrument, list.filter((i) => i.status !== 'halted').map((i) => [i.symbol, `${i.symbol} (lot ${qty(i.lot)} ${i.unit})`]));
    },
    setAttestations(list) { attestations = list; },
    setVouchers(programs) {
      setOptions(ask.elements.voucher, [['', '— no voucher —'], ...programs.map((p) => [p.program, `${p.program} (${cny(p.left)} CNY left)`])]);
    },
    /** An `rfq` event: shown at once, a notice when it concerns the member, then the lists are read again. */
    onRfq(r) {
      state = applyRfq(state, r);
      const text = rfqEventText(r, me);
      if (text) status.info(text);
      render();
      reload();
    },
    onQuote(q) {
      state = applyQuote(state, q);
      const text = quoteEventText(q, me);
      if (text) status.info(text);
      render();
      reload();
    },
    /** A negotiated execution: its RFQ has closed. */
    onDeal: reload,
  };
}
