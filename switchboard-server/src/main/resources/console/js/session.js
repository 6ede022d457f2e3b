// Sign-in for [auth] mode = "token", as docs/auth.md describes it: an API key is exchanged once for a session
// (a short-lived access token and a refresh token); the key itself is never kept. The access token is renewed
// when 80% of its lifetime has passed, by a timer and by every caller that finds it old, through one shared
// promise, so a refresh token is never spent twice (that would revoke the whole session).
//
// The session lives in sessionStorage: it survives a reload of the tab but not the tab, and other tabs sign
// in on their own (two tabs sharing one refresh token would race to spend it). A browser copies sessionStorage
// into a tab opened from this one (duplicated, or a link opened in a new tab): such a copy asks the other tabs
// over a BroadcastChannel whether the session is theirs, and if so leaves it to them and asks for a key.

const STORAGE_KEY = "switchboard.session";
const CHANNEL = "switchboard.session";
/** How long a tab that found a session in its storage waits for another tab to claim it. */
const CLAIM_WAIT_MS = 300;
/** Renew when less than this share of the access token's lifetime is left. */
const RENEW_WHEN_LEFT = 0.2;

/** The user must sign in again; message says why, for people. */
export class SignedOut extends Error {
}

/**
 * Emits "change" when a session starts or is renewed, and "signedout" (detail: {message}) when it ends:
 * signed out, refused on refresh, or revoked.
 */
export class Session extends EventTarget {
  #session = null;
  #refreshing = null;
  #timer = 0;
  #channel = null;
  /** Settles once a session found in storage is known to be this tab's own (see #claim). */
  #claimed = Promise.resolve();

  /** @param mode "token" or "none" (every caller is an admin, there is nothing to sign in to) */
  constructor(mode, storage = window.sessionStorage) {
    super();
    this.mode = mode;
    this.storage = storage;
    if (mode !== "token") return;
    if ("BroadcastChannel" in window) {
      this.#channel = new BroadcastChannel(CHANNEL);
      this.#channel.addEventListener("message", event => {
        if (event.data?.whose && event.data.whose === this.#session?.id) this.#channel.postMessage({mine: event.data.whose});
      });
    }
    this.#restore();
  }

  get required() {
    return this.mode === "token";
  }

  get signedIn() {
    return !this.required || this.#session !== null;
  }

  /** The role of the key signed in with; without auth every caller is an admin. */
  get role() {
    return this.required ? this.#session?.role ?? null : "admin";
  }

  /** May this session do what needs role? Roles are ordered reader < writer < admin. */
  may(role) {
    const order = ["reader", "writer", "admin"];
    return this.signedIn && order.indexOf(this.role) >= order.indexOf(role);
  }

  /** Exchanges an API key for a session. Throws an Error whose message the sign-in form shows. */
  async signIn(key) {
    const response = await fetch("/api/v1/auth/token", {
      method: "POST",
      headers: {"Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify({key}),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      throw new Error(response.status === 401 ? "That key was not accepted. Check it and try again."
          : body?.error?.message ?? `Sign-in failed (HTTP ${response.status}).`);
    }
    this.#keep(body);
  }

  /** A valid access token (renewed first when old), or null without auth. Throws SignedOut. */
  async token() {
    if (!this.required) return null;
    await this.#claimed;
    if (!this.#session) throw new SignedOut("Sign in to continue.");
    if (this.#left() < this.#session.expires_in * 1000 * RENEW_WHEN_LEFT) await this.refresh();
    return this.#session.access_token;
  }

  /**
   * After a 401 with token `used`: renews unless another caller already did (then the new token is returned
   * without spending the refresh token again).
   */
  async renewAfter(used) {
    if (this.#session && this.#session.access_token !== used) return this.#session.access_token;
    await this.refresh();
    return this.#session.access_token;
  }

  /** Renews the session; concurrent callers share one request. A refused refresh ends the session. */
  refresh() {
    if (!this.#session) return Promise.reject(new SignedOut("Sign in to continue."));
    this.#refreshing ??= this.#renew().finally(() => (this.#refreshing = null));
    return this.#refreshing;
  }

  async #renew() {
    let response;
    try {
      response = await fetch("/api/v1/auth/refresh", {
        method: "POST",
        headers: {"Content-Type": "application/json", "Accept": "application/json"},
        body: JSON.stringify({refresh_token: this.#session.refresh_token}),
      });
    } catch (networkError) {
      // the server is unreachable: keep the session, the caller retries later
      throw new Error("The server cannot be reached to renew the session.");
    }
    const body = await response.json().catch(() => null);
    if (response.ok) {
      this.#keep(body);
      return;
    }
    const reason = body?.error?.message ?? `HTTP ${response.status}`;
    const message = `Your session could not be renewed (${reason}). Sign in with a key again.`;
    this.end(message);
    throw new SignedOut(message);
  }

  /** Signs out: the server revokes the session (its refresh token, access tokens and streams), then it is forgotten. */
  async signOut() {
    const refreshToken = this.#session?.refresh_token;
    this.end("Signed out.");
    if (!refreshToken) return;
    await fetch("/api/v1/auth/revoke", {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify({refresh_token: refreshToken}),
    }).catch(() => undefined); // the page forgets the session either way; it ends with its refresh token's lifetime
  }

  /** Forgets the session and tells the page to show the sign-in form with message. */
  end(message) {
    if (!this.required) return;
    const had = this.#session !== null;
    this.#session = null;
    clearTimeout(this.#timer);
    this.storage.removeItem(STORAGE_KEY);
    if (had) this.dispatchEvent(new CustomEvent("signedout", {detail: {message}}));
  }

  #keep(body) {
    // the expiry is computed on this clock: a browser whose clock is off still renews in time; the id names the
    // session across its renewals, for the claim of a copied tab
    this.#session = {...body, received_at: Date.now(), id: this.#session?.id ?? randomId()};
    this.storage.setItem(STORAGE_KEY, JSON.stringify(this.#session));
    this.#schedule();
    this.dispatchEvent(new Event("change"));
  }

  #restore() {
    try {
      const stored = JSON.parse(this.storage.getItem(STORAGE_KEY) ?? "null");
      if (stored?.access_token && stored?.refresh_token && stored?.received_at && stored?.id) {
        this.#session = stored;
        this.#claimed = this.#claim(stored.id);
      }
    } catch {
      this.storage.removeItem(STORAGE_KEY);
    }
  }

  /**
   * A session found in storage may be a copy of another tab's (the browser copies sessionStorage into tabs opened
   * from a tab). Asks the other tabs; if one answers that it is theirs, this tab leaves it alone: renewing it here
   * would spend a refresh token the other tab spends too, and the server would end the session for both.
   */
  #claim(id) {
    if (!this.#channel) {
      this.#schedule();
      return Promise.resolve();
    }
    return new Promise(resolve => {
      const answered = event => {
        if (event.data?.mine === id) settle(true);
      };
      const settle = copied => {
        this.#channel.removeEventListener("message", answered);
        clearTimeout(timer);
        if (copied) {
          this.end("This tab was opened from a signed-in tab, whose session stays there. Sign in to use this tab on its own.");
        } else if (this.#session?.id === id) {
          this.#schedule();
        }
        resolve();
      };
      const timer = setTimeout(() => settle(false), CLAIM_WAIT_MS);
      this.#channel.addEventListener("message", answered);
      this.#channel.postMessage({whose: id});
    });
  }

  /**
   * Time left on the access token by this page's clock. Its exp is in whole seconds, so it may end up to a second
   * before expires_in says: count that second as gone.
   */
  #left() {
    return this.#session.received_at + (this.#session.expires_in - 1) * 1000 - Date.now();
  }

  #schedule() {
    clearTimeout(this.#timer);
    const wait = Math.max(0, this.#left() - this.#session.expires_in * 1000 * RENEW_WHEN_LEFT);
    this.#timer = setTimeout(() => this.refresh().catch(() => undefined), wait);
  }
}

/** 128 random bits as hex (crypto.randomUUID needs a secure context; getRandomValues does not). */
function randomId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), byte => byte.toString(16).padStart(2, "0")).join("");
}
