// Listing Users and Groups as projected SCIM resources: shared by the resource routes, their
// .search endpoints and the root /.search. Related rows (a user's groups, a group's members) are
// read only when the projection returns them.
import { tooMany } from "../errors";
import { groupResource } from "../groups/representation";
import { isAttributeRequested, projectResource } from "../projection";
import type { ResourceTypeName } from "../schema/attribute";
import type { GroupRef, ListQuery, ScimDoc, Store, StoredResource } from "../store";
import { MAX_INLINE_MEMBERS } from "../urns";
import { userResource } from "../users/representation";
import type { Projection } from "./list-query";

export async function usersAsResources(
  store: Store,
  users: StoredResource[],
  projection: Projection,
  baseUrl: string,
  preloaded?: Map<string, GroupRef[]>,
) {
  const wanted = isAttributeRequested("User", projection, "groups", store.schemas);
  const groups = wanted ? (preloaded ?? (await store.users.groupsOf(users.map((u) => u.id)))) : undefined;
  return users.map((u) => userResource(u, groups ? (groups.get(u.id) ?? []) : undefined, baseUrl));
}

/** One group as a resource; members (capped) only when the projection returns them. */
export async function groupAsResource(store: Store, stored: StoredResource, projection: Projection, baseUrl: string) {
  if (!isAttributeRequested("Group", projection, "members", store.schemas)) return groupResource(stored, undefined, baseUrl);
  const { members, total } = await store.groups.members(stored.id, MAX_INLINE_MEMBERS + 1);
  if (total > MAX_INLINE_MEMBERS) {
    throw tooMany(
      `group ${stored.id} has ${total} members, more than the ${MAX_INLINE_MEMBERS} returned inline; ` +
        `request it with excludedAttributes=members and list its members with GET /Users?filter=groups.value eq "${stored.id}"`,
    );
  }
  return groupResource(stored, members, baseUrl);
}

export async function groupsAsResources(store: Store, groups: StoredResource[], projection: Projection, baseUrl: string) {
  const members = isAttributeRequested("Group", projection, "members", store.schemas)
    ? await store.groups.membersOf(groups.map((g) => g.id), MAX_INLINE_MEMBERS)
    : undefined;
  return groups.map((g) => groupResource(g, members ? (members.get(g.id) ?? []) : undefined, baseUrl));
}

/** A page of one resource type, projected. */
export async function listResources(
  store: Store,
  type: ResourceTypeName,
  query: ListQuery,
  projection: Projection,
  baseUrl: string,
): Promise<{ totalResults: number; resources: ScimDoc[]; hasMore: boolean; lastId: string | undefined }> {
  const withGroups = type === "User" && isAttributeRequested("User", projection, "groups", store.schemas);
  const page = type === "User" ? await store.users.list({ ...query, withGroups }) : await store.groups.list(query);
  const resources =
    type === "User"
      ? await usersAsResources(store, page.rows, projection, baseUrl, page.groups)
      : await groupsAsResources(store, page.rows, projection, baseUrl);
  return {
    totalResults: page.totalResults,
    resources: resources.map((r) => projectResource(r, type, projection, store.schemas)),
    hasMore: page.hasMore ?? false,
    lastId: page.after ?? page.rows.at(-1)?.id,
  };
}
