// Element building without HTML parsing: whatever the API returns (model ids, error messages, descriptions)
// lands in the page as text, never as markup.

/**
 * h("button", {class: "primary", onclick: fn}, "Save") → <button class="primary">Save</button>.
 * Attributes: null, undefined and false are left out, true sets an empty attribute; "on…" functions become
 * listeners; "value" and "checked" are set as properties once the children are in (so a <select> can pick).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  const late = {};
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value == null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (name === "value" || name === "checked") {
      late[name] = value;
    } else if (name === "dataset") {
      Object.assign(el.dataset, value);
    } else {
      el.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(el, children);
  Object.assign(el, late);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces every child of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** The first element matching selector inside root, or an error naming what is missing (a bug, not a state). */
export function $(selector, root = document) {
  const el = root.querySelector(selector);
  if (!el) throw new Error(`no element ${selector}`);
  return el;
}

/** A modal <dialog> appended to the page and removed when closed; Escape closes it, focus returns where it was. */
export function modal(title, ...content) {
  const opener = document.activeElement;
  const heading = h("h2", {id: `dialog-title-${++dialogs}`}, title);
  const close = h("button", {type: "button", class: "icon close", "aria-label": "Close", onclick: () => dialog.close()}, "×");
  const dialog = h("dialog", {"aria-labelledby": heading.id}, h("header", {}, heading, close), h("div", {class: "dialog-body"}, content));
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
let dialogs = 0;
