// Which queries use each index of the directory tables (EXPLAIN QUERY PLAN). Every index costs a
// row written per insert and per change of its columns (D1 bills each), so each must earn it: a
// new index without a query here fails the last test, and a query that stops using its index fails
// its own. The SQL is the product's own: compiled filters, the list page's stamp, the write paths'
// lookups.
import { env } from "cloudflare:test";
import { sql, type SQL } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { parseFilter } from "../../src/scim/filter/parser";
import { createDb } from "../../src/platform/d1/db";
import { compileListFilter } from "../../src/scim/storage/filter-sql";
import { stampStatement } from "../../src/scim/storage/resource-counts";

const db = createDb(env.DB);
const T = "index-usage";

async function plan(query: SQL | string): Promise<string> {
  const rows = typeof query === "string"
    ? (await env.DB.prepare(`EXPLAIN QUERY PLAN ${query}`).all<{ detail: string }>()).results
    : await db.all<{ detail: string }>(sql`EXPLAIN QUERY PLAN ${query}`);
  return rows.map((r) => r.detail).join("\n");
}

/** A filtered list page as list-page.ts builds it (a selective filter orders by +id: the seek drives). */
const filtered = (type: "User" | "Group", filter: string) => {
  const alias = type === "User" ? "u" : "g";
  const { predicate, selective } = compileListFilter(parseFilter(filter), type, { table: alias });
  return sql`SELECT ${sql.raw(alias)}.id FROM ${sql.raw(type === "User" ? "users u" : "groups g")}
    WHERE ${sql.raw(alias)}.tenant_id = ${T} AND (${predicate}) ORDER BY ${sql.raw(selective ? `+${alias}.id` : `${alias}.id`)} LIMIT 100`;
};

/** index → [what uses it, the query]. */
const USES: Record<string, [string, () => SQL | string][]> = {
  sqlite_autoindex_users_1: [
    ["a list page (id order, keyset)", () => `SELECT id FROM users WHERE tenant_id = '${T}' AND id > 'x' ORDER BY id LIMIT 100`],
    ["GET /Users/{id}", () => `SELECT doc FROM users WHERE tenant_id = '${T}' AND id = 'x'`],
  ],
  users_user_name_uq: [
    ["userName eq (Entra's lookup)", () => filtered("User", 'userName eq "a@b.c"')],
    ["userName sw (a range)", () => filtered("User", 'userName sw "ab"')],
  ],
  users_external_id_idx: [["externalId eq", () => filtered("User", 'externalId eq "x"')]],
  users_display_name_idx: [["displayName eq / sw", () => filtered("User", 'displayName sw "Ba"')]],
  users_updated_idx: [
    ["the list stamp's newest update", () => stampStatement(db, T, "User").getQuery().sql.replace(/\?/g, `'${T}'`).replace(`'${T}') AS touched`, `'${T}') AS touched`)],
    ["meta.lastModified gt (delta queries)", () => filtered("User", 'meta.lastModified gt "2026-01-01T00:00:00Z"')],
  ],
  sqlite_autoindex_groups_1: [["GET /Groups/{id}", () => `SELECT doc FROM groups WHERE tenant_id = '${T}' AND id = 'x'`]],
  groups_display_name_uq: [["displayName eq (Entra's group lookup)", () => filtered("Group", 'displayName eq "Sales"')]],
  groups_external_id_idx: [["externalId eq", () => filtered("Group", 'externalId eq "x"')]],
  groups_updated_idx: [["meta.lastModified gt on groups", () => filtered("Group", 'meta.lastModified gt "2026-01-01T00:00:00Z"')]],
  sqlite_autoindex_group_members_1: [
    ["a group's members (GET /Groups/{id})", () => `SELECT member_id FROM group_members WHERE tenant_id = '${T}' AND group_id = 'g' ORDER BY member_id LIMIT 100`],
    ["members[value eq] filter", () => filtered("Group", 'members[value eq "u1"]')],
  ],
  group_members_member_idx: [
    ["a user's groups (GET /Users/{id})", () => `SELECT gm.group_id FROM group_members gm INDEXED BY group_members_member_idx
      CROSS JOIN groups g ON g.tenant_id = gm.tenant_id AND g.id = gm.group_id WHERE gm.tenant_id = '${T}' AND gm.member_id = 'u'`],
    ["a user delete's membership rows", () => `DELETE FROM group_members WHERE tenant_id = '${T}' AND member_id = 'u'`],
    ["groups.display eq filter", () => filtered("User", 'groups[display eq "Sales"]')],
  ],
  user_search_keys_user_uq: [["the substring index triggers", () => `SELECT key FROM user_search_keys WHERE tenant_id = '${T}' AND user_id = 'u'`]],
};

describe("every index on the directory tables has a query that uses it (EXPLAIN QUERY PLAN)", () => {
  for (const [index, uses] of Object.entries(USES)) {
    for (const [what, query] of uses) {
      it(`${index}: ${what}`, async () => {
        expect(await plan(query())).toMatch(new RegExp(`USING (COVERING )?INDEX ${index}\\b`));
      });
    }
  }

  it("resource_counts is read by its primary key (the unfiltered count, the stamp)", async () => {
    const text = stampStatement(db, T, "User").getQuery().sql;
    const inlined = text.split("?").reduce((out, part, i) => (i === 0 ? part : `${out}'${i === 3 ? "User" : T}'${part}`), "");
    expect(await plan(inlined)).toMatch(/SEARCH c USING PRIMARY KEY \(tenant_id=\? AND resource_type=\?\)/);
  });

  it("the tables have no index without a use above", async () => {
    const { results } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('users', 'groups', 'group_members', 'user_search_keys', 'resource_counts')",
    ).all<{ name: string }>();
    expect(results.map((r) => r.name).sort()).toEqual(Object.keys(USES).sort());
  });
});
