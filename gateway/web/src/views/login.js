// Login: the HMAC is computed here with WebCrypto. The secret is imported into
// a non-extractable key, the input is cleared, and nothing is stored.

import { h } from '../lib/dom.js';
import { importSecret } from '../lib/auth.js';
import { field, statusLine } from '../lib/forms.js';

export function loginView(conn, message, onLoggedIn) {
  const status = statusLine();
  if (message) status.error(message);
  const form = h('form', { class: 'login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Log in to corpex'),
    h('p', {}, 'Members, operators and regulators sign in with their user and API secret. ',
      'The secret signs the login in this page and is never sent or stored.'),
    field({ name: 'user', label: 'User', required: true, autocomplete: 'username' }),
    field({ name: 'secret', label: 'Secret', type: 'password', required: true, autocomplete: 'current-password' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Log in')),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const user = form.elements.user.value.trim();
    const secretInput = form.elements.secret;
    if (!user || !secretInput.value) return status.error('user and secret are required');
    const key = await importSecret(secretInput.value);
    secretInput.value = '';
    status.info('signing in…');
    try {
      onLoggedIn(await conn.login(user, key));
    } catch (e) {
      status.error(e);
      secretInput.focus();
    }
  });
  queueMicrotask(() => form.elements.user.focus());
  return form;
}
