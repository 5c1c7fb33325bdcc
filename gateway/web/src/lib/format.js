// Money is integer fen on the wire; people read CNY with two decimals.
// Conversions are done on digits, never through floating point.

const grouping = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 123456 fen → "1,234.56" */
export function cny(fen) {
  if (fen === null || fen === undefined || fen === '') return '';
  const n = Number(fen);
  const neg = n < 0;
  const abs = Math.abs(n);
  const yuan = Math.trunc(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return (neg ? '-' : '') + grouping.format(yuan) + '.' + cents;
}

/** "1234.5" → 123450 fen; null when the text is not a CNY amount with ≤ 2 decimals. */
export function parseCny(text) {
  const m = /^\s*(\d+)(?:\.(\d{0,2}))?\s*$/.exec(String(text).replaceAll(',', ''));
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

export function qty(n) {
  return n === null || n === undefined ? '' : grouping.format(Number(n));
}

/** Unix ms → "2026-03-01 14:05:09" in the viewer's local time. */
export function time(ms) {
  if (!ms) return '';
  const d = new Date(Number(ms));
  const p = (v, w = 2) => String(v).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function clock(ms) {
  const d = new Date(Number(ms));
  const p = (v, w = 2) => String(v).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

/** A yyyy-mm-dd date input → Unix ms at local midnight (null when empty). */
export function dateMs(value) {
  if (!value) return null;
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d).getTime();
}

/** A datetime-local input → Unix ms (null when empty). */
export function dateTimeMs(value) {
  if (!value) return null;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? null : t;
}

export function isoDate(ms) {
  const d = new Date(ms);
  const p = (v) => String(v).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
