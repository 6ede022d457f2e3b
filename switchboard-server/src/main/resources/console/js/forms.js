// Error messages of the API shown where they belong: beside the fields that details.fields names.

import {ApiError} from "./api.js";

/**
 * Puts the API's messages beside the fields it names (details.fields; "labels.team" goes to "labels"), and the
 * whole message above the form. Returns true when some field took a message.
 */
export function showErrors(form, prefix, error) {
  for (const el of form.querySelectorAll(".field-error")) {
    el.hidden = true;
    el.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  const top = form.querySelector(".form-error");
  const fields = error instanceof ApiError ? error.fields : {};
  let placed = false;
  let first = null;
  for (const [name, message] of Object.entries(fields)) {
    const base = name.split(".")[0];
    const slot = form.querySelector(`#${prefix}-${base}-error`);
    if (!slot) continue;
    slot.textContent = slot.textContent ? `${slot.textContent}; ${message}` : message;
    slot.hidden = false;
    const control = form.querySelector(`#${prefix}-${base}`);
    control?.setAttribute("aria-invalid", "true");
    first ??= control;
    placed = true;
  }
  top.textContent = error.message;
  top.hidden = false;
  first?.focus();
  return placed;
}

/** Clears what showErrors put up. */
export function clearErrors(form) {
  for (const el of form.querySelectorAll(".field-error, .form-error")) {
    el.hidden = true;
    el.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}
