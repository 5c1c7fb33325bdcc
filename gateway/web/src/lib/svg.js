// Two small inline-SVG charts: a depth chart (cumulative quantity by price) and
// horizontal stacked bars (voucher ledgers). No library; both carry a text
// alternative for screen readers.

import { s } from './dom.js';
import { cny, qty } from './format.js';

/** Cumulative steps from best price outward: [[price, cumQty], ...]. */
export function cumulative(levels) {
  let sum = 0;
  return levels.map((l) => [l.price, (sum += l.qty)]);
}

export function depthChart(bids, asks, { width = 960, height = 220 } = {}) {
  const pad = { l: 56, r: 16, t: 12, b: 28 };
  const cb = cumulative(bids); // best (highest) bid first
  const ca = cumulative(asks); // best (lowest) ask first
  const label = `Depth chart: ${bids.length} bid levels, ${asks.length} ask levels`;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'depth-chart' },
    s('title', {}, label));
  const prices = [...cb, ...ca].map(([p]) => p);
  if (prices.length === 0) {
    svg.append(s('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', class: 'axis' }, 'no resting orders'));
    return svg;
  }
  // Pad the range so a single level still shows as a step, not a line.
  const span = Math.max(...prices) - Math.min(...prices);
  const margin = Math.max(span * 0.15, Math.max(...prices) * 0.02, 1);
  const lo = Math.max(0, Math.min(...prices) - margin);
  const hi = Math.max(...prices) + margin;
  const maxQ = Math.max(1, cb.at(-1)?.[1] ?? 0, ca.at(-1)?.[1] ?? 0);
  const x = (p) => pad.l + ((p - lo) / (hi - lo)) * (width - pad.l - pad.r);
  const y = (q) => height - pad.b - (q / maxQ) * (height - pad.t - pad.b);
  const base = y(0);
  // A side's area: up at its best price, stepping at each worse level, then
  // flat to the chart's edge (left for bids, right for asks).
  const area = (steps, edge) => {
    if (steps.length === 0) return '';
    let d = `M${x(steps[0][0])},${base}`;
    let prevQ = 0;
    for (const [p, q] of steps) {
      d += ` L${x(p)},${y(prevQ)} L${x(p)},${y(q)}`;
      prevQ = q;
    }
    return d + ` L${x(edge)},${y(prevQ)} L${x(edge)},${base} Z`;
  };
  const mid = cb.length && ca.length ? (cb[0][0] + ca[0][0]) / 2 : null;
  svg.append(...[
    s('line', { x1: pad.l, x2: width - pad.r, y1: base, y2: base, class: 'axis-line' }),
    s('line', { x1: pad.l, x2: pad.l, y1: pad.t, y2: base, class: 'axis-line' }),
    s('path', { d: area(cb, lo), class: 'bid-area' }),
    s('path', { d: area(ca, hi), class: 'ask-area' }),
    mid === null ? null : s('line', { x1: x(mid), x2: x(mid), y1: pad.t, y2: base, class: 'mid-line' }),
    s('text', { x: pad.l, y: height - 8, class: 'axis' }, cny(Math.round(lo))),
    s('text', { x: width - pad.r, y: height - 8, 'text-anchor': 'end', class: 'axis' }, cny(Math.round(hi))),
    mid === null ? null : s('text', { x: x(mid), y: height - 8, 'text-anchor': 'middle', class: 'axis' }, `mid ${cny(Math.round(mid))}`),
    s('text', { x: pad.l - 6, y: pad.t + 8, 'text-anchor': 'end', class: 'axis' }, qty(maxQ)),
    s('text', { x: pad.l - 6, y: base, 'text-anchor': 'end', class: 'axis' }, '0'),
  ].filter(Boolean));
  return svg;
}

/**
 * rows: [{label, values: {key: n}, total}], segments: [{key, label, cls}].
 * Each bar is drawn against its own total (e.g. the member cap).
 */
export function stackedBars(rows, segments, { width = 640, barHeight = 18, title = 'chart' } = {}) {
  const labelW = 180;
  const gap = 10;
  const legendH = 22;
  const height = legendH + rows.length * (barHeight + gap) + 4;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': title, class: 'bars' },
    s('title', {}, title));
  let lx = labelW;
  for (const seg of segments) {
    svg.append(s('rect', { x: lx, y: 4, width: 12, height: 12, class: seg.cls }),
      s('text', { x: lx + 16, y: 14, class: 'legend' }, seg.label));
    lx += 24 + seg.label.length * 7;
  }
  const barW = width - labelW - 8;
  rows.forEach((r, i) => {
    const y0 = legendH + i * (barHeight + gap);
    const total = Math.max(1, r.total);
    svg.append(s('text', { x: labelW - 8, y: y0 + barHeight - 4, 'text-anchor': 'end', class: 'legend' }, r.label),
      s('rect', { x: labelW, y: y0, width: barW, height: barHeight, class: 'track' }));
    let x0 = labelW;
    for (const seg of segments) {
      const v = Math.max(0, r.values[seg.key] ?? 0);
      const w = Math.min(barW - (x0 - labelW), (v / total) * barW);
      if (w <= 0) continue;
      svg.append(s('rect', { x: x0, y: y0, width: w, height: barHeight, class: seg.cls },
        s('title', {}, `${r.label} ${seg.label}: ${cny(v)} CNY`)));
      x0 += w;
    }
  });
  return svg;
}

/** Voucher ledger bars: paid, approved, reserved-but-unsettled against the cap. */
export const LEDGER_SEGMENTS = [
  { key: 'paid', label: 'paid', cls: 'seg-paid' },
  { key: 'approved', label: 'approved', cls: 'seg-approved' },
  { key: 'pending', label: 'reserved, unsettled', cls: 'seg-pending' },
];

export function ledgerRow(label, l, cap) {
  return {
    label,
    total: cap,
    values: { paid: l.paid, approved: l.approved, pending: l.reserved - l.approved - l.paid },
  };
}
