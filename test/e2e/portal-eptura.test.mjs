// End-to-end: the portal's "Following Eptura's guide" tab against the real dev stack, as an IT
// admin holding Eptura's page would use it. The values come from the copy buttons (read back
// from the clipboard), in the guide's order; the copied token provider URL, client id and secret
// obtain a token in Eptura's shape, and that token lists users at the copied Tenant URL.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser } from "./browser.mjs";
import { adminCall as sharedAdminCall, assertFitsWidth } from "./console-session.mjs";
import { startStack } from "./stack.mjs";

const ADDITIONAL = "urn:ietf:params:scim:schemas:extension:customextensionname:2.0:User";
const DECLARED = "urn:ietf:params:scim:schemas:extension:Acme:2.0:User";
const run = Math.random().toString(36).slice(2, 8);
let stack;
let browser;
let portal;
const errors = [];
const copied = {};

before(async () => {
  stack = await startStack();
  const adminCall = (method, path, body) => sharedAdminCall(stack, method, path, body);
  const tenant = await adminCall("POST", "/tenants", { name: `Eptura path ${run}` });
  await adminCall("PUT", `/tenants/${tenant.id}/extensions/${encodeURIComponent(DECLARED)}`, { attributes: [{ name: "costCode", type: "string" }] });
  const link = await adminCall("POST", `/tenants/${tenant.id}/setup-links`, { note: "Eptura e2e" });
  browser = await launchBrowser({ width: 1280, height: 900 });
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.baseUrl });
  portal = await browser.context.newPage();
  portal.setDefaultTimeout(60_000);
  portal.on("pageerror", (e) => errors.push(String(e)));
  portal.on("console", (m) => { if (m.type() === "error" && !/Failed to load resource/.test(m.text())) errors.push(m.text()); });
  await portal.goto(link.url);
  // Opening a link names the tenant and waits for the person to confirm (login CSRF).
  await portal.getByRole("button", { name: /^Continue to / }).click();
  await portal.locator(`[data-testid=tenant-name][data-tenant-id="${tenant.id}"]`).waitFor();
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const clipboard = () => portal.evaluate(() => navigator.clipboard.readText());
const eptura = () => portal.locator("section[aria-labelledby=eptura]");

async function copy(label) {
  await eptura().getByRole("button", { name: `Copy ${label}`, exact: true }).click();
  return clipboard();
}

test("the tab shows Eptura's prerequisites in the guide's words and order", async () => {
  assert.equal(await eptura().isVisible(), false, "Entra's steps are the first tab");
  await portal.getByRole("tab", { name: "Following Eptura's guide" }).click();
  assert.equal(await portal.getByRole("tab", { name: "Following Eptura's guide" }).getAttribute("aria-selected"), "true");
  const items = await eptura().locator("ol.steps > li > strong").allTextContents();
  assert.deepEqual(items, [
    "Azure Active Directory",
    "Eptura Engage SCIM API URL",
    "Eptura Engage SCIM Token provider URL",
    "SCIM client ID",
    "SCIM client secret token",
    "Long-lived SCIM token generated from SCIM Token Provider (up to 10 years)",
  ]);
  assert.equal(await portal.locator("section[aria-labelledby=entra]").isVisible(), false, "one tab at a time");
});

test("copy the SCIM API URL and the Token provider URL", async () => {
  copied.tenantUrl = await copy("SCIM API URL");
  assert.equal(copied.tenantUrl, `${stack.baseUrl}/scim/api/V1/`);
  copied.tokenProvider = await copy("Token provider URL");
  assert.equal(copied.tokenProvider, `${stack.baseUrl}/api/V1/token`);
});

test("create a SCIM client ID and secret; copied, they obtain a token from the copied token provider URL that lists users at the copied Tenant URL", async () => {
  await eptura().getByRole("button", { name: "Create SCIM client ID and secret" }).click();
  await eptura().locator("[data-testid=eptura-client-secret]").waitFor();
  copied.clientId = await copy("SCIM client ID");
  copied.secret = await copy("SCIM client secret token");
  assert.match(copied.clientId, /^scim_/);

  // What the admin does next with Eptura's guide: POST the token provider with the copied values.
  const res = await fetch(copied.tokenProvider, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ scimClientId: copied.clientId, scimClientSecret: copied.secret, grantType: "password" }),
  });
  assert.equal(res.status, 200);
  const token = await res.json();
  assert.equal(token.tokenType, "bearer");
  assert.equal(token.expiresIn, 84_600);
  const users = await fetch(`${copied.tenantUrl}users`, { headers: { Authorization: `Bearer ${token.accessToken}` } });
  assert.equal(users.status, 200, await users.clone().text());
  const list = await users.json();
  assert.ok(list.schemas.includes("urn:ietf:params:scim:api:messages:2.0:ListResponse"));
  assert.equal(typeof list.totalResults, "number");
});

test("generate the long-lived token in the page: 10 years, copied, it works at the Tenant URL and Test connection agrees", async () => {
  await eptura().getByRole("button", { name: "Generate the long-lived SCIM token" }).click();
  await eptura().locator("[data-testid=eptura-token]").waitFor();
  const token = await copy("Long-lived SCIM token");
  const payload = JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString());
  const years = (payload.exp * 1000 - Date.now()) / (365 * 86_400_000);
  assert.ok(years > 9.9 && years < 10.1, `token lifetime ${years} years`);
  const me = await fetch(`${copied.tenantUrl}users?filter=${encodeURIComponent(`userName eq "nobody.${run}@example.com"`)}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(me.status, 200);
  await portal.getByRole("button", { name: "Test connection" }).click();
  await portal.locator("[data-testid=test-result] [data-ok=true]", { hasText: "credentials are valid" }).waitFor();
});

test("the additional attributes: the built-in extension's fields and the ones the provider declared", async () => {
  const list = eptura().locator("[data-testid=eptura-extensions]");
  const builtIn = list.locator(`li[data-urn="${ADDITIONAL}"]`);
  assert.match(await builtIn.textContent(), /built in: group, floor, businessCategory, image, phoneExtension, workMode, officeLocation, custom/);
  assert.match(await list.locator(`li[data-urn="${DECLARED}"]`).textContent(), /declared by your provider: costCode/);
});

test("the tab fits 1024 px and the arrow keys switch tabs; no script errors", async () => {
  await assertFitsWidth(portal, 1024, 900);
  await portal.getByRole("tab", { name: "Following Eptura's guide" }).focus();
  await portal.keyboard.press("ArrowLeft");
  await portal.locator("section[aria-labelledby=entra]").waitFor();
  assert.equal(await eptura().isVisible(), false);
  assert.deepEqual(errors, []);
});
