// The port between the SCIM domain and storage: interfaces the services call, implemented by
// src/scim/storage/store.ts. Protocol code never writes SQL; storage never sees a PatchOp.
import type { FilterNode } from "./filter/ast";
import type { Rewrite } from "./compat/entra";
import type { SchemaRegistry } from "./schema/registry";

export type ScimDoc = Record<string, unknown>;

export interface StoredResource {
  id: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  doc: ScimDoc;
}

export interface MemberRef {
  value: string;
  type: "User" | "Group";
  display?: string;
}

export interface GroupRef {
  value: string;
  display?: string;
}

export interface ListQuery {
  filter?: FilterNode;
  sortBy?: string;
  sortOrder: "ascending" | "descending";
  /** 1-based. */
  startIndex: number;
  count: number;
  /**
   * Cursor paging (RFC 9865): set to "" for the first page, or to the last id of the previous
   * page's `after`. Cursor pages are ordered by id (keyset), so concurrent inserts never shift
   * them; a user list filtered through the substring index is ordered by that index's key instead.
   */
  afterId?: string;
  /** Users only: also read each listed user's groups, in the same D1 round trip. */
  withGroups?: boolean;
}

export interface ListPage {
  totalResults: number;
  rows: StoredResource[];
  /** Cursor paging: whether rows exist after the last one returned. */
  hasMore?: boolean;
  /**
   * Where the next page continues (a cursor's afterId): the last row's id, or its substring-index
   * key when the list is in that index's order (storage/trigram-walk.ts).
   */
  after?: string;
  /** With ListQuery.withGroups: the groups of each listed user (absent: read them separately). */
  groups?: Map<string, GroupRef[]>;
}

/** What a write tells the sync outbox and the compat counters (one batch with the write). */
export interface WriteContext {
  now: string;
  rewrites: Rewrite[];
}

export type MembershipDelta =
  | { kind: "add"; members: { value: string; type: "User" | "Group" }[] }
  | { kind: "remove"; ids: string[] }
  | { kind: "removeAll" }
  | { kind: "replaceAll"; members: { value: string; type: "User" | "Group" }[] };

export interface UserStore {
  get(id: string): Promise<StoredResource | undefined>;
  /** A user and its groups in one D1 round trip. */
  getWithGroups(id: string): Promise<{ user: StoredResource; groups: GroupRef[] } | undefined>;
  list(query: ListQuery): Promise<ListPage>;
  /** Groups each user is a direct member of (served without a read for users just read by getWithGroups). */
  groupsOf(userIds: string[]): Promise<Map<string, GroupRef[]>>;
  /** Throws ScimError 409 uniqueness on a duplicate userName. */
  create(user: StoredResource, ctx: WriteContext): Promise<void>;
  /**
   * Returns false when the stored version is no longer `expectedVersion` (or the user is gone).
   * `previous` (the version read) tells a rename from other updates.
   */
  update(user: StoredResource, expectedVersion: number, ctx: WriteContext, previous?: StoredResource): Promise<boolean>;
  /** Returns false when nothing was deleted (missing, or version mismatch when given). */
  remove(id: string, expectedVersion: number | undefined, ctx: WriteContext): Promise<boolean>;
}

export interface GroupStore {
  get(id: string): Promise<StoredResource | undefined>;
  /**
   * The group and, in the same round trip, which of `memberIds` (the members a write is about to
   * add) exist and as what: a group write then needs one read before its write batch.
   */
  getForWrite(id: string, memberIds: string[]): Promise<{ group: StoredResource; kinds: Map<string, "User" | "Group"> } | undefined>;
  list(query: ListQuery): Promise<ListPage>;
  /** Member rows of a group, at most `limit`, with display names. */
  members(groupId: string, limit: number): Promise<{ members: MemberRef[]; total: number }>;
  /** Members of several groups (list pages). */
  membersOf(groupIds: string[], limitPerGroup: number): Promise<Map<string, MemberRef[]>>;
  /** Which of `ids` exist in the tenant, and as what. */
  resolveMemberIds(ids: string[]): Promise<Map<string, "User" | "Group">>;
  create(group: StoredResource, members: MemberRef[], ctx: WriteContext): Promise<void>;
  /**
   * Write doc changes (when `doc` is given) and membership deltas in one batch, guarded by
   * `expectedVersion` when given. Returns the new version, or undefined when the guard failed.
   */
  update(
    group: { id: string; doc?: ScimDoc },
    deltas: MembershipDelta[],
    expectedVersion: number | undefined,
    ctx: WriteContext,
  ): Promise<{ version: number; updatedAt: string } | undefined>;
  remove(id: string, expectedVersion: number | undefined, ctx: WriteContext): Promise<boolean>;
}

export interface Store {
  tenantId: string;
  /** The tenant's schemas (core, built-in and declared extensions): what its documents are read against. */
  schemas: SchemaRegistry;
  users: UserStore;
  groups: GroupStore;
}
