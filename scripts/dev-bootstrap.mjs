// Idempotent dev bootstrap over the real admin API: a "Dev tenant" with one SCIM client whose
// secret is remembered in .wrangler/dev-state.json, next to the local D1 it describes (both
// git-ignored; wiping .wrangler/ wipes both, so they never disagree for long).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export const DEV_TENANT_NAME = "Dev tenant";
const DEV_CLIENT_NAME = "dev (npm run dev)";

/** Poll `url` until it answers 2xx, the child died (`alive()` false) or `timeoutMs` passed. */
export async function waitForService(url, alive, timeoutMs = 90_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (!alive()) return false;
    try {
      const res = await fetch(url);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

function adminApi(baseUrl, adminToken) {
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl}/admin/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${adminToken}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

function expectOk(res, what) {
  if (res.status >= 300) throw new Error(`${what} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const readState = (path) => (existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {});

function writeState(path, state) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

async function secretWorks(baseUrl, clientId, clientSecret) {
  const res = await fetch(`${baseUrl}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
  });
  return res.status === 200;
}

async function ensureTenant(api, state) {
  if (state.tenantId && (await api("GET", `/tenants/${state.tenantId}`)).status === 200) return state.tenantId;
  // State lost but the local D1 kept: reuse the tenant by name rather than pile up duplicates.
  const { tenants } = expectOk(await api("GET", "/tenants"), "listing tenants");
  const existing = tenants.find((t) => t.name === DEV_TENANT_NAME);
  if (existing) return existing.id;
  return expectOk(await api("POST", "/tenants", { name: DEV_TENANT_NAME }), "creating the dev tenant").id;
}

async function ensureClient(api, baseUrl, tenantId, state) {
  if (state.tenantId === tenantId && state.clientId && state.clientSecret) {
    if (await secretWorks(baseUrl, state.clientId, state.clientSecret)) return state;
    // Rotated or revoked behind our back: a rotation keeps the client id stable when possible.
    const rotated = await api("POST", `/tenants/${tenantId}/clients/${state.clientId}/rotate`);
    if (rotated.status === 200) return { clientId: state.clientId, clientSecret: rotated.body.client_secret };
  }
  const created = expectOk(await api("POST", `/tenants/${tenantId}/clients`, { name: DEV_CLIENT_NAME }), "creating the dev client");
  return { clientId: created.client_id, clientSecret: created.client_secret };
}

// Wire the dev tenant to the local Device Hub emulator and start provisioning, so a newcomer
// sees SCIM changes reach the hub within seconds (the sync queue) with no outside system.
async function ensureHub(api, tenantId, hubUrl, state) {
  if (!hubUrl) return undefined;
  if (state.tenantId === tenantId && state.hubUrl === hubUrl) return "configured";
  const res = await api("PUT", `/tenants/${tenantId}/device-hub`, { baseUrl: hubUrl, apiKey: "dev-hub-key" });
  if (res.status >= 300) return undefined;
  await api("POST", `/tenants/${tenantId}/provisioning/start`);
  return "configured";
}

/** Create or reuse the dev tenant and client; returns what the banner prints. */
export async function bootstrapDevTenant({ baseUrl, adminToken, statePath, hubUrl }) {
  const api = adminApi(baseUrl, adminToken);
  const state = readState(statePath);
  const tenantId = await ensureTenant(api, state);
  const { clientId, clientSecret } = await ensureClient(api, baseUrl, tenantId, state);
  const hub = await ensureHub(api, tenantId, hubUrl, state);
  writeState(statePath, { tenantId, clientId, clientSecret, ...(hub ? { hubUrl } : {}) });
  return { tenantId, clientId, clientSecret, hub };
}

const DEFAULT_DEV_URL = "http://localhost:8787";

/**
 * The few lines a developer needs: URLs, credentials, the console, the CLI (with --url when the
 * port is not the CLI's default), and three commands to run as printed: a token, a SCIM create,
 * and the Device Hub emulator's state where the user arrives within seconds.
 */
export function banner({ baseUrl, tenantId, clientId, clientSecret, hubUrl, hub }) {
  const cliUrl = baseUrl === DEFAULT_DEV_URL ? "" : ` --url ${baseUrl}`;
  // A fresh userName per start: a second start's create is not a 409 for the first one's user.
  const userName = `ada.${Math.random().toString(36).slice(2, 6)}@example.com`;
  const user = JSON.stringify({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName,
    name: { givenName: "Ada", familyName: "Lovelace" },
    emails: [{ value: userName, type: "work", primary: true }],
    active: true,
  });
  return [
    "",
    `  Edge SCIM dev server      ${baseUrl}`,
    `  Admin console             ${baseUrl}/admin   (sign in with ADMIN_TOKEN from .dev.vars)`,
    `  CLI                       npx edge-scim tenants list${cliUrl}`,
    `  Dev tenant                ${tenantId}`,
    `  Tenant URL                ${baseUrl}/scim/v2`,
    `  Token endpoint            ${baseUrl}/oauth/token`,
    `  Client id / secret        ${clientId}  ${clientSecret}`,
    ...(hubUrl ? [`  Device Hub emulator       ${hubUrl}${hub ? "   (the dev tenant's hub, API key dev-hub-key)" : ""}`] : []),
    "",
    "  Get a token and create a user:",
    `    TOKEN=$(curl -s -u '${clientId}:${clientSecret}' -d grant_type=client_credentials ${baseUrl}/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
    `    curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/scim+json' -d '${user}' ${baseUrl}/scim/v2/Users`,
    ...(hub
      ? ["  Within seconds the user is in the Device Hub emulator:", `    curl -s -H 'Authorization: Bearer dev-hub-key' ${hubUrl}/__control/state`]
      : []),
    "",
  ].join("\n");
}
