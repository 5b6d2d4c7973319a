#!/usr/bin/env node
// edge-scim: the admin API from a terminal (tenants, clients, tokens, provisioning, audit).
// Works against `npm run dev` (reads ADMIN_TOKEN from .dev.vars) or a deployed URL.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const HELP = `edge-scim — administer an edge SCIM deployment

Usage: edge-scim <command> [args] [--url URL] [--admin-token TOKEN] [--json]

Tenants
  tenants list                          list tenants
  tenants create <name>                 create a tenant
  tenants show <tenantId>               tenant details and SCIM connection settings
Clients (OAuth client credentials for a tenant's identity provider)
  clients list <tenantId>
  clients create <tenantId> <name>      prints client_id and client_secret (shown once)
  clients revoke <tenantId> <clientId>  the client and all its tokens stop working at once
  clients rotate <tenantId> <clientId>  new secret; existing tokens stay valid
Tokens
  tokens issue <tenantId> <clientId> [--expires-in SECONDS]   default 3600, up to 315360000 (10 years)
  tokens list <tenantId> <clientId>
  tokens revoke <tenantId> <jti>
Provisioning (Device Hub sync)
  provisioning status <tenantId>
  provisioning start|stop|run|full-sweep <tenantId>
  provisioning logs <tenantId>
Audit
  audit tail <tenantId> [--since ISO]   recent audit entries
  compat <tenantId>                     Entra compatibility rewrites seen for a tenant

Options
  --url URL            service URL (default: $EDGE_SCIM_URL or http://localhost:8787)
  --admin-token TOKEN  admin token (default: $EDGE_SCIM_ADMIN_TOKEN or ADMIN_TOKEN in ./.dev.vars)
  --json               print the raw JSON response
  -h, --help           this help

Exit codes: 0 success, 1 the server answered an error, 2 usage error, 3 could not connect.`;

function fail(code, message) {
  process.stderr.write(`edge-scim: ${message}\n`);
  process.exit(code);
}

function devVarsToken() {
  if (!existsSync(".dev.vars")) return undefined;
  const line = readFileSync(".dev.vars", "utf8").split("\n").find((l) => l.startsWith("ADMIN_TOKEN="));
  return line?.slice("ADMIN_TOKEN=".length).trim().replace(/^['"]|['"]$/g, "");
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: "string" },
      "admin-token": { type: "string" },
      json: { type: "boolean", default: false },
      "expires-in": { type: "string" },
      since: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
} catch (err) {
  fail(2, `${err.message}\n\n${HELP}`);
}
const { values, positionals } = parsed;
if (values.help || positionals.length === 0) {
  console.log(HELP);
  process.exit(values.help ? 0 : 2);
}
const url = (values.url ?? process.env.EDGE_SCIM_URL ?? "http://localhost:8787").replace(/\/+$/, "");
const adminToken = values["admin-token"] ?? process.env.EDGE_SCIM_ADMIN_TOKEN ?? devVarsToken();

async function api(method, path, body) {
  if (!adminToken) fail(2, "no admin token: pass --admin-token or set EDGE_SCIM_ADMIN_TOKEN");
  let res;
  try {
    res = await fetch(`${url}/admin/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, ...(body ? { "Content-Type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  } catch (err) {
    fail(3, `cannot reach ${url}: ${err.cause?.code ?? err.message}`);
  }
  const text = await res.text();
  const data = text ? JSON.parse(text) : {};
  if (!res.ok) fail(1, `${method} ${path} → ${res.status}: ${data?.error?.message ?? data?.detail ?? text}`);
  return data;
}

function out(data, human) {
  if (values.json) console.log(JSON.stringify(data, null, 2));
  else human(data);
}

const need = (n, usage) => {
  if (positionals.length < n) fail(2, `usage: edge-scim ${usage}`);
  return positionals.slice(1, n);
};

const [group, action] = positionals;
const commands = {
  "tenants list": async () => out(await api("GET", "/tenants"), (d) => console.table(d.tenants)),
  "tenants create": async () => {
    const [, name] = need(3, "tenants create <name>");
    out(await api("POST", "/tenants", { name }), (d) => console.log(`created tenant ${d.id} (${d.name})`));
  },
  "tenants show": async () => {
    const [, id] = need(3, "tenants show <tenantId>");
    out(await api("GET", `/tenants/${id}`), (d) => {
      console.log(`${d.name} (${d.id}), created ${d.createdAt}`);
      if (d.scim) console.log(`Tenant URL:     ${d.scim.tenantUrl}\nToken endpoint: ${d.scim.tokenEndpoint}`);
    });
  },
  "clients list": async () => {
    const [, id] = need(3, "clients list <tenantId>");
    out(await api("GET", `/tenants/${id}/clients`), (d) => console.table(d.clients));
  },
  "clients create": async () => {
    const [, id, name] = need(4, "clients create <tenantId> <name>");
    out(await api("POST", `/tenants/${id}/clients`, { name }), (d) =>
      console.log(`client_id:      ${d.client_id}\nclient_secret:  ${d.client_secret}   (shown once)\ntoken endpoint: ${d.token_endpoint}\nTenant URL:     ${d.scim_base_url}`),
    );
  },
  "clients revoke": async () => {
    const [, id, clientId] = need(4, "clients revoke <tenantId> <clientId>");
    out(await api("DELETE", `/tenants/${id}/clients/${clientId}`), () => console.log(`revoked ${clientId}`));
  },
  "clients rotate": async () => {
    const [, id, clientId] = need(4, "clients rotate <tenantId> <clientId>");
    out(await api("POST", `/tenants/${id}/clients/${clientId}/rotate`), (d) => console.log(`new client_secret: ${d.client_secret}   (shown once)`));
  },
  "tokens issue": async () => {
    const [, id, clientId] = need(4, "tokens issue <tenantId> <clientId> [--expires-in SECONDS]");
    const body = values["expires-in"] ? { expires_in: Number(values["expires-in"]) } : {};
    out(await api("POST", `/tenants/${id}/clients/${clientId}/tokens`, body), (d) =>
      console.log(`${d.access_token}\n\nexpires ${d.expires_at} (jti ${d.jti})`),
    );
  },
  "tokens list": async () => {
    const [, id, clientId] = need(4, "tokens list <tenantId> <clientId>");
    out(await api("GET", `/tenants/${id}/clients/${clientId}/tokens`), (d) => console.table(d.tokens));
  },
  "tokens revoke": async () => {
    const [, id, jti] = need(4, "tokens revoke <tenantId> <jti>");
    out(await api("DELETE", `/tenants/${id}/tokens/${jti}`), () => console.log(`revoked token ${jti}`));
  },
  "provisioning status": async () => {
    const [, id] = need(3, "provisioning status <tenantId>");
    out(await api("GET", `/tenants/${id}/provisioning`), (d) => console.log(JSON.stringify(d, null, 2)));
  },
  "provisioning logs": async () => {
    const [, id] = need(3, "provisioning logs <tenantId>");
    out(await api("GET", `/tenants/${id}/provisioning/logs`), (d) => console.table(d.entries ?? d.logs ?? d));
  },
  "audit tail": async () => {
    const [, id] = need(3, "audit tail <tenantId> [--since ISO]");
    const since = values.since ? `?since=${encodeURIComponent(values.since)}` : "";
    out(await api("GET", `/tenants/${id}/audit${since}`), (d) => console.table(d.entries ?? d));
  },
};
for (const verb of ["start", "stop", "run", "full-sweep"]) {
  commands[`provisioning ${verb}`] = async () => {
    const [, id] = need(3, `provisioning ${verb} <tenantId>`);
    out(await api("POST", `/tenants/${id}/provisioning/${verb}`), (d) => console.log(JSON.stringify(d, null, 2)));
  };
}
commands["compat"] = async () => {
  const [id] = positionals.slice(1, 2);
  if (!id) fail(2, "usage: edge-scim compat <tenantId>");
  out(await api("GET", `/tenants/${id}/compat`), (d) => console.table(d.rewrites));
};

const key = group === "compat" ? "compat" : `${group} ${action}`;
const command = commands[key];
if (!command) fail(2, `unknown command "${positionals.join(" ")}"\n\n${HELP}`);
await command();
