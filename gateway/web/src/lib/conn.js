// The console's one WebSocket to corpexd (SPEC §5): requests matched to
// responses by id, events fanned out by name, and — when the connection drops —
// reconnection with backoff, a fresh login (new ts and nonce) and every
// subscription sent again. Views listen for 'resync' to reload their lists.

import { loginParams } from './auth.js';

/** A server error, worded as the server worded it: "CODE: message". */
export class ServerError extends Error {
  constructor(code, message) {
    super(`${code}: ${message}`);
    this.code = code;
    this.serverMessage = message;
  }
}

const REQUEST_TIMEOUT_MS = 30_000;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 15_000;
const FATAL_LOGIN = new Set(['AUTH_FAILED', 'MEMBER_SUSPENDED']);

export function defaultUrl(loc = globalThis.location) {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/v1`;
}

export class Conn {
  constructor(url = defaultUrl()) {
    this.url = url;
    this.ws = null;
    this.nextId = 1;
    this.pending = new Map(); // id -> {resolve, reject, timer}
    this.listeners = new Map(); // event name -> Set of fn
    this.subs = new Map(); // "channel instrument" -> params
    this.creds = null; // {user, key}; key is a non-extractable CryptoKey
    this.session = null; // login result
    this.backoff = BACKOFF_MIN_MS;
    this.retryTimer = null;
    this.state = 'closed';
  }

  on(name, fn) {
    if (!this.listeners.has(name)) this.listeners.set(name, new Set());
    this.listeners.get(name).add(fn);
    return () => this.listeners.get(name).delete(fn);
  }

  emit(name, data) {
    for (const fn of this.listeners.get(name) ?? []) {
      try { fn(data); } catch (e) { console.error(e); }
    }
  }

  setState(state, detail = '') {
    this.state = state;
    this.emit('state', { state, detail });
  }

  /** Opens the socket and logs in; rejects with the server's error. */
  async login(user, key) {
    this.close();
    await this.open();
    try {
      this.session = await this.request('login', await loginParams(key, user));
    } catch (e) {
      this.close();
      throw e;
    }
    this.creds = { user, key }; // from here on a dropped connection reconnects
    this.setState('open');
    return this.session;
  }

  open() {
    return new Promise((resolve, reject) => {
      this.setState('connecting');
      const ws = new WebSocket(this.url);
      this.ws = ws;
      let opened = false;
      ws.onopen = () => { opened = true; resolve(); };
      ws.onmessage = (m) => this.onMessage(m.data);
      ws.onclose = (e) => {
        if (this.ws !== ws) return;
        this.ws = null;
        this.failPending(new ServerError('DISCONNECTED', `connection closed (${e.code})`));
        if (!opened) reject(new ServerError('DISCONNECTED', `cannot connect to ${this.url}`));
        if (this.creds) this.scheduleReconnect();
        else this.setState('closed');
      };
    });
  }

  onMessage(text) {
    let msg;
    try { msg = JSON.parse(text); } catch { return; }
    if (msg.event) return this.emit(msg.event, msg);
    const p = this.pending.get(String(msg.id));
    if (!p) {
      if (!msg.ok && msg.error) this.emit('error', new ServerError(msg.error.code, msg.error.message));
      return;
    }
    this.pending.delete(String(msg.id));
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new ServerError(msg.error.code, msg.error.message));
  }

  request(op, params = {}) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN)
      return Promise.reject(new ServerError('DISCONNECTED', 'not connected; reconnecting'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(String(id));
        reject(new ServerError('TIMEOUT', `no answer to ${op} in ${REQUEST_TIMEOUT_MS / 1000} s`));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(String(id), { resolve, reject, timer });
      this.ws.send(JSON.stringify({ id, op, ...params }));
    });
  }

  failPending(err) {
    for (const p of this.pending.values()) { clearTimeout(p.timer); p.reject(err); }
    this.pending.clear();
  }

  subscribe(channel, instrument) {
    const params = instrument ? { channel, instrument } : { channel };
    this.subs.set(`${channel} ${instrument ?? ''}`, params);
    return this.request('subscribe', params);
  }

  unsubscribe(channel, instrument) {
    const params = instrument ? { channel, instrument } : { channel };
    this.subs.delete(`${channel} ${instrument ?? ''}`);
    return this.request('unsubscribe', params).catch(() => {});
  }

  /** A fresh snapshot after a seq gap: unsubscribe, then subscribe again. */
  async resubscribe(channel, instrument) {
    await this.unsubscribe(channel, instrument);
    return this.subscribe(channel, instrument);
  }

  scheduleReconnect() {
    clearTimeout(this.retryTimer);
    const wait = Math.round(this.backoff * (0.75 + Math.random() * 0.5));
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
    this.setState('reconnecting', `retrying in ${(wait / 1000).toFixed(1)} s`);
    this.retryTimer = setTimeout(() => this.reconnect(), wait);
  }

  async reconnect() {
    if (!this.creds) return;
    try {
      await this.open();
    } catch {
      return; // onclose has scheduled the next try
    }
    try {
      this.session = await this.request('login', await loginParams(this.creds.key, this.creds.user));
      for (const params of this.subs.values()) await this.request('subscribe', params);
    } catch (e) {
      if (FATAL_LOGIN.has(e.code)) {
        this.creds = null;
        this.ws?.close();
        this.emit('loggedout', e);
      }
      return; // otherwise the close handler retries
    }
    this.backoff = BACKOFF_MIN_MS;
    this.setState('open');
    this.emit('resync');
  }

  close() {
    clearTimeout(this.retryTimer);
    this.creds = null;
    const ws = this.ws;
    this.ws = null;
    this.failPending(new ServerError('DISCONNECTED', 'logged out'));
    ws?.close();
    this.setState('closed');
  }

  async logout() {
    try { await this.request('logout'); } catch { /* the socket closes anyway */ }
    this.subs.clear();
    this.close();
    this.emit('loggedout', null);
  }
}
