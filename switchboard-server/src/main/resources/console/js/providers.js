// Providers: status, counts, ages and errors; refresh one or all; each provider's models, searchable; create,
// edit and delete the providers managed through the API (their credential can be set, never read).

import {ApiError, seg} from "./api.js";
import {h, fill, modal} from "./dom.js";
import {age, badge, lines} from "./format.js";
import {showErrors} from "./forms.js";

const KINDS = ["openai", "anthropic", "gemini", "ollama", "registry", "static"];
/** Matching models shown at once; a search narrows a longer list. */
const MODELS_SHOWN = 500;

export class ProvidersView {
  providers = new Map(); // id → the provider as GET /api/v1/providers/{id} shows it
  rows = new Map(); // id → its <tr>
  #requests = new Map(); // id → number of the newest request for it, so an older answer never overwrites a newer one
  #deleted = new Set(); // ids whose provider.deleted this page applied
  #open = null; // {id, row, models, search, list, count}: the provider whose models are shown

  constructor(api, session, notify) {
    this.api = api;
    this.session = session;
    this.notify = notify;
    this.filter = h("input", {type: "search", id: "provider-filter", placeholder: "Filter providers",
      "aria-label": "Filter providers", oninput: () => this.#applyFilter()});
    this.force = h("input", {type: "checkbox", id: "refresh-force"});
    this.result = h("section", {class: "result", id: "refresh-result", "aria-live": "polite", hidden: true});
    this.body = h("tbody", {id: "providers-body", role: "rowgroup"});
    this.table = h("table", {class: "grid providers", role: "table"},
        h("caption", {class: "sr-only"}, "Providers"),
        h("thead", {role: "rowgroup"}, h("tr", {role: "row"},
            ["Provider", "Status", "Models", "Last refresh", "Last error", "Actions"].map(t => h("th", {scope: "col", role: "columnheader"}, t)))),
        this.body);
    this.empty = h("p", {class: "muted empty", hidden: true}, "No providers yet.");
    this.refreshAll = h("button", {type: "button", id: "refresh-all", onclick: () => this.#refresh(null, this.refreshAll)},
        "Refresh all");
    this.element = h("section", {class: "view", id: "providers-view", "aria-labelledby": "providers-heading"},
        h("div", {class: "toolbar"},
            h("h1", {id: "providers-heading"}, "Providers"),
            this.filter,
            h("span", {class: "spacer"}),
            this.session.may("admin") ? [
              h("label", {class: "check"}, this.force, " force"),
              this.refreshAll,
              h("button", {type: "button", id: "add-provider", class: "secondary", onclick: () => this.#edit(null)}, "Add provider"),
            ] : null),
        this.result,
        h("div", {class: "table-wrap"}, this.table),
        this.empty);
  }

  /** Loads every provider; resolves with the revision the list reflects. */
  async load() {
    const {body, revision} = await this.api.get("/api/v1/providers");
    this.providers.clear();
    this.rows.clear();
    this.#open = null;
    const rows = body.data.map(provider => {
      this.providers.set(provider.id, provider);
      const row = this.#row(provider);
      this.rows.set(provider.id, row);
      return row;
    });
    fill(this.body, rows);
    this.#applyFilter();
    return revision;
  }

  /** Applies one change-feed event: only the providers it names are fetched again. */
  apply(event) {
    const data = event.data ?? {};
    switch (event.type) {
      case "model_catalog.changed": {
        // a deleted provider's last catalog change names it after provider.deleted took its row away; a new one's
        // first may come before the answer that adds its row
        const ids = new Set([...(data.changed ?? []), ...(data.failed ?? [])].map(entry => entry.provider_id)
            .filter(id => !this.#deleted.has(id)));
        for (const id of ids) this.#reload(id);
        if (this.#open && ids.has(this.#open.id)) this.#loadModels(this.#open);
        break;
      }
      case "provider.created":
        this.#deleted.delete(data.provider_id);
        this.#reload(data.provider_id);
        break;
      case "provider.status_changed":
      case "provider.updated":
        this.#reload(data.provider_id);
        break;
      case "provider.deleted":
        this.#deleted.add(data.provider_id);
        this.#requests.set(data.provider_id, (this.#requests.get(data.provider_id) ?? 0) + 1); // answers on the way are stale
        this.#remove(data.provider_id);
        break;
    }
  }

  async #reload(id) {
    const request = (this.#requests.get(id) ?? 0) + 1;
    this.#requests.set(id, request);
    try {
      const {body} = await this.api.get(`/api/v1/providers/${seg(id)}`);
      if (this.#requests.get(id) === request) this.#put(body);
    } catch (error) {
      if (this.#requests.get(id) !== request) return;
      if (error instanceof ApiError && error.status === 404) this.#remove(id);
      else this.notify(`Could not load provider ${id}: ${error.message}`, "error");
    }
  }

  #put(provider) {
    this.providers.set(provider.id, provider);
    const row = this.#row(provider);
    const old = this.rows.get(provider.id);
    if (old) {
      const hadFocus = old.contains(document.activeElement) ? document.activeElement.dataset.action : null;
      old.replaceWith(row);
      if (hadFocus) row.querySelector(`[data-action="${hadFocus}"]`)?.focus();
    } else {
      this.body.append(row);
    }
    this.rows.set(provider.id, row);
    if (this.#open?.id === provider.id) {
      row.after(this.#open.row);
      row.querySelector('[data-action="models"]').setAttribute("aria-expanded", "true");
    }
    this.#applyFilter();
  }

  #remove(id) {
    this.providers.delete(id);
    this.rows.get(id)?.remove();
    this.rows.delete(id);
    if (this.#open?.id === id) {
      this.#open.row.remove();
      this.#open = null;
    }
    this.#applyFilter();
  }

  #row(p) {
    const admin = this.session.may("admin");
    const api = p.source === "api";
    return h("tr", {role: "row", dataset: {provider: p.id}},
        h("th", {scope: "row", role: "rowheader", "data-label": "Provider"},
            h("span", {class: "name"}, p.id),
            h("span", {class: "sub"}, `${p.kind} · ${api ? "added here" : "config file"}`)),
        h("td", {role: "cell", "data-label": "Status", class: "status-cell"}, badge(p.status),
            p.stale && p.status !== "never" ? h("span", {class: "tag", title: "older than two refresh intervals"}, "stale") : null,
            p.suspect_model_count ? h("span", {class: "tag", title: "an answer held by the shrink guard until confirmed"},
                `${p.suspect_model_count} held`) : null),
        h("td", {role: "cell", "data-label": "Models", class: "num model-count"}, String(p.model_count)),
        h("td", {role: "cell", "data-label": "Last refresh", class: "age"}, age(p.last_refreshed_at)),
        h("td", {role: "cell", "data-label": "Last error", class: "error-cell"},
            p.last_error ? h("span", {class: "last-error", title: p.last_error}, p.last_error) : h("span", {class: "muted"}, "—")),
        h("td", {role: "cell", "data-label": "Actions", class: "actions"},
            h("button", {type: "button", class: "secondary", "data-action": "models", "aria-expanded": "false",
              "aria-label": `Models of ${p.id}`, onclick: () => this.#toggleModels(p.id)}, "Models"),
            admin ? h("button", {type: "button", class: "secondary", "data-action": "refresh", "aria-label": `Refresh ${p.id}`,
              onclick: event => this.#refresh(p.id, event.currentTarget)}, "Refresh") : null,
            admin && api ? h("button", {type: "button", class: "secondary", "data-action": "edit", "aria-label": `Edit ${p.id}`,
              onclick: () => this.#edit(p.id)}, "Edit") : null,
            admin && api ? h("button", {type: "button", class: "danger", "data-action": "delete", "aria-label": `Delete ${p.id}`,
              onclick: () => this.#confirmDelete(p.id)}, "Delete") : null));
  }

  #applyFilter() {
    const needle = this.filter.value.trim().toLowerCase();
    for (const [id, row] of this.rows) {
      const p = this.providers.get(id);
      row.hidden = needle !== "" && !`${id} ${p.kind}`.toLowerCase().includes(needle);
    }
    if (this.#open) this.#open.row.hidden = this.rows.get(this.#open.id)?.hidden ?? true;
    this.empty.hidden = this.rows.size > 0;
  }

  // Refresh -------------------------------------------------------------------------------------------------

  async #refresh(id, button) {
    const force = this.force.checked ? "?force=true" : "";
    const path = id === null ? `/api/v1/providers:refresh${force}` : `/api/v1/providers/${seg(id)}:refresh${force}`;
    const label = button.textContent;
    button.disabled = true;
    button.textContent = "Refreshing…";
    try {
      const {body} = await this.api.request("POST", path);
      this.#showResult(id, body);
    } catch (error) {
      this.notify(`Refresh failed: ${error.message}`, "error");
    } finally {
      button.disabled = false;
      button.textContent = label;
    }
  }

  /** The refresh answer as the API gives it: changed, unchanged, failed, suspect. */
  #showResult(id, result) {
    const group = (name, items, render) => h("div", {class: "result-group", dataset: {group: name}},
        h("dt", {}, `${name} (${items.length})`),
        h("dd", {}, items.length === 0 ? h("span", {class: "muted"}, "none") : h("ul", {}, items.map(render))));
    fill(this.result,
        h("header", {},
            h("h2", {}, id === null ? "Refresh of every provider" : `Refresh of ${id}`),
            h("span", {class: "muted"}, `revision ${result.revision}`),
            h("button", {type: "button", class: "icon", "aria-label": "Dismiss", onclick: () => (this.result.hidden = true)}, "×")),
        h("dl", {},
            group("changed", result.changed ?? [], c => h("li", {},
                h("strong", {}, c.provider_id), ` +${c.added.length} added, −${c.removed.length} removed, ${c.updated.length} updated`,
                c.added.length ? h("span", {class: "ids"}, ` (${c.added.slice(0, 5).join(", ")}${c.added.length > 5 ? ", …" : ""})`) : null)),
            group("unchanged", result.unchanged ?? [], p => h("li", {}, p)),
            group("failed", result.failed ?? [], f => h("li", {}, h("strong", {}, f.provider_id), `: ${f.reason}`)),
            group("suspect", result.suspect ?? [], s => h("li", {}, h("strong", {}, s.provider_id),
                `: answered ${s.answer_count} of its ${s.previous_count} models, held until confirmed`,
                s.reason ? ` (${s.reason})` : ""))));
    this.result.hidden = false;
  }

  // Models ----------------------------------------------------------------------------------------------------

  #toggleModels(id) {
    const wasOpen = this.#open?.id === id;
    if (this.#open) {
      this.#open.row.remove();
      this.rows.get(this.#open.id)?.querySelector('[data-action="models"]')?.setAttribute("aria-expanded", "false");
      this.#open = null;
    }
    if (wasOpen) return;
    const search = h("input", {type: "search", class: "model-search", placeholder: "Search models",
      "aria-label": `Search the models of ${id}`});
    const count = h("span", {class: "muted model-match-count", "aria-live": "polite"});
    const list = h("ul", {class: "models", "aria-label": `Models of ${id}`});
    const open = {id, models: [], search, list, count,
      row: h("tr", {class: "detail", role: "row", dataset: {modelsOf: id}},
          h("td", {colspan: "6", role: "cell"}, h("div", {class: "models-head"}, search, count), list))};
    search.addEventListener("input", () => this.#renderModels(open));
    this.#open = open;
    const row = this.rows.get(id);
    row.after(open.row);
    row.querySelector('[data-action="models"]').setAttribute("aria-expanded", "true");
    search.focus();
    this.#loadModels(open);
  }

  async #loadModels(open) {
    try {
      const {body} = await this.api.get(`/api/v1/providers/${seg(open.id)}/models`);
      if (this.#open !== open) return;
      open.models = body.data.map(entry => ({id: entry.switchboard?.model ?? entry.id,
        metadata: entry.switchboard?.normalized ?? {}, sources: entry.switchboard?.sources ?? {}}));
      this.#renderModels(open);
    } catch (error) {
      if (this.#open === open) fill(open.list, h("li", {class: "error"}, `Could not load the models: ${error.message}`));
    }
  }

  #renderModels(open) {
    const needle = open.search.value.trim().toLowerCase();
    const matches = needle === "" ? open.models : open.models.filter(m =>
        m.id.toLowerCase().includes(needle) || (m.metadata.display_name ?? "").toLowerCase().includes(needle));
    fill(open.list, matches.slice(0, MODELS_SHOWN).map(m => h("li", {dataset: {model: m.id}},
        h("code", {}, m.id), describeModel(m.metadata, m.sources))));
    open.count.textContent = `${matches.length} of ${open.models.length}`
        + (matches.length > MODELS_SHOWN ? ` (first ${MODELS_SHOWN} shown; search to narrow)` : "");
  }

  // Create, edit, delete ----------------------------------------------------------------------------------

  #edit(id) {
    const existing = id === null ? null : this.providers.get(id);
    const field = (name, label, control, hint) => h("div", {class: "field", dataset: {field: name}},
        h("label", {for: `provider-${name}`}, label), control,
        hint ? h("p", {class: "hint", id: `provider-${name}-hint`}, hint) : null,
        h("p", {class: "field-error", id: `provider-${name}-error`, hidden: true}));
    const input = (name, attrs = {}) => h("input", {id: `provider-${name}`, name, "aria-describedby": `provider-${name}-error`, ...attrs});
    const area = (name, value) => h("textarea", {id: `provider-${name}`, name, rows: "3", "aria-describedby": `provider-${name}-error`},
        (value ?? []).join("\n"));
    const kind = h("select", {id: "provider-kind", name: "kind", value: existing?.kind ?? "openai"},
        KINDS.map(k => h("option", {value: k}, k)));
    const removeKey = h("input", {type: "checkbox", id: "provider-remove-key"});
    const form = h("form", {class: "form", novalidate: true},
        h("p", {class: "form-error", role: "alert", hidden: true}),
        field("id", "Id", input("id", {value: existing?.id ?? "", required: true, readonly: existing !== null,
          autocomplete: "off", spellcheck: "false"})),
        field("kind", "Kind", kind),
        field("base_url", "Base URL", input("base_url", {type: "url", value: existing?.base_url ?? "",
          placeholder: "https://api.example.com/v1"})),
        field("api_key", "API key", input("api_key", {type: "password", autocomplete: "new-password",
              placeholder: existing?.has_credentials ? "set — type a new one to replace it" : "none"}),
            existing?.has_credentials ? h("label", {class: "check"}, removeKey, " remove the stored key")
                : "Write-only: it is stored encrypted and never shown again."),
        field("models", "Models (static providers, one per line)", area("models", existing?.models)),
        field("allowed_models", "Allowed models (globs, one per line)", area("allowed_models", existing?.allowed_models)),
        field("denied_models", "Denied models (globs, one per line)", area("denied_models", existing?.denied_models)),
        field("headers", "Extra headers (Name: value, one per line)", area("headers", []),
            existing?.header_names?.length ? `Set: ${existing.header_names.join(", ")}. Lines here add or replace headers.` : null),
        h("div", {class: "buttons"},
            h("button", {type: "submit", class: "primary"}, existing ? "Save" : "Add provider"),
            h("button", {type: "button", class: "secondary", onclick: () => dialog.close()}, "Cancel")));
    const showKind = () => {
      const isStatic = kind.value === "static";
      form.querySelector('[data-field="models"]').hidden = !isStatic;
      form.querySelector('[data-field="base_url"]').hidden = isStatic;
      form.querySelector('[data-field="api_key"]').hidden = isStatic;
    };
    kind.addEventListener("change", showKind);
    showKind();
    const dialog = modal(existing ? `Edit provider ${existing.id}` : "Add a provider", form);
    form.addEventListener("submit", async event => {
      event.preventDefault();
      const values = new FormData(form);
      const isStatic = values.get("kind") === "static";
      const body = {kind: values.get("kind")};
      if (!existing) body.id = values.get("id").trim();
      body.base_url = isStatic ? null : values.get("base_url").trim() || null;
      body.models = isStatic ? lines(values.get("models")) : null;
      body.allowed_models = lines(values.get("allowed_models"));
      body.denied_models = lines(values.get("denied_models"));
      const key = values.get("api_key");
      if (key) body.api_key = key;
      else if (removeKey.checked) body.api_key = null;
      const headers = parseHeaders(values.get("headers"));
      if (headers === undefined) {
        showErrors(form, "provider", new ApiError(400, {message: "headers: write each as Name: value",
          details: {fields: {headers: "write each header as Name: value"}}}));
        return;
      }
      if (Object.keys(headers).length) body.headers = headers;
      if (!existing) for (const name of Object.keys(body)) if (body[name] === null) delete body[name];
      const submit = form.querySelector('[type="submit"]');
      submit.disabled = true;
      try {
        if (existing) {
          await this.api.request("PATCH", `/api/v1/providers/${seg(existing.id)}`, {body});
        } else {
          await this.api.request("POST", "/api/v1/providers", {body});
        }
        dialog.close();
        this.notify(existing ? `Saved ${existing.id}.` : `Added ${body.id}.`, "ok");
      } catch (error) {
        showErrors(form, "provider", error);
      } finally {
        submit.disabled = false;
      }
    });
    (existing ? kind : form.querySelector("#provider-id")).focus();
  }

  #confirmDelete(id) {
    const dialog = modal(`Delete provider ${id}?`,
        h("p", {}, `Its models leave the catalog; configurations that point at it show as missing.`),
        h("div", {class: "buttons"},
            h("button", {type: "button", class: "danger", id: "confirm-delete", onclick: async () => {
              try {
                await this.api.request("DELETE", `/api/v1/providers/${seg(id)}`);
                dialog.close();
                this.notify(`Deleted ${id}.`, "ok");
              } catch (error) {
                dialog.close();
                this.notify(`Could not delete ${id}: ${error.message}`, "error");
              }
            }}, "Delete"),
            h("button", {type: "button", class: "secondary", onclick: () => dialog.close()}, "Cancel")));
    dialog.querySelector(".secondary:not(.close)")?.focus();
  }
}

/** A model's normalised metadata, briefly: name, context window, capabilities; where each came from on hover. */
function describeModel(metadata, sources) {
  const bits = [];
  const value = field => metadata?.[field];
  const name = value("display_name");
  if (typeof name === "string") bits.push(name);
  const context = value("context_window");
  if (typeof context === "number") bits.push(`${context.toLocaleString()} tokens`);
  const capabilities = value("capabilities");
  if (Array.isArray(capabilities) && capabilities.length) bits.push(capabilities.join(", "));
  const origin = Object.entries(sources ?? {}).map(([field, source]) => `${field}: ${source}`).join("\n");
  return bits.length ? h("span", {class: "muted", title: origin}, ` — ${bits.join(" · ")}`) : null;
}

/** "Name: value" lines as an object; undefined when a line has no colon. */
function parseHeaders(text) {
  const headers = {};
  for (const line of lines(text)) {
    const colon = line.indexOf(":");
    if (colon <= 0) return undefined;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}
