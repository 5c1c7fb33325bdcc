// One instrument's order book as the `book` channel describes it: a snapshot,
// then updates whose seq rises by exactly one. A gap makes the book stale until
// the next snapshot; the caller resubscribes to get one. Pure, no DOM.

export class BookState {
  constructor(instrument) {
    this.instrument = instrument;
    this.seq = null;
    this.stale = true;
    this.bids = new Map(); // price -> {qty, orders}; orders null once an update touched it
    this.asks = new Map();
  }

  /** Applies one book event; returns 'snapshot', 'update', 'gap' or 'ignored'. */
  apply(ev) {
    if (ev.instrument !== this.instrument) return 'ignored';
    if (ev.type === 'snapshot') {
      this.bids = new Map(ev.bids.map(([p, q, o]) => [p, { qty: q, orders: o }]));
      this.asks = new Map(ev.asks.map(([p, q, o]) => [p, { qty: q, orders: o }]));
      this.seq = ev.seq;
      this.stale = false;
      return 'snapshot';
    }
    if (this.stale) return 'ignored';
    if (ev.seq !== this.seq + 1) {
      this.stale = true;
      return 'gap';
    }
    for (const [side, price, q] of ev.changes) {
      const levels = side === 'buy' ? this.bids : this.asks;
      if (q === 0) levels.delete(price);
      else levels.set(price, { qty: q, orders: levels.get(price)?.qty === q ? levels.get(price).orders : null });
    }
    this.seq = ev.seq;
    return 'update';
  }

  /** Levels best first: bids high to low, asks low to high. */
  levels(side) {
    const m = side === 'buy' ? this.bids : this.asks;
    const out = [...m].map(([price, l]) => ({ price, qty: l.qty, orders: l.orders }));
    return out.sort((a, b) => (side === 'buy' ? b.price - a.price : a.price - b.price));
  }

  get empty() {
    return this.bids.size === 0 && this.asks.size === 0;
  }
}
