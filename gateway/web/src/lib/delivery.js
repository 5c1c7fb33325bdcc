// A trade's sandbox delivery (docs/PROTOCOL.md "Deliveries"): the seller
// grants access to the attested dataset, the buyer confirms or disputes it, an
// operator resolves what is left open. Pure helpers: who may do what next, the
// grant's checks, the times a report shows, and one line per step or event.

import { time } from './format.js';

export const DELIVERY_STATES = ['pending', 'granted', 'confirmed', 'disputed', 'failed'];
export const FINAL_STATES = new Set(['confirmed', 'failed']);
export const ACCESS_DAYS = 30;
export const ACCESS_REF_MAX = 128; // bytes of UTF-8
const DAY_MS = 86_400_000;

/** The member's side of a delivery and the other party (side null when not a party). */
export function sideOf(d, me) {
  if (d.seller === me) return { side: 'seller', other: d.buyer };
  if (d.buyer === me) return { side: 'buyer', other: d.seller };
  return { side: null, other: '' };
}

/**
 * What the member may do next: the seller grants a pending or disputed
 * delivery; the buyer confirms a granted one (or a disputed one, which
 * withdraws the dispute) and disputes a granted one.
 */
export function memberActions(d, me) {
  const out = [];
  if (d.seller === me && (d.state === 'pending' || d.state === 'disputed')) out.push('grant');
  if (d.buyer === me && (d.state === 'granted' || d.state === 'disputed')) out.push('confirm');
  if (d.buyer === me && d.state === 'granted') out.push('dispute');
  return out;
}

/** An operator may resolve any delivery not yet confirmed or failed. */
export function canResolve(d) {
  return !FINAL_STATES.has(d.state);
}

/** A grant's default access window: from now (to the minute) for ACCESS_DAYS days. */
export function defaultWindow(now = Date.now()) {
  const from = Math.floor(now / 60_000) * 60_000;
  return { access_from: from, access_until: from + ACCESS_DAYS * DAY_MS };
}

/**
 * The delivery.grant params from the form's values ({access_ref, dataset,
 * access_from, access_until} in ms); throws a readable Error on what the
 * server would refuse anyway.
 */
export function grantParams(tradeId, v, now = Date.now()) {
  const accessRef = String(v.access_ref ?? '').trim();
  const dataset = String(v.dataset ?? '').trim().toLowerCase();
  if (!accessRef) throw new Error('Access reference is required');
  if (new TextEncoder().encode(accessRef).length > ACCESS_REF_MAX)
    throw new Error(`Access reference: at most ${ACCESS_REF_MAX} bytes`);
  if (!/^[0-9a-f]{64}$/.test(dataset)) throw new Error('Dataset: the manifest SHA-256 as 64 hex digits');
  const from = v.access_from;
  const until = v.access_until;
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(until)) throw new Error('the access window needs a start and an end');
  if (until <= from) throw new Error('"Access until" must be after "Access from"');
  if (until <= now) throw new Error('"Access until" is in the past');
  return { trade_id: tradeId, access_ref: accessRef, dataset, access_from: from, access_until: until };
}

/** The latest grant step (its access reference and window), or null. */
export function lastGrant(d) {
  const steps = d.steps ?? [];
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i].state === 'granted') return steps[i];
  return null;
}

export function lastStep(d) {
  return d.steps?.length ? d.steps[d.steps.length - 1] : null;
}

/**
 * The spans a report reads: trade → (latest) grant, trade → confirmation and
 * (latest) grant → confirmation, in ms; null while a time is missing.
 */
export function deliveryTimes(d) {
  const span = (a, b) => (a && b && b >= a ? b - a : null);
  return {
    toGrant: span(d.opened_at, d.granted_at),
    toConfirm: span(d.opened_at, d.confirmed_at),
    grantToConfirm: span(d.granted_at, d.confirmed_at),
  };
}

/** A step or an event as one line: "disputed by SZ-MODEL-LAB: files missing". */
export function stepText(s) {
  const who = s.by === 'operator' ? 'the operator' : s.by;
  const why = s.state === 'disputed' ? s.reason : s.note;
  return `${s.state} by ${who}${why ? `: ${why}` : ''}`;
}

/** A grant's access: "sandbox://x, 2026-03-01 14:05:00 → 2026-03-31 14:05:00". */
export function accessText(s) {
  return s?.access_ref ? `${s.access_ref}, ${time(s.access_from)} → ${time(s.access_until)}` : '';
}

/** A delivery event as the notice a party reads. */
export function eventText(ev) {
  return `delivery of trade ${ev.trade_id} ${stepText(ev)}` +
    (ev.state === 'granted' ? ` (access ${accessText(ev)})` : '');
}

const EVENT_ONLY = new Set(['event', 'trade_id', 'instrument', 'buyer', 'seller']);

/**
 * The shown deliveries with one event applied (state, its time, the step),
 * until the next load brings the server's record; others are kept as they are.
 */
export function applyEvent(list, ev) {
  return list.map((d) => {
    if (String(d.trade_id) !== String(ev.trade_id)) return d;
    const step = Object.fromEntries(Object.entries(ev).filter(([k]) => !EVENT_ONLY.has(k)));
    const out = { ...d, state: ev.state, steps: [...(d.steps ?? []), step] };
    const at = { granted: 'granted_at', confirmed: 'confirmed_at', disputed: 'disputed_at' }[ev.state];
    if (at) out[at] = ev.ts;
    if (ev.by === 'operator' && FINAL_STATES.has(ev.state)) out.resolved_at = ev.ts;
    return out;
  });
}
