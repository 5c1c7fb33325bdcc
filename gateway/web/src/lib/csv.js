// Trade reports as CSV, in the column order `corpex-report pull` writes, so a
// file exported from the console also passes `corpex-report verify`.

export const TRADE_COLUMNS = [
  'transaction_reference', 'trade_id', 'trading_date_time', 'ts', 'instrument', 'buyer',
  'seller', 'buy_order_id', 'sell_order_id', 'aggressor', 'venue', 'chain_version',
  'consideration', 'company', 'shares', 'price', 'qty', 'currency',
  'notional', 'net_amount', 'affiliated', 'attestation', 'dataset', 'voucher_program',
  'voucher_offset', 'net_cost', 'prev_hash', 'hash',
];

/** The wire trade plus the RTS 22-style derived cells. */
export function tradeRow(t) {
  return {
    ...t,
    transaction_reference: 'CPX' + String(t.trade_id).padStart(12, '0'),
    trading_date_time: new Date(Number(t.ts)).toISOString(),
    currency: 'CNY',
    net_amount: t.notional,
  };
}

function cell(v) {
  const s = String(v ?? '');
  return /[",\r\n]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

export function tradesToCsv(trades) {
  const lines = [TRADE_COLUMNS.join(',')];
  for (const t of trades) {
    const row = tradeRow(t);
    lines.push(TRADE_COLUMNS.map((c) => cell(row[c])).join(','));
  }
  return lines.join('\n') + '\n';
}

/** Parses one CSV record (RFC 4180 quoting, no embedded newlines). */
export function parseCsvLine(line) {
  const cells = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { cells.push(cur); cur = ''; }
    else cur += ch;
  }
  if (quoted) throw new Error('unterminated quote');
  cells.push(cur);
  return cells;
}

/**
 * Reads a report file (CSV with a header row, or JSON Lines) into trade
 * objects whose cells stay text, as the file holds them: the hash is over
 * that text, so nothing is re-formatted.
 */
export function parseReport(text) {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) return [];
  if (lines[0].trimStart().startsWith('{')) {
    return lines.map((l, i) => {
      try { return JSON.parse(l); } catch { throw new Error(`line ${i + 1}: malformed JSON line`); }
    });
  }
  const header = parseCsvLine(lines[0]);
  for (const f of ['trade_id', 'prev_hash', 'hash'])
    if (!header.includes(f)) throw new Error(`no ${f} column`);
  return lines.slice(1).map((l, i) => {
    const cells = parseCsvLine(l);
    if (cells.length !== header.length) throw new Error(`line ${i + 2}: malformed CSV row`);
    return Object.fromEntries(header.map((h, k) => [h, cells[k]]));
  });
}
