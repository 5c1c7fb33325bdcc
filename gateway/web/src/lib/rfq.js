// Negotiated deals (docs/PROTOCOL.md "Negotiated deals"): a buyer asks for
// quotes (RFQ), sellers quote in cash or in equity (data for equity), the
// buyer accepts one and the deal is a trade. Pure helpers: the params of
// rfq.new and quote.new checked before they are sent, which attestations may
// back a quote, the terms of a quote as one line, notices for events, and the
// shown RFQs and quotes kept up to date from events between loads.

import { cny, qty, time } from './format.js';

export const RFQ_DAYS = 1;
export const QUOTE_HOURS = 4;
const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** An RFQ's default expiry: this minute tomorrow. */
export function defaultExpiry(now = Date.now()) {
  return Math.floor(now / MINUTE_MS) * MINUTE_MS + RFQ_DAYS * DAY_MS;
}

/** A quote's default validity: QUOTE_HOURS from this minute, never past the RFQ's expiry. */
export function defaultValidUntil(rfq, now = Date.now()) {
  const t = Math.floor(now / MINUTE_MS) * MINUTE_MS + QUOTE_HOURS * 3600_000;
  return rfq?.expire_at && rfq.expire_at > now ? Math.min(t, rfq.expire_at) : t;
}

/**
 * rfq.new params from the form's values ({instrument, qty, expire_at, voucher});
 * inst is the instrument (for its lot). Throws a readable Error on what the
 * server would refuse anyway.
 */
export function rfqParams(v, inst, now = Date.now()) {
  if (!v.instrument) throw new Error('Instrument is required');
  if (!Number.isSafeInteger(v.qty) || v.qty <= 0) throw new Error('Quantity must be a positive whole number');
  if (inst?.lot && v.qty % inst.lot !== 0) throw new Error(`Quantity must be a multiple of the lot (${qty(inst.lot)})`);
  if (!Number.isSafeInteger(v.expire_at)) throw new Error('Expires at is required');
  if (v.expire_at <= now) throw new Error('"Expires at" is in the past');
  const p = { instrument: v.instrument, qty: v.qty, expire_at: v.expire_at };
  if (v.voucher) p.voucher = v.voucher;
  return p;
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A unified social credit code (GB 32100-2015): 18 characters, the last a check character. */
export function validCompany(code) {
  const c = String(code ?? '');
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(c)) return false;
  let sum = 0;
  let w = 1;
  for (let i = 0; i < 17; i++) {
    sum += USCC_CHARS.indexOf(c[i]) * w;
    w = (w * 3) % 31;
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31] === c[17];
}

/**
 * quote.new params from the dialog's values ({attestation, valid_until, equity,
 * price} or {…, company, shares, valuation} in fen); inst gives the tick.
 */
export function quoteParams(rfq, v, inst, now = Date.now()) {
  if (!v.attestation) throw new Error('Attestation is required: none of yours covers this instrument');
  if (!Number.isSafeInteger(v.valid_until)) throw new Error('Valid until is required');
  if (v.valid_until <= now) throw new Error('"Valid until" is in the past');
  const p = { rfq_id: rfq.rfq_id, attestation: v.attestation, valid_until: v.valid_until };
  if (!v.equity) {
    if (!Number.isSafeInteger(v.price) || v.price <= 0) throw new Error('Price (CNY per unit) is required');
    if (inst?.tick && v.price % inst.tick !== 0) throw new Error(`Price must be a multiple of the tick (${cny(inst.tick)} CNY)`);
    return { ...p, price: v.price };
  }
  const company = String(v.company ?? '').trim().toUpperCase();
  if (!validCompany(company)) throw new Error('Company: an 18-character unified social credit code with a valid check character');
  if (!Number.isSafeInteger(v.shares) || v.shares <= 0) throw new Error('Shares must be a positive whole number');
  if (!Number.isSafeInteger(v.valuation) || v.valuation <= 0) throw new Error('Valuation (CNY) must be more than 0');
  return { ...p, consideration: { type: 'equity', company, shares: v.shares, valuation_fen: v.valuation } };
}

/** The seller's attestations that may back a quote on inst: valid now, the licence, a tier not above the instrument's. */
export function coveringAttestations(attestations, inst, now = Date.now()) {
  if (!inst) return [];
  return attestations.filter((a) => a.status === 'valid' && (a.licences ?? []).includes(inst.licence) &&
    a.tier <= inst.tier && (!a.issued_at || a.issued_at <= now) && (!a.expires_at || a.expires_at > now));
}

/** What a quote (or a deal) pays: "25,000.00 CNY per unit" or "equity: 1,200,000 shares of <company>, valued 30,000,000.00 CNY". */
export function termsText(q) {
  const c = q?.consideration;
  if (c?.type === 'equity') return `equity: ${qty(c.shares)} shares of ${c.company}, valued ${cny(c.valuation_fen)} CNY`;
  return `${cny(q?.price)} CNY per unit`;
}

/** A report.trades row's consideration: '' for the book, "cash", or "1,200,000 shares of <company>". */
export function tradeConsideration(t) {
  if ((t.venue ?? 'book') !== 'negotiated') return '';
  if (t.consideration === 'equity') return `${qty(t.shares)} shares of ${t.company}`;
  return t.consideration || 'cash';
}

/**
 * The notice a party reads for an `rfq` event, or null when the member's own
 * action caused it (its answer says more): a seller is told of a new RFQ and
 * of every close, a buyer of its RFQ's expiry.
 */
export function rfqEventText(r, me) {
  if (r.buyer === me) return r.status === 'expired' ? `RFQ ${r.rfq_id} (${r.instrument}) expired` : null;
  if (r.status === 'open') return `new RFQ ${r.rfq_id}: ${qty(r.qty)} of ${r.instrument}, open until ${time(r.expire_at)}`;
  return `RFQ ${r.rfq_id} (${r.instrument}) closed: ${r.status}`;
}

const SELLER_TOLD = new Set(['accepted', 'expired', 'rfq_closed', 'attestation_revoked']);
const BUYER_TOLD = new Set(['withdrawn', 'expired', 'attestation_revoked']);

/**
 * The notice a party reads for a `quote` event, or null when the member's own
 * action caused it: the buyer is told of a quote that arrives, is withdrawn
 * expires or loses its attestation; the seller of its quote accepted, expired,
 * closed with its RFQ or closed by the attestation's revocation.
 */
export function quoteEventText(q, me) {
  const on = `quote ${q.quote_id} on RFQ ${q.rfq_id}`;
  if (q.seller === me) return SELLER_TOLD.has(q.status) ? `${on} ${q.status}${q.status === 'accepted' ? `: ${termsText(q)}` : ''}` : null;
  if (q.status === 'open') return `${on} from ${q.seller}: ${termsText(q)}, valid until ${time(q.valid_until)}`;
  return BUYER_TOLD.has(q.status) ? `${on} from ${q.seller} ${q.status}` : null;
}

function upsert(list, item, key) {
  const i = list.findIndex((x) => String(x[key]) === String(item[key]));
  if (i < 0) return [...list, item];
  return list.map((x, k) => (k === i ? { ...x, ...item } : x));
}
const byId = (key) => (a, b) => Number(a[key]) - Number(b[key]);

/** An `rfq` event applied to {rfqs, quotes}: an open RFQ is shown, a closed one goes with its quotes. */
export function applyRfq(state, r) {
  if (r.status === 'open') return { rfqs: upsert(state.rfqs, r, 'rfq_id').sort(byId('rfq_id')), quotes: state.quotes };
  const gone = (x) => String(x.rfq_id) === String(r.rfq_id);
  return { rfqs: state.rfqs.filter((x) => !gone(x)), quotes: state.quotes.filter((x) => !gone(x)) };
}

/** A `quote` event applied to {rfqs, quotes}: shown with its status while its RFQ is open. */
export function applyQuote(state, q) {
  return { rfqs: state.rfqs, quotes: upsert(state.quotes, q, 'quote_id').sort(byId('quote_id')) };
}

/**
 * rfqs.open's answer over what is shown: the server's open RFQs and quotes,
 * plus the ended quotes (superseded, withdrawn, expired) seen in events whose
 * RFQ is still open, so a buyer still reads why a quote went.
 */
export function mergeOpen(state, fresh) {
  const open = new Set(fresh.rfqs.map((r) => String(r.rfq_id)));
  const have = new Set(fresh.quotes.map((q) => String(q.quote_id)));
  const ended = state.quotes.filter((q) => q.status !== 'open' && !have.has(String(q.quote_id)) && open.has(String(q.rfq_id)));
  return { rfqs: [...fresh.rfqs].sort(byId('rfq_id')), quotes: [...fresh.quotes, ...ended].sort(byId('quote_id')) };
}
