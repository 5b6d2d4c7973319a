// The admin console's browser code, served as /admin/console.js. Plain DOM, no framework; every
// value is inserted as text (never as HTML). The admin token lives in sessionStorage and travels
// only in the Authorization header.

export const CONSOLE_JS = String.raw`
const $ = (sel) => document.querySelector(sel);
const TOKEN_KEY = "edge-scim-admin-token";
let refreshTimer;

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v !== false && v !== undefined && v !== null) el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

async function api(method, path, body) {
  const res = await fetch("/admin/v1" + path, {
    method,
    headers: { Authorization: "Bearer " + sessionStorage.getItem(TOKEN_KEY), ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 401) { signOut("The admin token was not accepted."); throw new Error("unauthorized"); }
  const text = await res.text();
  const data = text ? JSON.parse(text) : {};
  if (!res.ok) throw new Error((data.error && data.error.message) || data.detail || res.status + " " + res.statusText);
  return data;
}

function copyField(label, value) {
  const id = "f" + Math.random().toString(36).slice(2);
  return h("div", {}, h("label", { for: id }, label), h("div", { class: "copy" },
    h("code", { id }, value),
    h("button", { type: "button", class: "secondary", "aria-label": "Copy " + label, onclick: () => navigator.clipboard.writeText(value) }, "Copy")));
}

function table(columns, rows, rowClass) {
  return h("table", {}, h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c[0])))),
    h("tbody", {}, rows.length ? rows.map((r) => h("tr", { class: rowClass ? rowClass(r) : "" }, columns.map((c) => h("td", {}, c[1](r)))))
      : h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, "Nothing yet."))));
}

function showError(container, err) { container.prepend(h("p", { class: "error", role: "alert" }, String(err.message || err))); }

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(refreshTimer);
  $("#view").replaceChildren();
  $("#signin").hidden = false;
  $("#signout").hidden = true;
  $("#signin-error").textContent = message || "";
}

async function tenantsView() {
  const view = h("div");
  const form = h("form", { class: "row", onsubmit: async (e) => {
    e.preventDefault();
    try { const t = await api("POST", "/tenants", { name: form.name.value }); location.hash = "#/tenants/" + t.id; } catch (err) { showError(view, err); }
  } }, h("label", { for: "tenant-name" }, "New tenant"), h("input", { id: "tenant-name", name: "name", required: true, placeholder: "Contoso" }), h("button", { type: "submit" }, "Create tenant"));
  const { tenants } = await api("GET", "/tenants");
  view.append(h("h1", {}, "Tenants"), h("section", { class: "card" }, form),
    h("section", { class: "card" }, table([["Name", (t) => h("a", { href: "#/tenants/" + t.id }, t.name)], ["Id", (t) => h("code", {}, t.id)], ["Created", (t) => t.createdAt]], tenants)));
  return view;
}

function secretBox(title, lines) {
  return h("div", { class: "secret", role: "status" }, h("strong", {}, title), ...lines.map(([k, v]) => copyField(k, v)),
    h("p", {}, "Copy it now: it is shown only once."));
}

async function connectionCard(tenant, view) {
  const card = h("section", { class: "card", "aria-labelledby": "conn" }, h("h2", { id: "conn" }, "SCIM connection (paste into Microsoft Entra ID)"));
  card.append(copyField("Tenant URL", tenant.scim.tenantUrl), copyField("Token endpoint", tenant.scim.tokenEndpoint));
  const out = h("div");
  const { clients } = await api("GET", "/tenants/" + tenant.id + "/clients");
  const lifetime = h("select", { id: "lifetime", "aria-label": "Token lifetime" },
    [["1 hour", 3600], ["6 hours", 21600], ["30 days", 2592000], ["1 year", 31536000], ["10 years", 315360000]].map(([l, s]) => h("option", { value: s }, l)));
  const rows = clients.map((c) => c);
  card.append(h("h3", {}, "Clients"), table([
    ["Client id", (c) => h("code", {}, c.client_id)], ["Name", (c) => c.name], ["Status", (c) => c.status],
    ["Actions", (c) => c.status !== "active" ? "" : h("div", { class: "row" },
      h("button", { type: "button", onclick: async () => { try { const t = await api("POST", "/tenants/" + tenant.id + "/clients/" + c.client_id + "/tokens", { expires_in: Number(lifetime.value) });
        out.replaceChildren(secretBox("Long-lived token for Entra's Secret Token field", [["Secret Token", t.access_token]]), h("p", {}, "Expires " + t.expires_at)); } catch (err) { showError(out, err); } } }, "Issue token"),
      h("button", { type: "button", class: "secondary", onclick: async () => { try { const r = await api("POST", "/tenants/" + tenant.id + "/clients/" + c.client_id + "/rotate");
        out.replaceChildren(secretBox("New client secret", [["Client secret", r.client_secret]])); } catch (err) { showError(out, err); } } }, "Rotate secret"),
      h("button", { type: "button", class: "danger", onclick: async () => { if (!confirm("Revoke " + c.client_id + "? Its tokens stop working at once.")) return;
        try { await api("DELETE", "/tenants/" + tenant.id + "/clients/" + c.client_id); render(); } catch (err) { showError(out, err); } } }, "Revoke"))],
  ], rows));
  card.append(h("div", { class: "row" }, h("label", { for: "lifetime" }, "Token lifetime"), lifetime,
    h("button", { type: "button", onclick: async () => { try { const c = await api("POST", "/tenants/" + tenant.id + "/clients", { name: "Microsoft Entra ID" });
      out.replaceChildren(secretBox("New OAuth client", [["Client identifier", c.client_id], ["Client secret", c.client_secret]])); } catch (err) { showError(out, err); } } }, "Create client")), out);
  return card;
}

function describe(obj) {
  if (!obj || typeof obj !== "object") return h("span", { class: "muted" }, "—");
  return h("dl", {}, Object.entries(obj).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v && typeof v === "object" ? JSON.stringify(v) : String(v))]));
}

async function provisioningCard(tenantId) {
  const card = h("section", { class: "card", "aria-labelledby": "prov" }, h("h2", { id: "prov" }, "Provisioning to the Device Hub"));
  const body = h("div");
  const act = (verb) => h("button", { type: "button", class: verb === "stop" ? "secondary" : "", onclick: async () => {
    try { await api("POST", "/tenants/" + tenantId + "/provisioning/" + verb); await load(); } catch (err) { showError(body, err); } } },
    { start: "Start", stop: "Stop", run: "Run now", "full-sweep": "Full sweep" }[verb]);
  card.append(h("div", { class: "row" }, act("start"), act("stop"), act("run"), act("full-sweep")), body);
  async function load() {
    let status;
    try { status = await api("GET", "/tenants/" + tenantId + "/provisioning"); } catch (err) { body.replaceChildren(h("p", { class: "error" }, String(err.message))); return; }
    const cycle = status.currentCycle || status.current;
    const progress = cycle && cycle.progress;
    const parts = [h("p", {}, "State: ", h("strong", { "data-testid": "prov-state" }, [status.state, status.running ? "running" : "idle"].filter(Boolean).join(", ")),
      status.nextRunAt ? " · next run " + status.nextRunAt : "")];
    if (cycle) parts.push(h("h3", {}, "Current cycle"), progress ? h("progress", { max: progress.total || 1, value: progress.done || 0, "aria-label": "Cycle progress" }) : "", describe(cycle));
    if (status.lastCycle) parts.push(h("h3", {}, "Last cycle"), describe(status.lastCycle));
    try {
      const logs = await api("GET", "/tenants/" + tenantId + "/provisioning/logs");
      const entries = logs.entries || logs.logs || [];
      parts.push(h("h3", {}, "Recent operations"), table([["Time", (e) => e.at || e.time], ["Action", (e) => e.action], ["SCIM id", (e) => h("code", {}, e.scimId || "")], ["Result", (e) => e.result], ["Error", (e) => e.error || ""]],
        entries.slice(0, 50), (e) => (e.result === "failed" || e.error ? "failed" : "")));
    } catch (err) { /* logs are optional */ }
    try {
      const parked = await api("GET", "/tenants/" + tenantId + "/provisioning/parked");
      const items = parked.items || parked.parked || [];
      parts.push(h("h3", {}, "Parked operations"), table([["Resource", (p) => (p.resourceType || "") + " " + (p.resourceId || "")], ["Attempts", (p) => p.attempts], ["Last error", (p) => p.lastError || p.error || ""],
        ["", (p) => h("button", { type: "button", class: "secondary", onclick: async () => { await api("POST", "/tenants/" + tenantId + "/provisioning/parked/" + p.id + "/retry"); load(); } }, "Retry")]], items, () => "failed"));
    } catch (err) { /* optional */ }
    body.replaceChildren(...parts);
  }
  await load();
  clearInterval(refreshTimer);
  refreshTimer = setInterval(() => { if (document.visibilityState === "visible") load(); }, 2000);
  return card;
}

async function hubCard(tenantId) {
  const card = h("section", { class: "card", "aria-labelledby": "hub" }, h("h2", { id: "hub" }, "Device Hub settings"));
  let current = {};
  try { current = await api("GET", "/tenants/" + tenantId + "/device-hub"); } catch (err) { /* not configured */ }
  const form = h("form", { onsubmit: async (e) => { e.preventDefault();
    try { await api("PUT", "/tenants/" + tenantId + "/device-hub", { baseUrl: form.baseUrl.value, apiKey: form.apiKey.value }); form.after(h("p", { class: "ok", role: "status" }, "Saved.")); } catch (err) { showError(card, err); } } },
    h("label", { for: "hub-url" }, "Base URL"), h("input", { id: "hub-url", name: "baseUrl", required: true, size: 40, value: current.baseUrl || "" }),
    h("label", { for: "hub-key" }, "API key" + (current.apiKeySet || current.hasApiKey ? " (set; leave as is or replace)" : "")), h("input", { id: "hub-key", name: "apiKey", type: "password", required: true, size: 40 }),
    h("p", {}, h("button", { type: "submit" }, "Save")));
  card.append(form);
  return card;
}

async function auditCard(tenantId) {
  const card = h("section", { class: "card", "aria-labelledby": "audit" }, h("h2", { id: "audit" }, "Audit log and Entra compatibility"));
  try {
    const audit = await api("GET", "/tenants/" + tenantId + "/audit");
    card.append(table([["Time", (e) => e.at], ["Client", (e) => e.clientId || "admin"], ["Request", (e) => e.method + " " + e.path], ["Status", (e) => e.status], ["Rewrites", (e) => (e.rewrites || []).join(", ")]],
      (audit.entries || []).slice(0, 50), (e) => (e.status >= 400 ? "failed" : "")));
  } catch (err) { card.append(h("p", { class: "muted" }, "Audit log unavailable: " + err.message)); }
  const { rewrites } = await api("GET", "/tenants/" + tenantId + "/compat");
  card.append(h("h3", {}, "Entra compatibility rewrites seen"), table([["Rewrite", (r) => h("code", {}, r.rewrite)], ["Count", (r) => r.count], ["Last seen", (r) => r.lastSeenAt]], rewrites));
  return card;
}

async function tenantView(id) {
  const tenant = await api("GET", "/tenants/" + id);
  const view = h("div", {}, h("p", {}, h("a", { href: "#/tenants" }, "← Tenants")), h("h1", {}, tenant.name));
  view.append(await connectionCard(tenant, view));
  view.append(await provisioningCard(id));
  view.append(h("div", { class: "grid" }, await hubCard(id), await auditCard(id)));
  return view;
}

async function render() {
  if (!sessionStorage.getItem(TOKEN_KEY)) return signOut();
  $("#signin").hidden = true;
  $("#signout").hidden = false;
  clearInterval(refreshTimer);
  const m = /^#\/tenants\/([\w-]+)/.exec(location.hash);
  try { $("#view").replaceChildren(m ? await tenantView(m[1]) : await tenantsView()); }
  catch (err) { if (String(err.message) !== "unauthorized") $("#view").replaceChildren(h("p", { class: "error", role: "alert" }, String(err.message))); }
}

$("#signin-form").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("#admin-token").value.trim());
  $("#admin-token").value = "";
  render();
});
$("#signout").addEventListener("click", () => signOut());
window.addEventListener("hashchange", render);
render();
`;
