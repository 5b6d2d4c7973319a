// End-to-end: the CLI's sync and schema commands against the real dev stack: provisioning
// policy, confirm-deletions and history, hub options (no API key re-sent), extension schemas.
// Each command's happy path, --json parsed, and its errors with their exit codes.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { startStack } from "./stack.mjs";
import { makeMembershipDrift } from "./membership-drift.mjs";

const CLI = fileURLToPath(new URL("../../scripts/cli.mjs", import.meta.url));
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const HR = "urn:ietf:params:scim:schemas:extension:CliHr:2.0:User";
let stack;

function cli(args, { input } = {}) {
  const res = spawnSync(process.execPath, [CLI, ...args, "--url", stack.baseUrl], {
    encoding: "utf8",
    input,
    env: { ...process.env, EDGE_SCIM_ADMIN_TOKEN: stack.adminToken },
  });
  return { code: res.status, out: res.stdout, err: res.stderr };
}
const json = (r) => {
  assert.equal(r.code, 0, r.err);
  return JSON.parse(r.out);
};
/** A failed run: its exit code, and the message on stderr. */
function refused(r, code, message) {
  assert.equal(r.code, code, `exit ${r.code}; stdout ${r.out}; stderr ${r.err}`);
  assert.match(r.err, message);
}

/** Poll a condition (no fixed sleeps): the deadline only bounds a real failure. */
async function until(check, deadlineMs = 60_000) {
  const end = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("condition not met");
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A tenant whose Device Hub is set (a fresh emulator workspace per key). */
function hubTenant(name) {
  const tenant = json(cli(["tenants", "create", name, "--json"]));
  const apiKey = `cli-sync-${crypto.randomUUID()}`;
  json(cli(["hub", "set", tenant.id, "--base-url", stack.hubUrl, "--api-key", apiKey, "--json"]));
  return { tenant, apiKey };
}

before(async () => {
  stack = await startStack();
});
after(async () => {
  await stack?.stop();
});

test("--help lists the new commands", () => {
  const help = cli(["--help"]);
  assert.equal(help.code, 0);
  for (const word of ["provisioning policy", "confirm-deletions", "provisioning hub-names", "provisioning adopt", "provisioning history", "provisioning drift", "hub options", "--field-map", "extensions put", "--file"]) {
    assert.ok(help.out.includes(word), word);
  }
});

test("provisioning policy: shown, changed field by field, bad values refused", () => {
  const bare = json(cli(["tenants", "create", "Policy-less Co", "--json"]));
  refused(cli(["provisioning", "policy", bare.id]), 1, /404.*no Device Hub settings/);

  const { tenant } = hubTenant("Policy Co");
  assert.deepEqual(json(cli(["provisioning", "policy", tenant.id, "--json"])), { hubConflict: "reject", deletionThreshold: { percent: 10, minimum: 20 } });
  const changed = json(cli(["provisioning", "policy", tenant.id, "--hub-conflict", "adopt", "--delete-percent", "35", "--json"]));
  assert.deepEqual(changed, { hubConflict: "adopt", deletionThreshold: { percent: 35, minimum: 20 } });
  assert.deepEqual(json(cli(["provisioning", "policy", tenant.id, "--delete-minimum", "0", "--json"])).deletionThreshold, { percent: 35, minimum: 0 });

  const human = cli(["provisioning", "policy", tenant.id]);
  assert.equal(human.code, 0, human.err);
  assert.match(human.out, /hub conflict: adopt/);
  assert.match(human.out, /reach 0 and exceed 35%/);

  refused(cli(["provisioning", "policy", tenant.id, "--hub-conflict", "merge"]), 1, /400.*hubConflict/);
  refused(cli(["provisioning", "policy", tenant.id, "--delete-percent", "101"]), 1, /400.*percent/);
  refused(cli(["provisioning", "policy", tenant.id, "--delete-percent", "many"]), 2, /--delete-percent must be a whole number/);
  assert.deepEqual(json(cli(["provisioning", "policy", tenant.id, "--json"])), { hubConflict: "adopt", deletionThreshold: { percent: 35, minimum: 0 } }, "refused changes change nothing");
});

test("provisioning confirm-deletions answers the status; without a Device Hub it is refused", () => {
  const bare = json(cli(["tenants", "create", "Unconfigured Co", "--json"]));
  refused(cli(["provisioning", "confirm-deletions", bare.id]), 1, /409.*configure the Device Hub/);
  const { tenant } = hubTenant("Confirm Co");
  const status = json(cli(["provisioning", "confirm-deletions", tenant.id, "--json"]));
  assert.equal(status.tenantId, tenant.id);
  assert.equal(status.deletions.confirmed, null, "nothing held: the confirmation covers nothing");
  const human = cli(["provisioning", "confirm-deletions", tenant.id, "--expires-in-minutes", "5"]);
  assert.equal(human.code, 0, human.err);
  assert.match(human.out, /nothing is held: no deletion to confirm/);
  refused(cli(["provisioning", "confirm-deletions", tenant.id, "--expires-in-minutes", "soon"]), 2, /--expires-in-minutes must be a whole number/);
});

test("provisioning hub-names lists a create refused for a hub-held name; provisioning adopt links the hub account", async () => {
  const { tenant, apiKey } = hubTenant("Held Co");
  const userName = `held-${Date.now()}@x.test`;
  const made = await fetch(`${stack.hubUrl}/__control/api/v1/users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ userName }),
  });
  assert.equal(made.status, 201, await made.clone().text());
  const hubId = (await made.json()).id;
  const client = json(cli(["clients", "create", tenant.id, "entra", "--json"]));
  const token = json(cli(["tokens", "issue", tenant.id, client.client_id, "--json"])).access_token;
  const refusedCreate = await fetch(`${stack.baseUrl}/scim/v2/Users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" },
    body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName }),
  });
  assert.equal(refusedCreate.status, 409, await refusedCreate.clone().text());

  const listed = json(cli(["provisioning", "hub-names", tenant.id, "--json"]));
  assert.deepEqual(listed.items.map((i) => [i.userName, i.source, i.holder.hubId]), [[userName, "rejectedCreate", hubId]]);
  const table = cli(["provisioning", "hub-names", tenant.id]);
  assert.equal(table.code, 0, table.err);
  assert.match(table.out, new RegExp(`${userName.replace(/[.]/g, "\\.")}\\s+rejectedCreate\\s+${hubId}`));

  refused(cli(["provisioning", "adopt", tenant.id]), 2, /name the userNames to adopt, or --all/);
  const adopted = cli(["provisioning", "adopt", tenant.id, "--all"]);
  assert.equal(adopted.code, 0, adopted.err);
  assert.match(adopted.out, new RegExp(`adopted ${userName.replace(/[.]/g, "\\.")}: hub user ${hubId} is SCIM user`));
  assert.deepEqual(json(cli(["provisioning", "hub-names", tenant.id, "--json"])).items, []);
  assert.match(cli(["provisioning", "hub-names", tenant.id]).out, /no hub-held names/);
});

test("provisioning history lists the cycle a run made, as JSON and as a table", async () => {
  const { tenant } = hubTenant("History Co");
  const empty = cli(["provisioning", "history", tenant.id]);
  assert.equal(empty.code, 0, empty.err);
  assert.match(empty.out, /no provisioning cycles .* last 24 hours/);

  const client = json(cli(["clients", "create", tenant.id, "entra", "--json"]));
  const token = json(cli(["tokens", "issue", tenant.id, client.client_id, "--json"])).access_token;
  const created = await fetch(`${stack.baseUrl}/scim/v2/Users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" },
    body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: `hist-${Date.now()}@x.test`, name: { givenName: "Ada", familyName: "Lovelace" } }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  json(cli(["provisioning", "start", tenant.id, "--json"]));
  json(cli(["provisioning", "run", tenant.id, "--json"]));

  let history;
  await until(() => (history = json(cli(["provisioning", "history", tenant.id, "--hours", "2", "--json"]))).cycles.some((c) => c.ok >= 1));
  assert.equal(history.hours, 2);
  const cycle = history.cycles.find((c) => c.ok >= 1);
  assert.deepEqual(Object.keys(cycle).sort(), ["cycleId", "failed", "ok", "parked", "startedAt"]);
  assert.equal(cycle.parked, 0);

  const table = cli(["provisioning", "history", tenant.id]);
  assert.equal(table.code, 0, table.err);
  const [header, ...rows] = table.out.trimEnd().split("\n");
  assert.match(header, /^start\s+ok\s+failed\s+parked$/);
  assert.ok(rows.some((r) => r.startsWith(cycle.startedAt) && r.split(/\s+/)[1] === String(cycle.ok)), table.out);

  refused(cli(["provisioning", "history", tenant.id, "--hours", "500"]), 1, /400.*hours must be 1-168/);
  refused(cli(["provisioning", "history", tenant.id, "--hours", "a day"]), 2, /--hours must be a whole number/);
});

test("provisioning drift: none yet, then --start runs one and lists the difference with its repair", async () => {
  const bare = json(cli(["tenants", "create", "Driftless Co", "--json"]));
  refused(cli(["provisioning", "drift", bare.id, "--start"]), 1, /409.*configure the Device Hub/);
  const { tenant, apiKey } = hubTenant("Drift Co");
  const none = cli(["provisioning", "drift", tenant.id]);
  assert.equal(none.code, 0, none.err);
  assert.match(none.out, /no drift report yet/);
  // A user made in the hub by its admin: foreign, left alone, and listed as such.
  const made = await fetch(`${stack.hubUrl}/v1/users`, {
    method: "POST", headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/json" }, body: JSON.stringify({ userName: `kiosk-${Date.now()}@x.test` }),
  });
  assert.equal(made.status, 201, await made.clone().text());
  const { report } = json(cli(["provisioning", "drift", tenant.id, "--start", "--json"]));
  assert.equal(report.state, "done");
  assert.deepEqual(report.counts, { extraInHubForeign: 1 });
  const human = cli(["provisioning", "drift", tenant.id]);
  assert.equal(human.code, 0, human.err);
  assert.match(human.out, /drift report done .*: 1 difference/);
  assert.match(human.out, /extraInHubForeign .*made in the hub.* → none/);

  // A group synced with members a and b; then, behind the connector's back (the emulator's
  // control API), a leaves the hub group and c (ours, not a SCIM member) joins it.
  const client = json(cli(["clients", "create", tenant.id, "entra", "--json"]));
  const token = json(cli(["tokens", "issue", tenant.id, client.client_id, "--json"])).access_token;
  const stamp = Date.now();
  await makeMembershipDrift({
    baseUrl: stack.baseUrl, hubUrl: stack.hubUrl, scimToken: token, hubKey: apiKey,
    userNames: ["ann", "bob", "cy"].map((who) => `${who}-${stamp}@x.test`), groupName: `Drift team ${stamp}`,
    startSync: async () => {
      json(cli(["provisioning", "start", tenant.id, "--json"]));
      json(cli(["provisioning", "run", tenant.id, "--json"]));
    },
  });
  const differs = json(cli(["provisioning", "drift", tenant.id, "--start", "--json"])).report;
  assert.equal(differs.counts.membershipDiffers, 1, JSON.stringify(differs.items));
  const lines = cli(["provisioning", "drift", tenant.id]);
  assert.equal(lines.code, 0, lines.err);
  assert.match(lines.out, /membershipDiffers .*→ full-sweep\n {2}missing from the hub group: ann-\d+@x\.test\n {2}extra in the hub group: cy-\d+@x\.test\n/);
});

test("hub options change the hub's options without the API key; hub set keeps them", () => {
  const { tenant, apiKey } = hubTenant("Options Co");
  const hint = `…${apiKey.slice(-4)}`;
  const floor = `${ENTERPRISE}:division`;
  const changed = json(cli(["hub", "options", tenant.id, "--language", "de-CH", "--enforce-naming-rules", "true",
    "--sync-on-change", "false", "--field-map", `floor=${floor},workMode=`, "--deleted-user-grace-days", "7", "--json"]));
  assert.equal(changed.apiKeyHint, hint);
  assert.equal(changed.deletedUserGraceDays, 7);
  assert.deepEqual(
    { lang: changed.defaultPreferredLanguage, naming: changed.enforceNamingRules, sync: changed.syncOnChange, map: changed.hubFieldMap, dflt: changed.hubFieldMapIsDefault },
    { lang: "de-CH", naming: true, sync: false, map: { floor }, dflt: false },
  );
  assert.deepEqual(json(cli(["hub", "show", tenant.id, "--json"])).hubFieldMap, { floor });

  // hub set (the key re-entered) without option flags keeps them; with a flag it changes that one.
  json(cli(["hub", "set", tenant.id, "--base-url", stack.hubUrl, "--api-key", apiKey, "--json"]));
  const kept = json(cli(["hub", "show", tenant.id, "--json"]));
  assert.deepEqual([kept.defaultPreferredLanguage, kept.enforceNamingRules, kept.syncOnChange, kept.hubFieldMap, kept.deletedUserGraceDays], ["de-CH", true, false, { floor }, 7]);
  assert.equal(json(cli(["hub", "set", tenant.id, "--base-url", stack.hubUrl, "--api-key", apiKey, "--language", "fr-CH", "--json"])).defaultPreferredLanguage, "fr-CH");

  const reset = json(cli(["hub", "options", tenant.id, "--field-map", "default", "--sync-on-change", "true", "--json"]));
  assert.equal(reset.hubFieldMapIsDefault, true);
  assert.equal(reset.syncOnChange, true);
  assert.equal(reset.defaultPreferredLanguage, "fr-CH");

  refused(cli(["hub", "options", tenant.id, "--language", "english please"]), 1, /400.*language tag/);
  refused(cli(["hub", "options", tenant.id, "--field-map", "desk=" + floor]), 1, /400/);
  refused(cli(["hub", "options", tenant.id, "--field-map", "floor"]), 2, /--field-map/);
  refused(cli(["hub", "options", tenant.id, "--sync-on-change", "maybe"]), 2, /--sync-on-change must be true or false/);
  refused(cli(["hub", "options", tenant.id, "--deleted-user-grace-days", "366"]), 1, /400/);
  refused(cli(["hub", "options", tenant.id, "--deleted-user-grace-days", "a month"]), 2, /--deleted-user-grace-days must be a whole number/);
  refused(cli(["hub", "options", tenant.id]), 2, /at least one option/);
  const bare = json(cli(["tenants", "create", "Hubless Co", "--json"]));
  refused(cli(["hub", "options", bare.id, "--language", "de-CH"]), 1, /404.*no Device Hub settings/);
  const after = json(cli(["hub", "show", tenant.id, "--json"]));
  assert.deepEqual([after.defaultPreferredLanguage, after.hubFieldMapIsDefault, after.apiKeyHint], ["fr-CH", true, hint], "refused changes change nothing");
});

test("extensions: declare from a file and from stdin, list, show, use, delete", async () => {
  const tenant = json(cli(["tenants", "create", "Extensions Co", "--json"]));
  const dir = mkdtempSync(join(tmpdir(), "edge-scim-ext-"));
  try {
    const file = join(dir, "hr.json");
    writeFileSync(file, JSON.stringify({ resourceType: "User", description: "HR attributes", attributes: [{ name: "costCode", type: "string" }] }));
    const declared = json(cli(["extensions", "put", tenant.id, HR, "--file", file, "--json"]));
    assert.equal(declared.urn, HR);
    assert.equal(declared.builtIn, false);
    assert.deepEqual(declared.attributes.map((a) => [a.name, a.type]), [["costCode", "string"]]);

    // Redeclared from stdin: the definition is replaced.
    const stdin = JSON.stringify({ attributes: [{ name: "costCode", type: "string" }, { name: "level", type: "integer" }] });
    const redeclared = json(cli(["extensions", "put", tenant.id, HR, "--file", "-", "--json"], { input: stdin }));
    assert.deepEqual(redeclared.attributes.map((a) => a.name), ["costCode", "level"]);

    const listed = json(cli(["extensions", "list", tenant.id, "--json"])).extensions;
    assert.ok(listed.some((e) => e.builtIn), "the built-in extensions are listed too");
    assert.deepEqual(listed.filter((e) => !e.builtIn).map((e) => e.urn), [HR]);
    assert.deepEqual(json(cli(["extensions", "show", tenant.id, HR, "--json"])).attributes.map((a) => a.type), ["string", "integer"]);
    const human = cli(["extensions", "show", tenant.id, HR]);
    assert.equal(human.code, 0, human.err);
    assert.ok(human.out.includes(HR) && human.out.includes("level"));

    // The tenant's SCIM endpoint now knows the schema.
    const client = json(cli(["clients", "create", tenant.id, "entra", "--json"]));
    const token = json(cli(["tokens", "issue", tenant.id, client.client_id, "--json"])).access_token;
    const schema = await fetch(`${stack.baseUrl}/scim/v2/Schemas/${HR}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(schema.status, 200);

    writeFileSync(file, "{ not json");
    refused(cli(["extensions", "put", tenant.id, HR, "--file", file]), 2, /is not JSON/);
    refused(cli(["extensions", "put", tenant.id, HR]), 2, /--file/);
    refused(cli(["extensions", "put", tenant.id, HR, "--file", "-"], { input: JSON.stringify({ attributes: [{ name: "x", type: "complex" }] }) }), 1, /400/);
    const builtIn = listed.find((e) => e.builtIn).urn;
    refused(cli(["extensions", "delete", tenant.id, builtIn]), 1, /400.*built in/);

    assert.equal(cli(["extensions", "delete", tenant.id, HR]).code, 0);
    refused(cli(["extensions", "show", tenant.id, HR]), 1, /404/);
    refused(cli(["extensions", "delete", tenant.id, HR, "--json"]), 1, /404/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
