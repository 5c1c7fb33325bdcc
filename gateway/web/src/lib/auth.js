// Login signatures with WebCrypto. The secret is imported once into a
// non-extractable HMAC key; the string itself is dropped by the caller and
// never stored. sig = hex(HMAC-SHA256(secret, user + "\n" + ts + "\n" + nonce)).

export function importSecret(secret, subtle = globalThis.crypto.subtle) {
  return subtle.importKey('raw', new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
}

export function newNonce() {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export async function loginParams(key, user, subtle = globalThis.crypto.subtle) {
  const ts = Date.now();
  const nonce = newNonce();
  const mac = await subtle.sign('HMAC', key, new TextEncoder().encode(`${user}\n${ts}\n${nonce}`));
  const sig = Array.from(new Uint8Array(mac), (x) => x.toString(16).padStart(2, '0')).join('');
  return { user, ts, nonce, sig };
}
