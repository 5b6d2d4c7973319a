// End-to-end, in Chromium against the real dev stack: the console's tenant settings beyond the
// hub connection — the options and policies appear once the hub is saved, sync policies persist,
// the hub field map is set and reset to the defaults, extension schemas are declared and deleted.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { adminCall as sharedAdminCall, assertFitsWidth, openConsoleSession, openTenant as openTenantView, signIn } from "./console-session.mjs";

const run = Math.random().toString(36).slice(2, 8);
const HUB_KEY = `e2e-settings-${run}`;
const SHOTS = fileURLToPath(new URL("./screenshots/", import.meta.url));
const EXT_URN = `urn:example:params:scim:schemas:extension:e2e${run}:2.0:User`;

let stack;
let page;
let pageErrors;
let session;
const shared = {};

const adminCall = (method, path, body) => sharedAdminCall(stack, method, path, body);

async function schemaIds() {
  const res = await fetch(`${stack.baseUrl}/scim/v2/Schemas`, { headers: { Authorization: `Bearer ${shared.token}` } });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()).Resources.map((r) => r.id);
}

const openTenant = () => openTenantView(page, stack, shared.id);

const card = (heading) => page.locator("section.card", { has: page.getByRole("heading", { name: heading, exact: true }) });

before(async () => {
  session = await openConsoleSession();
  ({ stack, page, pageErrors } = session);
  await signIn(page, stack);
  const tenant = await adminCall("POST", "/tenants", { name: `Settings ${run}` });
  const client = await adminCall("POST", `/tenants/${tenant.id}/clients`, { name: "entra" });
  const token = await adminCall("POST", `/tenants/${tenant.id}/clients/${client.client_id}/tokens`, { expires_in: 3600 });
  Object.assign(shared, { id: tenant.id, token: token.access_token });
});

after(async () => {
  await session?.close();
});

test("the hub options and policies ask for the hub settings first, and appear once they are saved", async () => {
  await openTenant();
  await card("Device Hub options").getByText(/Save the Device Hub settings first/).waitFor();
  await card("Sync policies").getByText(/Save the Device Hub settings first/).waitFor();
  await page.fill("#hub-url", stack.hubUrl);
  await page.fill("#hub-key", HUB_KEY);
  await page.click("#hub-url >> xpath=ancestor::form//button[@type='submit']");
  await page.getByText(/Saved \(API key …/).waitFor();
  await page.locator("#hub-sync-on-change").waitFor();
  await page.locator("#policy-reject").waitFor();
  assert.equal(await page.isChecked("#policy-reject"), true, "reject is the default");
});

test("sync policies: adopt and a new threshold persist after a reload", async () => {
  await openTenant();
  await page.check("#policy-adopt");
  await page.fill("#policy-percent", "35");
  await page.fill("#policy-minimum", "7");
  await page.getByRole("button", { name: "Save policies" }).click();
  await card("Sync policies").getByText("Policies saved.").waitFor();
  assert.deepEqual(await adminCall("GET", `/tenants/${shared.id}/provisioning/policy`), { hubConflict: "adopt", deletionThreshold: { percent: 35, minimum: 7 } });
  await page.reload();
  await page.locator("#policy-adopt").waitFor();
  assert.equal(await page.isChecked("#policy-adopt"), true);
  assert.equal(await page.inputValue("#policy-percent"), "35");
  assert.equal(await page.inputValue("#policy-minimum"), "7");
  await page.fill("#policy-percent", "101");
  await page.evaluate(() => document.querySelector("[data-testid=sync-policy]").setAttribute("novalidate", ""));
  await page.getByRole("button", { name: "Save policies" }).click();
  await card("Sync policies").getByRole("alert").filter({ hasText: /percent/ }).waitFor();
  assert.equal((await adminCall("GET", `/tenants/${shared.id}/provisioning/policy`)).deletionThreshold.percent, 35, "a refused policy changes nothing");
});

test("hub options: syncOnChange, the grace period and a custom field map persist; 'Use defaults' restores the default map", async () => {
  await openTenant();
  const defaults = await adminCall("GET", `/tenants/${shared.id}/device-hub`);
  assert.equal(defaults.hubFieldMapIsDefault, true);
  assert.equal(await page.inputValue("#hub-map-floor"), defaults.hubFieldMap.floor);
  assert.equal(await page.isChecked("#hub-sync-on-change"), defaults.syncOnChange);
  assert.equal(await page.inputValue("#hub-grace-days"), "30", "a deleted user's hub account is kept 30 days by default");
  await page.fill("#hub-grace-days", "7");
  const floor = `${EXT_URN}:level`;
  await page.setChecked("#hub-sync-on-change", !defaults.syncOnChange);
  await page.fill("#hub-map-floor", floor);
  await page.fill("#hub-map-workMode", "");
  await page.getByRole("button", { name: "Save options" }).click();
  await card("Device Hub options").getByText("Options saved.").waitFor();
  const saved = await adminCall("GET", `/tenants/${shared.id}/device-hub`);
  assert.equal(saved.syncOnChange, !defaults.syncOnChange);
  assert.equal(saved.deletedUserGraceDays, 7);
  assert.equal(saved.hubFieldMapIsDefault, false);
  assert.deepEqual(saved.hubFieldMap, { floor, officeLocation: defaults.hubFieldMap.officeLocation });

  await page.reload();
  await page.locator("#hub-map-floor").waitFor();
  assert.equal(await page.inputValue("#hub-map-floor"), floor);
  assert.equal(await page.inputValue("#hub-map-workMode"), "");
  assert.equal(await page.isChecked("#hub-sync-on-change"), !defaults.syncOnChange);
  assert.equal(await page.inputValue("#hub-grace-days"), "7");
  await page.getByTestId("hub-map-state").getByText(/custom mapping/).waitFor();

  await page.fill("#hub-map-officeLocation", "not a source");
  await page.getByRole("button", { name: "Save options" }).click();
  await card("Device Hub options").getByRole("alert").filter({ hasText: /schema URN/ }).waitFor();

  await page.getByRole("button", { name: "Use defaults" }).click();
  await card("Device Hub options").getByText("Default mapping restored.").waitFor();
  assert.equal(await page.inputValue("#hub-map-workMode"), defaults.hubFieldMap.workMode);
  assert.equal(await page.inputValue("#hub-map-officeLocation"), defaults.hubFieldMap.officeLocation);
  await page.getByTestId("hub-map-state").getByText(/default mapping is in use/).waitFor();
  const reset = await adminCall("GET", `/tenants/${shared.id}/device-hub`);
  assert.equal(reset.hubFieldMapIsDefault, true);
  assert.equal(reset.syncOnChange, !defaults.syncOnChange, "resetting the map keeps syncOnChange");
});

test("extension schemas: built-in ones listed, bad declarations show the API's message, declare then delete", async () => {
  await openTenant();
  const table = page.getByTestId("extensions");
  await table.locator("tr", { hasText: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User" }).getByText("built-in").waitFor();
  const ext = card("Extension schemas");

  await page.fill("#ext-urn", EXT_URN);
  await page.fill("#ext-attributes", "[{name: oops}]");
  await page.getByRole("button", { name: "Declare" }).click();
  await ext.getByRole("alert").filter({ hasText: /Attributes must be a JSON array/ }).waitFor();
  await page.fill("#ext-attributes", '[{"name": "level", "type": "complex"}]');
  await page.getByRole("button", { name: "Declare" }).click();
  await ext.getByRole("alert").filter({ hasText: /attributes\.0\.type/ }).waitFor();

  await page.fill("#ext-attributes", '[{"name": "level", "type": "integer"}, {"name": "skills", "type": "string", "multiValued": true}]');
  await page.getByRole("button", { name: "Declare" }).click();
  await ext.getByText(`Declared ${EXT_URN}.`).waitFor();
  const row = table.locator("tr", { hasText: EXT_URN });
  await row.getByText("declared").waitFor();
  assert.match(await row.innerText(), /User[\s\S]*level \(integer\), skills \(string, multi-valued\)/);
  assert.ok((await schemaIds()).includes(EXT_URN), "the tenant's /Schemas lists the declared extension");

  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: `Delete ${EXT_URN}` }).click();
  await ext.getByText(`Deleted ${EXT_URN}.`).waitFor();
  await table.locator("tr", { hasText: EXT_URN }).waitFor({ state: "detached" });
  assert.ok(!(await schemaIds()).includes(EXT_URN), "the deleted extension left /Schemas");
  assert.equal(await table.getByRole("button", { name: /^Delete / }).count(), 0, "built-in extensions have no delete button");
});

test("the settings cards fit 1280 and 1024 px without horizontal scroll (screenshots saved)", async () => {
  mkdirSync(SHOTS, { recursive: true });
  await openTenant();
  await page.locator("#policy-adopt").waitFor();
  for (const width of [1280, 1024]) {
    await assertFitsWidth(page, width);
    await card("Device Hub options").screenshot({ path: `${SHOTS}settings-hub-${width}.png` });
    await card("Extension schemas").screenshot({ path: `${SHOTS}settings-extensions-${width}.png` });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
});

test("no script errors on the page", () => {
  assert.deepEqual(pageErrors, []);
});
