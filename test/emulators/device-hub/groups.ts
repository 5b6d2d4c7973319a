// Device Hub emulator: group endpoints (list/lookup by externalRef, get, create, rename, delete).
// Create is idempotent by externalRef (our SCIM group id); names need not be unique.
import { z } from "zod";
import { groupToWire, newHubId, nowIso, readPage, toPage, type GroupRow } from "./db";
import { HubHttpError, json, noContent, notFound, readBody } from "./http";
import { handleMembers } from "./members";

const CreateGroupBody = z.strictObject({
  externalRef: z.string().min(1).max(256).nullable().optional(),
  name: z.string().min(1).max(256),
  description: z.string().max(1024).nullable().optional(),
});
const UpdateGroupBody = z.strictObject({
  externalRef: z.string().min(1).max(256).nullable().optional(),
  name: z.string().min(1).max(256).optional(),
  description: z.string().max(1024).nullable().optional(),
});

export const findGroup = (sql: SqlStorage, id: string): GroupRow | undefined =>
  sql.exec<GroupRow>("SELECT * FROM groups WHERE id = ?", id).toArray()[0];

const findByRef = (sql: SqlStorage, ref: string): GroupRow | undefined =>
  sql.exec<GroupRow>("SELECT * FROM groups WHERE external_ref = ?", ref).toArray()[0];

export function requireGroup(sql: SqlStorage, id: string): GroupRow {
  const row = findGroup(sql, id);
  if (!row) throw notFound(`group ${id}`);
  return row;
}

const memberCount = (sql: SqlStorage, id: string): number =>
  sql.exec<{ n: number }>("SELECT count(*) AS n FROM members WHERE group_id = ?", id).one().n;

const wire = (sql: SqlStorage, row: GroupRow) => groupToWire(row, memberCount(sql, row.id));

function createGroup(sql: SqlStorage, input: z.infer<typeof CreateGroupBody>): Response {
  if (input.externalRef) {
    const existing = findByRef(sql, input.externalRef);
    if (existing) return json(wire(sql, existing), 200);
  }
  const id = newHubId("grp");
  const now = nowIso();
  sql.exec(
    "INSERT INTO groups (id, external_ref, name, description, version, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)",
    id, input.externalRef ?? null, input.name, input.description ?? null, now, now,
  );
  return json(wire(sql, requireGroup(sql, id)), 201);
}

function updateGroup(sql: SqlStorage, id: string, input: z.infer<typeof UpdateGroupBody>): GroupRow {
  const row = requireGroup(sql, id);
  const sets: string[] = [];
  const values: SqlStorageValue[] = [];
  if (input.externalRef !== undefined && input.externalRef !== row.external_ref) {
    const holder = input.externalRef === null ? undefined : findByRef(sql, input.externalRef);
    if (holder) throw new HubHttpError(409, "external_ref_taken", "externalRef belongs to another hub group", { groupId: holder.id });
    sets.push("external_ref = ?");
    values.push(input.externalRef);
  }
  if (input.name !== undefined && input.name !== row.name) {
    sets.push("name = ?");
    values.push(input.name);
  }
  if (input.description !== undefined && input.description !== row.description) {
    sets.push("description = ?");
    values.push(input.description);
  }
  if (sets.length === 0) return row;
  sql.exec(`UPDATE groups SET ${sets.join(", ")}, version = version + 1, updated_at = ? WHERE id = ?`, ...values, nowIso(), id);
  return requireGroup(sql, id);
}

function listGroups(sql: SqlStorage, url: URL): Response {
  const ref = url.searchParams.get("externalRef");
  if (ref !== null) {
    const hit = findByRef(sql, ref);
    return json({ items: hit ? [wire(sql, hit)] : [], nextCursor: null });
  }
  const page = readPage(url, sql);
  const rows = sql.exec<GroupRow>("SELECT * FROM groups WHERE seq > ? ORDER BY seq LIMIT ?", page.after, page.limit + 1).toArray();
  return json(toPage(rows, page.limit, (r) => wire(sql, r)));
}

/** Routes under /v1/groups; `rest` is the path after /v1/groups. */
export async function handleGroups(sql: SqlStorage, req: Request, url: URL, rest: string[]): Promise<Response | undefined> {
  const [id, sub, ...more] = rest;
  if (id === undefined) {
    if (req.method === "GET") return listGroups(sql, url);
    if (req.method === "POST") return createGroup(sql, await readBody(req, CreateGroupBody));
    return undefined;
  }
  if (sub === "members") return handleMembers(sql, req, url, requireGroup(sql, id), more);
  if (sub !== undefined) return undefined;
  switch (req.method) {
    case "GET":
      return json(wire(sql, requireGroup(sql, id)));
    case "PATCH":
      return json(wire(sql, updateGroup(sql, id, await readBody(req, UpdateGroupBody))));
    case "DELETE":
      requireGroup(sql, id);
      sql.exec("DELETE FROM members WHERE group_id = ?", id);
      sql.exec("DELETE FROM groups WHERE id = ?", id);
      return noContent();
    default:
      return undefined;
  }
}
