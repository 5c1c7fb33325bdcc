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

/** A span of ms → "850 ms", "42 s", "4 min 05 s", "3 h 07 min", "2 d 04 h" ('' when unknown or negative). */
export function duration(ms) {
  if (ms === null || ms === undefined || ms === '') return '';
  const n = Number(ms);
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1000) return `${Math.trunc(n)} ms`;
  const s = Math.floor(n / 1000);
  const p = (v) => String(v).padStart(2, '0');
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${p(s % 60)} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${p(Math.floor(s / 60) % 60)} min`;
  return `${Math.floor(s / 86_400)} d ${p(Math.floor(s / 3600) % 24)} h`;
}

/** Unix ms → the value of a datetime-local input ("2026-03-01T14:05"), local time. */
export function localInput(ms) {
  const d = new Date(Number(ms));
  const p = (v) => String(v).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function isoDate(ms) {
  const d = new Date(ms);
  const p = (v) => String(v).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
