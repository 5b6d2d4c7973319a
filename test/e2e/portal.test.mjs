// End-to-end: the self-service portal against the real dev stack. The operator creates a setup
// link in the console; a second browser (its own profile and cookies) opens it, creates the
// Secret Token for Entra, copies the Entra values (read back from the clipboard), runs "Test
// connection", starts provisioning and sees a SCIM write reach the Device Hub; a reload keeps the
// session, a used link and a signed-out or revoked session show the "ask your provider" message;
// tokens expiring within 30 days are flagged in the console, its tenants overview and the portal;
// an API token made in the portal works for scripts until revoked; a create refused for a name a
// hub account holds is listed, and the customer adopts that account.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { launchBrowser } from "./browser.mjs";
import { adminCall as sharedAdminCall, assertFitsWidth, openConsoleSession, openTenant, signIn } from "./console-session.mjs";
import { makeMembershipDrift } from "./membership-drift.mjs";

const SHOTS = fileURLToPath(new URL("./screenshots/", import.meta.url));
const HUB_KEY = "e2e-portal-hub-key";
const run = Math.random().toString(36).slice(2, 8);

let session;
let stack;
let page;
let customer;
let portal;
const errors = [];
const shared = {};
const adminCall = (method, path, body) => sharedAdminCall(stack, method, path, body);

/** The customer's browser: a second Chromium profile, allowed to use the clipboard. */
async function customerBrowser() {
  const browser = await launchBrowser({ width: 1280, height: 900 });
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.baseUrl });
  const p = await browser.context.newPage();
  // Bounds a real failure only: a busy 2-core CI machine may take seconds to render a page.
  p.setDefaultTimeout(60_000);
  p.on("pageerror", (e) => errors.push(String(e)));
  // A refused session (401) is logged by the browser as a failed resource, which is expected.
  p.on("console", (m) => { if (m.type() === "error" && !/Failed to load resource/.test(m.text())) errors.push(m.text()); });
  return { browser, page: p };
}

/** The operator creates a setup link on the tenant's page; the URL is shown once. */
async function createLinkInConsole(note) {
  await openTenant(page, stack, shared.tenantId);
  const cardEl = page.locator("section[aria-labelledby=setup-links]");
  await cardEl.locator("#setup-link-note").fill(note);
  await cardEl.getByRole("button", { name: "Create setup link" }).click();
  return page.locator("[data-testid=setup-link-url]").textContent();
}

const clipboard = () => portal.evaluate(() => navigator.clipboard.readText());

before(async () => {
  session = await openConsoleSession();
  ({ stack, page } = session);
  page.on("pageerror", (e) => errors.push(String(e)));
  const tenant = await adminCall("POST", "/tenants", { name: `Portal Fabrikam ${run}` });
  shared.tenantId = tenant.id;
  // The Device Hub is the operator's to configure (its API key is never shown to the customer).
  await adminCall("PUT", `/tenants/${tenant.id}/device-hub`, { baseUrl: stack.hubUrl, apiKey: HUB_KEY });
  await signIn(page, stack);
  customer = await customerBrowser();
  portal = customer.page;
});

after(async () => {
  await customer?.browser.close();
  await session?.close();
});

test("without a link the portal asks for one", async () => {
  await portal.goto(`${stack.baseUrl}/portal/`);
  await portal.locator("[data-testid=portal-message]", { hasText: "Ask your provider for a setup link" }).waitFor();
  assert.equal(await portal.isVisible("#signout"), false);
});

test("the operator creates a setup link in the console: shown once, listed as active", async () => {
  shared.url = await createLinkInConsole("for Fabrikam IT");
  assert.match(shared.url, new RegExp(`^${stack.baseUrl}/portal/#setup=[\\w.-]{20,}$`));
  const row = page.locator("[data-testid=setup-links] tr", { hasText: "for Fabrikam IT" });
  await row.getByText("active").waitFor();
  await page.reload();
  await page.locator("[data-testid=setup-links]").waitFor();
  assert.equal(await page.locator("[data-testid=setup-link-url]").count(), 0, "the URL is not shown again");
});

test("the customer opens the link: it names the tenant and waits for confirmation; then the fragment is gone and the dashboard shows their tenant", async () => {
  await portal.goto(shared.url);
  await portal.locator("[data-testid=confirm-tenant]", { hasText: "Portal Fabrikam" }).waitFor();
  assert.equal(new URL(portal.url()).hash, "", "the secret is gone from the address bar before anything else");
  await page.reload();
  await page.locator("[data-testid=setup-links] tr", { hasText: "for Fabrikam IT" }).getByText("active").waitFor();
  await portal.getByRole("button", { name: /^Continue to / }).click();
  await portal.locator(`[data-testid=tenant-name][data-tenant-id="${shared.tenantId}"]`).waitFor();
  assert.equal(new URL(portal.url()).hash, "", "the secret is gone from the address bar");
  assert.match(await portal.textContent("[data-testid=tenant-name]"), /Portal Fabrikam/);
  assert.equal(await portal.textContent("[data-testid=tenant-url]"), `${stack.baseUrl}/scim/v2`);
  assert.equal(await portal.isVisible("#signout"), true);
  const row = page.locator("[data-testid=setup-links] tr", { hasText: "for Fabrikam IT" });
  await page.reload();
  await row.getByText("used").waitFor();
});

test("Create a Secret Token for Entra: a 10-year token, shown once, copied with the Tenant URL", async () => {
  await portal.getByRole("button", { name: "Create a Secret Token for Entra" }).click();
  const box = portal.locator("[data-testid=secret-out]");
  await box.getByText("shown only now").waitFor();
  shared.token = await portal.textContent("[data-testid=secret-token]");
  const payload = JSON.parse(Buffer.from(shared.token.split(".")[1], "base64url").toString());
  const years = (payload.exp * 1000 - Date.now()) / (365 * 86_400_000);
  assert.ok(years > 9.9 && years < 10.1, `token lifetime ${years} years`);

  await box.getByRole("button", { name: "Copy Secret Token" }).click();
  await box.locator("button", { hasText: "Copied" }).waitFor();
  assert.equal(await clipboard(), shared.token);
  await portal.getByRole("button", { name: "Copy Tenant URL" }).click();
  assert.equal(await clipboard(), `${stack.baseUrl}/scim/v2`);
  // The token list shows it, valid for 10 years: not flagged.
  const tokenRow = portal.locator("[data-testid=tokens] tr", { hasText: payload.jti });
  await tokenRow.getByText("active").waitFor();
  assert.equal(await portal.locator("[data-testid=tokens-expiring]").count(), 0);
});

test("the OAuth alternative: token endpoint, client identifier and secret copied", async () => {
  await portal.getByText("Or use OAuth client credentials instead").click();
  await portal.getByRole("button", { name: "Copy Token Endpoint" }).click();
  assert.equal(await clipboard(), `${stack.baseUrl}/oauth/token`);
  await portal.getByRole("button", { name: "Create OAuth client credentials" }).click();
  const box = portal.locator("[data-testid=oauth-out]");
  const clientId = (shared.oauthClientId = await box.locator("[data-testid=oauth-client-id]").textContent());
  const secret = await box.locator("[data-testid=oauth-client-secret]").textContent();
  await box.getByRole("button", { name: "Copy Client Secret" }).click();
  assert.equal(await clipboard(), secret);
  // Test connection with these goes through the token endpoint, as Entra does.
  await portal.locator("section[aria-labelledby=test]").getByText(clientId).waitFor();
  await portal.getByRole("button", { name: "Test connection" }).click();
  await portal.locator("[data-testid=test-result] [data-ok=true]", { hasText: "credentials are valid" }).waitFor();
});

test("Test connection says what Entra would see: valid for the new token, 401 for a wrong one", async () => {
  await portal.fill("#test-token", shared.token);
  await portal.getByRole("button", { name: "Test connection" }).click();
  await portal.locator("[data-testid=test-result] [data-ok=true]", { hasText: "Entra would report: credentials are valid" }).waitFor();
  await portal.fill("#test-token", `${shared.token.slice(0, -4)}AAAA`);
  await portal.getByRole("button", { name: "Test connection" }).click();
  await portal.locator("[data-testid=test-result] [data-ok=false]", { hasText: "invalid, expired or revoked (401)" }).waitFor();
  await portal.fill("#test-token", shared.token);
});

test("the customer starts provisioning; a SCIM write with their token shows up in plain words", async () => {
  const prov = portal.locator("section[aria-labelledby=prov]");
  await prov.getByRole("button", { name: "Start", exact: true }).click();
  await prov.locator("[data-testid=prov-state]", { hasText: "started" }).waitFor();
  const created = await fetch(`${stack.baseUrl}/scim/v2/Users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${shared.token}`, "Content-Type": "application/scim+json" },
    body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `portal.${run}@example.com`, active: true }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const userId = (await created.json()).id;
  const entry = prov.locator("[data-testid=prov-log] tr", { hasText: userId });
  const deadline = Date.now() + 60_000;
  // A change wakes a run within seconds; "Run now" makes sure one comes. The card refreshes itself.
  while (!(await entry.count())) {
    assert.ok(Date.now() < deadline, "the user never reached the provisioning log");
    const finished = await prov.locator("[data-testid=prov-last]").getAttribute("data-finished-at");
    await prov.getByRole("button", { name: "Run now" }).click();
    await portal.waitForFunction((f) => document.querySelector("[data-testid=prov-last]")?.getAttribute("data-finished-at") !== f, finished, { timeout: 30_000 });
  }
  await entry.first().getByText("Create user").waitFor();
  await entry.first().getByText("done").waitFor();
  // Names, not ids: the userName stands beside the SCIM id.
  await entry.first().getByText(`portal.${run}@example.com`).waitFor();
});

test("a name a Device Hub account holds is listed with its holder; the customer adopts it", async () => {
  const userName = `self.registered.${run}@example.com`;
  const made = await fetch(`${stack.hubUrl}/__control/api/v1/users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${HUB_KEY}`, "Content-Type": "application/json" },
    body: JSON.stringify({ userName }),
  });
  assert.ok(made.ok, `hub user: ${made.status}`);
  const hubId = (await made.json()).id;
  const refused = await fetch(`${stack.baseUrl}/scim/v2/Users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${shared.token}`, "Content-Type": "application/scim+json" },
    body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true }),
  });
  assert.equal(refused.status, 409, await refused.clone().text());
  const prov = portal.locator("section[aria-labelledby=prov]");
  const row = prov.locator("[data-testid=prov-hub-held] tr", { hasText: userName });
  await row.getByText(hubId).waitFor();
  await row.getByText("create refused").waitFor();
  await row.getByRole("button", { name: "Adopt" }).click();
  await prov.getByText(`Adopted ${userName}.`).waitFor();
  await prov.locator("[data-testid=prov-hub-held]").waitFor({ state: "detached" });
  const list = await adminCall("GET", `/tenants/${shared.tenantId}/provisioning/hub-held-names`);
  assert.deepEqual(list.items, []);
});

test("the customer checks for drift: the report runs and says what differs (here: nothing)", async () => {
  const prov = portal.locator("section[aria-labelledby=prov]");
  await prov.locator("[data-testid=drift-summary]", { hasText: "Not checked yet." }).waitFor();
  // The adoption before this test wakes a run that finishes it (our externalRef and SCIM's fields):
  // check once that update is logged and the sync has nothing left to do (conditions, not delays).
  const adopted = `self.registered.${run}@example.com`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { entries } = await adminCall("GET", `/tenants/${shared.tenantId}/provisioning/logs?limit=100`);
    const status = await adminCall("GET", `/tenants/${shared.tenantId}/provisioning`);
    const updated = entries.some((e) => e.name === adopted && e.action === "user.adopt" && e.result === "ok");
    if (updated && status.activity === "idle" && status.queue.queued === 0 && status.queue.pending === 0) break;
    assert.ok(Date.now() < deadline, `the adopted user was not synced: ${JSON.stringify(entries.filter((e) => e.name === adopted))} ${JSON.stringify(status.queue)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await prov.getByRole("button", { name: "Check for drift" }).click();
  await prov.locator("[data-testid=drift-summary]", { hasText: /checked \d/ }).waitFor({ timeout: 60_000 });
  const summary = await prov.locator("[data-testid=drift-summary]").textContent();
  assert.match(summary, /No differences/, `${summary}\n${await prov.locator("[data-testid=prov-drift]").textContent()}`);
  await prov.locator("[data-testid=prov-drift]", { hasText: "Nothing yet." }).waitFor();
});

test("the customer's drift report names the members a hub group lacks and the extra ones", async () => {
  const prov = portal.locator("section[aria-labelledby=prov]");
  // m1 and m2 in a synced group; then, in the hub, m1 leaves it and m3 joins it.
  const { users: members } = await makeMembershipDrift({
    baseUrl: stack.baseUrl, hubUrl: stack.hubUrl, scimToken: shared.token, hubKey: HUB_KEY,
    userNames: [1, 2, 3].map((n) => `m${n}.${run}@example.com`), groupName: `Drift team ${run}`,
    startSync: () => prov.getByRole("button", { name: "Run now" }).click(),
  });
  await prov.getByRole("button", { name: "Check for drift" }).click();
  await prov.locator("[data-testid=drift-summary]", { hasText: /1 differences, checked/ }).waitFor({ timeout: 60_000 });
  const row = prov.locator("[data-testid=prov-drift] tr", { hasText: "membershipDiffers" });
  assert.equal(await row.locator("[data-testid=drift-missing]").textContent(), `Missing from the hub group: ${members[0].userName}`);
  assert.equal(await row.locator("[data-testid=drift-extra]").textContent(), `Extra in the hub group: ${members[2].userName}`);
  await row.getByText("Full sweep").waitFor();
});

test("the portal fits 1280 and 1024 px without horizontal scroll (screenshot saved)", async () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const width of [1280, 1024]) {
    await assertFitsWidth(portal, width, 900);
  }
  await portal.setViewportSize({ width: 1280, height: 900 });
  await portal.screenshot({ path: `${SHOTS}portal-1280.png`, fullPage: true });
});

test("a reload keeps the session and does not show the token again", async () => {
  await portal.reload();
  await portal.locator(`[data-testid=tenant-name][data-tenant-id="${shared.tenantId}"]`).waitFor();
  assert.equal(await portal.locator("[data-testid=secret-token]").count(), 0);
});

test("a used link shows the ask-for-a-new-link message", async () => {
  const other = await page.context().newPage();
  try {
    await other.goto(shared.url);
    await other.locator("[data-testid=portal-message]", { hasText: "Ask your provider for a new setup link" }).waitFor();
    assert.equal(new URL(other.url()).hash, "");
  } finally {
    await other.close();
  }
});

test("tokens expiring within 30 days are flagged in the console, its overview and the portal", async () => {
  const client = await adminCall("POST", `/tenants/${shared.tenantId}/clients`, { name: "short-lived" });
  const short = await adminCall("POST", `/tenants/${shared.tenantId}/clients/${client.client_id}/tokens`, { expires_in: 10 * 86_400 });
  await openTenant(page, stack, shared.tenantId);
  // Already on that page (same URL, no navigation): draw it again with the new token.
  await page.reload();
  await page.locator("[data-testid=tokens] tr.expiring", { hasText: short.jti }).getByText(/expires in 10 day/).waitFor();
  await page.goto(`${stack.baseUrl}/admin#/tenants`);
  await page.locator("[data-testid=expiring-tokens] tr", { hasText: client.client_id }).getByText(`Portal Fabrikam ${run}`).waitFor();
  // The 1-hour token the OAuth test got renews itself: neither in the report nor in the banner.
  const report = await adminCall("GET", "/tokens/expiring?within_days=30");
  assert.ok(!report.tokens.some((t) => t.client_id === shared.oauthClientId), "the test's OAuth token is not in the report");
  assert.equal(await page.locator("[data-testid=expiring-tokens] tr", { hasText: shared.oauthClientId }).count(), 0);
  await portal.reload();
  await portal.locator("[data-testid=tokens-expiring]").waitFor();
  await portal.locator("[data-testid=tokens] tr.expiring", { hasText: short.jti }).waitFor();
  // The 1-hour access token "Test connection" got at the token endpoint is renewed by its client: not flagged.
  assert.equal(await portal.locator("[data-testid=tokens] tr.expiring").count(), 1);
  await portal.locator("[data-testid=tokens] tr", { hasText: "short-lived" }).first().waitFor();
  // Revoking it from the portal removes the flag.
  portal.once("dialog", (d) => d.accept());
  await portal.locator("[data-testid=tokens] tr", { hasText: short.jti }).getByRole("button", { name: "Revoke" }).click();
  await portal.locator("[data-testid=tokens] tr", { hasText: short.jti }).getByText("revoked").waitFor();
  assert.equal(await portal.locator("[data-testid=tokens-expiring]").count(), 0);
});

test("an API token for scripts: shown once, works on this tenant's admin routes only, revocable", async () => {
  await portal.fill("#api-token-name", "nightly report");
  await portal.fill("#api-token-days", "30");
  await portal.getByRole("button", { name: "Create API token" }).click();
  const token = await portal.locator("[data-testid=api-token]").textContent();
  assert.match(token, /^scimta_/);
  const row = portal.locator("[data-testid=api-tokens] tr", { hasText: "nightly report" });
  await row.getByText("active").waitFor();
  await row.getByText("ends", { exact: true }).waitFor();
  const get = (path) => fetch(`${stack.baseUrl}/admin/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal((await get(`/tenants/${shared.tenantId}/provisioning`)).status, 200);
  assert.equal((await get("/tenants")).status, 403, "operator-only routes stay closed");
  portal.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByText("revoked").waitFor();
  assert.equal((await get(`/tenants/${shared.tenantId}/provisioning`)).status, 401);
});

test("the operator sees the customer's API tokens and portal sessions in the console and revokes one", async () => {
  await portal.fill("#api-token-name", "ops can see me");
  await portal.getByRole("button", { name: "Create API token" }).click();
  const token = await portal.locator("[data-testid=api-token]").textContent();
  const get = () => fetch(`${stack.baseUrl}/admin/v1/tenants/${shared.tenantId}/provisioning`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal((await get()).status, 200);
  await openTenant(page, stack, shared.tenantId);
  const row = page.locator("[data-testid=tenant-api-tokens] tr", { hasText: "ops can see me" });
  await row.getByText(/^session:/).waitFor();
  await page.locator("[data-testid=portal-sessions] tr", { hasText: "active" }).first().waitFor();
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByText(/^revoked/).waitFor();
  assert.equal((await get()).status, 401);
});

test("sign out ends the session and the API tokens it made, except one the customer kept; a reload asks for a link", async () => {
  const create = async (name, kept) => {
    await portal.fill("#api-token-name", name);
    if (kept) await portal.check("#api-token-keep");
    await portal.getByRole("button", { name: "Create API token" }).click();
    await portal.locator("[data-testid=api-tokens] tr", { hasText: name }).getByText(kept ? "kept" : "ends", { exact: true }).waitFor();
    return portal.locator("[data-testid=api-token]").textContent();
  };
  const ends = await create("ends with me", false);
  const kept = await create("kept script", true);
  const provisioning = (token) =>
    fetch(`${stack.baseUrl}/admin/v1/tenants/${shared.tenantId}/provisioning`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal((await provisioning(ends)).status, 200);
  assert.equal((await provisioning(kept)).status, 200);
  await portal.getByRole("button", { name: "Sign out" }).click();
  await portal.locator("[data-testid=portal-message]", { hasText: "Signed out" }).waitFor();
  assert.equal((await provisioning(ends)).status, 401, "an API token ends with the session that made it");
  assert.equal((await provisioning(kept)).status, 200, "unless the customer kept it");
  await portal.reload();
  await portal.locator("[data-testid=portal-message]", { hasText: "Ask your provider for a setup link" }).waitFor();
});

test("revoking a used link in the console ends the session opened with it", async () => {
  const url = await createLinkInConsole("second visit");
  await portal.goto(url);
  await portal.getByRole("button", { name: /^Continue to / }).click();
  await portal.locator(`[data-testid=tenant-name][data-tenant-id="${shared.tenantId}"]`).waitFor();
  await page.reload();
  const row = page.locator("[data-testid=setup-links] tr", { hasText: "second visit" });
  await row.getByText("used").waitFor();
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByText("revoked").waitFor();
  await portal.reload();
  await portal.locator("[data-testid=portal-message]", { hasText: "Ask your provider for a setup link" }).waitFor();
});

test("no script errors (the strict CSP allowed everything the pages do)", () => {
  assert.deepEqual([...errors, ...session.pageErrors], []);
});
