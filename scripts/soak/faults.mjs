// Random Device Hub faults through the emulator's control API (test/emulators/device-hub/faults.ts):
// 5xx answers, timeouts that did or did not apply the write, dropped answers (applied, then a 502),
// slow listing pages, 429s — each on the next few calls of one tenant's hub, optionally narrowed to
// a method or a path. Now and then an operator's full sweep is requested, so adoptions and renames
// meet sweeps in progress.
import { sleep } from "./api.mjs";

const WRITE_METHODS = ["POST", "PATCH", "DELETE"];
const PATHS = ["/v1/users", "/v1/groups"];

/** A fault of each kind the emulator has; `narrow` may restrict it to a method or a path prefix. */
const KINDS = {
  "5xx": (r) => ({ kind: "error", status: r.pick([500, 502, 503]), count: r.int(1, 4) }),
  "timeout, not applied": (r) => ({ kind: "timeout", delayMs: r.int(1000, 8000), apply: false, count: r.int(1, 2) }),
  "timeout, applied": (r) => ({ kind: "timeout", delayMs: r.int(1000, 8000), apply: true, count: r.int(1, 2) }),
  "dropped answer": (r) => ({ kind: "drop", status: 502, count: r.int(1, 3) }),
  "slow pages": (r) => ({ kind: "timeout", delayMs: r.int(1500, 4000), apply: true, method: "GET", pathPrefix: r.pick(PATHS), count: r.int(2, 6) }),
  "429": (r) => ({ kind: "rateLimit", retryAfterSeconds: r.int(2, 15), count: 1 }),
};
const KIND_WEIGHTS = { "5xx": 5, "timeout, not applied": 3, "timeout, applied": 3, "dropped answer": 4, "slow pages": 3, "429": 1 };

function narrow(r, spec) {
  if (spec.method || spec.pathPrefix) return spec;
  const how = r.int(1, 3);
  if (how === 1) return { ...spec, method: r.pick(WRITE_METHODS) };
  if (how === 2) return { ...spec, pathPrefix: r.pick(PATHS) };
  return spec;
}

/** Inject until `stopped()`: one action every 4–15 s. Counts in `stats` (kind → n). */
export async function runFaults(api, tenants, r, { stopped, gate, stats }) {
  while (!stopped()) {
    await sleep(r.int(4_000, 15_000));
    if (stopped()) break;
    await gate.waitUp();
    const t = r.pick(tenants);
    if (r.chance(0.12)) {
      const res = await api.admin("POST", `/tenants/${t.id}/provisioning/full-sweep`);
      if (res.status === 202) stats.sweepsRequested++;
      // Half of them list the hub slowly, as a large hub does: SCIM writes land while the sweep reads.
      if (r.chance(0.5) && (await api.hub(t.apiKey, "POST", "/faults", KINDS["slow pages"](r))).status === 201) {
        stats.faults["slow pages"] = (stats.faults["slow pages"] ?? 0) + 1;
      }
      continue;
    }
    const kind = r.weighted(KIND_WEIGHTS);
    const spec = narrow(r, KINDS[kind](r));
    const res = await api.hub(t.apiKey, "POST", "/faults", spec);
    if (res.status === 201) stats.faults[kind] = (stats.faults[kind] ?? 0) + 1;
    else stats.faultErrors++;
  }
}

/** Remove every fault still armed on the tenants' hubs; answers how many were left unused. */
export async function clearFaults(api, tenants) {
  let left = 0;
  for (const t of tenants) {
    const listed = await api.hub(t.apiKey, "GET", "/faults");
    left += (listed.body?.faults ?? []).reduce((n, f) => n + f.remaining, 0);
    await api.hub(t.apiKey, "DELETE", "/faults");
  }
  return left;
}
