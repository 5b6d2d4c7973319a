// Tenant-scoped user rows: reads, list pages, and write plans that go into one D1 batch with the
// outbox row and compat counters. Optimistic concurrency via the version column.
import { and, eq, sql } from "drizzle-orm";
import type { GroupRef, ListPage, ListQuery, StoredResource, UserStore } from "../scim/store";
import { abortUnlessChanged, guarded, type Db } from "./db";
import { allSql, runSql } from "./raw-sql";
import { hubUserNameGuard } from "./sync-mirror";
import type { SchemaRegistry } from "../scim/schema/registry";
import { listPage } from "./list-page";
import { groupRefs, type GroupRow } from "./user-groups";
import { compatCounterUpserts, outboxRow } from "./outbox";
import { groupMembers, groups, users } from "./tables";
import type { TokenGate } from "./token-gate";

type UserRow = typeof users.$inferSelect;

export const toStoredUser = (r: Pick<UserRow, "id" | "version" | "createdAt" | "updatedAt" | "doc">): StoredResource => ({
  id: r.id,
  version: r.version,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
  doc: r.doc,
});

/** Columns duplicated from the document for indexing and filtering. */
function indexedColumns(doc: Record<string, unknown>) {
  const userName = String(doc["userName"] ?? "");
  const displayName = typeof doc["displayName"] === "string" ? doc["displayName"] : null;
  const externalId = typeof doc["externalId"] === "string" ? doc["externalId"] : null;
  return {
    userName,
    userNameLc: userName.toLowerCase(),
    displayNameLc: displayName?.toLowerCase() ?? null,
    externalId,
    active: doc["active"] !== false,
  };
}

/** Every read and write goes through the request's token gate (one round trip each, check included). */
export function createUserStore(db: Db, tenantId: string, gate: TokenGate, schemas: SchemaRegistry): UserStore {
  const byId = (id: string) => and(eq(users.tenantId, tenantId), eq(users.id, id));

  return {
    async get(id) {
      const [rows] = (await gate.read([db.select().from(users).where(byId(id)).limit(1)])) as [UserRow[]];
      const row = rows[0];
      return row && toStoredUser(row);
    },

    async getWithGroups(id) {
      const [rows, groupRows] = (await gate.read([
        db.select().from(users).where(byId(id)).limit(1),
        allSql<GroupRow>(db, sql`
          SELECT gm.member_id, gm.group_id, g.display_name FROM group_members gm
          CROSS JOIN ${groups} g ON g.tenant_id = gm.tenant_id AND g.id = gm.group_id
          WHERE gm.tenant_id = ${tenantId} AND gm.member_id = ${id} ORDER BY g.display_name_lc`),
      ])) as [UserRow[], GroupRow[]];
      const row = rows[0];
      return row && { user: toStoredUser(row), groups: groupRefs(groupRows).get(id) ?? [] };
    },

    list(query: ListQuery): Promise<ListPage> {
      return listPage(db, gate, tenantId, "User", query, schemas);
    },

    async groupsOf(userIds) {
      if (userIds.length === 0) return new Map<string, GroupRef[]>();
      const [rows] = (await gate.read([allSql<GroupRow>(db, sql`
        SELECT gm.member_id, gm.group_id, g.display_name
        FROM json_each(${JSON.stringify(userIds)}) j
        CROSS JOIN ${groupMembers} gm ON gm.tenant_id = ${tenantId} AND gm.member_id = j.value
        CROSS JOIN ${groups} g ON g.tenant_id = gm.tenant_id AND g.id = gm.group_id
        ORDER BY g.display_name_lc`)])) as [GroupRow[]];
      return groupRefs(rows);
    },

    async create(user, ctx) {
      await gate.write([
        // A userName a hub-owned Device Hub user holds is taken too (local mirror; no hub call).
        hubUserNameGuard(db, tenantId, indexedColumns(user.doc).userNameLc),
        db.insert(users).values({
          tenantId,
          id: user.id,
          ...indexedColumns(user.doc),
          version: user.version,
          createdAt: user.createdAt,
          updatedAt: user.updatedAt,
          doc: user.doc,
        }),
        outboxRow(db, tenantId, "User", user.id, "upsert", ctx.now),
        ...compatCounterUpserts(db, tenantId, ctx.rewrites, ctx.now),
      ]);
    },

    async update(user, expectedVersion, ctx) {
      return guarded(() =>
        gate.write([
          db
            .update(users)
            .set({ ...indexedColumns(user.doc), version: user.version, updatedAt: user.updatedAt, doc: user.doc })
            .where(and(byId(user.id), eq(users.version, expectedVersion))),
          abortUnlessChanged(db),
          hubUserNameGuard(db, tenantId, indexedColumns(user.doc).userNameLc),
          outboxRow(db, tenantId, "User", user.id, "upsert", ctx.now),
          ...compatCounterUpserts(db, tenantId, ctx.rewrites, ctx.now),
        ]),
      );
    },

    async remove(id, expectedVersion, ctx) {
      const guard = expectedVersion === undefined ? byId(id) : and(byId(id), eq(users.version, expectedVersion));
      return guarded(() =>
        gate.write([
          db.delete(users).where(guard),
          abortUnlessChanged(db),
          // Membership rows go with the user (RFC 7644 §3.6); the groups' versions change with them.
          runSql(db, sql`UPDATE groups SET version = version + 1, updated_at = ${ctx.now}
            WHERE tenant_id = ${tenantId}
              AND id IN (SELECT group_id FROM group_members WHERE tenant_id = ${tenantId} AND member_id = ${id})`),
          runSql(db, sql`DELETE FROM group_members WHERE tenant_id = ${tenantId} AND member_id = ${id}`),
          outboxRow(db, tenantId, "User", id, "delete", ctx.now),
          ...compatCounterUpserts(db, tenantId, ctx.rewrites, ctx.now),
        ]),
      );
    },
  };
}
