// How times, lists and JSON are shown.

import {h} from "./dom.js";

/** "12 s ago", "5 min ago", "3 h ago", "2 d ago"; "never" without a time. */
export function ago(iso, now = Date.now()) {
  if (!iso) return "never";
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86400)} d ago`;
}

/** A <time> that keeps saying how long ago it was (see tickAges); the exact time is in its tooltip. */
export function age(iso) {
  if (!iso) return h("span", {class: "muted"}, "never");
  return h("time", {datetime: iso, title: new Date(iso).toLocaleString(), "data-since": iso}, ago(iso));
}

/** Refreshes every age on the page; cheap enough for thousands of rows every few seconds. */
export function tickAges(root = document) {
  const now = Date.now();
  for (const el of root.querySelectorAll("[data-since]")) {
    const text = ago(el.dataset.since, now);
    if (el.textContent !== text) el.textContent = text;
  }
}

/** A status as a badge whose colour the stylesheet picks (data-status), with the word itself for screen readers. */
export function badge(status) {
  return h("span", {class: "badge", "data-status": status}, status);
}

/** JSON with object keys sorted at every level, so two versions line up for a diff. */
export function canonicalJson(value) {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map(key => [key, sortKeys(value[key])]));
  }
  return value;
}

/** Lines of a textarea as a list: trimmed, empty lines dropped. */
export function lines(text) {
  return text.split("\n").map(line => line.trim()).filter(Boolean);
}
