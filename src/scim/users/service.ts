// User operations over the store port: create, replace, patch, delete. Pure orchestration — the
// rules live in schema/validate, patch/apply and compat; the SQL lives in storage.
import { deepEqual } from "../../platform/deep-equal";
import { defaultValueTypes } from "../compat/defaults";
import { checkExtensionUniqueness } from "../extension-uniqueness";
import { newId } from "../../platform/ids";
import { notFound, preconditionFailed } from "../errors";
import { applyPatch } from "../patch/apply";
import { parsePatchRequest } from "../patch/operations";
import { normalizeResource } from "../schema/validate";
import type { Store, StoredResource } from "../store";
import { refuseHubNamingViolations } from "./hub-naming-check";
import { checkIfMatch, requireFound, WRITE_ATTEMPTS, type ServiceContext } from "../service-context";

const writeCtx = (ctx: ServiceContext) => ({ now: ctx.now, rewrites: ctx.rewrites });

/**
 * A user without `active` is active (the usual SCIM reading). Storing it explicitly keeps the
 * document, the indexed `active` column and filters (`active eq true`) in agreement.
 */
function withDefaults(doc: Record<string, unknown>): Record<string, unknown> {
  return doc["active"] === undefined ? { ...doc, active: true } : doc;
}

export async function createUser(store: Store, body: unknown, ctx: ServiceContext): Promise<StoredResource> {
  const { doc: normalized, rewrites } = normalizeResource(body, "User", { mode: "create" }, store.schemas);
  ctx.rewrites.push(...rewrites);
  const doc = defaultValueTypes(normalized, ctx.rewrites);
  await refuseHubNamingViolations(ctx, doc);
  const user: StoredResource = { id: newId(), version: 1, createdAt: ctx.now, updatedAt: ctx.now, doc: withDefaults(doc) };
  await checkExtensionUniqueness(store, "User", user.id, user.doc);
  await store.users.create(user, writeCtx(ctx));
  return user;
}

export async function getUser(store: Store, id: string): Promise<StoredResource> {
  return requireFound(await store.users.get(id), "User", id);
}

export async function getUserWithGroups(store: Store, id: string) {
  const found = await store.users.getWithGroups(id);
  if (!found) throw notFound(`User ${id} not found`);
  return found;
}

/** Read-modify-write with the version guard; retried when a concurrent writer won (no If-Match). */
async function rewriteUser(
  store: Store,
  id: string,
  ctx: ServiceContext,
  next: (current: StoredResource) => { doc: Record<string, unknown>; changed: boolean },
): Promise<StoredResource> {
  for (let attempt = 1; ; attempt++) {
    // With its groups: the response shows them, and a user write never changes them, so the
    // write's answer needs no third round trip (groupsOf serves them from this read).
    const current = (await getUserWithGroups(store, id)).user;
    checkIfMatch(ctx, current);
    const proposal = next(current);
    const doc = withDefaults(proposal.doc);
    if (!proposal.changed || deepEqual(doc, current.doc)) return current;
    await refuseHubNamingViolations(ctx, doc, current.doc);
    await checkExtensionUniqueness(store, "User", id, doc);
    const updated: StoredResource = { ...current, doc, version: current.version + 1, updatedAt: ctx.now };
    if (await store.users.update(updated, current.version, writeCtx(ctx), current)) return updated;
    if (ctx.ifMatch !== undefined || attempt >= WRITE_ATTEMPTS) throw preconditionFailed("the user was modified concurrently; retry");
  }
}

export function replaceUser(store: Store, id: string, body: unknown, ctx: ServiceContext): Promise<StoredResource> {
  const { doc: normalized, rewrites } = normalizeResource(body, "User", { mode: "replace" }, store.schemas);
  ctx.rewrites.push(...rewrites);
  const doc = defaultValueTypes(normalized, ctx.rewrites);
  return rewriteUser(store, id, ctx, (current) => ({ doc, changed: !deepEqual(doc, current.doc) }));
}

export function patchUser(store: Store, id: string, body: unknown, ctx: ServiceContext): Promise<StoredResource> {
  const request = parsePatchRequest(body);
  ctx.rewrites.push(...request.rewrites);
  let applied = false;
  return rewriteUser(store, id, ctx, (current) => {
    // Typed first, so a filter such as emails[type eq "work"] finds a value stored before the
    // default existed; the patched result is typed again for the values the patch added.
    const result = applyPatch(defaultValueTypes(current.doc), request.operations, "User", store.schemas);
    const rewrites = applied ? undefined : [...result.rewrites];
    const doc = defaultValueTypes(result.resource, rewrites);
    // Rewrites are recorded once, even when a lost race re-applies the operations.
    if (rewrites) ctx.rewrites.push(...rewrites);
    applied = true;
    return { doc, changed: result.changed || doc !== result.resource };
  });
}

export async function deleteUser(store: Store, id: string, ctx: ServiceContext): Promise<void> {
  const current = await getUser(store, id);
  checkIfMatch(ctx, current);
  const expected = ctx.ifMatch !== undefined ? current.version : undefined;
  if (!(await store.users.remove(id, expected, writeCtx(ctx)))) {
    if (ctx.ifMatch !== undefined) throw preconditionFailed();
    await getUser(store, id); // gone meanwhile → 404
  }
}
