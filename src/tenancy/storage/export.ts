// A tenant's directory for export, in keyset pages: users by id, then groups by id, then
// memberships by (group, member). At most three indexed reads per page, whatever the tenant size.
import { sql } from "drizzle-orm";
import { storedResourceOf, type StoredResource, type StoredResourceRow } from "../../scim/port";
import type { Db } from "../../platform/d1/db";
import { allSql } from "../../platform/d1/raw-sql";

export type ExportPhase = "users" | "groups" | "members";
export const EXPORT_PHASES: ExportPhase[] = ["users", "groups", "members"];

/** Where the next page starts: a phase and the last key read in it (none: its beginning). */
export interface ExportPosition {
  phase: ExportPhase;
  key: string[] | null;
}

export type ExportRow =
  | { kind: "user" | "group"; resource: StoredResource }
  | { kind: "membership"; groupId: string; memberId: string; memberType: string };

type MemberRow = { group_id: string; member_id: string; member_type: string };

async function readPhase(db: Db, tenantId: string, at: ExportPosition, limit: number): Promise<{ rows: ExportRow[]; keys: string[][] }> {
  if (at.phase === "members") {
    const [g, m] = at.key ?? ["", ""];
    const rows = await allSql<MemberRow>(db, sql`SELECT group_id, member_id, member_type FROM group_members
      WHERE tenant_id = ${tenantId} AND (group_id, member_id) > (${g}, ${m}) ORDER BY group_id, member_id LIMIT ${limit}`);
    return {
      rows: rows.map((r) => ({ kind: "membership", groupId: r.group_id, memberId: r.member_id, memberType: r.member_type })),
      keys: rows.map((r) => [r.group_id, r.member_id]),
    };
  }
  const table = sql.raw(at.phase === "users" ? "users" : "groups");
  const rows = await allSql<StoredResourceRow>(db, sql`SELECT id, version, created_at, updated_at, doc FROM ${table}
    WHERE tenant_id = ${tenantId} AND id > ${at.key?.[0] ?? ""} ORDER BY id LIMIT ${limit}`);
  const kind = at.phase === "users" ? "user" : "group";
  return { rows: rows.map((r) => ({ kind, resource: storedResourceOf(r) })), keys: rows.map((r) => [r.id]) };
}

/** Up to `limit` rows from `from` on, and where the next page starts (null: nothing left). */
export async function exportPage(
  db: Db,
  tenantId: string,
  from: ExportPosition,
  limit: number,
): Promise<{ rows: ExportRow[]; next: ExportPosition | null }> {
  const out: ExportRow[] = [];
  let at: ExportPosition = from;
  for (;;) {
    const want = limit - out.length;
    // One row more than fits tells whether this phase continues past the page.
    const { rows, keys } = await readPhase(db, tenantId, at, want + 1);
    if (rows.length > want) {
      out.push(...rows.slice(0, want));
      return { rows: out, next: want > 0 ? { phase: at.phase, key: keys[want - 1]! } : at };
    }
    out.push(...rows);
    const following = EXPORT_PHASES[EXPORT_PHASES.indexOf(at.phase) + 1];
    if (!following) return { rows: out, next: null };
    at = { phase: following, key: null };
    if (out.length === limit) return { rows: out, next: at };
  }
}
