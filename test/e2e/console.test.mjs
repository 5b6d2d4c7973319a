// End-to-end: the admin console in a real browser against the real dev stack (service, local D1,
// Device Hub emulator). One ordered journey: sign in → tenant → client → token → hub settings →
// start → a SCIM user → "Run now" → the finished cycle appears without a reload → the 24-hour chart →
// a paused cycle's progress bar → compat and audit cards (with a time filter); plus layout checks.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { assertFitsWidth, openConsoleSession } from "./console-session.mjs";
import { makeMembershipDrift } from "./membership-drift.mjs";

const SHOTS = fileURLToPath(new URL("./screenshots/", import.meta.url));
const HUB_KEY = "e2e-hub-key";
const run = Math.random().toString(36).slice(2, 8);

let stack;
let page;
let pageErrors;
let session;
const shared = {};

before(async () => {
  session = await openConsoleSession();
  ({ stack, page, pageErrors } = session);
});

after(async () => {
  await session?.close();
});

test("a wrong admin token is refused and the sign-in form stays", async () => {
  await page.goto(stack.baseUrl + "/admin");
  await page.fill("#admin-token", "not-the-token");
  await page.click("#signin-form button[type=submit]");
  await page.getByText("The admin token was not accepted.").waitFor();
  assert.equal(await page.isVisible("#signin"), true);
});

test("sign in with the admin token and see the tenants list", async () => {
  await page.fill("#admin-token", stack.adminToken);
  await page.click("#signin-form button[type=submit]");
  await page.getByRole("heading", { name: "Tenants" }).waitFor();
  assert.equal(await page.isVisible("#signin"), false);
  // The bootstrap's dev tenant is listed.
  await page.locator("[data-testid=tenants]").getByText("Dev tenant").waitFor();
});

test("create a tenant: its page shows the SCIM connection details", async () => {
  const name = `E2E Contoso ${run}`;
  await page.fill("#tenant-name", name);
  await page.click("text=Create tenant");
  await page.locator("[data-testid=tenant-name]", { hasText: name }).waitFor();
  shared.tenantId = /#\/tenants\/([\w-]+)/.exec(page.url())?.[1];
  assert.ok(shared.tenantId, page.url());
  assert.equal(await page.textContent("[data-testid=tenant-url]"), `${stack.baseUrl}/scim/v2`);
  assert.equal(await page.textContent("[data-testid=token-endpoint]"), `${stack.baseUrl}/oauth/token`);
  // The shard that holds it, as the admin API says (the dev stack has two).
  const apiTenant = await (await fetch(`${stack.baseUrl}/admin/v1/tenants/${shared.tenantId}`, { headers: { Authorization: `Bearer ${stack.adminToken}` } })).json();
  assert.match(apiTenant.shard, /^DB(_1)?$/);
  assert.equal(await page.textContent("[data-testid=tenant-shard]"), apiTenant.shard);
});

test("create a client: the secret is shown once and works at the token endpoint", async () => {
  await page.click("text=Create client");
  const secretBox = page.locator("[data-testid=conn-out]");
  await secretBox.getByText("shown only once").waitFor();
  shared.clientId = await page.textContent("[data-testid=client-id]");
  const secret = await page.textContent("[data-testid=client-secret]");
  assert.match(shared.clientId, /^scim_/);
  await page.locator("[data-testid=clients]").getByText(shared.clientId).waitFor();
  const res = await fetch(`${stack.baseUrl}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: shared.clientId, client_secret: secret }),
  });
  assert.equal(res.status, 200);
  // Reloading the page does not show the secret again.
  await page.reload();
  await page.locator("[data-testid=clients]").getByText(shared.clientId).waitFor();
  assert.equal(await page.locator("[data-testid=client-secret]").count(), 0);
});

test("issue a 30-day token for the client", async () => {
  await page.selectOption("#lifetime", { label: "30 days" });
  const row = page.locator("[data-testid=clients] tr", { hasText: shared.clientId });
  const before = Date.now();
  await row.getByRole("button", { name: "Issue token" }).click();
  shared.token = await page.locator("[data-testid=issued-token]").textContent();
  const payload = JSON.parse(Buffer.from(shared.token.split(".")[1], "base64url").toString());
  const days = (payload.exp * 1000 - before) / 86_400_000;
  assert.ok(days > 29.9 && days < 30.1, `token lifetime ${days} days`);
});

test("configure the Device Hub and start provisioning", async () => {
  await page.fill("#hub-url", stack.hubUrl);
  await page.fill("#hub-key", HUB_KEY);
  await page.click("#hub-url >> xpath=ancestor::form//button[@type='submit']");
  await page.getByText(/Saved \(API key …/).waitFor();
  await page.getByRole("button", { name: "Start", exact: true }).click();
  await page.locator("[data-testid=prov-state]", { hasText: "started" }).waitFor();
});

test("a SCIM user reaches the Device Hub after Run now; the card updates without a reload", async () => {
  const userName = `e2e.${run}@example.com`;
  const created = await fetch(`${stack.baseUrl}/scim/v2/Users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${shared.token}`, "Content-Type": "application/scim+json" },
    body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName, active: true, name: { givenName: "E", familyName: "Two" } }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const userId = (await created.json()).id;

  await page.evaluate(() => { window.__noReload = true; });
  const last = page.locator("[data-testid=prov-last]");
  const deadline = Date.now() + 60_000;
  // The first cycle after the hub is set is the initial sweep; if it finished before the outbox
  // held our user, the next Run now picks it up. Either way the page must show it by polling.
  while (!(await last.textContent()).includes("1 users created")) {
    assert.ok(Date.now() < deadline, `no cycle created the user; last cycle: ${await last.textContent()}`);
    const finished = await last.getAttribute("data-finished-at");
    await page.getByRole("button", { name: "Run now" }).click();
    await page.waitForFunction((f) => document.querySelector("[data-testid=prov-last]")?.getAttribute("data-finished-at") !== f, finished, { timeout: 30_000 });
  }
  assert.equal(await page.evaluate(() => window.__noReload), true, "the page reloaded");
  await page.locator("[data-testid=prov-log]").getByText(userId).first().waitFor();
  await page.locator("[data-testid=prov-current]", { hasText: "None running." }).waitFor();

  const hub = await fetch(`${stack.hubUrl}/v1/users?userName=${encodeURIComponent(userName)}`, { headers: { Authorization: `Bearer ${HUB_KEY}` } });
  assert.equal(hub.status, 200);
  const { items } = await hub.json();
  assert.equal(items?.length, 1, "the hub holds the user");
  shared.userId = userId;
});

/** The admin API as the test itself calls it (to compare what the page shows). */
async function adminJson(path) {
  const res = await fetch(`${stack.baseUrl}/admin/v1${path}`, { headers: { Authorization: `Bearer ${stack.adminToken}` } });
  assert.equal(res.status, 200, await res.clone().text());
  return res.json();
}

/** The Device Hub emulator's control API for this test's workspace (fault injection). */
async function hubControl(method, path, body) {
  const res = await fetch(`${stack.hubUrl}/__control${path}`, {
    method,
    headers: { Authorization: `Bearer ${HUB_KEY}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status}`);
}

test("the provisioning card charts the last 24 hours of hub operations per cycle", async () => {
  const figure = page.locator("[data-testid=prov-history]");
  await figure.locator("[data-testid=prov-chart]").waitFor();
  const { cycles } = await adminJson(`/tenants/${shared.tenantId}/provisioning/history?hours=24`);
  assert.ok(cycles.length >= 1, "the finished cycles made hub calls");
  const created = cycles.find((c) => c.ok >= 1);
  assert.ok(created, JSON.stringify(cycles));
  // One bar per cycle, its ok segment drawn, its tooltip giving the numbers.
  await page.waitForFunction((n) => document.querySelectorAll("[data-testid=prov-chart] g[data-cycle-id]").length >= n, cycles.length);
  const bar = figure.locator(`g[data-cycle-id="${created.cycleId}"]`);
  assert.equal(await bar.locator("rect.bar-ok").count(), 1);
  assert.match(await bar.locator("title").textContent(), new RegExp(`${created.ok} ok, ${created.failed} failed, ${created.parked} parked`));
  assert.match(await figure.locator("[data-testid=prov-chart]").getAttribute("aria-label"), /cycle\(s\) with hub operations in the last 24 hours: [1-9]\d* ok/);
});

test("a paused cycle shows its progress bar and the hub's error; it finishes once the hub is back", async () => {
  // Every hub read fails: the full sweep starts, cannot list the hub and pauses mid-cycle.
  await hubControl("POST", "/faults", { kind: "error", status: 503, count: 10_000, method: "GET", pathPrefix: "/v1/" });
  await page.getByRole("button", { name: "Full sweep" }).click();
  await page.getByText("A full sweep is scheduled for the next run.").waitFor();
  await page.getByRole("button", { name: "Run now" }).click();
  const progress = page.locator("[data-testid=prov-current] progress[data-testid=prov-progress]");
  await progress.waitFor();
  assert.match(await page.locator("[data-testid=prov-current]").textContent(), /fullSweep · phase/);
  assert.ok(Number(await progress.getAttribute("max")) >= 1);
  await page.locator("[data-testid=prov-error]", { hasText: "503" }).waitFor();
  mkdirSync(SHOTS, { recursive: true });
  await page.locator("section[aria-labelledby=prov]").screenshot({ path: `${SHOTS}provisioning-paused.png` });

  await hubControl("DELETE", "/faults");
  await page.getByRole("button", { name: "Run now" }).click();
  await page.locator("[data-testid=prov-current]", { hasText: "None running." }).waitFor({ timeout: 60_000 });
  await page.locator("[data-testid=prov-last]", { hasText: "fullSweep" }).waitFor();
  await page.locator("section[aria-labelledby=prov]").screenshot({ path: `${SHOTS}provisioning-1280.png` });
});

test("the drift report lists changes made in the hub behind the connector's back, with their repair and the members that differ", async () => {
  // m1 and m2 in a synced group; then, in the hub, m1 leaves it and m3 joins it.
  const { users: members } = await makeMembershipDrift({
    baseUrl: stack.baseUrl, hubUrl: stack.hubUrl, scimToken: shared.token, hubKey: HUB_KEY,
    userNames: [1, 2, 3].map((n) => `m${n}.${run}@example.com`), groupName: `Drift team ${run}`,
    startSync: () => page.getByRole("button", { name: "Run now" }).click(),
  });
  // The hub's own data API, as a hub admin would: the user's display name changed in the hub.
  const found = await fetch(`${stack.hubUrl}/v1/users?externalRef=${shared.userId}`, { headers: { Authorization: `Bearer ${HUB_KEY}` } });
  const hubUser = (await found.json()).items[0];
  const patched = await fetch(`${stack.hubUrl}/v1/users/${hubUser.id}`, {
    method: "PATCH", headers: { Authorization: `Bearer ${HUB_KEY}`, "Content-Type": "application/json" }, body: JSON.stringify({ displayName: "Changed in the hub" }),
  });
  assert.equal(patched.status, 200, await patched.clone().text());
  await page.getByRole("button", { name: "Check for drift" }).click();
  await page.locator("[data-testid=drift-summary]", { hasText: /2 differences, checked/ }).waitFor({ timeout: 60_000 });
  const row = page.locator("[data-testid=prov-drift] tr", { hasText: "fieldDiffers" });
  await row.getByText("the hub differs in displayName").waitFor();
  await row.getByText("Full sweep").waitFor();
  const membership = page.locator("[data-testid=prov-drift] tr", { hasText: "membershipDiffers" });
  assert.equal(await membership.locator("[data-testid=drift-missing]").textContent(), `Missing from the hub group: ${members[0].userName}`);
  assert.equal(await membership.locator("[data-testid=drift-extra]").textContent(), `Extra in the hub group: ${members[2].userName}`);
  await membership.getByText("Full sweep").waitFor();
  const { report } = await adminJson(`/tenants/${shared.tenantId}/provisioning/drift`);
  assert.equal(report.state, "done");
  assert.deepEqual(report.counts, { fieldDiffers: 1, membershipDiffers: 1 });
});

test("the compat and audit cards show what Entra-style traffic did (after a reload)", async () => {
  // Entra without aadOptscim062020 capitalises op and sends "False" as a string.
  const patched = await fetch(`${stack.baseUrl}/scim/v2/Users/${shared.userId}`, {
    method: "PATCH",
    headers: { Authorization: `Bearer ${shared.token}`, "Content-Type": "application/scim+json" },
    body: JSON.stringify({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "active", value: "False" }] }),
  });
  assert.ok(patched.status === 200 || patched.status === 204, `PATCH answered ${patched.status}`);
  await page.reload();
  const compat = page.locator("[data-testid=compat]");
  for (const rewrite of ["opCase", "booleanString"]) {
    await compat.locator("tr", { hasText: rewrite }).getByRole("cell", { name: "1", exact: true }).waitFor();
  }
  // The audit endpoint is optional (404 → a note); when present it lists the SCIM calls.
  const audit = page.locator("[data-testid=audit]");
  await page.locator("#audit").waitFor();
  if (await audit.count()) await audit.getByText(`PATCH /scim/v2/Users/${shared.userId}`).first().waitFor();
  else await page.getByText("No audit log on this deployment yet.").waitFor();
});

test("the audit card's time filter narrows the log", async () => {
  const audit = page.locator("section[aria-labelledby=audit]");
  const rows = audit.locator("[data-testid=audit] tbody tr");
  await audit.getByText(`PATCH /scim/v2/Users/${shared.userId}`).first().waitFor();
  const local = (d) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.fill("#audit-since", local(new Date(Date.now() + 86_400_000)));
  await audit.getByRole("button", { name: "Filter" }).click();
  await audit.locator("[data-testid=audit]").getByText("Nothing yet.").waitFor();
  assert.equal(await rows.count(), 1);
  await page.fill("#audit-since", "");
  await audit.getByRole("button", { name: "Filter" }).click();
  await audit.getByText(`PATCH /scim/v2/Users/${shared.userId}`).first().waitFor();
});

test("layout fits a 1280 px laptop screen without horizontal scroll (screenshot saved)", async () => {
  mkdirSync(SHOTS, { recursive: true });
  for (const width of [1280, 1024]) {
    await assertFitsWidth(page, width);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${SHOTS}tenant-1280.png`, fullPage: true });
  await page.goto(stack.baseUrl + "/admin#/tenants");
  await page.getByRole("heading", { name: "Tenants" }).waitFor();
  await page.screenshot({ path: `${SHOTS}tenants-1280.png`, fullPage: true });
});

test("no script errors in the page", () => {
  assert.deepEqual(pageErrors, []);
});
