// Model configurations: the list with each target's status; create and edit with the API's messages beside the
// fields; delete; history with a diff between any two versions; rollback. Edits carry If-Match with the version
// they started from, so an edit of a configuration that changed meanwhile comes back 412 and the conflict view
// offers to reload the current version or to overwrite it.

import {ApiError, seg} from "./api.js";
import {h, fill, modal} from "./dom.js";
import {age, badge, canonicalJson, lines} from "./format.js";
import {diffView} from "./diff.js";
import {clearErrors, showErrors} from "./forms.js";

const EDITABLE = ["provider", "model", "params", "fallbacks", "description", "labels"];
/** Model ids offered while typing the model field. */
const MODEL_SUGGESTIONS = 1000;

export class ConfigsView {
  configs = new Map(); // alias → the configuration as GET /api/v1/model-configs/{alias} shows it
  rows = new Map(); // alias → its <tr>
  #watchers = new Set(); // open editors and history views: told when their alias changes

  /** @param providerIds () → the provider ids the page knows, offered in the provider field */
  constructor(api, session, notify, providerIds) {
    this.api = api;
    this.session = session;
    this.notify = notify;
    this.providerIds = providerIds;
    this.filter = h("input", {type: "search", id: "config-filter", placeholder: "Filter configurations",
      "aria-label": "Filter configurations", oninput: () => this.#applyFilter()});
    this.body = h("tbody", {id: "configs-body", role: "rowgroup"});
    this.empty = h("p", {class: "muted empty", hidden: true}, "No model configurations yet.");
    this.element = h("section", {class: "view", id: "configs-view", "aria-labelledby": "configs-heading"},
        h("div", {class: "toolbar"},
            h("h1", {id: "configs-heading"}, "Model configurations"),
            this.filter,
            h("span", {class: "spacer"}),
            this.session.may("writer") ? h("button", {type: "button", id: "new-config", class: "primary",
              onclick: () => this.edit(null)}, "New configuration") : null),
        h("div", {class: "table-wrap"}, h("table", {class: "grid configs", role: "table"},
            h("caption", {class: "sr-only"}, "Model configurations"),
            h("thead", {role: "rowgroup"}, h("tr", {role: "row"}, ["Alias", "Target", "Target status", "Version", "Updated", "Fallbacks", "Actions"]
                .map(t => h("th", {scope: "col", role: "columnheader"}, t)))),
            this.body)),
        this.empty);
  }

  /** Loads every configuration; resolves with the revision the list reflects. */
  async load() {
    const {body} = await this.api.get("/api/v1/model-configs");
    this.configs.clear();
    this.rows.clear();
    const sorted = [...body.data].sort((a, b) => a.alias.localeCompare(b.alias));
    fill(this.body, sorted.map(config => {
      this.configs.set(config.alias, config);
      const row = this.#row(config);
      this.rows.set(config.alias, row);
      return row;
    }));
    this.#applyFilter();
    return body.revision;
  }

  /** Applies one change-feed event to the one row it concerns. */
  apply(event) {
    if (!event.type.startsWith("model_config.")) return;
    const {alias, version, config} = event.data ?? {};
    const current = this.configs.get(alias);
    if (event.type === "model_config.deleted") {
      if (!current || current.version < version) this.#remove(alias);
    } else if (config && (!current || current.version <= version)) {
      // events carry params with secret-looking values as "***": fine to show, never to save (editors GET first)
      this.#put(config);
    }
    for (const watcher of this.#watchers) watcher(event);
  }

  #put(config) {
    this.configs.set(config.alias, config);
    const row = this.#row(config);
    const old = this.rows.get(config.alias);
    if (old) {
      const focused = old.contains(document.activeElement) ? document.activeElement.dataset.action : null;
      old.replaceWith(row);
      if (focused) row.querySelector(`[data-action="${focused}"]`)?.focus();
    } else {
      const next = [...this.rows.keys()].sort().find(alias => alias > config.alias);
      if (next) this.rows.get(next).before(row);
      else this.body.append(row);
    }
    this.rows.set(config.alias, row);
    this.#applyFilter();
  }

  #remove(alias) {
    this.configs.delete(alias);
    this.rows.get(alias)?.remove();
    this.rows.delete(alias);
    this.#applyFilter();
  }

  #row(c) {
    const writer = this.session.may("writer");
    return h("tr", {role: "row", dataset: {alias: c.alias}},
        h("th", {scope: "row", role: "rowheader", "data-label": "Alias"}, h("span", {class: "name"}, c.alias),
            c.description ? h("span", {class: "sub"}, c.description) : null),
        h("td", {role: "cell", "data-label": "Target", class: "target"}, h("code", {}, c.target ?? `${c.provider}/${c.model}`)),
        h("td", {role: "cell", "data-label": "Target status", class: "target-status"}, badge(c.target_status)),
        h("td", {role: "cell", "data-label": "Version", class: "num version"}, `v${c.version}`),
        h("td", {role: "cell", "data-label": "Updated", class: "age"}, age(c.updated_at), c.updated_by ? h("span", {class: "sub"}, `by ${c.updated_by}`) : null),
        h("td", {role: "cell", "data-label": "Fallbacks", class: "fallbacks"}, c.fallbacks?.length
            ? h("ol", {}, c.fallbacks.map(f => h("li", {}, h("code", {}, f)))) : h("span", {class: "muted"}, "—")),
        h("td", {role: "cell", "data-label": "Actions", class: "actions"},
            writer ? h("button", {type: "button", class: "secondary", "data-action": "edit", "aria-label": `Edit ${c.alias}`,
              onclick: () => this.edit(c.alias)}, "Edit") : null,
            h("button", {type: "button", class: "secondary", "data-action": "history", "aria-label": `History of ${c.alias}`,
              onclick: () => this.#history(c.alias)}, "History"),
            writer ? h("button", {type: "button", class: "danger", "data-action": "delete", "aria-label": `Delete ${c.alias}`,
              onclick: () => this.#confirmDelete(c.alias)}, "Delete") : null));
  }

  #applyFilter() {
    const needle = this.filter.value.trim().toLowerCase();
    for (const [alias, row] of this.rows) {
      const c = this.configs.get(alias);
      row.hidden = needle !== "" && !`${alias} ${c.target} ${c.description}`.toLowerCase().includes(needle);
    }
    this.empty.hidden = this.rows.size > 0;
  }

  // Create and edit ----------------------------------------------------------------------------------------

  /** Opens the editor: a new configuration (alias null) or the current version of alias, fetched fresh. */
  async edit(alias) {
    let base = null; // {version, config}: what this edit started from
    if (alias !== null) {
      try {
        const {body} = await this.api.get(`/api/v1/model-configs/${seg(alias)}`);
        base = body;
      } catch (error) {
        this.notify(`Could not open ${alias}: ${error.message}`, "error");
        return;
      }
    }
    const editor = new Editor(this, base);
    editor.open();
  }

  watch(watcher) {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  // Delete --------------------------------------------------------------------------------------------------

  #confirmDelete(alias) {
    const version = this.configs.get(alias)?.version;
    const message = h("p", {class: "form-error", role: "alert", hidden: true});
    const dialog = modal(`Delete ${alias}?`,
        h("p", {}, `Clients following ${alias} learn that it is gone; its history stays.`),
        message,
        h("div", {class: "buttons"},
            h("button", {type: "button", class: "danger", id: "confirm-delete", onclick: async () => {
              try {
                await this.api.request("DELETE", `/api/v1/model-configs/${seg(alias)}`, {headers: {"If-Match": `"${version}"`}});
                dialog.close();
                this.notify(`Deleted ${alias}.`, "ok");
              } catch (error) {
                message.textContent = error instanceof ApiError && error.status === 412
                    ? `${alias} changed since this page showed version ${version}; look at it again before deleting.`
                    : error.message;
                message.hidden = false;
              }
            }}, "Delete"),
            h("button", {type: "button", class: "secondary", onclick: () => dialog.close()}, "Cancel")));
    dialog.querySelector(".buttons .secondary")?.focus();
  }

  // History -------------------------------------------------------------------------------------------------

  #history(alias) {
    const view = new History(this, alias);
    view.open();
  }
}

/** The create/edit dialog of one configuration, with its conflict view. */
class Editor {
  constructor(configs, base) {
    this.configs = configs;
    this.api = configs.api;
    this.base = base;
    this.alias = base?.alias ?? null;
    this.modelsOf = new Map(); // provider id → its model ids (for suggestions)
  }

  open() {
    const field = (name, label, control, hint) => h("div", {class: "field", dataset: {field: name}},
        h("label", {for: `config-${name}`}, label), control,
        hint ? h("p", {class: "hint"}, hint) : null,
        h("p", {class: "field-error", id: `config-${name}-error`, hidden: true}));
    const attrs = name => ({id: `config-${name}`, name, "aria-describedby": `config-${name}-error`, autocomplete: "off", spellcheck: "false"});
    this.suggestions = h("datalist", {id: "config-model-suggestions"});
    const providerList = h("datalist", {id: "config-provider-suggestions"}, this.configs.providerIds().map(id => h("option", {value: id})));
    this.form = h("form", {class: "form", novalidate: true},
        h("p", {class: "form-error", role: "alert", hidden: true}),
        this.notice = h("p", {class: "notice", role: "status", hidden: true}),
        field("alias", "Alias", h("input", {...attrs("alias"), required: true, readonly: this.base !== null,
          placeholder: "planner"})),
        h("div", {class: "pair"},
            field("provider", "Provider", h("input", {...attrs("provider"), list: providerList.id, required: true})),
            field("model", "Model", h("input", {...attrs("model"), list: this.suggestions.id, required: true}))),
        field("params", "Parameters (JSON object)", h("textarea", {...attrs("params"), rows: "3", class: "mono"})),
        field("fallbacks", "Fallbacks (provider/model or alias, one per line, in order)",
            h("textarea", {...attrs("fallbacks"), rows: "2", class: "mono"})),
        field("description", "Description", h("input", {...attrs("description")})),
        field("labels", "Labels (JSON object of strings)", h("textarea", {...attrs("labels"), rows: "2", class: "mono"})),
        h("label", {class: "check"}, h("input", {type: "checkbox", name: "skip_validation", id: "config-skip-validation"}),
            " save even if the provider does not list the model (?validate=false)"),
        h("div", {class: "buttons"},
            h("button", {type: "submit", class: "primary", id: "config-save"}, this.base ? "Save" : "Create"),
            h("button", {type: "button", class: "secondary", onclick: () => this.dialog.close()}, "Cancel")),
        providerList, this.suggestions);
    this.conflict = h("section", {class: "conflict", id: "conflict", hidden: true, "aria-live": "assertive"});
    this.#fill(this.base);
    this.form.elements.provider.addEventListener("change", () => this.#suggestModels());
    this.form.addEventListener("submit", event => {
      event.preventDefault();
      this.#save(false);
    });
    this.dialog = modal(this.base ? `Edit ${this.alias}` : "New model configuration", this.conflict, this.form);
    this.dialog.classList.add("wide");
    const unwatch = this.configs.watch(event => this.#changedMeanwhile(event));
    this.dialog.addEventListener("close", unwatch);
    this.#suggestModels();
    (this.base ? this.form.elements.model : this.form.elements.alias).focus();
  }

  #fill(config) {
    const f = this.form.elements;
    f.alias.value = config?.alias ?? "";
    f.provider.value = config?.provider ?? "";
    f.model.value = config?.model ?? "";
    f.params.value = config && Object.keys(config.params ?? {}).length ? JSON.stringify(config.params, null, 2) : "";
    f.fallbacks.value = (config?.fallbacks ?? []).join("\n");
    f.description.value = config?.description ?? "";
    f.labels.value = config && Object.keys(config.labels ?? {}).length ? JSON.stringify(config.labels, null, 2) : "";
    this.notice.hidden = true;
  }

  /** The form as the API's body; a field error (thrown as ApiError 400) for JSON that does not parse. */
  #draft() {
    const f = this.form.elements;
    const json = (name, text) => {
      if (text.trim() === "") return {};
      try {
        return JSON.parse(text);
      } catch (error) {
        throw new ApiError(400, {message: `${name} is not valid JSON: ${error.message}`,
          details: {fields: {[name]: `is not valid JSON: ${error.message}`}}});
      }
    };
    return {
      provider: f.provider.value.trim(),
      model: f.model.value.trim(),
      params: json("params", f.params.value),
      fallbacks: lines(f.fallbacks.value),
      description: f.description.value,
      labels: json("labels", f.labels.value),
    };
  }

  async #save(overwrite) {
    let draft;
    try {
      draft = this.#draft();
    } catch (error) {
      showErrors(this.form, "config", error);
      return;
    }
    const query = this.form.elements.skip_validation.checked ? "?validate=false" : "";
    const save = this.form.querySelector("#config-save");
    save.disabled = true;
    try {
      if (this.base === null) {
        const alias = this.form.elements.alias.value.trim();
        await this.api.request("POST", `/api/v1/model-configs${query}`, {body: {alias, ...draft}});
        this.configs.notify(`Created ${alias}.`, "ok");
      } else {
        const version = overwrite ? overwrite : this.base.version;
        await this.api.request("PUT", `/api/v1/model-configs/${seg(this.alias)}${query}`,
            {body: draft, headers: {"If-Match": `"${version}"`}});
        this.configs.notify(`Saved ${this.alias}.`, "ok");
      }
      this.dialog.close();
    } catch (error) {
      if (error instanceof ApiError && error.status === 412 && this.base !== null) {
        clearErrors(this.form);
        await this.#showConflict(draft);
      } else {
        showErrors(this.form, "config", error);
      }
    } finally {
      save.disabled = false;
    }
  }

  /** 412: someone saved a newer version. Show it against this draft; reload it, or overwrite it. */
  async #showConflict(draft) {
    let current;
    try {
      current = (await this.api.get(`/api/v1/model-configs/${seg(this.alias)}`)).body;
    } catch (error) {
      showErrors(this.form, "config", error);
      return;
    }
    const spec = config => Object.fromEntries(EDITABLE.map(name => [name, config[name] ?? null]));
    fill(this.conflict,
        h("h3", {}, "This configuration changed while you were editing it"),
        h("p", {}, `You started from version ${this.base.version}. It is now at version ${current.version}`,
            current.updated_by ? `, saved by ${current.updated_by} ` : " ", age(current.updated_at), "."),
        h("p", {class: "muted"}, "Lines marked − are in the current version, + in yours:"),
        diffView(canonicalJson(spec(current)), canonicalJson(spec(draft)), "current version against your changes"),
        h("div", {class: "buttons"},
            h("button", {type: "button", class: "primary", id: "conflict-reload", onclick: () => {
              this.base = current;
              this.#fill(current);
              this.conflict.hidden = true;
              this.form.hidden = false;
              this.form.elements.model.focus();
            }}, `Reload version ${current.version} (discard my changes)`),
            h("button", {type: "button", class: "danger", id: "conflict-overwrite", onclick: () => {
              this.conflict.hidden = true;
              this.form.hidden = false;
              this.base = current;
              this.#save(current.version);
            }}, `Overwrite version ${current.version} with my changes`)));
    this.form.hidden = true;
    this.conflict.hidden = false;
    this.conflict.querySelector("#conflict-reload").focus();
  }

  /** Another save of this alias arrived over the feed while the form is open: say so before saving runs into it. */
  #changedMeanwhile(event) {
    if (this.base === null || event.data?.alias !== this.alias || event.data.version <= this.base.version) return;
    this.notice.textContent = event.type === "model_config.deleted"
        ? `${this.alias} was deleted meanwhile.`
        : `${this.alias} changed meanwhile (now version ${event.data.version}); saving will show both versions.`;
    this.notice.hidden = false;
  }

  async #suggestModels() {
    const provider = this.form.elements.provider.value.trim();
    if (!this.configs.providerIds().includes(provider)) {
      fill(this.suggestions);
      return;
    }
    if (!this.modelsOf.has(provider)) {
      try {
        const {body} = await this.api.get(`/api/v1/providers/${seg(provider)}/models`);
        this.modelsOf.set(provider, body.data.map(entry => entry.switchboard?.model ?? entry.id));
      } catch {
        return; // suggestions are a convenience; the API still checks the model on save
      }
    }
    fill(this.suggestions, this.modelsOf.get(provider).slice(0, MODEL_SUGGESTIONS).map(id => h("option", {value: id})));
  }
}

/** Every version of one configuration, a diff between any two, and rollback. */
class History {
  constructor(configs, alias) {
    this.configs = configs;
    this.api = configs.api;
    this.alias = alias;
    this.a = null;
    this.b = null;
  }

  open() {
    this.table = h("tbody", {});
    this.diff = h("div", {class: "history-diff", id: "history-diff"});
    this.message = h("p", {class: "form-error", role: "alert", hidden: true});
    this.dialog = modal(`History of ${this.alias}`, this.message,
        h("p", {class: "muted"}, "Pick two versions (A and B) to compare."),
        h("div", {class: "table-wrap"}, h("table", {class: "grid history"},
            h("thead", {}, h("tr", {}, ["A", "B", "Version", "Saved", ""].map(t => h("th", {scope: "col"}, t)))),
            this.table)),
        this.diff);
    this.dialog.classList.add("wide");
    const unwatch = this.configs.watch(event => {
      if (event.data?.alias === this.alias) this.load();
    });
    this.dialog.addEventListener("close", unwatch);
    this.load();
  }

  async load() {
    try {
      const {body} = await this.api.get(`/api/v1/model-configs/${seg(this.alias)}/history`);
      this.entries = [...body.data].sort((x, y) => y.version - x.version);
    } catch (error) {
      this.message.textContent = error.message;
      this.message.hidden = false;
      return;
    }
    const versions = this.entries.map(entry => entry.version);
    if (!versions.includes(this.b)) this.b = versions[0] ?? null;
    if (!versions.includes(this.a)) this.a = versions[1] ?? versions[0] ?? null;
    this.#render();
  }

  #render() {
    const writer = this.configs.session.may("writer");
    const current = this.configs.configs.get(this.alias);
    const radio = (side, version) => h("input", {type: "radio", name: `history-${side}`, value: String(version),
      "aria-label": `compare version ${version} as ${side.toUpperCase()}`, checked: this[side] === version,
      onchange: () => {
        this[side] = version;
        this.#renderDiff();
      }});
    fill(this.table, this.entries.map(entry => h("tr", {dataset: {version: String(entry.version)}},
        h("td", {}, radio("a", entry.version)),
        h("td", {}, radio("b", entry.version)),
        h("td", {class: "num"}, `v${entry.version}`, h("span", {class: "sub"}, entry.change ?? "")),
        h("td", {}, age(entry.updated_at), entry.updated_by ? h("span", {class: "sub"}, `by ${entry.updated_by}`) : null),
        h("td", {}, writer && entry.config && current && entry.version !== current.version
            ? h("button", {type: "button", class: "secondary", "data-action": "rollback", "aria-label": `Roll back to version ${entry.version}`,
              onclick: () => this.#rollback(entry.version)}, "Roll back") : null))));
    this.#renderDiff();
  }

  #renderDiff() {
    const text = version => {
      const entry = this.entries.find(e => e.version === version);
      return entry?.config ? canonicalJson(entry.config) : "(deleted)";
    };
    if (this.a === null || this.b === null) {
      fill(this.diff);
      return;
    }
    fill(this.diff, h("h3", {}, `v${this.a} → v${this.b}`),
        diffView(text(this.a), text(this.b), `changes from version ${this.a} to version ${this.b}`));
  }

  async #rollback(version) {
    const current = this.configs.configs.get(this.alias);
    try {
      await this.api.request("POST", `/api/v1/model-configs/${seg(this.alias)}:rollback`,
          {body: {version}, headers: current ? {"If-Match": `"${current.version}"`} : {}});
      this.message.hidden = true;
      this.configs.notify(`Rolled ${this.alias} back to version ${version}.`, "ok");
    } catch (error) {
      this.message.textContent = error instanceof ApiError && error.status === 412
          ? `${this.alias} changed meanwhile; the history below is up to date now, try again.` : error.message;
      this.message.hidden = false;
      this.load();
    }
  }
}
