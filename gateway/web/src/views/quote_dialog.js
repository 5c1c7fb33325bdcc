// The seller's Quote dialog on an RFQ: an attestation of its own that covers
// the instrument, how long the quote holds, and either a cash price per unit
// or an equity consideration (shares of a company at a valuation — data for
// equity). A second quote on the same RFQ supersedes the first.

import { h } from '../lib/dom.js';
import { cny, qty, time, localInput } from '../lib/format.js';
import { formDialog } from '../lib/dialog.js';
import { quoteParams, coveringAttestations, defaultValidUntil, termsText } from '../lib/rfq.js';

const FIELDS = [
  { name: 'attestation', label: 'Quote attestation', type: 'select', hint: 'yours, valid now, covering the instrument\'s licence and tier' },
  { name: 'valid_until', label: 'Quote valid until', type: 'datetime', required: true },
  { name: 'equity', label: 'Pay in equity (data for equity)', type: 'bool', hint: 'the buyer pays with shares of a company instead of cash; not voucher-eligible' },
  { name: 'price', label: 'Cash price per unit (CNY)', type: 'cny' },
  { name: 'company', label: 'Company (unified social credit code)', placeholder: '91440300MA5G0XXX11' },
  { name: 'shares', label: 'Shares', type: 'int', min: 1 },
  { name: 'valuation', label: 'Valuation (CNY)', type: 'cny' },
];
const CASH = ['price'];
const EQUITY = ['company', 'shares', 'valuation'];

/** ctx() → {instruments, attestations}; onQuoted(quote) after quote.new succeeds. */
export function quoteDialog(conn, ctx, onQuoted) {
  const dialog = formDialog({
    id: 'quote-h',
    title: 'Quote',
    hint: 'Your quote goes to the RFQ\'s buyer only; quoting again on the same RFQ supersedes your earlier quote.',
    fields: FIELDS,
    sync(form) {
      const equity = form.elements.equity.checked;
      for (const [names, hide] of [[CASH, equity], [EQUITY, !equity]]) {
        for (const n of names) {
          form.elements[n].disabled = hide;
          form.elements[n].closest('.field').hidden = hide;
        }
      }
    },
    actions: [{
      label: 'Send quote',
      run: async (v, rfq) => {
        const inst = ctx().instruments.find((i) => i.symbol === rfq.instrument);
        const r = await conn.request('quote.new', quoteParams(rfq, v, inst));
        onQuoted(r);
      },
    }],
  });

  return {
    el: dialog.el,
    /** mine: this seller's open quote on the RFQ, if any (its terms come prefilled). */
    open(rfq, mine) {
      const { instruments, attestations } = ctx();
      const inst = instruments.find((i) => i.symbol === rfq.instrument);
      const atts = coveringAttestations(attestations, inst);
      const equity = mine?.consideration?.type === 'equity' ? mine.consideration : null;
      dialog.open(rfq, {
        title: `Quote on RFQ ${rfq.rfq_id}`,
        detail: h('p', { class: 'about' }, `${qty(rfq.qty)} ${inst?.unit ?? 'units'} of ${rfq.instrument}, open until ${time(rfq.expire_at)}`,
          mine ? h('br') : null, mine ? `your open quote ${mine.quote_id}: ${termsText(mine)} (a new one supersedes it)` : null),
        options: { attestation: atts.length ? atts.map((a) => [a.attestation, `${a.attestation} (${a.licences.join('/')}, tier ${a.tier})`]) : [['', '— none covers this instrument —']] },
        values: {
          attestation: mine && atts.some((a) => a.attestation === mine.attestation) ? mine.attestation : undefined,
          valid_until: localInput(defaultValidUntil(rfq)),
          price: mine && !equity ? cny(mine.price).replaceAll(',', '') : undefined,
        },
      });
    },
  };
}
