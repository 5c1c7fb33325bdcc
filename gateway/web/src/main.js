// The console's shell: log in, then one view per hash route, offered by role.
// Every view speaks to corpexd through the one Conn, as any other client does.

import './style.css';
import { Conn } from './lib/conn.js';
import { h, replace } from './lib/dom.js';
import { loginView } from './views/login.js';
import { marketView } from './views/market.js';
import { memberView } from './views/member.js';
import { operatorView } from './views/operator.js';
import { regulatorView } from './views/regulator.js';

const VIEWS = {
  market: { label: 'Market', mount: marketView, roles: ['member', 'operator', 'regulator'] },
  member: { label: 'My orders', mount: memberView, roles: ['member'] },
  operator: { label: 'Operator', mount: operatorView, roles: ['operator'] },
  regulator: { label: 'Regulator', mount: regulatorView, roles: ['regulator'] },
};
const HOME = { member: 'member', operator: 'operator', regulator: 'regulator' };

const conn = new Conn();
const main = document.getElementById('main');
const nav = document.getElementById('nav');
const connEl = document.getElementById('conn');
const who = document.getElementById('who');
const logoutBtn = document.getElementById('logout');
let session = null;
let unmount = null;

const STATE_TEXT = {
  connecting: 'connecting…', open: 'connected', closed: 'not connected', reconnecting: 'connection lost',
};
conn.on('state', ({ state, detail }) => {
  connEl.dataset.state = state;
  connEl.textContent = STATE_TEXT[state] + (detail ? ` — ${detail}` : '');
});

conn.on('loggedout', (err) => {
  session = null;
  showLogin(err ? `logged out: ${err.message}` : '');
});

logoutBtn.addEventListener('click', () => conn.logout());
window.addEventListener('hashchange', route);

function showLogin(message) {
  unmount?.();
  unmount = null;
  nav.hidden = true;
  logoutBtn.hidden = true;
  who.textContent = '';
  if (location.hash) history.replaceState(null, '', location.pathname);
  replace(main, loginView(conn, message, (s) => {
    session = s;
    who.textContent = `${s.user} (${s.role})`;
    logoutBtn.hidden = false;
    replace(nav, Object.entries(VIEWS).filter(([, v]) => v.roles.includes(s.role))
      .map(([k, v]) => h('a', { href: `#/${k}`, 'data-view': k }, v.label)));
    nav.hidden = false;
    const want = location.hash.slice(2);
    if (VIEWS[want]?.roles.includes(s.role)) route();
    else location.hash = `#/${HOME[s.role]}`;
  }));
}

function route() {
  if (!session) return;
  let name = location.hash.replace(/^#\/?/, '');
  if (!VIEWS[name]?.roles.includes(session.role)) name = HOME[session.role];
  for (const a of nav.querySelectorAll('a'))
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  unmount?.();
  main.replaceChildren();
  unmount = VIEWS[name].mount(main, { conn, session });
  document.title = `corpex — ${VIEWS[name].label}`;
}

showLogin('');
