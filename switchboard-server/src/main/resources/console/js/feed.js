// The page's one connection to the change feed (GET /api/v1/events as Server-Sent Events).
//
// EventSource cannot send headers, so the access token travels as ?access_token= (the server accepts access
// tokens there, never keys). The feed resumes by revision: every (re)connection asks for ?since=<last revision
// applied>, so nothing is missed or applied twice across drops, token renewals and server restarts.
// - auth_expired (reason "expired"): the token ran out under the stream; renew and reconnect at once.
// - auth_expired (reason "revoked"): the session was signed out elsewhere; back to the sign-in form.
// - resync_required: the server no longer has the events we need; reload the state, resume from its revision.
// - any other error or drop: reconnect after 1, 2, 4 … 15 s.

import {SignedOut} from "./session.js";

/** The logged event types the page follows; others are ignored, as docs/events.md asks of clients. */
const TYPES = ["model_catalog.changed", "provider.status_changed", "provider.created", "provider.updated",
  "provider.deleted", "model_config.created", "model_config.updated", "model_config.deleted"];
const MAX_BACKOFF_MS = 15_000;

/**
 * Emits "state" (detail: {state, revision, retryIn}) whenever the connection or the revision changes.
 * States: connecting, live, reconnecting, paused (the page is hidden or left), stopped.
 */
export class Feed extends EventTarget {
  #source = null;
  #retryTimer = 0;
  #failures = 0;
  #generation = 0;

  /**
   * @param session  gives the access token
   * @param onEvent  applies one event envelope to the page
   * @param onResync reloads the page's state; resolves with the revision it reflects
   */
  constructor(session, onEvent, onResync) {
    super();
    this.session = session;
    this.onEvent = onEvent;
    this.onResync = onResync;
    this.revision = 0;
    this.state = "stopped";
    /** Streams opened so far (each drop, token renewal under the stream or resync opens a new one). */
    this.connects = 0;
  }

  /** Follows the feed from revision (the state the page has loaded reflects every event up to it). */
  start(revision) {
    this.revision = revision;
    this.#failures = 0;
    this.#connect();
  }

  stop() {
    this.#close("stopped");
  }

  /**
   * Closes the connection but keeps the revision; resume() picks up after it with nothing lost. A browser allows
   * six connections to one server over HTTP/1.1, so pages that are left or long hidden give theirs back.
   */
  pause() {
    if (this.state !== "stopped") this.#close("paused");
  }

  resume() {
    if (this.state !== "paused") return;
    this.#failures = 0;
    this.#connect();
  }

  #close(state) {
    this.#generation++;
    clearTimeout(this.#retryTimer);
    this.#source?.close();
    this.#source = null;
    this.#setState(state);
  }

  async #connect() {
    const generation = ++this.#generation;
    clearTimeout(this.#retryTimer);
    this.#source?.close();
    this.#source = null;
    this.#setState(this.#failures === 0 ? "connecting" : "reconnecting");
    let token;
    try {
      token = await this.session.token();
    } catch (error) {
      if (error instanceof SignedOut) {
        this.stop();
        return;
      }
      this.#retry(generation);
      return;
    }
    if (generation !== this.#generation) return; // stopped or restarted while the token was renewed
    let url = `/api/v1/events?since=${this.revision}`;
    if (token) url += `&access_token=${encodeURIComponent(token)}`;
    const source = new EventSource(url);
    this.#source = source;
    source.addEventListener("open", () => {
      this.#failures = 0;
      this.connects++;
      this.#setState("live");
    });
    for (const type of TYPES) source.addEventListener(type, event => this.#deliver(source, event));
    source.addEventListener("auth_expired", event => this.#authExpired(source, event));
    source.addEventListener("resync_required", () => this.#resync(source));
    // an error either ends the stream or has EventSource retry with the old URL (and the old token): both are
    // replaced by a reconnection of ours, with a fresh token and the revision applied last
    source.addEventListener("error", () => {
      if (this.#source !== source) return;
      source.close();
      this.#source = null;
      this.#retry(generation);
    });
  }

  #retry(generation) {
    if (generation !== this.#generation) return;
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.#failures++);
    this.#setState("reconnecting", delay);
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  #deliver(source, event) {
    if (this.#source !== source) return;
    const envelope = JSON.parse(event.data);
    if (envelope.revision <= this.revision) return; // already applied
    try {
      this.onEvent(envelope);
    } finally {
      this.revision = envelope.revision;
      this.#setState(this.state);
    }
  }

  #authExpired(source, event) {
    if (this.#source !== source) return;
    source.close();
    this.#source = null;
    const data = JSON.parse(event.data).data ?? {};
    if (data.reason === "revoked") {
      this.session.end("Your session was revoked (its key was deleted, or it was signed out elsewhere). Sign in with a key again.");
      this.stop();
      return;
    }
    // the token expired under the stream: token() renews it, and the stream resumes after this.revision
    this.#failures = 0;
    this.#connect();
  }

  async #resync(source) {
    if (this.#source !== source) return;
    source.close();
    this.#source = null;
    const generation = ++this.#generation;
    this.#setState("reconnecting");
    try {
      const revision = await this.onResync();
      if (generation !== this.#generation) return;
      this.revision = revision; // what was loaded reflects at least this revision; replays after it are idempotent
      this.#failures = 0;
      this.#connect();
    } catch (error) {
      if (!(error instanceof SignedOut)) this.#retry(generation);
    }
  }

  #setState(state, retryIn = 0) {
    this.state = state;
    this.dispatchEvent(new CustomEvent("state", {detail: {state, revision: this.revision, retryIn, connects: this.connects}}));
  }
}
