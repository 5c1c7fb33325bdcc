// A modal form: a heading, what it is about, fields, and one submit button
// per action. The dialog closes when its action succeeds; a refused action
// shows the server's words (CODE: message) in the dialog, which stays open.

import { h, replace } from './dom.js';
import { field, readFields, statusLine } from './forms.js';

/**
 * formDialog({id, title, hint, fields, actions: [{label, cls, run(values, ctx)}], sync})
 * → {el, open(ctx, {title, values, detail, options})}. Enter runs the first action.
 * options sets a select's choices ({name: [[value, label], …]}) before values;
 * sync(form), when given, runs on open and on every change (to show or hide fields).
 */
export function formDialog({ id, title, hint, fields, actions, sync = null }) {
  const status = statusLine();
  const heading = h('h2', { id }, title);
  const detail = h('div', { class: 'detail' });
  const buttons = actions.map((a, i) => h('button', { type: 'submit', value: String(i), class: a.cls ?? null }, a.label));
  const form = h('form', { novalidate: true }, heading,
    hint ? h('p', { class: 'hint' }, hint) : null,
    detail,
    fields.map(field),
    h('div', { class: 'actions' }, buttons, h('button', { type: 'button', onclick: () => el.close() }, 'Close')),
    status);
  const el = h('dialog', { 'aria-labelledby': id }, form);
  let ctx = null;
  if (sync) form.addEventListener('change', () => sync(form));

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const action = actions[Number(ev.submitter?.value ?? 0)] ?? actions[0];
    let values;
    try { values = readFields(form, fields); } catch (e) { status.error(e); return; }
    buttons.forEach((b) => { b.disabled = true; });
    status.info('sending…');
    try {
      await action.run(values, ctx);
      el.close();
    } catch (e) {
      status.error(e);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });

  return {
    el,
    /** Shows the dialog for ctx, its fields set from values. */
    open(c, { title: t, values = {}, detail: d = null, options = {} } = {}) {
      ctx = c;
      heading.textContent = t ?? title;
      form.reset();
      for (const [k, list] of Object.entries(options))
        form.elements[k]?.replaceChildren(...list.map(([value, label]) => h('option', { value }, label)));
      for (const [k, v] of Object.entries(values)) if (form.elements[k] && v !== undefined && v !== null) form.elements[k].value = v;
      replace(detail, d);
      sync?.(form);
      status.info('');
      el.showModal();
    },
  };
}
