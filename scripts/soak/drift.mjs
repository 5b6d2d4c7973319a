// The drift report at the end of the soak (docs/device-hub.md#drift-report): per tenant, start the
// report through the admin API (POST …/provisioning/drift: it runs as queue messages), poll its
// progress until it is done, and count its differences. Hub-made accounts and groups the soak
// seeded are `extraInHubForeign` — left alone by design (repair "none") — so they are reported
// but not counted as differences; every other kind is one.
import { sleep } from "./api.mjs";

const POLL_MS = 2_000;
const LEFT_ALONE = new Set(["extraInHubForeign"]);

/**
 * The SCIM users of a `reject` tenant whose hub create is parked because a hub-made account holds
 * the name, as the admin sees them in the hub-held names list: the state that policy asks for
 * (the admin decides: adopt them there, or rename in Entra). Creates reach that state when the
 * SCIM-time name check could not ask the hub (faults) and its mirror had not seen the account yet.
 */
export async function awaitingAdmin(api, t) {
  if (t.policy !== "reject") return new Set();
  const res = await api.admin("GET", `/tenants/${t.id}/provisioning/hub-held-names`);
  if (res.status !== 200) return new Set();
  return new Set(res.body.items.filter((i) => i.source === "parkedCreate" && i.holder.externalRef === null).map((i) => i.scimId));
}

/** { state, differences, foreign, awaiting, counts, items, progress, error, seconds } for one tenant. */
export async function driftOf(api, t, { timeoutMs = 10 * 60_000, awaiting = new Set() } = {}) {
  const t0 = Date.now();
  const started = await api.admin("POST", `/tenants/${t.id}/provisioning/drift`);
  if (started.status !== 202) return { state: "notStarted", error: `${started.status} ${started.error ?? JSON.stringify(started.body)}`, differences: 1, items: [], counts: {}, foreign: 0 };
  const id = started.body.report.id;
  let report = started.body.report;
  while (Date.now() - t0 < timeoutMs) {
    await sleep(POLL_MS);
    const res = await api.admin("GET", `/tenants/${t.id}/provisioning/drift`);
    if (res.status !== 200 || !res.body?.report) continue;
    report = res.body.report;
    if (report.id !== id) return { state: "replaced", error: "another drift report replaced this one", differences: 1, items: [], counts: {}, foreign: 0 };
    if (report.state !== "running") break;
  }
  // A name held for the admin's decision shows as nameHeldByForeign and as its parked create.
  const forAdmin = (i) => (i.kind === "nameHeldByForeign" || i.kind === "parked") && awaiting.has(i.scimId);
  const items = (report.items ?? []).filter((i) => !LEFT_ALONE.has(i.kind) && !forAdmin(i));
  const held = (report.items ?? []).filter(forAdmin).length;
  const foreign = Object.entries(report.counts ?? {}).filter(([k]) => LEFT_ALONE.has(k)).reduce((n, [, c]) => n + c, 0);
  const counted = (report.differences ?? 0) - foreign - held;
  const differences = report.state === "done" ? counted : Math.max(1, counted);
  return {
    state: report.state, error: report.error ?? (report.state === "running" ? `not done after ${Math.round(timeoutMs / 1000)} s` : null),
    differences, foreign, awaiting: held, counts: report.counts ?? {}, items, progress: report.progress ?? {}, invocations: report.invocations,
    seconds: Math.round((Date.now() - t0) / 1000),
  };
}

export function printDrift(out, results) {
  out(`\n== The drift report (admin API, per tenant) ==`);
  let total = 0;
  for (const { t, drift: d } of results) {
    total += d.differences;
    const counts = Object.entries(d.counts).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
    out(`  tenant #${t.index}: ${d.state} in ${d.seconds ?? "?"} s (${d.invocations ?? "?"} invocations, progress ${JSON.stringify(d.progress ?? {})}) — ${d.differences} differences; counts: ${counts}${d.foreign ? ` (extraInHubForeign: hub-made, left alone by design)` : ""}${d.awaiting ? `; ${d.awaiting} items of hub-held names awaiting the admin (policy reject)` : ""}${d.error ? `; error: ${d.error}` : ""}`);
    for (const i of d.items.slice(0, 10)) {
      const members = i.members ? ` missing ${i.members.missingTotal} ${JSON.stringify(i.members.missing.slice(0, 3))}, extra ${i.members.extraTotal} ${JSON.stringify(i.members.extra.slice(0, 3))}` : "";
      out(`      - ${i.kind} ${i.resourceType} scim ${i.scimId} hub ${i.hubId} "${i.name}": ${i.reason} [repair ${i.repair}]${members}`);
    }
  }
  return total;
}
