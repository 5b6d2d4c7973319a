// End-to-end (Chromium, real dev stack): the customer's request log and the token mode. The
// operator switches a tenant to gallery mode in the console; the customer's portal says so; an
// Entra-shaped create that fails (409: the user already exists here) shows its plain-words
// reason in the portal's request log, with the userName beside it, and "failures only" and the
// one-user filter narrow the list.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser } from "./browser.mjs";
import { adminCall as sharedAdminCall, openConsoleSession, openTenant, signIn } from "./console-session.mjs";

const run = Math.random().toString(36).slice(2, 8);
let session;
let stack;
let page;
let customer;
let portal;
const errors = [];
const shared = {};
const adminCall = (method, path, body) => sharedAdminCall(stack, method, path, body);

/** The body Entra sends to create a user (Microsoft Learn, "Create User" request). */
const entraCreate = (userName) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
  externalId: `ext-${run}`,
  userName,
  active: true,
  emails: [{ primary: true, type: "work", value: userName }],
  meta: { resourceType: "User" },
  name: { formatted: "Ann Example", familyName: "Example", givenName: "Ann" },
  roles: [],
});

const scimPost = (path, body) =>
  fetch(`${stack.baseUrl}/scim/v2${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${shared.token}`, "Content-Type": "application/scim+json" },
    body: JSON.stringify(body),
  });

before(async () => {
  session = await openConsoleSession();
  ({ stack, page } = session);
  page.on("pageerror", (e) => errors.push(String(e)));
  const tenant = await adminCall("POST", "/tenants", { name: `Requests Contoso ${run}` });
  shared.tenantId = tenant.id;
  const client = await adminCall("POST", `/tenants/${tenant.id}/clients`, { name: "entra" });
  shared.token = (await adminCall("POST", `/tenants/${tenant.id}/clients/${client.client_id}/tokens`, {})).access_token;
  await signIn(page, stack);
  const browser = await launchBrowser({ width: 1280, height: 900 });
  portal = await browser.context.newPage();
  portal.setDefaultTimeout(60_000);
  portal.on("pageerror", (e) => errors.push(String(e)));
  customer = { browser };
});

after(async () => {
  await customer?.browser.close();
  await session?.close();
});

test("the operator puts the tenant in gallery mode in the console", async () => {
  await openTenant(page, stack, shared.tenantId);
  const mode = page.locator("[data-testid=token-policy-mode]");
  assert.equal(await mode.getAttribute("data-mode"), "standard");
  await page.locator("#token-mode-gallery").check();
  await page.getByRole("button", { name: "Save token mode" }).click();
  await page.locator("[data-testid=token-policy-mode][data-mode=gallery]").waitFor();
  assert.match(await mode.textContent(), /Gallery mode: OAuth client-credential tokens last 60–360 minutes/);
  assert.equal((await adminCall("GET", `/tenants/${shared.tenantId}/token-policy`)).mode, "gallery");
});

test("a failing Entra-shaped create shows its plain-words reason in the portal, with the userName", async () => {
  const userName = `ann.${run}@corp.example`;
  assert.equal((await scimPost("/Users", entraCreate(userName))).status, 201);
  // Entra did not match the user (say, another matching attribute) and creates it again: 409.
  assert.equal((await scimPost("/Users", entraCreate(userName.toUpperCase()))).status, 409);
  const { url } = await adminCall("POST", `/tenants/${shared.tenantId}/setup-links`, { note: "requests e2e" });
  await portal.goto(url);
  // Opening a link names the tenant and waits for the person to confirm (login CSRF).
  await portal.getByRole("button", { name: /^Continue to / }).click();
  await portal.locator(`[data-testid=tenant-name][data-tenant-id="${shared.tenantId}"]`).waitFor();
  // The token mode the operator chose.
  assert.equal(await portal.locator("[data-testid=token-policy-mode]").getAttribute("data-mode"), "gallery");

  const failed = portal.locator("[data-testid=requests] tr.failed");
  await failed.first().waitFor();
  const text = await failed.first().textContent();
  assert.match(text, new RegExp(`409: this service already has a user called ${userName.toUpperCase().replace(/\./g, "\\.")}`));
  assert.match(await portal.locator("[data-testid=requests-rate]").textContent(), /Last hour: 1 of 2 requests failed \(50 %\)\. Entra quarantines a job when more than 40 %/);
  // The successful create shows the userName beside its SCIM id.
  const ok = portal.locator("[data-testid=requests] tr", { hasText: "201" });
  assert.match(await ok.textContent(), new RegExp(userName.replace(/\./g, "\\.")));

  await portal.locator("#requests-failures").check();
  await portal.getByRole("button", { name: "Show" }).click();
  await portal.locator("[data-testid=requests] tr", { hasText: "201" }).waitFor({ state: "detached" });
  assert.equal(await portal.locator("[data-testid=requests] tbody tr").count(), 1);

  await portal.locator("#requests-failures").uncheck();
  await portal.locator("#requests-resource").fill("nobody@corp.example");
  await portal.getByRole("button", { name: "Show" }).click();
  await portal.locator("[data-testid=requests] td", { hasText: "Nothing yet." }).waitFor();
});

test("no script errors", () => {
  assert.deepEqual(errors.concat(session.pageErrors), []);
});
