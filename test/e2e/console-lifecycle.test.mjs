// End-to-end, in Chromium against the real dev stack: the console's tenant lifecycle (rename,
// export as a download, delete with purge progress), the audit log newest first with a time
// window, deletions held by the mass-delete guard until "Confirm deletions", hub-held names and
// their adoption, foreign hub objects.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { adminCall as sharedAdminCall, openConsoleSession, openTenant as openTenantView, signIn } from "./console-session.mjs";

const run = Math.random().toString(36).slice(2, 8);
const HUB_KEY = `e2e-lifecycle-${run}`;

let stack;
let page;
let pageErrors;
let session;
const shared = {};

const adminCall = (method, path, body) => sharedAdminCall(stack, method, path, body);

/** A tenant with a client and a SCIM token, made through the admin API (setup, not under test). */
async function tenantWithToken(name) {
  const tenant = await adminCall("POST", "/tenants", { name });
  const client = await adminCall("POST", `/tenants/${tenant.id}/clients`, { name: "entra" });
  const token = await adminCall("POST", `/tenants/${tenant.id}/clients/${client.client_id}/tokens`, { expires_in: 3600 });
  return { id: tenant.id, token: token.access_token };
}

function scimCall(token, method, path, body) {
  return fetch(`${stack.baseUrl}/scim/v2${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function createUser(token, userName) {
  const res = await scimCall(token, "POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()).id;
}

/** Fire the cron trigger (wrangler dev's scheduled endpoint) until `done()` or the deadline. */
async function cronUntil(done, what, ms = 90_000) {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    assert.ok(Date.now() < deadline, `${what} did not happen`);
    await fetch(`${stack.baseUrl}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
  }
}

const openTenant = (id) => openTenantView(page, stack, id);

before(async () => {
  session = await openConsoleSession();
  ({ stack, page, pageErrors } = session);
  await signIn(page, stack);
  shared.a = await tenantWithToken(`Lifecycle ${run}`);
});

after(async () => {
  await session?.close();
});

test("rename a tenant: the heading, the API and the tenant list show the new name", async () => {
  await openTenant(shared.a.id);
  const name = `Renamed ${run}`;
  await page.fill("#rename", name);
  await page.getByRole("button", { name: "Rename" }).click();
  await page.locator("[data-testid=tenant-name]", { hasText: name }).waitFor();
  assert.equal((await adminCall("GET", `/tenants/${shared.a.id}`)).name, name);
  await page.goto(`${stack.baseUrl}/admin#/tenants`);
  await page.locator("[data-testid=tenants] tr", { hasText: name }).getByText("active").waitFor();
});

test("export the directory: one NDJSON download with every user", async () => {
  shared.userNames = [];
  for (let i = 0; i < 3; i++) {
    const userName = `export.${i}.${run}@example.com`;
    await createUser(shared.a.token, userName);
    shared.userNames.push(userName);
  }
  await openTenant(shared.a.id);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export directory (NDJSON)" }).click()]);
  assert.equal(download.suggestedFilename(), `tenant-${shared.a.id}.ndjson`);
  const lines = readFileSync(await download.path(), "utf8").split("\n").filter(Boolean);
  const records = lines.map((l) => JSON.parse(l));
  for (const userName of shared.userNames) assert.ok(JSON.stringify(records).includes(userName), `${userName} missing from the export`);
  await page.getByText(/Exported \d+ page\(s\)\./).waitFor();
});

test("the audit log reads newest first and honours until", async () => {
  const last = await scimCall(shared.a.token, "PATCH", `/Users/${await createUser(shared.a.token, `audit.${run}@example.com`)}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "displayName", value: "Newest" }],
  });
  assert.ok(last.ok);
  // The audit row is written after the response (waitUntil): open the page until it is there.
  const firstRow = page.locator("[data-testid=audit] tbody tr").first();
  await openTenant(shared.a.id);
  for (let attempt = 1; attempt < 20; attempt++) {
    await firstRow.waitFor();
    if ((await firstRow.getByText(/^PATCH \/scim\/v2\/Users\//).count()) > 0) break;
    await page.reload();
    await page.locator("[data-testid=tenant-name]").waitFor();
  }
  await firstRow.getByText(/^PATCH \/scim\/v2\/Users\//).waitFor();
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.fill("#audit-until", local(new Date(Date.now() - 86_400_000)));
  await page.locator("section[aria-labelledby=audit]").getByRole("button", { name: "Filter" }).click();
  await page.locator("[data-testid=audit]").getByText("Nothing yet.").waitFor();
});

test("deletions over the guard wait for Confirm deletions, then reach the hub", async () => {
  const b = (shared.b = await tenantWithToken(`Guard ${run}`));
  await adminCall("PUT", `/tenants/${b.id}/device-hub`, { baseUrl: stack.hubUrl, apiKey: HUB_KEY });
  await adminCall("POST", `/tenants/${b.id}/provisioning/start`);
  const ids = [];
  for (let i = 0; i < 25; i++) ids.push(await createUser(b.token, `guard.${i}.${run}@example.com`));
  await cronUntil(async () => (await adminCall("GET", `/tenants/${b.id}/provisioning`)).lastCycle?.counts?.usersCreated >= 25 ||
    (await adminCall("GET", `/tenants/${b.id}/provisioning/history`)).cycles.reduce((n, c) => n + c.ok, 0) >= 25, "the 25 users reaching the hub");
  // No wake-up runs while the deletes arrive (a run in between would let the first few through,
  // under the guard's minimum): all 25 meet the guard in the one run "Run now" starts.
  await adminCall("PATCH", `/tenants/${b.id}/device-hub`, { syncOnChange: false });
  for (const id of ids) assert.equal((await scimCall(b.token, "DELETE", `/Users/${id}`)).status, 204);

  await openTenant(b.id);
  await page.getByRole("button", { name: "Run now" }).click();
  const held = page.locator("[data-testid=prov-deletions]", { hasText: "Deletions wait for confirmation" });
  await held.waitFor({ timeout: 60_000 });
  // All 25, or at least the guard's minimum of 20 should a wake-up already in flight have let a
  // few through before the deletes passed the threshold.
  const heldUsers = Number(/(\d+) users/.exec((await held.textContent()) ?? "")?.[1]);
  assert.ok(heldUsers >= 20 && heldUsers <= 25, `held ${heldUsers} users`);
  await held.getByRole("button", { name: "Confirm deletions" }).click();
  await page.getByText("Deletions confirmed").waitFor();
  await page.getByRole("button", { name: "Run now" }).click();
  await held.waitFor({ state: "detached", timeout: 60_000 });
  const hub = await fetch(`${stack.hubUrl}/v1/users?userName=${encodeURIComponent(`guard.0.${run}@example.com`)}`, { headers: { Authorization: `Bearer ${HUB_KEY}` } });
  const { items } = await hub.json();
  assert.ok(items.length === 0 || items[0].active === false, "the confirmed deletion reached the hub");
});

test("hub-held names: a create refused for a name a hub account holds is listed; Adopt all links it", async () => {
  const userName = `held.${run}@example.com`;
  const made = await fetch(`${stack.hubUrl}/__control/api/v1/users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${HUB_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ userName }),
  });
  assert.ok(made.ok, `hub user: ${made.status}`);
  const hubId = (await made.json()).id;
  const refused = await scimCall(shared.b.token, "POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true });
  assert.equal(refused.status, 409, await refused.clone().text());
  await openTenant(shared.b.id);
  const held = page.locator("[data-testid=prov-hub-held]");
  await held.locator("tr", { hasText: userName }).getByText(hubId).waitFor({ timeout: 60_000 });
  await page.getByRole("button", { name: "Adopt all" }).click();
  await page.getByText(`Adopted ${userName}.`).waitFor();
  await held.waitFor({ state: "detached" });
  const adopted = await fetch(`${stack.baseUrl}/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`, { headers: { Authorization: `Bearer ${shared.b.token}` } });
  assert.equal((await adopted.json()).totalResults, 1, "the refused create became the SCIM user");
});

test("hub objects another integration made show as foreign on the provisioning card", async () => {
  // A hub admin's user (no externalRef), made behind the service's back; a full sweep sees it.
  const res = await fetch(`${stack.hubUrl}/__control/api/v1/users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${HUB_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ userName: `hub-admin.${run}@example.com` }),
  });
  assert.ok(res.ok, `hub user: ${res.status}`);
  await openTenant(shared.b.id);
  await page.getByRole("button", { name: "Full sweep" }).click();
  await page.getByRole("button", { name: "Run now" }).click();
  await page.locator("[data-testid=prov-foreign]", { hasText: /^[1-9]\d* users/ }).waitFor({ timeout: 60_000 });
});

test("delete a tenant: its token stops at once, the page shows the purge until it is done", async () => {
  await openTenant(shared.a.id);
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Delete tenant" }).click();
  await page.locator("[data-testid=tenant-deleted]").waitFor();
  assert.equal((await scimCall(shared.a.token, "GET", "/Users")).status, 401);
  const purge = page.locator("[data-testid=purge-progress]");
  await cronUntil(async () => /All of its data is purged/.test(await purge.textContent()), "the purge");
  await page.goto(`${stack.baseUrl}/admin#/tenants`);
  const row = page.locator("[data-testid=tenants] tr", { hasText: shared.a.id });
  if (await row.count()) assert.match(await row.textContent(), /deleting|deleted/);
});

test("no script errors in the page", () => {
  assert.deepEqual(pageErrors, []);
});
