// The API client: JSON in and out (Content-Type: application/json, which the server requires of every body),
// the session's access token on every call, one renewal and one retry after a 401, and errors as ApiError
// carrying the API's own message and per-field messages (details.fields).

import {SignedOut} from "./session.js";

/** An answer of the API that is not a success. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.type = error?.type ?? "error";
    this.details = error?.details ?? {};
  }

  /** {field: message} for the fields the API named. */
  get fields() {
    return this.details.fields ?? {};
  }
}

export class Api {
  constructor(session) {
    this.session = session;
  }

  get(path) {
    return this.request("GET", path);
  }

  /** @returns {Promise<{status, body, etag, revision}>} */
  async request(method, path, {body, headers = {}} = {}) {
    let token = await this.session.token();
    let response = await this.#send(method, path, body, headers, token);
    if (response.status === 401 && this.session.required) {
      token = await this.session.renewAfter(token);
      response = await this.#send(method, path, body, headers, token);
      if (response.status === 401) {
        const message = "Your session is no longer accepted. Sign in with a key again.";
        this.session.end(message);
        throw new SignedOut(message);
      }
    }
    const json = (response.headers.get("Content-Type") ?? "").startsWith("application/json")
        ? await response.json() : null;
    if (!response.ok) throw new ApiError(response.status, json?.error);
    return {
      status: response.status,
      body: json,
      etag: response.headers.get("ETag"),
      revision: Number(response.headers.get("X-Switchboard-Revision") ?? NaN),
    };
  }

  #send(method, path, body, headers, token) {
    const all = {"Accept": "application/json", ...headers};
    if (body !== undefined) all["Content-Type"] = "application/json";
    if (token) all["Authorization"] = `Bearer ${token}`;
    return fetch(path, {method, headers: all, body: body === undefined ? undefined : JSON.stringify(body)});
  }
}

/** A path segment, escaped (aliases and provider ids are slugs, but a typo must not change the path). */
export function seg(value) {
  return encodeURIComponent(value);
}
