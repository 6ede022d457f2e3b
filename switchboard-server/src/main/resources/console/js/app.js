// The console's entry point: sign-in when the server asks for it, the two views, and the one change-feed
// connection that keeps them current.

import {Api} from "./api.js";
import {ConfigsView} from "./configs.js";
import {$, fill, h} from "./dom.js";
import {Feed} from "./feed.js";
import {tickAges} from "./format.js";
import {ProvidersView} from "./providers.js";
import {Session, SignedOut} from "./session.js";

/** How often the "… ago" texts are brought up to date. */
const AGE_TICK_MS = 5000;
/** A tab hidden this long gives its feed connection back (browsers allow six per server); it resumes when shown. */
const PAUSE_HIDDEN_AFTER_MS = 60_000;

const main = $("#main");
const tabs = $(".tabs");
const connection = $("#connection");
const revisionLabel = $("#revision");
const who = $("#who");
const signOutButton = $("#sign-out");
const toasts = h("div", {class: "toasts", id: "toasts", "aria-live": "polite"});
document.body.append(toasts);

const session = new Session($('meta[name="switchboard-auth-mode"]').content === "token" ? "token" : "none");
const api = new Api(session);
let views = null;
let feed = null;

/** A short message at the bottom of the page; errors stay longer. */
function notify(message, kind = "ok") {
  const toast = h("div", {class: "toast", "data-kind": kind, role: kind === "error" ? "alert" : "status"}, message,
      h("button", {type: "button", class: "icon", "aria-label": "Dismiss", onclick: () => toast.remove()}, "×"));
  toasts.append(toast);
  setTimeout(() => toast.remove(), kind === "error" ? 15000 : 5000);
}

function showSignIn(message) {
  tabs.hidden = true;
  who.hidden = true;
  signOutButton.hidden = true;
  showConnection({state: "stopped", revision: null});
  const key = h("input", {type: "password", id: "sign-in-key", name: "key", required: true, autocomplete: "off",
    spellcheck: "false", placeholder: "sbk_…", "aria-describedby": "sign-in-message"});
  const note = h("p", {id: "sign-in-message", class: message ? "notice" : "hint", role: "alert"},
      message ?? "Use an API key (switchboard keys create). The page keeps a short-lived session, never the key.");
  const submit = h("button", {type: "submit", class: "primary", id: "sign-in-submit"}, "Sign in");
  const form = h("form", {class: "sign-in card", id: "sign-in"},
      h("h1", {}, "Sign in to Switchboard"),
      h("label", {for: key.id}, "API key"), key, note, submit);
  form.addEventListener("submit", async event => {
    event.preventDefault();
    submit.disabled = true;
    try {
      await session.signIn(key.value.trim());
      key.value = "";
      await start();
    } catch (error) {
      note.className = "form-error";
      note.textContent = error.message;
      key.focus();
    } finally {
      submit.disabled = false;
    }
  });
  fill(main, form);
  key.focus();
}

async function start() {
  if (!session.signedIn) {
    showSignIn();
    return;
  }
  tabs.hidden = false;
  who.hidden = false;
  who.textContent = session.required ? `signed in · ${session.role}` : "no sign-in (auth mode none)";
  signOutButton.hidden = !session.required;
  const providers = new ProvidersView(api, session, notify);
  const configs = new ConfigsView(api, session, notify, () => [...providers.providers.keys()]);
  views = {providers, configs};
  fill(main, h("p", {class: "muted loading"}, "Loading…"));
  let revision;
  try {
    revision = await loadAll();
    performance.mark("switchboard:loaded");
  } catch (error) {
    if (error instanceof SignedOut) return; // the signedout listener shows the form
    fill(main, h("div", {class: "card"}, h("p", {class: "form-error", role: "alert"}, `Could not load: ${error.message}`),
        h("button", {type: "button", class: "primary", onclick: start}, "Try again")));
    return;
  }
  fill(main, providers.element, configs.element);
  route();
  performance.mark("switchboard:filled");
  // when the first frame with the data has been painted (bench/console-1000x100.sh reads it)
  requestAnimationFrame(() => setTimeout(() => {
    document.documentElement.dataset.renderedMs = String(Math.round(performance.now()));
  }));
  feed?.stop();
  feed = new Feed(session, event => {
    views.providers.apply(event);
    views.configs.apply(event);
  }, loadAll);
  feed.addEventListener("state", event => showConnection(event.detail));
  feed.start(revision);
}

/** Loads both views; resolves with the oldest revision they reflect, which the feed resumes from. */
async function loadAll() {
  const [providersRevision, configsRevision] = await Promise.all([views.providers.load(), views.configs.load()]);
  return Math.min(providersRevision, configsRevision);
}

function showConnection({state, revision, retryIn, connects = 0}) {
  connection.dataset.state = state;
  connection.dataset.connects = String(connects);
  connection.title = connects > 1 ? `change feed; connected ${connects} times (drops and token renewals resume where they left off)`
      : "change feed";
  connection.textContent = {
    connecting: "connecting…",
    live: "live",
    reconnecting: retryIn ? `reconnecting in ${Math.round(retryIn / 1000)} s` : "reconnecting…",
    paused: "paused",
    stopped: "offline",
  }[state];
  revisionLabel.textContent = revision == null ? "" : `revision ${revision}`;
  revisionLabel.dataset.revision = revision == null ? "" : String(revision);
}

function route() {
  if (!views) return;
  const current = location.hash.startsWith("#/configs") ? "configs" : "providers";
  views.providers.element.hidden = current !== "providers";
  views.configs.element.hidden = current !== "configs";
  for (const link of tabs.querySelectorAll("a")) {
    if (link.id === `tab-${current}`) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  document.title = `${current === "configs" ? "Model configurations" : "Providers"} · Switchboard`;
}

window.addEventListener("hashchange", () => {
  route();
  main.focus({preventScroll: true});
});

// "/" jumps to the filter of the view on screen, unless the user is typing somewhere
document.addEventListener("keydown", event => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || !views) return;
  const target = event.target;
  if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  if (document.querySelector("dialog[open]")) return;
  event.preventDefault();
  (views.configs.element.hidden ? views.providers.filter : views.configs.filter).focus();
});

session.addEventListener("signedout", event => {
  feed?.stop();
  feed = null;
  views = null;
  for (const dialog of document.querySelectorAll("dialog")) dialog.close();
  showSignIn(event.detail.message);
});

// A page left for another (and perhaps kept in the back/forward cache) or hidden for long closes its stream;
// coming back resumes it from the last revision applied, so nothing is missed meanwhile.
let hiddenTimer = 0;
window.addEventListener("pagehide", () => feed?.pause());
window.addEventListener("pageshow", event => {
  if (event.persisted) feed?.resume();
});
document.addEventListener("visibilitychange", () => {
  clearTimeout(hiddenTimer);
  if (document.hidden) hiddenTimer = setTimeout(() => feed?.pause(), PAUSE_HIDDEN_AFTER_MS);
  else feed?.resume();
});

signOutButton.addEventListener("click", () => session.signOut());
setInterval(() => {
  if (!document.hidden) tickAges();
}, AGE_TICK_MS);

start();
