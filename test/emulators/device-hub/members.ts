// Device Hub emulator: group membership (paged list, batch add/remove of 1..1000 user ids).
// Both batch calls are idempotent and answer per item, so a retry after a lost response is safe.
import { z } from "zod";
import { memberToWire, nowIso, readPage, toPage, type GroupRow, type MemberRow } from "./db";
import { HubHttpError, json, readBody } from "./http";

export const MAX_MEMBER_BATCH = 1000;

const MemberBatchBody = z.strictObject({ userIds: z.array(z.string().min(1).max(256)) });

type AddStatus = "added" | "alreadyMember" | "unknownUser";
type RemoveStatus = "removed" | "notMember" | "unknownUser";

const isMember = (sql: SqlStorage, groupId: string, userId: string): boolean =>
  sql.exec("SELECT 1 FROM members WHERE group_id = ? AND user_id = ?", groupId, userId).toArray().length > 0;

function addMembers(sql: SqlStorage, groupId: string, userIds: string[]) {
  const now = nowIso();
  return userIds.map((userId): { userId: string; status: AddStatus } => {
    const known = sql.exec("SELECT 1 FROM users WHERE id = ?", userId).toArray().length > 0;
    if (!known) return { userId, status: "unknownUser" };
    if (isMember(sql, groupId, userId)) return { userId, status: "alreadyMember" };
    sql.exec("INSERT INTO members (group_id, user_id, added_at) VALUES (?, ?, ?)", groupId, userId, now);
    return { userId, status: "added" };
  });
}

function removeMembers(sql: SqlStorage, groupId: string, userIds: string[]) {
  return userIds.map((userId): { userId: string; status: RemoveStatus } => {
    if (isMember(sql, groupId, userId)) {
      sql.exec("DELETE FROM members WHERE group_id = ? AND user_id = ?", groupId, userId);
      return { userId, status: "removed" };
    }
    const known = sql.exec("SELECT 1 FROM users WHERE id = ?", userId).toArray().length > 0;
    return { userId, status: known ? "notMember" : "unknownUser" };
  });
}

const countOf = (results: { status: string }[], status: string): number => results.filter((r) => r.status === status).length;

/** Routes under /v1/groups/{id}/members; `rest` is the path after /members. */
export async function handleMembers(sql: SqlStorage, req: Request, url: URL, group: GroupRow, rest: string[]): Promise<Response | undefined> {
  const [action, ...more] = rest;
  if (more.length > 0) return undefined;
  if (action === undefined && req.method === "GET") {
    const page = readPage(url, sql);
    const rows = sql
      .exec<MemberRow>("SELECT * FROM members WHERE group_id = ? AND seq > ? ORDER BY seq LIMIT ?", group.id, page.after, page.limit + 1)
      .toArray();
    return json(toPage(rows, page.limit, memberToWire));
  }
  if ((action !== "add" && action !== "remove") || req.method !== "POST") return undefined;
  const { userIds } = await readBody(req, MemberBatchBody);
  if (userIds.length === 0) throw new HubHttpError(400, "invalid_request", "userIds must not be empty");
  if (userIds.length > MAX_MEMBER_BATCH) throw new HubHttpError(400, "batch_too_large", `at most ${MAX_MEMBER_BATCH} userIds per call`);
  if (action === "add") {
    const results = addMembers(sql, group.id, userIds);
    return json({ added: countOf(results, "added"), unknown: countOf(results, "unknownUser"), results });
  }
  const results = removeMembers(sql, group.id, userIds);
  return json({ removed: countOf(results, "removed"), unknown: countOf(results, "unknownUser"), results });
}
