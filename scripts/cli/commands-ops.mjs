// CLI: Device Hub settings, provisioning, rate-limit tier, Entra-issued tokens, compat counters,
// and the public health check.
import { hubOptionsBody } from "./hub-options.mjs";
import { api, EXIT, fail, publicGet } from "./http.mjs";

const enc = encodeURIComponent;
const pretty = (d) => console.log(JSON.stringify(d, null, 2));

function pageQuery(values) {
  const q = new URLSearchParams();
  if (values.cursor) q.set("cursor", values.cursor);
  if (values.limit) q.set("limit", values.limit);
  return q.size ? `?${q}` : "";
}

export const opsCommands = {
  "hub show": async ({ conn, out, need }) => {
    const [id] = need(1, "hub show <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/device-hub`), pretty);
  },
  "hub set": async ({ conn, out, need, values }) => {
    const [id] = need(1, "hub set <tenantId> --base-url URL --api-key KEY [--timeout-ms N] [--log-retention-days N] [hub options flags]");
    if (!values["base-url"] || !values["api-key"]) fail(EXIT.usage, "hub set needs --base-url and --api-key (to change options only: hub options)");
    // The option flags are optional: left out, the stored options are kept (PUT keeps them).
    const body = { baseUrl: values["base-url"], apiKey: values["api-key"], ...hubOptionsBody(values) };
    if (values["timeout-ms"]) body.timeoutMs = Number(values["timeout-ms"]);
    if (values["log-retention-days"]) body.logRetentionDays = Number(values["log-retention-days"]);
    out(await api(conn, "PUT", `/tenants/${enc(id)}/device-hub`, body), (d) => console.log(`Device Hub ${d.baseUrl} (key ${d.apiKeyHint}) saved`));
  },
  "hub remove": async ({ conn, out, need }) => {
    const [id] = need(1, "hub remove <tenantId>");
    out(await api(conn, "DELETE", `/tenants/${enc(id)}/device-hub`), () => console.log("Device Hub settings removed; provisioning stopped"));
  },
  "provisioning status": async ({ conn, out, need }) => {
    const [id] = need(1, "provisioning status <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/provisioning`), pretty);
  },
  "provisioning logs": async ({ conn, out, need, values }) => {
    const [id] = need(1, "provisioning logs <tenantId> [--cursor C] [--limit N]");
    out(await api(conn, "GET", `/tenants/${enc(id)}/provisioning/logs${pageQuery(values)}`), (d) => {
      console.table(d.entries);
      if (d.nextCursor) console.log(`more: --cursor ${d.nextCursor}`);
    });
  },
  "provisioning parked": async ({ conn, out, need, values }) => {
    const [id] = need(1, "provisioning parked <tenantId> [--cursor C] [--limit N]");
    out(await api(conn, "GET", `/tenants/${enc(id)}/provisioning/parked${pageQuery(values)}`), (d) => {
      console.table(d.items);
      if (d.nextCursor) console.log(`more: --cursor ${d.nextCursor}`);
    });
  },
  "provisioning retry": async ({ conn, out, need, args }) => {
    const [id] = need(1, "provisioning retry <tenantId> [itemId]");
    const item = args[1];
    const path = item ? `/tenants/${enc(id)}/provisioning/parked/${enc(item)}/retry` : `/tenants/${enc(id)}/provisioning/parked/retry`;
    out(await api(conn, "POST", path), (d) => console.log(`${d.retried} parked item(s) queued again`));
  },
  "rate-limit show": async ({ conn, out, need }) => {
    const [id] = need(1, "rate-limit show <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/rate-limit`), (d) => console.log(`tier ${d.tier} (tiers: ${d.tiers.join(", ")})`));
  },
  "rate-limit set": async ({ conn, out, need }) => {
    const [id, tier] = need(2, "rate-limit set <tenantId> <tier>");
    out(await api(conn, "PUT", `/tenants/${enc(id)}/rate-limit`, { tier }), (d) => console.log(`tier ${d.tier}`));
  },
  "token-policy show": async ({ conn, out, need }) => {
    const [id] = need(1, "token-policy show <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/token-policy`), (d) => console.log(`token mode ${d.mode}`));
  },
  "token-policy set": async ({ conn, out, need }) => {
    const [id, mode] = need(2, "token-policy set <tenantId> standard|gallery");
    out(await api(conn, "PUT", `/tenants/${enc(id)}/token-policy`, { mode }), (d) => console.log(`token mode ${d.mode}`));
  },
  "entra-tokens show": async ({ conn, out, need }) => {
    const [id] = need(1, "entra-tokens show <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/entra-tokens`), pretty);
  },
  "entra-tokens set": async ({ conn, out, need, values }) => {
    const [id, entraTenantId] = need(2, "entra-tokens set <tenantId> <entraTenantId> [--audience A] [--app-id GUID] [--assertion-audience A]");
    const body = {
      entraTenantId,
      ...(values.audience ? { audience: values.audience } : {}),
      ...(values["app-id"] ? { appId: values["app-id"] } : {}),
      ...(values["assertion-audience"] ? { assertionAudience: values["assertion-audience"] } : {}),
    };
    out(await api(conn, "PUT", `/tenants/${enc(id)}/entra-tokens`, body), (d) =>
      console.log(`accepting tokens from ${d.issuer}${d.appId ? ` issued to application ${d.appId}` : " for ANY application of that Entra tenant (set --app-id)"}`));
  },
  "entra-tokens remove": async ({ conn, out, need }) => {
    const [id] = need(1, "entra-tokens remove <tenantId>");
    out(await api(conn, "DELETE", `/tenants/${enc(id)}/entra-tokens`), () => console.log("Entra-issued tokens are no longer accepted"));
  },
  compat: async ({ conn, out, need }) => {
    const [id] = need(1, "compat <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/compat`), (d) => console.table(d.rewrites));
  },
  health: async ({ conn, out }) => {
    const { status, data } = await publicGet(conn, "/health");
    out(data, (d) => console.log(`${conn.url}: ${d.status} (D1 ${d.d1})`));
    if (status !== 200) process.exit(EXIT.server);
  },
};
for (const verb of ["start", "stop", "run", "full-sweep"]) {
  opsCommands[`provisioning ${verb}`] = async ({ conn, out, need }) => {
    const [id] = need(1, `provisioning ${verb} <tenantId>`);
    out(await api(conn, "POST", `/tenants/${enc(id)}/provisioning/${verb}`), pretty);
  };
}
