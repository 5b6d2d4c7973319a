// Tenant-scoped groups and their membership rows. Member writes go through json_each(?) with a
// CROSS JOIN (plan-robust), so their cost follows the delta, not the group size.
import { and, eq, sql } from "drizzle-orm";
import type { GroupStore, MemberRef, MembershipDelta, StoredResource } from "../store";
import { abortUnlessChanged, guarded, type Db } from "../../platform/d1/db";
import { allSql, runSql } from "../../platform/d1/raw-sql";
import type { SchemaRegistry } from "../schema/registry";
import { listPage } from "./list-page";
import { compatCounterUpserts, outboxRow } from "./outbox";
import { groups } from "../../platform/schema/tables";
import type { TokenGate } from "../../access/port";
import { newResourceRow, toStoredResource } from "./resource-row";

type MemberKindRow = { id: string; kind: "User" | "Group" };
type MemberRow = { group_id: string; member_id: string; member_type: "User" | "Group"; display: string | null };

function indexedColumns(doc: Record<string, unknown>) {
  const displayName = String(doc["displayName"] ?? "");
  return {
    displayName,
    displayNameLc: displayName.toLowerCase(),
    externalId: typeof doc["externalId"] === "string" ? doc["externalId"] : null,
  };
}

const toMemberRef = (r: MemberRow): MemberRef => ({
  value: r.member_id,
  type: r.member_type,
  ...(r.display ? { display: r.display } : {}),
});

/** Every read and write goes through the request's token gate (one round trip each, check included). */
export function createGroupStore(db: Db, tenantId: string, gate: TokenGate, schemas: SchemaRegistry): GroupStore {
  const byId = (id: string) => and(eq(groups.tenantId, tenantId), eq(groups.id, id));

  /** Rows of a membership delta; every statement is followed by a version bump if it changed rows. */
  function deltaStatements(groupId: string, delta: MembershipDelta, now: string) {
    const bump = runSql(db, sql`UPDATE groups SET version = version + 1, updated_at = ${now}
      WHERE changes() > 0 AND tenant_id = ${tenantId} AND id = ${groupId}`);
    const insert = (members: { value: string; type: string }[]) =>
      runSql(db, sql`INSERT OR IGNORE INTO group_members (tenant_id, group_id, member_id, member_type, added_at)
        SELECT ${tenantId}, ${groupId}, json_extract(j.value, '$.value'), json_extract(j.value, '$.type'), ${now}
        FROM json_each(${JSON.stringify(members)}) j`);
    const removeAll = runSql(db, sql`DELETE FROM group_members WHERE tenant_id = ${tenantId} AND group_id = ${groupId}`);
    switch (delta.kind) {
      case "add":
        return [insert(delta.members), bump];
      case "remove":
        return [
          runSql(db, sql`DELETE FROM group_members WHERE tenant_id = ${tenantId} AND group_id = ${groupId}
            AND member_id IN (SELECT value FROM json_each(${JSON.stringify(delta.ids)}))`),
          bump,
        ];
      case "removeAll":
        return [removeAll, bump];
      case "replaceAll":
        // Remove only those not in the new list, then add the missing: a PUT that repeats the
        // current members changes no row, so the version stays (no-op detection).
        return [
          runSql(db, sql`DELETE FROM group_members WHERE tenant_id = ${tenantId} AND group_id = ${groupId}
            AND member_id NOT IN (SELECT json_extract(value, '$.value') FROM json_each(${JSON.stringify(delta.members)}))`),
          bump,
          insert(delta.members),
          bump,
        ];
    }
  }

  const kindsOf = (rows: MemberKindRow[]) => new Map(rows.map((r) => [r.id, r.kind] as const));
  const resolveStatement = (ids: string[]) =>
    allSql<MemberKindRow>(db, sql`
      SELECT j.value AS id, CASE WHEN u.id IS NOT NULL THEN 'User' ELSE 'Group' END AS kind
      FROM json_each(${JSON.stringify(ids)}) j
      LEFT JOIN users u ON u.tenant_id = ${tenantId} AND u.id = j.value
      LEFT JOIN groups g ON g.tenant_id = ${tenantId} AND g.id = j.value
      WHERE u.id IS NOT NULL OR g.id IS NOT NULL`);

  async function membersOf(groupIds: string[], limitPerGroup: number) {
    const out = new Map<string, MemberRef[]>();
    if (groupIds.length === 0) return out;
    const { rows } = await gate.read({
      rows: allSql<MemberRow>(db, sql`
      SELECT gm.group_id, gm.member_id, gm.member_type,
        COALESCE(u.doc ->> '$.displayName', u.user_name, g2.display_name) AS display
      FROM json_each(${JSON.stringify(groupIds)}) j
      CROSS JOIN group_members gm ON gm.tenant_id = ${tenantId} AND gm.group_id = j.value
      LEFT JOIN users u ON u.tenant_id = gm.tenant_id AND u.id = gm.member_id
      LEFT JOIN groups g2 ON g2.tenant_id = gm.tenant_id AND g2.id = gm.member_id
      WHERE (SELECT count(*) FROM group_members x WHERE x.tenant_id = gm.tenant_id AND x.group_id = gm.group_id
             AND x.member_id < gm.member_id) < ${limitPerGroup}
      ORDER BY gm.group_id, gm.member_id`),
    });
    for (const r of rows) {
      const list = out.get(r.group_id) ?? [];
      list.push(toMemberRef(r));
      out.set(r.group_id, list);
    }
    return out;
  }

  return {
    async get(id) {
      const { rows } = await gate.read({ rows: db.select().from(groups).where(byId(id)).limit(1) });
      const row = rows[0];
      return row && toStoredResource(row);
    },

    async getForWrite(id, memberIds) {
      const wanted = [...new Set(memberIds)];
      const { rows, kinds } = await gate.read({
        rows: db.select().from(groups).where(byId(id)).limit(1),
        kinds: wanted.length ? resolveStatement(wanted) : undefined,
      });
      const row = rows[0];
      return row && { group: toStoredResource(row), kinds: kindsOf(kinds ?? []) };
    },

    list: (query) => listPage(db, gate, tenantId, "Group", query, schemas),

    async members(groupId, limit) {
      const { rows, total } = await gate.read({
        rows: allSql<MemberRow>(db, sql`
          SELECT gm.group_id, gm.member_id, gm.member_type,
            COALESCE(u.doc ->> '$.displayName', u.user_name, g2.display_name) AS display
          FROM group_members gm
          LEFT JOIN users u ON u.tenant_id = gm.tenant_id AND u.id = gm.member_id
          LEFT JOIN groups g2 ON g2.tenant_id = gm.tenant_id AND g2.id = gm.member_id
          WHERE gm.tenant_id = ${tenantId} AND gm.group_id = ${groupId}
          ORDER BY gm.member_id LIMIT ${limit}`),
        total: allSql<{ n: number }>(db, sql`SELECT count(*) AS n FROM group_members WHERE tenant_id = ${tenantId} AND group_id = ${groupId}`),
      });
      return { members: rows.map(toMemberRef), total: total[0]?.n ?? 0 };
    },

    membersOf,

    async resolveMemberIds(ids) {
      const out = new Map<string, "User" | "Group">();
      if (ids.length === 0) return out;
      const { rows } = await gate.read({ rows: resolveStatement(ids) });
      return kindsOf(rows);
    },

    async create(group, members, ctx) {
      const memberRows = members.map((m) => ({ value: m.value, type: m.type }));
      await gate.write({
        group: db.insert(groups).values(newResourceRow(tenantId, group, indexedColumns(group.doc))),
        members: runSql(db, sql`INSERT OR IGNORE INTO group_members (tenant_id, group_id, member_id, member_type, added_at)
          SELECT ${tenantId}, ${group.id}, json_extract(j.value, '$.value'), json_extract(j.value, '$.type'), ${ctx.now}
          FROM json_each(${JSON.stringify(memberRows)}) j`),
        outbox: outboxRow(db, tenantId, "Group", group.id, "upsert", ctx.now),
        counters: compatCounterUpserts(db, tenantId, ctx.rewrites, ctx.now),
      });
    },

    async update(group, deltas, expectedVersion, ctx) {
      const guard = expectedVersion === undefined ? byId(group.id) : and(byId(group.id), eq(groups.version, expectedVersion));
      // With a doc, the update doubles as the guard (abortUnlessChanged). Without one, the guard
      // only reads: a no-op UPDATE would still rewrite the row and every index on tenant_id,
      // rows D1 bills as written.
      const checks = group.doc
        ? [
            db
              .update(groups)
              .set({ ...indexedColumns(group.doc), doc: group.doc, version: sql`${groups.version} + 1`, updatedAt: ctx.now })
              .where(guard),
            abortUnlessChanged(db),
          ]
        : [runSql(db, sql`INSERT INTO batch_guards (ok) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM ${groups} WHERE ${guard})`)];
      const touched = deltas.flatMap((d) =>
        d.kind === "add" || d.kind === "replaceAll" ? d.members.map((m) => m.value) : d.kind === "remove" ? d.ids : [],
      );
      const wholeList = deltas.some((d) => d.kind === "removeAll" || d.kind === "replaceAll");
      const parts = {
        checks,
        deltas: deltas.flatMap((d) => deltaStatements(group.id, d, ctx.now)),
        upserted: group.doc ? outboxRow(db, tenantId, "Group", group.id, "upsert", ctx.now) : undefined,
        membersChanged: deltas.length
          ? outboxRow(db, tenantId, "Group", group.id, "members", ctx.now, { ids: touched.slice(0, 1000), all: wholeList || touched.length > 1000 })
          : undefined,
        counters: compatCounterUpserts(db, tenantId, ctx.rewrites, ctx.now),
        stamp: db.select({ version: groups.version, updatedAt: groups.updatedAt }).from(groups).where(byId(group.id)),
      };
      let stamp: { version: number; updatedAt: string }[] | undefined;
      const ok = await guarded(async () => {
        ({ stamp } = await gate.write(parts));
      });
      if (!ok || !stamp) return undefined;
      return stamp[0];
    },

    async remove(id, expectedVersion, ctx) {
      const guard = expectedVersion === undefined ? byId(id) : and(byId(id), eq(groups.version, expectedVersion));
      return guarded(() =>
        gate.write({
          deleted: db.delete(groups).where(guard),
          found: abortUnlessChanged(db),
          // Memberships *of* this group in other groups go now (few rows). Its own member rows go
          // in bounded chunks: the first 1,000 here, the rest by the scheduled purge, because a
          // 100k-member group cannot be deleted in one statement.
          membershipsOf: runSql(db, sql`DELETE FROM group_members WHERE tenant_id = ${tenantId} AND member_id = ${id}`),
          firstMembers: runSql(db, sql`DELETE FROM group_members WHERE rowid IN (
              SELECT rowid FROM group_members WHERE tenant_id = ${tenantId} AND group_id = ${id} LIMIT 1000)`),
          outbox: outboxRow(db, tenantId, "Group", id, "delete", ctx.now),
          counters: compatCounterUpserts(db, tenantId, ctx.rewrites, ctx.now),
        }),
      );
    },
  };
}
