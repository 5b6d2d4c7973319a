// CLI: the sync's policies and history (provisioning policy, confirm-deletions, history) and the
// Device Hub options changed without sending the API key again (hub options).
import { api, EXIT, fail } from "./http.mjs";
import { hubOptionsBody, intFlag } from "./hub-options.mjs";

const enc = encodeURIComponent;
const pretty = (d) => console.log(JSON.stringify(d, null, 2));

const showPolicy = (p) =>
  console.log(
    `hub conflict: ${p.hubConflict}\n` +
      `deletion guard: deletions in one cycle that reach ${p.deletionThreshold.minimum} and exceed ` +
      `${p.deletionThreshold.percent}% of the hub users (or groups) we own wait for \`provisioning confirm-deletions\``,
  );

function policyBody(values) {
  const body = {};
  if (values["hub-conflict"] !== undefined) body.hubConflict = values["hub-conflict"];
  const threshold = {};
  if (values["delete-percent"] !== undefined) threshold.percent = intFlag("delete-percent", values["delete-percent"]);
  if (values["delete-minimum"] !== undefined) threshold.minimum = intFlag("delete-minimum", values["delete-minimum"]);
  if (Object.keys(threshold).length) body.deletionThreshold = threshold;
  return body;
}

function showHistory(d) {
  if (!d.cycles.length) return console.log(`no provisioning cycles with hub operations in the last ${d.hours} hours`);
  console.log(`${"start".padEnd(24)} ${"ok".padStart(6)} ${"failed".padStart(6)} ${"parked".padStart(6)}`);
  for (const c of d.cycles) {
    console.log(`${c.startedAt.padEnd(24)} ${String(c.ok).padStart(6)} ${String(c.failed).padStart(6)} ${String(c.parked).padStart(6)}`);
  }
}

function showHeldNames(d) {
  if (!d.items.length) return console.log("no hub-held names: no SCIM create was refused or parked for a name a hub account holds");
  console.log(`${"userName".padEnd(36)} ${"source".padEnd(15)} ${"holder".padEnd(26)} since`);
  for (const i of d.items) {
    const holder = i.holder.externalRef ? `${i.holder.hubId} (ref ${i.holder.externalRef})` : i.holder.hubId;
    console.log(`${i.userName.padEnd(36)} ${i.source.padEnd(15)} ${holder.padEnd(26)} ${i.since}`);
  }
  if (d.truncated) console.log("(more: adopt or resolve these first)");
}

function showAdopted(d) {
  for (const a of d.adopted) console.log(`adopted ${a.userName}: hub user ${a.hubId} is SCIM user ${a.scimId}`);
  for (const r of d.refused) console.log(`not adopted ${r.userName}: ${r.reason}`);
  if (!d.adopted.length && !d.refused.length) console.log("nothing to adopt");
  if (d.more) console.log("more hub-held names are left: run it again");
}

/** "a@x, b@x and 3 more": a membership difference's listed userNames (hub id when unknown), the rest counted. */
function memberNames(listed, total) {
  const shown = listed.map((m) => m.userName ?? m.hubId ?? m.scimId ?? "?").join(", ");
  if (!shown) return `${total} (not listed)`;
  return total > listed.length ? `${shown} and ${total - listed.length} more` : shown;
}

/**
 * The drift report: state and counts, then one line per difference (kind, resource, reason,
 * repair); a membership difference adds who is missing from and extra in the hub group.
 */
function showDrift({ report: r }) {
  if (!r) return console.log("no drift report yet (provisioning drift <tenantId> --start)");
  const when = r.finishedAt ? `finished ${r.finishedAt}` : `requested ${r.requestedAt}, phase ${r.phase}`;
  console.log(`drift report ${r.state} (${when}): ${r.differences} difference(s)${r.truncated ? `, first ${r.items.length} listed` : ""}`);
  if (r.error) console.log(`error: ${r.error}`);
  for (const [kind, n] of Object.entries(r.counts)) console.log(`  ${kind}: ${n}`);
  for (const i of r.items) {
    console.log(`${i.kind.padEnd(18)} ${i.resourceType.padEnd(10)} ${(i.name ?? i.scimId ?? i.hubId ?? "").padEnd(36)} ${i.reason} → ${i.repair}`);
    if (i.members?.missingTotal) console.log(`  missing from the hub group: ${memberNames(i.members.missing, i.members.missingTotal)}`);
    if (i.members?.extraTotal) console.log(`  extra in the hub group: ${memberNames(i.members.extra, i.members.extraTotal)}`);
  }
}

export const syncCommands = {
  "provisioning hub-names": async ({ conn, out, need }) => {
    const [id] = need(1, "provisioning hub-names <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/provisioning/hub-held-names`), showHeldNames);
  },
  "provisioning adopt": async ({ conn, out, need, args, values }) => {
    const usage = "provisioning adopt <tenantId> (<userName>... | --all)";
    const [id] = need(1, usage);
    const names = args.slice(1);
    if (values.all === (names.length > 0)) fail(EXIT.usage, `name the userNames to adopt, or --all (not both)\nusage: edge-scim ${usage}`);
    const body = values.all ? { all: true } : { userNames: names };
    out(await api(conn, "POST", `/tenants/${enc(id)}/provisioning/hub-held-names/adopt`, body), showAdopted);
  },
  "provisioning drift": async ({ conn, out, need, values }) => {
    const [id] = need(1, "provisioning drift <tenantId> [--start]");
    const path = `/tenants/${enc(id)}/provisioning/drift`;
    // --start runs a new report to its end in the request (bounded) and shows it.
    out(values.start ? await api(conn, "POST", `${path}?wait=true`) : await api(conn, "GET", path), showDrift);
  },
  "provisioning policy": async ({ conn, out, need, values }) => {
    const [id] = need(1, "provisioning policy <tenantId> [--hub-conflict reject|adopt] [--delete-percent N] [--delete-minimum N]");
    const body = policyBody(values);
    const path = `/tenants/${enc(id)}/provisioning/policy`;
    out(Object.keys(body).length ? await api(conn, "PATCH", path, body) : await api(conn, "GET", path), showPolicy);
  },
  "provisioning confirm-deletions": async ({ conn, out, need, values }) => {
    const [id] = need(1, "provisioning confirm-deletions <tenantId> [--expires-in-minutes N]");
    const minutes = values["expires-in-minutes"];
    const body = minutes === undefined ? undefined : { expiresInMinutes: intFlag("expires-in-minutes", minutes) };
    out(await api(conn, "POST", `/tenants/${enc(id)}/provisioning/confirm-deletions`, body), (s) => {
      const c = s.deletions?.confirmed;
      console.log(c
        ? `confirmed: the ${c.users} user and ${c.groups} group deletions held now go out with the next cycle (until ${c.expiresAt}); later deletions are weighed again`
        : "nothing is held: no deletion to confirm");
    });
  },
  "provisioning history": async ({ conn, out, need, values }) => {
    const [id] = need(1, "provisioning history <tenantId> [--hours N]");
    const hours = values.hours === undefined ? "" : `?hours=${intFlag("hours", values.hours)}`;
    out(await api(conn, "GET", `/tenants/${enc(id)}/provisioning/history${hours}`), showHistory);
  },
  "hub options": async ({ conn, out, need, values }) => {
    const usage = "hub options <tenantId> [--language xx-YY] [--enforce-naming-rules true|false] [--sync-on-change true|false] [--field-map floor=<urn>:<attr>,...|default] [--deleted-user-grace-days N] [--timeout-ms N] [--log-retention-days N]";
    const [id] = need(1, usage);
    const body = hubOptionsBody(values);
    if (values["timeout-ms"] !== undefined) body.timeoutMs = intFlag("timeout-ms", values["timeout-ms"]);
    if (values["log-retention-days"] !== undefined) body.logRetentionDays = intFlag("log-retention-days", values["log-retention-days"]);
    if (!Object.keys(body).length) fail(EXIT.usage, `hub options needs at least one option to change\nusage: edge-scim ${usage}`);
    out(await api(conn, "PATCH", `/tenants/${enc(id)}/device-hub`, body), pretty);
  },
};
