// Forms for ops: labelled fields, values converted to the integers the wire
// wants, and the server's answer shown verbatim (CODE: message).

import { h, replace } from './dom.js';
import { parseCny, dateMs, dateTimeMs } from './format.js';

let uid = 0;

export function errorText(e) {
  return e?.code ? e.message : String(e?.message ?? e);
}

/** A status line that reads out its changes. */
export function statusLine(cls = '') {
  const el = h('p', { class: `status ${cls}`, role: 'status', 'aria-live': 'polite' });
  el.ok = (msg) => { el.className = `status ok ${cls}`; replace(el, msg); };
  el.error = (e) => { el.className = `status error ${cls}`; replace(el, errorText(e)); };
  el.info = (msg) => { el.className = `status ${cls}`; replace(el, msg); };
  return el;
}

/**
 * A field: {name, label, type, options, required, value, hint, min, step, placeholder}
 * type: text | int | cny | list | select | date | datetime | checks | bool | password
 */
export function field(f) {
  const id = `f${++uid}-${f.name}`;
  let input;
  const common = { id, name: f.name, required: f.required ?? false, placeholder: f.placeholder };
  if (f.type === 'select') {
    input = h('select', common, (f.options ?? []).map((o) => {
      const [value, label] = Array.isArray(o) ? o : [o, o];
      return h('option', { value, selected: String(value) === String(f.value ?? '') }, label);
    }));
  } else if (f.type === 'bool') {
    const hint = f.hint ? h('small', { id: `${id}-hint` }, f.hint) : null;
    return h('div', { class: 'field check' },
      h('label', { for: id }, h('input', { id, name: f.name, type: 'checkbox', checked: f.value ?? false,
        'aria-describedby': hint ? hint.id : null }), ' ', f.label), hint);
  } else if (f.type === 'checks') {
    return h('fieldset', { class: 'checks', 'data-name': f.name },
      h('legend', {}, f.label),
      f.options.map((o) => h('label', {},
        h('input', { type: 'checkbox', name: f.name, value: o, checked: (f.value ?? []).includes(o) }), ' ', o)));
  } else {
    const type = { int: 'number', cny: 'text', date: 'date', datetime: 'datetime-local', password: 'password' }[f.type] ?? 'text';
    input = h('input', {
      ...common, type, value: f.value ?? '',
      inputmode: f.type === 'cny' ? 'decimal' : null,
      step: f.type === 'int' ? (f.step ?? 1) : null, min: f.min,
      autocomplete: f.autocomplete ?? 'off',
    });
  }
  const hint = f.hint ? h('small', { id: `${id}-hint` }, f.hint) : null;
  if (hint) input.setAttribute('aria-describedby', hint.id);
  return h('div', { class: 'field' }, h('label', { for: id }, f.label), input, hint);
}

/** Reads a form's fields into wire values; throws a readable Error on bad input. */
export function readFields(form, fields) {
  const out = {};
  for (const f of fields) {
    if (f.type === 'checks') {
      out[f.name] = [...form.querySelectorAll(`input[name="${f.name}"]:checked`)].map((i) => i.value);
      if (f.required && out[f.name].length === 0) throw new Error(`${f.label}: choose at least one`);
      continue;
    }
    const el = form.elements[f.name];
    if (!el || el.disabled) continue;
    if (f.type === 'bool') {
      out[f.name] = el.checked;
      continue;
    }
    const raw = el.value.trim();
    if (raw === '') {
      if (f.required) throw new Error(`${f.label} is required`);
      continue;
    }
    let v = raw;
    if (f.type === 'int') {
      if (!/^-?\d+$/.test(raw)) throw new Error(`${f.label} must be a whole number`);
      v = Number(raw);
    } else if (f.type === 'cny') {
      v = parseCny(raw);
      if (v === null) throw new Error(`${f.label} must be an amount in CNY with at most 2 decimals`);
    } else if (f.type === 'list') {
      v = raw.split(',').map((x) => x.trim()).filter(Boolean);
    } else if (f.type === 'date') {
      v = dateMs(raw);
    } else if (f.type === 'datetime') {
      v = dateTimeMs(raw);
    }
    out[f.name] = v;
  }
  return out;
}

/**
 * A whole op form: onSubmit(values) may return a message to show; a thrown
 * ServerError shows as the server worded it.
 */
export function opForm({ legend, fields, submit = 'Submit', onSubmit, cls = '' }) {
  const status = statusLine();
  const button = h('button', { type: 'submit' }, submit);
  const form = h('form', { class: `op ${cls}`, novalidate: true },
    h('fieldset', {}, h('legend', {}, legend), fields.map(field),
      h('div', { class: 'actions' }, button)),
    status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let values;
    try { values = readFields(form, fields); } catch (e) { status.error(e); return; }
    button.disabled = true;
    status.info('sending…');
    try {
      const msg = await onSubmit(values, form);
      if (msg === null) status.info('');
      else status.ok(msg ?? 'done');
    } catch (e) {
      status.error(e);
    } finally {
      button.disabled = false;
    }
  });
  form.status = status;
  return form;
}

/** A button that runs an async action and reports into a status line. */
export function actionButton(label, status, action, attrs = {}) {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      const msg = await action();
      if (msg) status.ok(msg);
    } catch (e) {
      status.error(e);
    } finally {
      b.disabled = false;
    }
  });
  return b;
}
