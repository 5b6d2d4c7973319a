// Tenant-scoped user rows: reads, list pages, and write plans that go into one D1 batch with the
// outbox row and compat counters. Optimistic concurrency via the version column. A user's
// memberships are read INDEXED BY group_members_member_idx: without statistics SQLite prefers the
// covering primary key's tenant prefix, which reads every membership of the tenant.
import { and, eq, sql } from "drizzle-orm";
import type { GroupRef, ListPage, ListQuery, StoredResource, UserStore } from "../store";
import { abortUnlessChanged, guarded, type Db } from "../../platform/d1/db";
import { allSql, runSql } from "../../platform/d1/raw-sql";
import { hubUserNameGuard, upsertHubUsersStatements } from "../../sync/port";
import { recordOwnershipStatement } from "../../sync/port";
import type { SchemaRegistry } from "../schema/registry";
import { listPage } from "./list-page";
import { groupRefs, groupRefsOfJson, type GroupRow } from "./user-groups";
import { compatCounterUpserts, outboxRow } from "./outbox";
import { groupMembers, groups, users } from "../../platform/schema/tables";
import type { TokenGate } from "../../access/port";
import { newResourceRow, rowByUniqueColumn, storedResourceOf, toStoredResource, type StoredResourceRow } from "./resource-row";

type UserRow = typeof users.$inferSelect;

export const toStoredUser = (r: Pick<UserRow, "id" | "version" | "createdAt" | "updatedAt" | "doc">): StoredResource => toStoredResource(r);

/** Columns duplicated from the document for indexing and filtering. */
export function indexedColumns(doc: Record<string, unknown>) {
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

/**
 * What the Device Hub says about a userName at create or rename: free; unknown (the mirror's
 * batch guard decides); or, under the "adopt" policy, a hub-owned user to link. A hub-held name
 * is refused by the check itself (409).
 */
export type HubNameVerdict = { kind: "free" } | { kind: "mirror" } | { kind: "adopt"; hubId: string; userNameLc: string };
/** `candidate`: the create being checked; a refused one is kept for a later adoption (hub_name_rejections). */
export type HubNameCheck = (userName: string, opts: { mayAdopt: boolean; candidate?: { id: string; doc: Record<string, unknown> } }) => Promise<HubNameVerdict>;

const mirrorOnly: HubNameCheck = async () => ({ kind: "mirror" });

/** Every read and write goes through the request's token gate (one round trip each, check included). */
export function createUserStore(db: Db, tenantId: string, gate: TokenGate, schemas: SchemaRegistry, checkHubName: HubNameCheck = mirrorOnly): UserStore {
  const byId = (id: string) => and(eq(users.tenantId, tenantId), eq(users.id, id));
  // A read by id names the five columns a StoredResource needs, in plain SQL: drizzle's select
  // builder rebuilt the statement and mapped all eleven columns on every GET /Users/{id}, about a
  // tenth of the request's CPU (docs/performance.md, lookups against /ServiceProviderConfig).
  const userById = (id: string, withGroups = false) =>
    allSql<StoredResourceRow & { groups_json?: string }>(db, rowByUniqueColumn("User", tenantId, "id", id, withGroups));

  /** Statements that enforce or act on the hub's answer, for the write batch. */
  const hubNameStatements = (verdict: HubNameVerdict, userNameLc: string, userId: string, now: string) => {
    if (verdict.kind === "free") return [];
    if (verdict.kind === "mirror") return [hubUserNameGuard(db, tenantId, userNameLc)];
    // Adopt: the hub user joins the ledger and the mirror as ours; the users phase sets its externalRef.
    return [
      recordOwnershipStatement(db, tenantId, "user", [{ scimId: userId, hubId: verdict.hubId }], "adopted", now),
      ...upsertHubUsersStatements(db, tenantId, [{ hubId: verdict.hubId, externalRef: userId, userNameLc: verdict.userNameLc, syncedVersion: 0, active: true }]),
    ];
  };

  // The groups getWithGroups read in this request, per user: what the answer to a user write shows
  // (a user write never changes them). Forgotten on any membership change made through this store.
  const groupsRead = new Map<string, GroupRef[]>();

  return {
    async get(id) {
      const { rows } = await gate.read({ rows: userById(id) });
      const row = rows[0];
      return row && storedResourceOf(row);
    },

    async getWithGroups(id) {
      const { rows } = await gate.read({ rows: userById(id, true) });
      const row = rows[0];
      if (!row) return undefined;
      const found = { user: storedResourceOf(row), groups: groupRefsOfJson(row.groups_json) };
      groupsRead.set(id, found.groups);
      return found;
    },

    list(query: ListQuery): Promise<ListPage> {
      return listPage(db, gate, tenantId, "User", query, schemas);
    },

    async groupsOf(userIds) {
      if (userIds.length === 0) return new Map<string, GroupRef[]>();
      if (userIds.every((u) => groupsRead.has(u))) {
        // Once: a later ask in the same request (a Bulk) reads afresh.
        const served = new Map(userIds.map((u) => [u, groupsRead.get(u)!]));
        for (const u of userIds) groupsRead.delete(u);
        return served;
      }
      const { rows } = await gate.read({
        rows: allSql<GroupRow>(db, sql`
        SELECT gm.member_id, gm.group_id, g.display_name
        FROM json_each(${JSON.stringify(userIds)}) j
        CROSS JOIN ${groupMembers} gm INDEXED BY group_members_member_idx ON gm.tenant_id = ${tenantId} AND gm.member_id = j.value
        CROSS JOIN ${groups} g ON g.tenant_id = gm.tenant_id AND g.id = gm.group_id
        ORDER BY g.display_name_lc`),
      });
      return groupRefs(rows);
    },

    async create(user, ctx) {
      const columns = indexedColumns(user.doc);
      // A userName a Device Hub user that is not ours holds is taken too (asked live, else the mirror).
      const verdict = await checkHubName(columns.userName, { mayAdopt: true, candidate: { id: user.id, doc: user.doc } });
      await gate.write({
        user: db.insert(users).values(newResourceRow(tenantId, user, columns)),
        hubName: hubNameStatements(verdict, columns.userNameLc, user.id, ctx.now),
        outbox: outboxRow(db, tenantId, "User", user.id, "upsert", ctx.now),
        counters: compatCounterUpserts(db, tenantId, ctx.rewrites, ctx.now),
      });
    },

    async update(user, expectedVersion, ctx, previous) {
      const columns = indexedColumns(user.doc);
      // Only a rename can run into a hub-held name: any other update (active=false after a stale
      // create) must go through, or Entra quarantines the job.
      const renamed = previous === undefined || String(previous.doc["userName"] ?? "").toLowerCase() !== columns.userNameLc;
      const verdict: HubNameVerdict = renamed ? await checkHubName(columns.userName, { mayAdopt: false }) : { kind: "free" };
      return guarded(() =>
        gate.write({
          updated: db
            .update(users)
            .set({ ...columns, version: user.version, updatedAt: user.updatedAt, doc: user.doc })
            .where(and(byId(user.id), eq(users.version, expectedVersion))),
          found: abortUnlessChanged(db),
          hubName: hubNameStatements(verdict, columns.userNameLc, user.id, ctx.now),
          outbox: outboxRow(db, tenantId, "User", user.id, "upsert", ctx.now),
          counters: compatCounterUpserts(db, tenantId, ctx.rewrites, ctx.now),
        }),
      );
    },

    async remove(id, expectedVersion, ctx) {
      groupsRead.clear();
      const guard = expectedVersion === undefined ? byId(id) : and(byId(id), eq(users.version, expectedVersion));
      return guarded(() =>
        gate.write({
          deleted: db.delete(users).where(guard),
          found: abortUnlessChanged(db),
          // Membership rows go with the user (RFC 7644 §3.6); the groups' versions change with them.
          groupVersions: runSql(db, sql`UPDATE groups SET version = version + 1, updated_at = ${ctx.now}
            WHERE tenant_id = ${tenantId}
              AND id IN (SELECT group_id FROM group_members INDEXED BY group_members_member_idx WHERE tenant_id = ${tenantId} AND member_id = ${id})`),
          memberships: runSql(db, sql`DELETE FROM group_members WHERE tenant_id = ${tenantId} AND member_id = ${id}`),
          outbox: outboxRow(db, tenantId, "User", id, "delete", ctx.now),
          counters: compatCounterUpserts(db, tenantId, ctx.rewrites, ctx.now),
        }),
      );
    },
  };
}
