// Property-based fuzzing of every admin request body through the real fetch (as fuzz.test.ts does
// for SCIM bodies): random JSON never gives a 5xx, and a rejected (4xx) write changes nothing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { admin, json } from "../support/http";
import { newTenant, type TestTenant } from "../support/tenant";

type Json = Record<string, unknown>;

/** Admin routes that read a JSON body, with the fields each one knows: each is fuzzed below. */
const BODY_ROUTES: Record<string, string[]> = {
  "POST /admin/v1/tenants": ["name"],
  "POST /admin/v1/tenants/:id/clients": ["name"],
  "POST /admin/v1/tenants/:id/clients/:clientId/tokens": ["expires_in"],
  "PATCH /admin/v1/tenants/:id": ["name"],
  "PUT /admin/v1/tenants/:id/device-hub": ["baseUrl", "apiKey", "timeoutMs", "logRetentionDays", "defaultPreferredLanguage", "hubFieldMap", "enforceNamingRules"],
  "PATCH /admin/v1/tenants/:id/device-hub": ["timeoutMs", "logRetentionDays", "defaultPreferredLanguage", "hubFieldMap", "enforceNamingRules", "syncOnChange"],
  "PUT /admin/v1/tenants/:id/rate-limit": ["tier"],
  "PUT /admin/v1/tenants/:id/entra-tokens": ["entraTenantId", "audience", "jwksUrl", "appId", "assertionAudience"],
  "PUT /admin/v1/tenants/:id/token-policy": ["mode"],
  "PATCH /admin/v1/tenants/:id/provisioning/policy": ["hubConflict", "deletionThreshold"],
  "PUT /admin/v1/tenants/:id/extensions/:urn": ["resourceType", "name", "description", "attributes"],
  "POST /admin/v1/tenants/:id/setup-links": ["expires_in_days", "note"],
  "POST /admin/v1/tenants/:id/move": ["shard"],
  "POST /admin/v1/tenants/:id/provisioning/hub-held-names/adopt": ["userNames", "all"],
};
/** Admin writes that ignore any body (actions on the path alone). */
const BODYLESS_WRITES = [
  "POST /admin/v1/tenants/:id/clients/:clientId/rotate",
  "POST /admin/v1/tenants/:id/provisioning/start",
  "POST /admin/v1/tenants/:id/provisioning/stop",
  "POST /admin/v1/tenants/:id/provisioning/full-sweep",
  "POST /admin/v1/tenants/:id/provisioning/run",
  "POST /admin/v1/tenants/:id/provisioning/confirm-deletions",
  "POST /admin/v1/tenants/:id/provisioning/parked/retry",
  "POST /admin/v1/tenants/:id/provisioning/parked/:itemId/retry",
  "POST /admin/v1/tenants/:id/provisioning/drift",
];

const FUZZ_URN = "urn:ietf:params:scim:schemas:extension:fuzz:2.0:User";
const GUID = "0f8fad5b-d9cb-469f-a165-70867728950e";
// Values that look like what validators special-case, mixed with anything JSON.
const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom("", " ", "not a url", "http://", "https://", "https://hub.example.com", "http://device-hub/x", "http://localhost:1",
    "ftp://x", "//x", "javascript:alert(1)", "https://[::1", GUID, GUID.toUpperCase(), "standard", "restricted", "x".repeat(3000), "\u0000", "😀", "gallery"),
  fc.constantFrom(null, true, false, 0, -1, 59, 60, 3600, 1e308, Number.MAX_SAFE_INTEGER, 0.5),
  fc.integer(),
);
const key = fc.oneof(
  fc.constantFrom("name", "expires_in", "baseUrl", "apiKey", "timeoutMs", "logRetentionDays", "tier", "entraTenantId", "audience",
    "jwksUrl", "hubConflict", "deletionThreshold", "resourceType", "attributes", "description", "defaultPreferredLanguage", "hubFieldMap", "enforceNamingRules", "floor", "expires_in_days", "note", "mode", "appId", "assertionAudience", "userNames", "all", "__proto__", "constructor"),
  fc.string({ maxLength: 12 }),
);
// Mostly the route's own fields with odd values (so each validator sees odd input for each field),
// sometimes any JSON or any keys.
const body = (fields: string[]) =>
  fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 1 },
    { arbitrary: fc.dictionary(key, oddValue, { maxKeys: 8 }), weight: 1 },
    { arbitrary: fc.record(Object.fromEntries(fields.map((f) => [f, oddValue])), { requiredKeys: [] }), weight: 4 },
  );

async function readable(path: string) {
  const res = await admin(path);
  return { status: res.status, body: res.status === 204 ? null : await json(res) };
}

/** Everything an admin write to tenant t could change, as the admin API shows it. */
async function snapshot(t: TestTenant, clientId: string) {
  return Promise.all(
    ["", "/clients", `/clients/${clientId}/tokens`, "/setup-links", "/device-hub", "/rate-limit", "/entra-tokens", "/extensions", "/provisioning/policy", "/token-policy"].map((p) => readable(`/tenants/${t.id}${p}`)),
  );
}

/** How many tenants the deployment has: GET /shards counts them per shard in one directory read
 * (listing every tenant of a suite that made thousands would cost more than the fuzzing). */
const tenantCount = async () =>
  (await json<{ shards: { tenants: number }[] }>(await admin("/shards"))).shards.reduce((n, s) => n + s.tenants, 0);

// Fixed seed and run count: a failure replays exactly; the generous timeout is for a busy 2-core
// CI machine (40 runs of one route take a few seconds on an idle one).
const RUNS = { numRuns: 40, seed: 0xad317 };
const PROPERTY_TIMEOUT_MS = 240_000;

describe("fuzz: random admin bodies never 5xx and rejected writes change nothing", () => {
  it("every admin write route is classified as fuzzed or as reading no body", () => {
    const writes = createApp()
      .routes.filter((r) => r.path.startsWith("/admin/v1/") && ["POST", "PUT", "PATCH"].includes(r.method))
      .map((r) => `${r.method} ${r.path}`);
    expect([...writes].sort()).toEqual([...Object.keys(BODY_ROUTES), ...BODYLESS_WRITES].sort());
  });

  it.each(Object.entries(BODY_ROUTES))("%s", async (route, fields) => {
    const [method, template] = route.split(" ") as [string, string];
    const t = await newTenant();
    const clientId = t.clientId;
    const path = template.replace("/admin/v1", "").replace(":id", t.id).replace(":clientId", clientId).replace(":urn", FUZZ_URN);
    await fc.assert(
      fc.asyncProperty(body(fields), async (b) => {
        const before = await snapshot(t, clientId);
        const tenantsBefore = await tenantCount();
        const res = await admin(path, { method, rawBody: JSON.stringify(b) });
        expect(res.status, JSON.stringify(b).slice(0, 300)).toBeLessThan(500);
        if (res.status >= 400) {
          expect(await json(res)).toEqual({ error: { status: res.status, message: expect.any(String) } });
          expect(await snapshot(t, clientId)).toEqual(before);
          expect(await tenantCount()).toBe(tenantsBefore);
        }
      }),
      RUNS,
    );
  }, PROPERTY_TIMEOUT_MS);
});
