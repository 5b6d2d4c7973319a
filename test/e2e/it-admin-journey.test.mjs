// The customer IT admin's journey, followed literally: docs/portal.md and docs/entra.md as far as
// a machine can follow them, against the real dev stack in Chromium. The operator's part (tenant,
// Device Hub, setup link) is setup. Then the admin opens the setup link and confirms, presses the
// button the docs name for the recommended credential, copies the values the docs say to paste,
// and this test makes the requests Entra makes with them: the Test Connection GET entra.md quotes,
// a create with the attributes of its mapping table, an Entra-shaped PATCH; then "Start" in the
// portal, and the user arrives in the Device Hub. The OAuth alternative and a troubleshooting
// row are checked the same way. Names of buttons, URLs and requests are read from the docs, so a
// docs step that no longer matches the portal or the service fails here.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { launchBrowser } from "./browser.mjs";
import { adminCall as sharedAdminCall } from "./console-session.mjs";
import { startStack } from "./stack.mjs";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const ENTRA = readFileSync(join(REPO, "docs/entra.md"), "utf8");
const PORTAL = readFileSync(join(REPO, "docs/portal.md"), "utf8");
const HUB_KEY = `it-admin-${randomUUID()}`;
const run = Math.random().toString(36).slice(2, 8);
let stack;
let browser;
let portal;
let tenant;
const errors = [];
const pasted = {};

/** One `## ` section of a page, whose title starts with `title`. */
function section(page, title) {
  const start = page.indexOf(`\n## ${title}`);
  assert.ok(start >= 0, `no section "${title}"`);
  const end = page.indexOf("\n## ", start + 1);
  return page.slice(start, end < 0 ? undefined : end);
}

/** "https://<host>/…" as the docs write it, on this stack. */
const onHost = (docUrl) => docUrl.replace("https://<host>", stack.baseUrl);

before(async () => {
  stack = await startStack();
  const adminCall = (method, path, body) => sharedAdminCall(stack, method, path, body);
  tenant = await adminCall("POST", "/tenants", { name: `Contoso ${run}` });
  await adminCall("PUT", `/tenants/${tenant.id}/device-hub`, { baseUrl: stack.hubUrl, apiKey: HUB_KEY });
  const link = await adminCall("POST", `/tenants/${tenant.id}/setup-links`, { note: "Jane, Contoso IT" });
  browser = await launchBrowser({ width: 1280, height: 900 });
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: stack.baseUrl });
  portal = await browser.context.newPage();
  portal.setDefaultTimeout(60_000);
  portal.on("pageerror", (e) => errors.push(String(e)));
  portal.on("console", (m) => { if (m.type() === "error" && !/Failed to load resource/.test(m.text())) errors.push(m.text()); });
  pasted.link = link.url;
}, { timeout: 240_000 });

after(async () => {
  await browser?.close();
  await stack?.stop();
});

const clipboard = () => portal.evaluate(() => navigator.clipboard.readText());
const scim = (path, token, init = {}) =>
  fetch(`${pasted.tenantUrl}${path}`, {
    ...init,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), "Content-Type": "application/scim+json", ...init.headers },
  });

test("portal.md, How a customer gets in: the link names the organization, waits for Continue, then the secret leaves the address bar", async () => {
  const getIn = section(PORTAL, "How a customer gets in");
  const confirm = /waits for \*\*(\w+)\*\*/.exec(getIn)?.[1];
  assert.equal(confirm, "Continue", getIn);
  await portal.goto(pasted.link);
  await portal.getByRole("button", { name: new RegExp(`^${confirm} `) }).click();
  await portal.locator(`[data-testid=tenant-name][data-tenant-id="${tenant.id}"]`).waitFor();
  assert.match(getIn, /removes `#setup=…` from the address\s+bar/);
  assert.equal(new URL(portal.url()).hash, "");
});

test("entra.md, Admin credentials: the recommended Secret Token from the button the docs name, pasted with the Tenant URL", async () => {
  const creds = section(ENTRA, "3. Admin credentials");
  const tenantUrl = /\*\*Tenant URL\*\* \| `([^`]+)`/.exec(creds)?.[1];
  assert.equal(tenantUrl, "https://<host>/scim/v2", creds);
  // The credential entra.md recommends, by the button name it and portal.md give.
  assert.match(section(ENTRA, "Which credential"), /Use a \*\*Secret Token\*\* \(the portal's main button/);
  const button = /the portal's \*\*([^*]+)\*\*;/.exec(creds)?.[1];
  assert.equal(button, "Create a Secret Token for Entra");
  assert.ok(PORTAL.includes(`**${button}**`), "portal.md names the same button");

  await portal.getByRole("button", { name: "Copy Tenant URL" }).click();
  pasted.tenantUrl = await clipboard();
  assert.equal(pasted.tenantUrl, onHost(tenantUrl));
  await portal.getByRole("button", { name: button }).click();
  const box = portal.locator("[data-testid=secret-out]");
  await box.getByText("shown only now").waitFor();
  await box.getByRole("button", { name: "Copy Secret Token" }).click();
  pasted.token = await clipboard();
  // "Paste the bare token (no `Bearer ` prefix)": what is copied is the bare JWT.
  assert.match(pasted.token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
  const years = (JSON.parse(Buffer.from(pasted.token.split(".")[1], "base64url").toString()).exp * 1000 - Date.now()) / (365 * 86_400_000);
  assert.ok(years > 9.9 && years < 10.1, `a 10-year token, as the docs say (${years})`);
});

test("entra.md, Test Connection: the GET it quotes answers 200 with an empty list", async () => {
  const quoted = /Entra sends `GET ([^`]+)`/.exec(section(ENTRA, "3. Admin credentials"))?.[1];
  assert.equal(quoted, '/Users?filter=userName eq "<random GUID>"');
  const [path, query] = quoted.replace("<random GUID>", randomUUID()).split("?");
  const res = await scim(`${path}?${query.replace(/filter=(.*)$/, (_, f) => `filter=${encodeURIComponent(f)}`)}`, pasted.token);
  assert.equal(res.status, 200, await res.clone().text());
  const list = await res.json();
  assert.equal(list.totalResults, 0);
  assert.deepEqual(list.Resources ?? [], []);
});

test("entra.md, Attribute mappings: every target of its table is in /Schemas, and a create with them is 201", async () => {
  const mappings = section(ENTRA, "4. Attribute mappings");
  const targets = [...mappings.matchAll(/^\| [^|]+ \| `([^`]+)` \|/gm)].map((m) => m[1]).filter((t) => t !== "Target");
  assert.ok(targets.length >= 10, mappings);
  const schemas = await (await scim("/Schemas", pasted.token)).json();
  const names = new Map(schemas.Resources.map((s) => [s.id, new Set(s.attributes.map((a) => a.name.toLowerCase()))]));
  const core = names.get("urn:ietf:params:scim:schemas:core:2.0:User");
  for (const target of targets) {
    const ext = /^(urn:.+):([^:]+)$/.exec(target);
    const [schema, attr] = ext ? [ext[1], ext[2]] : ["urn:ietf:params:scim:schemas:core:2.0:User", target.split(/[.[]/)[0]];
    assert.ok((ext ? names.get(schema) : core)?.has(attr.toLowerCase()), `${target} is not in /Schemas`);
  }
  // The additional attributes entra.md says are built in for every tenant.
  const additional = /`(urn:ietf:params:scim:schemas:extension:customextensionname:2\.0:User)`/.exec(mappings)?.[1];
  assert.ok(names.get(additional)?.has("floor"), "the additional-attributes extension is built in");

  // What Entra sends for a new assigned user with that mapping (its shapes: strings for booleans,
  // the manager later), through the pasted Tenant URL and Secret Token.
  pasted.userName = `ann.${run}@contoso.example`;
  const res = await scim("/Users", pasted.token, {
    method: "POST",
    body: JSON.stringify({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", additional],
      userName: pasted.userName,
      active: true,
      externalId: `ann${run}`,
      displayName: "Ann Example",
      emails: [{ type: "work", value: pasted.userName, primary: true }],
      name: { givenName: "Ann", familyName: "Example", formatted: "Ann Example" },
      title: "Engineer",
      preferredLanguage: "en-GB",
      phoneNumbers: [{ type: "mobile", value: "+44 7700 900123" }],
      addresses: [{ type: "work", locality: "London", country: "GB" }],
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { employeeNumber: "42", department: "Sales" },
      [additional]: { floor: "3" },
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  pasted.userId = (await res.json()).id;
});

test("entra.md: an Entra-shaped PATCH (capitalised op, \"False\" as a string) deactivates the user", async () => {
  // The shape entra.md's aadOptscim062020 section and entra-compat.md describe for a job without the flag.
  assert.match(section(ENTRA, "The `aadOptscim062020` flag"), /`opCase`, `booleanString`/);
  const res = await scim(`/Users/${pasted.userId}`, pasted.token, {
    method: "PATCH",
    body: JSON.stringify({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: "False" }, { op: "Replace", path: "displayName", value: "Ann E." }],
    }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  const user = await res.json();
  assert.equal(user.active, false);
  assert.equal(user.displayName, "Ann E.");
});

test("portal.md: Start under Provisioning to your Device Hub, and the user reaches the hub as SCIM holds it", { timeout: 120_000 }, async () => {
  assert.match(PORTAL, /\*\*Provisioning to your Device Hub\*\*: \*Start\*/);
  const prov = portal.locator("section[aria-labelledby=prov]");
  await prov.getByRole("button", { name: "Start", exact: true }).click();
  await prov.locator("[data-testid=prov-state]", { hasText: "started" }).waitFor();
  const deadline = Date.now() + 90_000;
  for (;;) {
    const state = await (await fetch(`${stack.hubUrl}/__control/state`, { headers: { Authorization: `Bearer ${HUB_KEY}` } })).json();
    const hubUser = state.users.find((u) => u.externalRef === pasted.userId);
    if (hubUser) {
      assert.equal(hubUser.userName, pasted.userName);
      assert.equal(hubUser.active, false);
      assert.equal(hubUser.department, "Sales");
      assert.equal(hubUser.floor, "3");
      break;
    }
    assert.ok(Date.now() < deadline, "the user never reached the Device Hub");
    // Starting queues the initial sweep; "Run now" (as the portal offers) makes sure one comes.
    await prov.getByRole("button", { name: "Run now" }).click();
    await new Promise((r) => setTimeout(r, 1_000));
  }
});

test("entra.md, the OAuth alternative: the Token Endpoint, Client Identifier and Secret it names obtain a token that passes Test Connection", async () => {
  const creds = section(ENTRA, "3. Admin credentials");
  const endpoint = /\*\*Token Endpoint\*\* \| `([^`]+)`/.exec(creds)?.[1];
  assert.equal(endpoint, "https://<host>/oauth/token");
  const button = /the portal's \*\*(Create OAuth client credentials)\*\*/.exec(creds)?.[1];
  assert.ok(button, creds);
  await portal.getByText("Or use OAuth client credentials instead").click();
  await portal.getByRole("button", { name: "Copy Token Endpoint" }).click();
  assert.equal(await clipboard(), onHost(endpoint));
  await portal.getByRole("button", { name: button }).click();
  const box = portal.locator("[data-testid=oauth-out]");
  await box.getByRole("button", { name: "Copy Client Identifier" }).click();
  const clientId = await clipboard();
  await box.getByRole("button", { name: "Copy Client Secret" }).click();
  const secret = await clipboard();
  // "How credentials are sent: client_secret_basic"; "Scope: empty".
  assert.match(creds, /`client_secret_basic` or `client_secret_post`/);
  const res = await fetch(onHost(endpoint), {
    method: "POST",
    headers: { Authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`, "Content-Type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
  assert.equal(res.status, 200, await res.clone().text());
  const token = await res.json();
  assert.equal(token.expires_in, 3600, "Entra fetches 1-hour tokens");
  const check = await scim(`/Users?filter=${encodeURIComponent(`userName eq "${randomUUID()}"`)}`, token.access_token);
  assert.equal(check.status, 200);
});

test("entra.md, Troubleshooting: a blank Secret Token gives the 401 its first row quotes", async () => {
  const row = section(ENTRA, "Troubleshooting").split("\n").find((l) => l.startsWith("| Test Connection: \"invalid credentials\""));
  assert.ok(row, "the first row is keyed by what Test Connection shows");
  assert.match(row, /`missing bearer token`/);
  const res = await scim(`/Users?filter=${encodeURIComponent(`userName eq "${randomUUID()}"`)}`, undefined);
  assert.equal(res.status, 401);
  assert.match((await res.json()).detail, /missing bearer token/);
  assert.deepEqual(errors, []);
});
