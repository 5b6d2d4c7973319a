// Property-based fuzzing (issue 6) through the real fetch: random JSON bodies for POST/PUT/PATCH
// on /Users and /Groups never give a 5xx, and a rejected (4xx) request writes nothing.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { json } from "../support/http";
import { scim, type Json } from "../support/scim";
import { newTenant, type TestTenant } from "../support/tenant";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

// Values that look like what parsers special-case, mixed with anything JSON.
const oddValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom("", " ", "True", "False", "null", "0", "-1", "1e309", "' OR 1=1 --", "\u0000", "😀".repeat(50), "x".repeat(5000)),
  fc.constantFrom(null, true, false, 0, -0, 1e308, Number.MAX_SAFE_INTEGER),
);
const key = fc.oneof(
  fc.constantFrom("userName", "USERNAME", "displayName", "name", "emails", "members", "active", "externalId", "id", "meta", "groups",
    "password", "schemas", `${ENTERPRISE}:department`, ENTERPRISE, "name.givenName", "__proto__", "constructor"),
  fc.string({ maxLength: 12 }),
);
const body = (schema: string) =>
  fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.dictionary(key, oddValue, { maxKeys: 8 }),
    fc.dictionary(key, oddValue, { maxKeys: 8 }).map((d) => ({ schemas: [schema], ...d })),
  );
const patchBody = fc.record({
  schemas: fc.oneof(fc.constant([PATCH]), oddValue),
  Operations: fc.oneof(
    oddValue,
    fc.array(
      fc.record(
        {
          op: fc.oneof(fc.constantFrom("add", "Replace", "remove", "ADD", "move"), oddValue),
          path: fc.oneof(
            fc.constantFrom("members", 'members[value eq "x"]', "emails[type eq \"work\"].value", "name.givenName", `${ENTERPRISE}:manager`, "active", "[", 'emails[type eq "work"', "a.b.c.d"),
            fc.string({ maxLength: 30 }),
            oddValue,
          ),
          value: oddValue,
        },
        { requiredKeys: [] },
      ),
      { maxLength: 5 },
    ),
  ),
});

async function count(t: TestTenant, type: "Users" | "Groups"): Promise<number> {
  return (await json<Json>(await scim(t).get(`/${type}?count=0`))).totalResults as number;
}

// Fixed seed and run count: a failure replays exactly; the generous per-test timeout is for a busy
// 2-core CI machine (60 runs take about 3 s on an idle one).
const RUNS = { numRuns: 60, seed: 0x5c1f0e };
const PROPERTY_TIMEOUT_MS = 180_000;

describe("fuzz: random bodies never 5xx and rejected writes change nothing", () => {
  for (const [type, schema] of [["Users", USER], ["Groups", GROUP]] as const) {
    it(`POST /${type}`, async () => {
      const t = await newTenant();
      await fc.assert(
        fc.asyncProperty(body(schema), async (b) => {
          const before = await count(t, type);
          const res = await scim(t).post(`/${type}`, b);
          expect(res.status, JSON.stringify(b).slice(0, 300)).toBeLessThan(500);
          expect(await count(t, type)).toBe(res.status === 201 ? before + 1 : before);
        }),
        RUNS,
      );
    }, PROPERTY_TIMEOUT_MS);

    it(`PUT and PATCH /${type}/{id}`, async () => {
      const t = await newTenant();
      const existing = type === "Users" ? await scim(t).createUser() : await scim(t).createGroup();
      await fc.assert(
        fc.asyncProperty(fc.boolean(), body(schema), patchBody, async (usePut, putBody, patch) => {
          const before = await json<Json>(await scim(t).get(`/${type}/${existing.id}`));
          const res = usePut
            ? await scim(t).put(`/${type}/${existing.id}`, putBody)
            : await scim(t).patch(`/${type}/${existing.id}`, patch);
          expect(res.status, JSON.stringify(usePut ? putBody : patch).slice(0, 300)).toBeLessThan(500);
          if (res.status >= 400) {
            // No partial write: the resource (and its version) is exactly as before.
            expect(await json<Json>(await scim(t).get(`/${type}/${existing.id}`))).toEqual(before);
          }
          expect(await count(t, type)).toBe(1);
        }),
        RUNS,
      );
    }, PROPERTY_TIMEOUT_MS);
  }
});
