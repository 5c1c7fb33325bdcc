// The trade hash chain of SPEC §5, verified from a report alone.
// Pure: works in the browser and in node (both have crypto.subtle), so the
// regulator view and the unit tests run the very same code.
//
//   hash = hex(SHA-256(prev_hash|trade_id|ts|instrument|price|qty|buyer|seller|
//                      buy_order_id|sell_order_id|aggressor|attestation|dataset|
//                      voucher_program|voucher_offset))
//
// Version 2 (a negotiated trade, `chain_version: 2`; docs/PROTOCOL.md) appends
//   |2|venue|notional|consideration|company|shares
//
// Rules mirror `corpex-report verify`: every trade's own hash must match its
// fields; trade 1's prev_hash is 64 zeros; where two rows are consecutive
// trades (ids n, n+1) the second's prev_hash is the first's hash. A filtered
// report has id gaps, across which only each row's own hash is checked.

export const ZERO_HASH = '0'.repeat(64);

export const CHAIN_FIELDS = [
  'prev_hash', 'trade_id', 'ts', 'instrument', 'price', 'qty', 'buyer', 'seller',
  'buy_order_id', 'sell_order_id', 'aggressor', 'attestation', 'dataset',
  'voucher_program', 'voucher_offset',
];

/** The exact text that is hashed: numbers in decimal, strings as-is. */
export function chainPreimage(trade) {
  const v1 = CHAIN_FIELDS.map((f) => String(trade[f] ?? '')).join('|');
  if (Number(trade.chain_version) !== 2) return v1;
  const v2 = ['venue', 'notional', 'consideration', 'company', 'shares'].map((f) => String(trade[f] ?? ''));
  return `${v1}|2|${v2.join('|')}`;
}

export async function sha256Hex(text, subtle = globalThis.crypto.subtle) {
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Verifies trades (oldest first). Returns
 *   {ok: true, count, gaps, first, last, head}  or
 *   {ok: false, count, index, trade_id, reason}  — the first broken link,
 * where count is the number of trades that held before it.
 */
export async function verifyChain(trades, subtle = globalThis.crypto.subtle) {
  let prev = null;
  let gaps = 0;
  for (let i = 0; i < trades.length; i++) {
    const t = trades[i];
    const id = Number(t.trade_id);
    const broken = (reason) => ({ ok: false, count: i, index: i, trade_id: t.trade_id, reason });
    if (!Number.isSafeInteger(id) || id < 1) return broken('trade_id is not a positive integer');
    if (prev && id <= Number(prev.trade_id)) return broken('trade ids do not increase');
    const h = await sha256Hex(chainPreimage(t), subtle);
    if (h !== t.hash) return broken(`its fields hash to ${h}, the report says ${t.hash}`);
    if (id === 1 && t.prev_hash !== ZERO_HASH)
      return broken("the first trade's prev_hash is not 64 zeros");
    if (prev && id === Number(prev.trade_id) + 1 && t.prev_hash !== prev.hash)
      return broken(`prev_hash is not the hash of trade ${prev.trade_id}`);
    if (prev && id !== Number(prev.trade_id) + 1) gaps++;
    prev = t;
  }
  return {
    ok: true,
    count: trades.length,
    gaps,
    first: trades[0]?.trade_id ?? null,
    last: prev?.trade_id ?? null,
    head: prev?.hash ?? null,
  };
}

/** One line for people: "chain verified: N trades" or the first broken trade. */
export function describeVerdict(v) {
  if (!v.ok) return `chain BROKEN at trade ${v.trade_id}: ${v.reason}`;
  if (v.count === 0) return 'chain verified: 0 trades (the report is empty)';
  let s = `chain verified: ${v.count} trades (${v.first}..${v.last}), head ${v.head.slice(0, 16)}…`;
  if (v.gaps) s += `; ${v.gaps} gaps in trade ids (filtered report), links across them not checked`;
  return s;
}
