// Group operations over the store port. Membership is written as row deltas (never by rewriting
// the whole member list), so adding or removing one member costs the same in any group size.
import { deepEqual } from "../../platform/deep-equal";
import { newId } from "../../platform/ids";
import { invalidValue, preconditionFailed } from "../errors";
import { checkExtensionUniqueness } from "../extension-uniqueness";
import { applyPatch, type MemberChange } from "../patch/apply";
import { parsePatchRequest, type PatchOperation } from "../patch/operations";
import { normalizeResource } from "../schema/validate";
import type { MemberRef, MembershipDelta, Store, StoredResource } from "../store";
import { checkIfMatch, requireFound, WRITE_ATTEMPTS, type ServiceContext } from "../service-context";

const writeCtx = (ctx: ServiceContext) => ({ now: ctx.now, rewrites: ctx.rewrites });

type MemberInput = { value: string; type?: "User" | "Group" };

/** What the write's first read already learnt about member ids (getForWrite). */
type KnownKinds = { asked: Set<string>; kinds: Map<string, "User" | "Group"> };

/**
 * Check that members exist in this tenant and learn their type (RFC 7643 §4.2 members.type).
 * Ids the write's first read already resolved are not asked again.
 */
async function resolveMembers(store: Store, groupId: string, members: MemberInput[], prior?: KnownKinds): Promise<MemberRef[]> {
  const ids = [...new Set(members.map((m) => m.value))];
  const unasked = prior ? ids.filter((id) => !prior.asked.has(id)) : ids;
  const known = new Map(prior?.kinds);
  if (unasked.length) for (const [id, kind] of await store.groups.resolveMemberIds(unasked)) known.set(id, kind);
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) {
    const shown = missing.slice(0, 5).join(", ");
    throw invalidValue(`members: no User or Group with id ${shown}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ""}`);
  }
  if (known.get(groupId) === "Group" && ids.includes(groupId)) throw invalidValue("members: a group cannot be a member of itself");
  return ids.map((id) => ({ value: id, type: known.get(id)! }));
}

async function toDeltas(store: Store, groupId: string, changes: MemberChange[], prior: KnownKinds): Promise<MembershipDelta[]> {
  const deltas: MembershipDelta[] = [];
  for (const change of changes) {
    switch (change.kind) {
      case "add":
        if (change.members.length) deltas.push({ kind: "add", members: await resolveMembers(store, groupId, change.members, prior) });
        break;
      case "replaceAll":
        deltas.push({ kind: "replaceAll", members: await resolveMembers(store, groupId, change.members, prior) });
        break;
      case "remove":
        if (change.ids.length) deltas.push({ kind: "remove", ids: change.ids });
        break;
      case "removeAll":
        deltas.push({ kind: "removeAll" });
        break;
    }
  }
  return deltas;
}

export async function createGroup(store: Store, body: unknown, ctx: ServiceContext): Promise<{ group: StoredResource; members: MemberRef[] }> {
  const { doc, members = [], rewrites } = normalizeResource(body, "Group", { mode: "create" }, store.schemas);
  ctx.rewrites.push(...rewrites);
  const id = newId();
  const resolved = await resolveMembers(store, id, members);
  const group: StoredResource = { id, version: 1, createdAt: ctx.now, updatedAt: ctx.now, doc };
  await checkExtensionUniqueness(store, "Group", id, doc);
  await store.groups.create(group, resolved, writeCtx(ctx));
  return { group, members: resolved };
}

export async function getGroup(store: Store, id: string): Promise<StoredResource> {
  return requireFound(await store.groups.get(id), "Group", id);
}

/**
 * Apply a doc change and/or membership deltas. Membership-only changes need no version guard
 * (rows converge under concurrency); doc changes are guarded and retried.
 */
async function writeGroup(
  store: Store,
  id: string,
  ctx: ServiceContext,
  next: (current: StoredResource, prior: KnownKinds) => Promise<{ doc: Record<string, unknown>; docChanged: boolean; deltas: MembershipDelta[] }>,
  memberIds: string[] = [],
): Promise<StoredResource> {
  for (let attempt = 1; ; attempt++) {
    // The group and the members the write names, in one round trip; the write is the second.
    const found = await store.groups.getForWrite(id, memberIds);
    const current = requireFound(found?.group, "Group", id);
    checkIfMatch(ctx, current);
    const { doc, docChanged, deltas } = await next(current, { asked: new Set(memberIds), kinds: found!.kinds });
    if (!docChanged && deltas.length === 0) return current;
    if (docChanged) await checkExtensionUniqueness(store, "Group", id, doc);
    const guardVersion = ctx.ifMatch !== undefined || docChanged ? current.version : undefined;
    const written = await store.groups.update({ id, ...(docChanged ? { doc } : {}) }, deltas, guardVersion, writeCtx(ctx));
    if (written) return { ...current, doc, version: written.version, updatedAt: written.updatedAt };
    if (ctx.ifMatch !== undefined || attempt >= WRITE_ATTEMPTS) throw preconditionFailed("the group was modified concurrently; retry");
    await getGroup(store, id); // deleted meanwhile → 404
  }
}

export function replaceGroup(store: Store, id: string, body: unknown, ctx: ServiceContext): Promise<StoredResource> {
  const { doc, members = [], rewrites } = normalizeResource(body, "Group", { mode: "replace" }, store.schemas);
  ctx.rewrites.push(...rewrites);
  return writeGroup(
    store,
    id,
    ctx,
    async (current, prior) => ({
      doc,
      docChanged: !deepEqual(doc, current.doc),
      deltas: [{ kind: "replaceAll", members: await resolveMembers(store, id, members, prior) }],
    }),
    members.map((m) => m.value),
  );
}

export function patchGroup(store: Store, id: string, body: unknown, ctx: ServiceContext): Promise<StoredResource> {
  const request = parsePatchRequest(body);
  ctx.rewrites.push(...request.rewrites);
  let recorded = false;
  return writeGroup(store, id, ctx, async (current, prior) => {
    const result = applyPatch(current.doc, request.operations, "Group", store.schemas);
    if (!recorded) ctx.rewrites.push(...result.rewrites);
    recorded = true;
    return { doc: result.resource, docChanged: result.changed && !deepEqual(result.resource, current.doc), deltas: await toDeltas(store, id, result.memberChanges, prior) };
  }, namedMemberIds(request.operations));
}

/**
 * The member ids a PATCH adds or replaces, read off its operations before they are applied, so
 * they can be resolved together with the group. A guess only: whatever it misses is resolved later.
 */
function namedMemberIds(operations: PatchOperation[]): string[] {
  const ids: string[] = [];
  const collect = (v: unknown) => {
    for (const m of Array.isArray(v) ? v : [v]) {
      const value = m && typeof m === "object" ? (m as Record<string, unknown>)["value"] : undefined;
      if (typeof value === "string") ids.push(value);
    }
  };
  for (const op of operations) {
    if (op.op === "remove") continue;
    if (op.path !== undefined && /^\s*members\b/i.test(op.path)) collect(op.value);
    else if (op.path === undefined && op.value && typeof op.value === "object") {
      for (const [k, v] of Object.entries(op.value as Record<string, unknown>)) if (k.toLowerCase() === "members") collect(v);
    }
  }
  return ids.slice(0, 1000);
}

export async function deleteGroup(store: Store, id: string, ctx: ServiceContext): Promise<void> {
  const current = await getGroup(store, id);
  checkIfMatch(ctx, current);
  if (!(await store.groups.remove(id, ctx.ifMatch !== undefined ? current.version : undefined, writeCtx(ctx)))) {
    if (ctx.ifMatch !== undefined) throw preconditionFailed();
    await getGroup(store, id);
  }
}
