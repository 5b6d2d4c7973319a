// The rows behind a user's read-only `groups` attribute, grouped per user.
import { sql } from "drizzle-orm";
import { compareStrings } from "../filter/compare";
import type { GroupRef } from "../store";

export type GroupRow = { member_id: string; group_id: string; display_name: string };

/** Group rows (member → group) into each user's list of GroupRefs. */
export function groupRefs(rows: GroupRow[]): Map<string, GroupRef[]> {
  const out = new Map<string, GroupRef[]>();
  for (const r of rows) {
    const list = out.get(r.member_id) ?? [];
    list.push({ value: r.group_id, display: r.display_name });
    out.set(r.member_id, list);
  }
  return out;
}

/**
 * A user's groups as one JSON column of the user's own row (`u` in the statement). A read of one
 * user thus needs no second statement: each statement of a D1 batch costs on its own (a separate
 * groups statement made a 400k-user lookup about 0.2 ms slower in bench/scim.mjs). Memberships are
 * read INDEXED BY group_members_member_idx (see storage/users.ts).
 */
export const groupsJsonColumn = sql`(SELECT json_group_array(json_array(gm.group_id, gg.display_name, gg.display_name_lc))
  FROM group_members gm INDEXED BY group_members_member_idx
  CROSS JOIN groups gg ON gg.tenant_id = gm.tenant_id AND gg.id = gm.group_id
  WHERE gm.tenant_id = u.tenant_id AND gm.member_id = u.id) AS groups_json`;

/**
 * groupsJsonColumn's value back into GroupRefs, in the order every other read shows them (SQL
 * `ORDER BY display_name_lc`). Sorted here because an aggregate's own ORDER BY needs SQLite 3.44,
 * which no D1 release note promises.
 */
export function groupRefsOfJson(json: string | null | undefined): GroupRef[] {
  const rows = JSON.parse(json ?? "[]") as [string, string, string | null][];
  rows.sort((a, b) => compareStrings(a[2] ?? "", b[2] ?? ""));
  return rows.map(([value, display]) => ({ value, display }));
}
