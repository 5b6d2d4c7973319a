// The filter→SQL compiler against real D1 (real migrations): a differential property test with
// the in-memory evaluator as the oracle, and EXPLAIN QUERY PLAN checks of the indexed lookups.
import { env } from "cloudflare:test";
import { sql, type SQL } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScimError } from "../../src/scim/errors";
import type { FilterNode } from "../../src/scim/filter/ast";
import { matchesFilter } from "../../src/scim/filter/evaluate";
import { parseFilter } from "../../src/scim/filter/parser";
import { createDb } from "../../src/platform/d1/db";
import { compileFilter, compileListFilter } from "../../src/scim/storage/filter-sql";
import { drivenAfter, drivenFrom, drivenOrder, drivenWhere } from "../../src/scim/storage/trigram-walk";
import { dataset, groupFilter, userFilter, type GroupData, type UserData } from "../unit/filter/data.cases";
import { ENT } from "../unit/filter/parse.cases";
import { printFilter } from "../unit/filter/print.cases";

const db = createDb(env.DB);
const lc = (s: string | undefined) => (s === undefined ? null : s.toLowerCase());

/** Insert the dataset with the stored layout (doc without schemas/id/meta/groups/members). */
async function insert(tenant: string, users: UserData[], groups: GroupData[]) {
  const statements = [
    ...users.map((u) => {
      const doc = { userName: u.userName, active: u.active, ...u.extra };
      return env.DB.prepare(
        `INSERT INTO users (tenant_id, id, user_name, user_name_lc, external_id, display_name_lc, active, version, created_at, updated_at, doc)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`,
      ).bind(tenant, u.id, u.userName, u.userName.toLowerCase(), u.extra.externalId ?? null, lc(u.extra.displayName as string | undefined),
        u.active ? 1 : 0, u.created, u.lastModified, JSON.stringify(doc));
    }),
    ...groups.map((g) =>
      env.DB.prepare(
        `INSERT INTO groups (tenant_id, id, display_name, display_name_lc, external_id, version, created_at, updated_at, doc)
         VALUES (?, ?, ?, ?, ?, 1, ?, ?, ?)`,
      ).bind(tenant, g.id, g.displayName, g.displayName.toLowerCase(), g.externalId ?? null, g.created, g.created,
        JSON.stringify({ displayName: g.displayName, ...(g.externalId !== undefined ? { externalId: g.externalId } : {}) })),
    ),
    ...groups.flatMap((g) =>
      g.members.map((m) =>
        env.DB.prepare("INSERT INTO group_members (tenant_id, group_id, member_id, member_type, added_at) VALUES (?, ?, ?, ?, ?)")
          .bind(tenant, g.id, m.value, m.type, g.created),
      ),
    ),
  ];
  await env.DB.batch(statements);
}

/** The full SCIM resources a client would see for the same rows. */
function userResource(u: UserData, groups: GroupData[]): Record<string, unknown> {
  const memberOf = groups.filter((g) => g.members.some((m) => m.value === u.id));
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ...(u.extra[ENT] ? [ENT] : [])],
    id: u.id,
    userName: u.userName,
    active: u.active,
    ...u.extra,
    groups: memberOf.map((g) => ({ value: g.id, $ref: `/Groups/${g.id}`, display: g.displayName, type: "direct" })),
    meta: { resourceType: "User", created: u.created, lastModified: u.lastModified, location: `/Users/${u.id}`, version: 'W/"1"' },
  };
}
function groupResource(g: GroupData): Record<string, unknown> {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    id: g.id,
    displayName: g.displayName,
    ...(g.externalId !== undefined ? { externalId: g.externalId } : {}),
    members: g.members.map((m) => ({ value: m.value, type: m.type })),
    meta: { resourceType: "Group", created: g.created, lastModified: g.created, location: `/Groups/${g.id}`, version: 'W/"1"' },
  };
}

async function selectIds(tenant: string, type: "User" | "Group", where: SQL): Promise<string[]> {
  const query = type === "User"
    ? sql`SELECT u.id AS id FROM users u WHERE u.tenant_id = ${tenant} AND (${where}) ORDER BY u.id`
    : sql`SELECT g.id AS id FROM groups g WHERE g.tenant_id = ${tenant} AND (${where}) ORDER BY g.id`;
  return (await db.all<{ id: string }>(query)).map((r) => r.id);
}

/** Outcome of one side: the matching ids, or the error a client would get. */
async function outcome(run: () => Promise<string[]> | string[]): Promise<string[] | string> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ScimError) return `${err.status} ${err.scimType}: ${err.detail}`;
    throw err;
  }
}

/** How many filters selected some but not all rows: proof the generators make telling cases. */
const telling = { User: 0, Group: 0 };

async function agree(tenant: string, type: "User" | "Group", filters: FilterNode[], resources: Record<string, unknown>[]) {
  for (const filter of filters) {
    const expected = await outcome(() => resources.filter((r) => matchesFilter(filter, r, type)).map((r) => r.id as string).sort());
    if (Array.isArray(expected) && expected.length > 0 && expected.length < resources.length) telling[type]++;
    const actual = await outcome(() => selectIds(tenant, type, compileFilter(filter, type, { table: type === "User" ? "u" : "g" })));
    expect(actual, printFilter(filter)).toEqual(expected);
  }
}

/** Fragments of the dataset's STRINGS: 2–5 characters, every case, Latin-1, Turkish, Greek, emoji. */
const FRAGMENTS = [
  "lic", "LIC", "Alic", "lice", "ICE", "al", "ce", "rge", "RGE", "ärg", "ÄRG", "Ärg", "aße", "raß", "ASS", "SSE", "STR",
  "stan", "İst", "i̇st", "ist", "İSTANBUL", "σίσ", "ΣΊΣ", "ίσυφ", "φος", "😀x", "😀", "\uFFFDz", "ob_", "b_1", "0%", "%", "x'y",
  'q"r', '"r', "ork", "ORK", "Wor", "ome", "a_b", "_b",
];
const SUBSTRING_PATHS = ["userName", "displayName", "externalId", "emails", "emails.value", "name.givenName", "name.familyName"];
const substringLeaf: fc.Arbitrary<FilterNode> = fc.record({
  kind: fc.constant("compare" as const),
  path: fc.constantFrom(...SUBSTRING_PATHS).map((text) => {
    const [attribute = "", subAttribute] = text.split(".");
    return { attribute, ...(subAttribute ? { subAttribute } : {}) };
  }),
  op: fc.constantFrom<"co" | "sw" | "ew">("co", "sw", "ew"),
  value: fc.constantFrom(...FRAGMENTS),
});
const substringFilter: fc.Arbitrary<FilterNode> = fc.oneof(
  { depthSize: "small" },
  substringLeaf,
  substringLeaf.map((filter): FilterNode => ({ kind: "not", filter })),
  fc.tuple(substringLeaf, substringLeaf).map(([left, right]): FilterNode => ({ kind: "and", left, right })),
  fc.tuple(substringLeaf, substringLeaf).map(([left, right]): FilterNode => ({ kind: "or", left, right })),
);
const usesIndex = (f: FilterNode) =>
  new SQLiteAsyncDialect().sqlToQuery(compileFilter(f, "User", { table: "u" })).sql.includes("users_search MATCH");

describe("compileFilter ≡ matchesFilter on D1", () => {
  it("Users: random data, random filters", { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(dataset, fc.array(userFilter, { minLength: 25, maxLength: 25 }), async ([users, groups], filters) => {
        const tenant = crypto.randomUUID();
        await insert(tenant, users, groups);
        await agree(tenant, "User", filters, users.map((u) => userResource(u, groups)));
      }),
      { numRuns: 30, seed: 30 },
    );
    expect(telling.User).toBeGreaterThan(150);
  });

  it("Groups: random data, random filters", { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(dataset, fc.array(groupFilter, { minLength: 25, maxLength: 25 }), async ([users, groups], filters) => {
        const tenant = crypto.randomUUID();
        await insert(tenant, users, groups);
        await agree(tenant, "Group", filters, groups.map(groupResource));
      }),
      { numRuns: 20, seed: 20 },
    );
    expect(telling.Group).toBeGreaterThan(75);
  });

  // co/sw/ew on the attributes the trigram index covers, with fragments (not only whole values) in
  // every case and script of the dataset: the index's candidates re-checked must equal a scan.
  it("Users: substring filters through the trigram index, case and non-ASCII", { timeout: 300_000 }, async () => {
    let indexed = 0;
    await fc.assert(
      fc.asyncProperty(dataset, fc.array(substringFilter, { minLength: 25, maxLength: 25 }), async ([users, groups], filters) => {
        const tenant = crypto.randomUUID();
        await insert(tenant, users, groups);
        for (const f of filters) if (usesIndex(f)) indexed++;
        await agree(tenant, "User", filters, users.map((u) => userResource(u, groups)));
      }),
      { numRuns: 30, seed: 14 },
    );
    expect(indexed).toBeGreaterThan(300);
  });

  it("Users: the index follows updates and deletes of the rows", { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(dataset, dataset, fc.array(substringFilter, { minLength: 15, maxLength: 15 }), async ([before], [after], filters) => {
        const tenant = crypto.randomUUID();
        await insert(tenant, before, []);
        // Rewrite the users that exist in both datasets, delete the rest (same ids: u0, u1, …).
        const kept = after.filter((u) => before.some((b) => b.id === u.id));
        await env.DB.batch([
          // userNames may swap between users: park them on the (unique) ids first.
          env.DB.prepare("UPDATE users SET user_name_lc = id WHERE tenant_id = ?").bind(tenant),
          ...kept.map((u) => env.DB.prepare(
            `UPDATE users SET user_name = ?, user_name_lc = ?, external_id = ?, display_name_lc = ?, doc = ?
             WHERE tenant_id = ? AND id = ?`,
          ).bind(u.userName, u.userName.toLowerCase(), u.extra.externalId ?? null, lc(u.extra.displayName as string | undefined),
            JSON.stringify({ userName: u.userName, active: u.active, ...u.extra }), tenant, u.id)),
          env.DB.prepare("DELETE FROM users WHERE tenant_id = ? AND id NOT IN (SELECT value FROM json_each(?))")
            .bind(tenant, JSON.stringify(kept.map((u) => u.id))),
        ]);
        const now = kept.map((u) => ({ ...u, created: before.find((b) => b.id === u.id)!.created, lastModified: before.find((b) => b.id === u.id)!.lastModified }));
        await agree(tenant, "User", filters, now.map((u) => userResource(u, [])));
      }),
      { numRuns: 15, seed: 15 },
    );
  });

  it("binds every value as a parameter and stays under D1's 100 parameters at 50 comparisons", async () => {
    const tenant = crypto.randomUUID();
    const text = Array.from({ length: 50 }, (_, i) => `emails[type eq "w${i}'); DROP TABLE users; --"]`).join(" or ");
    const query = sql`SELECT u.id FROM users u WHERE u.tenant_id = ${tenant} AND (${compileFilter(parseFilter(text), "User", { table: "u" })})`;
    const { sql: statement, params } = new SQLiteAsyncDialect().sqlToQuery(query);
    expect(statement).not.toContain("DROP TABLE");
    expect(params).toHaveLength(51);
    await expect(db.all(query)).resolves.toEqual([]);
  });
});

describe("indexed lookups (EXPLAIN QUERY PLAN)", () => {
  const cases: ["User" | "Group", string][] = [
    ["User", 'userName eq "Bjensen"'],
    ["User", 'externalId eq "x"'],
    ["User", 'displayName eq "Babs"'],
    ["User", 'id eq "u1"'],
    ["User", 'userName eq "a" and active eq true'],
    ["Group", 'displayName eq "Sales"'],
    ["Group", 'externalId eq "x"'],
    ["Group", 'id eq "g1"'],
  ];
  async function plan(type: "User" | "Group", text: string): Promise<string[]> {
    const alias = type === "User" ? "u" : "g";
    const where = compileFilter(parseFilter(text), type, { table: alias });
    const from = sql.raw(type === "User" ? "users u" : "groups g");
    const rows = await db.all<{ detail: string }>(
      sql`EXPLAIN QUERY PLAN SELECT ${sql.raw(alias)}.id FROM ${from} WHERE ${sql.raw(alias)}.tenant_id = ${"t"} AND (${where})`,
    );
    return rows.map((r) => r.detail);
  }

  it.each(cases)("%s %s searches an index, never scans", async (type, text) => {
    const details = await plan(type, text);
    expect(details.join("\n")).toMatch(/SEARCH [ug] USING (COVERING )?INDEX|SEARCH [ug] USING PRIMARY KEY/);
    expect(details.join("\n")).not.toMatch(/SCAN [ug]\b/);
    // The indexed column itself is constrained, not only tenant_id.
    expect(details.join("\n")).toMatch(/\((tenant_id=\? AND (user_name_lc|external_id|display_name_lc|id)=\?)\)/);
  });

  const substringCases = [
    'userName co "smith@con"',
    'displayName co "Babs J"',
    'externalId ew "-123"',
    'emails co "contoso"',
    'emails.value ew "@contoso.com"',
    'name.givenName sw "Bar"',
    'name.familyName co "ensen"',
    'userName co "smith" and active eq true',
  ];
  it.each(substringCases)("User %s reads candidates from the trigram index, never scans users", async (text) => {
    const details = (await plan("User", text)).join("\n");
    expect(details).toMatch(/SCAN s VIRTUAL TABLE INDEX/);
    // The index entry carries the user id (migration 0020): no user_search_keys row per candidate.
    expect(details).not.toMatch(/SEARCH k\b/);
    expect(details).toMatch(/SEARCH u USING (COVERING )?INDEX \S+ \(tenant_id=\? AND id=\?\)|SEARCH u USING PRIMARY KEY/);
    expect(details).not.toMatch(/SCAN u\b/);
  });

  it.each(substringCases)("a User list filtered by %s is driven by the trigram index, in its order, with no sort", async (text) => {
    const compiled = compileListFilter(parseFilter(text), "User", { table: "u" }, undefined, { drive: true });
    expect(compiled.drivenBy).toMatch(/^\w+ : "/);
    const where = sql`u.tenant_id = ${"t"} AND (${compiled.predicate})`;
    for (const after of [undefined, "42"]) {
      const rows = await db.all<{ detail: string }>(
        sql`EXPLAIN QUERY PLAN SELECT u.id FROM ${drivenFrom()} WHERE ${drivenWhere(compiled.drivenBy!, where)}${after ? sql` AND ${drivenAfter(after)}` : sql``} ORDER BY ${drivenOrder()} LIMIT 50`,
      );
      const details = rows.map((r) => r.detail).join("\n");
      expect(details).toMatch(after ? /^SCAN s VIRTUAL TABLE INDEX \d+:M\d+>/ : /^SCAN s VIRTUAL TABLE INDEX/);
      expect(details).toMatch(/SEARCH u USING (COVERING )?INDEX \S+ \(tenant_id=\? AND id=\?\)/);
      expect(details).not.toMatch(/TEMP B-TREE|SCAN u\b/);
      // The driving term is not tested a second time through a sub-query of the index.
      expect(new SQLiteAsyncDialect().sqlToQuery(compiled.predicate).sql).not.toContain("users_search");
    }
  });

  it("a list with a B-tree seek is not driven by the trigram index (the seek reads fewer rows)", () => {
    const compiled = compileListFilter(parseFilter('externalId eq "x" and emails co "contoso"'), "User", { table: "u" }, undefined, { drive: true });
    expect(compiled.drivenBy).toBeUndefined();
    expect(compileListFilter(parseFilter('emails co "contoso" or active eq false'), "User", { table: "u" }, undefined, { drive: true }).drivenBy).toBeUndefined();
  });

  it.each([
    ["User", 'userName sw "smi"', "user_name_lc"],
    ["User", 'userName sw "s"', "user_name_lc"],
    ["User", 'displayName sw "Ba"', "display_name_lc"],
    ["User", 'externalId sw "ext-1"', "external_id"],
    ["Group", 'displayName sw "Sal"', "display_name_lc"],
    ["User", 'userName sw "smi" and active eq true', "user_name_lc"],
  ] as const)("%s %s is a range on the column's B-tree, whatever its length", async (type, text, column) => {
    const details = (await plan(type, text)).join("\n");
    expect(details).toMatch(new RegExp(`SEARCH [ug] USING (COVERING )?INDEX \\S+ \\(tenant_id=\\? AND ${column}>\\? AND ${column}<\\?\\)`));
    expect(details).not.toMatch(/VIRTUAL TABLE|SCAN [ug]\b/);
  });

  it("a fragment under 3 characters cannot use a trigram index: it scans the tenant's users", async () => {
    const details = (await plan("User", 'userName co "sm"')).join("\n");
    expect(details).not.toMatch(/VIRTUAL TABLE/);
    expect(details).toMatch(/SEARCH u USING (COVERING )?INDEX \S+ \(tenant_id=\?\)|SCAN u\b/);
  });

  it('Group members[value eq "…"] probes group_members by primary key', async () => {
    const details = (await plan("Group", 'members[value eq "u1"]')).join("\n");
    expect(details).not.toMatch(/SCAN [gm]\b/);
    expect(details).toMatch(/SEARCH m (EXISTS )?USING (COVERING )?INDEX \S+ \(tenant_id=\? AND group_id=\? AND member_id=\?\)/);
  });
});
