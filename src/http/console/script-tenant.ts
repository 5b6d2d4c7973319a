// The admin console's tenant cards (browser code): SCIM connection + clients + tokens
// (routes/tenants.ts), Device Hub settings (routes/provisioning.ts), audit log and compat counters.

export const TENANT_JS = String.raw`
const LIFETIMES = [["1 hour", 3600], ["1 day", 86400], ["30 days", 2592000], ["1 year", 31536000], ["10 years", 315360000]];

function secretBox(title, lines, note) {
  return h("div", { class: "secret", role: "status" }, h("strong", {}, title), ...lines.map(([k, v, id]) => copyField(k, v, id)),
    h("p", {}, note || "Copy it now: it is shown only once."));
}

async function connectionCard(tenant) {
  const base = "/tenants/" + tenant.id + "/clients";
  const card = h("section", { class: "card", "aria-labelledby": "conn" }, h("h2", { id: "conn" }, "SCIM connection (paste into Microsoft Entra ID)"));
  card.append(copyField("Tenant URL", tenant.scim.tenantUrl, "tenant-url"), copyField("Token endpoint", tenant.scim.tokenEndpoint, "token-endpoint"));
  const out = h("div", { "data-testid": "conn-out" });
  const list = h("div");
  const lifetime = h("select", { id: "lifetime" }, LIFETIMES.map(([l, s]) => h("option", { value: s, selected: s === 31536000 }, l)));
  const guard = (fn) => async () => { try { await fn(); } catch (err) { flash(out, err.message); } };
  async function refresh() {
    const { clients } = await api("GET", base);
    list.replaceChildren(table([
      ["Client id", (c) => h("code", {}, c.client_id)], ["Name", (c) => c.name], ["Status", (c) => c.status], ["Created", (c) => when(c.created_at)],
      ["Actions", (c) => c.status !== "active" ? "" : h("div", { class: "row" },
        h("button", { type: "button", onclick: guard(async () => {
          const t = await api("POST", base + "/" + c.client_id + "/tokens", { expires_in: Number(lifetime.value) });
          out.replaceChildren(secretBox("Token for Entra's Secret Token field", [["Secret Token", t.access_token, "issued-token"]], "Expires " + when(t.expires_at) + ". Copy it now: it is shown only once.")); }) }, "Issue token"),
        h("button", { type: "button", class: "secondary", onclick: guard(async () => {
          const r = await api("POST", base + "/" + c.client_id + "/rotate");
          out.replaceChildren(secretBox("New client secret for " + c.client_id, [["Client secret", r.client_secret, "client-secret"]])); }) }, "Rotate secret"),
        h("button", { type: "button", class: "danger", onclick: guard(async () => {
          if (!confirm("Revoke " + c.client_id + "? Its tokens stop working at once.")) return;
          await api("DELETE", base + "/" + c.client_id); flash(out, "Revoked " + c.client_id + ".", "ok"); await refresh(); }) }, "Revoke"))],
    ], clients, undefined, "clients"));
  }
  await refresh();
  card.append(h("h3", {}, "Clients"), list, h("div", { class: "row" },
    h("label", { for: "lifetime", class: "inline" }, "Token lifetime"), lifetime,
    h("button", { type: "button", onclick: guard(async () => {
      const c = await api("POST", base, { name: "Microsoft Entra ID" });
      await refresh();
      out.replaceChildren(secretBox("New OAuth client", [["Client identifier", c.client_id, "client-id"], ["Client secret", c.client_secret, "client-secret"]])); }) }, "Create client")), out);
  return card;
}

async function hubCard(tenantId) {
  const path = "/tenants/" + tenantId + "/device-hub";
  const card = h("section", { class: "card", "aria-labelledby": "hub" }, h("h2", { id: "hub" }, "Device Hub settings"));
  let current = null;
  try { current = await api("GET", path); } catch (err) { if (err.status !== 404) throw err; }
  const msg = h("div");
  const field = (id, name, label, attrs) => [h("label", { for: id }, label), h("input", { id, name, ...attrs })];
  // PUT replaces the settings and needs the API key every time (it is stored encrypted, never shown).
  const form = h("form", { onsubmit: async (e) => { e.preventDefault();
    try {
      current = await api("PUT", path, { baseUrl: form.baseUrl.value.trim(), apiKey: form.apiKey.value,
        timeoutMs: Number(form.timeoutMs.value), logRetentionDays: Number(form.logRetentionDays.value),
        defaultPreferredLanguage: form.defaultPreferredLanguage.value.trim(), enforceNamingRules: form.enforceNamingRules.checked });
      form.apiKey.value = "";
      flash(msg, "Saved (API key …" + current.apiKeyHint.replace("…", "") + ").", "ok");
    } catch (err) { flash(msg, err.message); } } },
    field("hub-url", "baseUrl", "Base URL", { required: true, type: "url", value: current ? current.baseUrl : "", placeholder: "https://hub.example.com" }),
    field("hub-key", "apiKey", current ? "API key (saved key ends " + current.apiKeyHint + "; enter it again to save)" : "API key", { type: "password", required: true, autocomplete: "off" }),
    h("div", { class: "row" },
      h("div", {}, field("hub-timeout", "timeoutMs", "Timeout (ms)", { type: "number", min: 100, max: 30000, value: current ? current.timeoutMs : 10000 })),
      h("div", {}, field("hub-retention", "logRetentionDays", "Keep log (days)", { type: "number", min: 1, max: 365, value: current ? current.logRetentionDays : 14 }))),
    field("hub-language", "defaultPreferredLanguage", "Default preferred language (when SCIM has none)", { required: true, value: current ? current.defaultPreferredLanguage : "en-GB", placeholder: "en-GB" }),
    h("p", {}, h("label", { class: "inline" }, h("input", { type: "checkbox", name: "enforceNamingRules", checked: !!(current && current.enforceNamingRules) }),
      " Refuse names the Device Hub would refuse already at SCIM time (400 invalidValue)")),
    h("p", {}, h("button", { type: "submit" }, "Save")), msg);
  card.append(form);
  return card;
}

async function auditCard(tenantId) {
  const card = h("section", { class: "card", "aria-labelledby": "audit" }, h("h2", { id: "audit" }, "Audit log"));
  try {
    const { entries } = await api("GET", "/tenants/" + tenantId + "/audit");
    card.append(table([["Time", (e) => when(e.at)], ["Client", (e) => e.clientId || "admin"], ["Request", (e) => h("code", {}, e.method + " " + e.path)],
      ["Status", (e) => e.status], ["Rewrites", (e) => (e.rewrites || []).join(", ")]], (entries || []).slice(0, 50), (e) => (e.status >= 400 ? "failed" : ""), "audit"));
  } catch (err) { card.append(h("p", { class: "muted" }, err.status === 404 ? "No audit log on this deployment yet." : "Audit log unavailable: " + err.message)); }
  return card;
}

async function compatCard(tenantId) {
  const card = h("section", { class: "card", "aria-labelledby": "compat" }, h("h2", { id: "compat" }, "Entra compatibility rewrites seen"));
  const { rewrites } = await api("GET", "/tenants/" + tenantId + "/compat");
  card.append(table([["Rewrite", (r) => h("code", {}, r.rewrite)], ["Count", (r) => r.count], ["Last seen", (r) => when(r.lastSeenAt)]], rewrites, undefined, "compat"),
    h("p", { class: "muted" }, "Non-RFC shapes Entra sent and we accepted (docs/entra.md explains each)."));
  return card;
}
`;
