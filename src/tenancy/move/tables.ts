// What a tenant move copies: every table of src/tenancy/storage/tenant-purge.ts (a test checks the two
// lists agree), with the key the copy pages by and the journal names rows with. user_search_keys,
// the users_search index and resource_counts are not copied: the insert triggers on users and
// groups rebuild them on arrival (and the delete triggers keep them right through replay and purge).

/**
 * A table whose rows have a natural key (besides tenant_id): copied by key, journaled by key.
 * `renumbered`: a global AUTOINCREMENT column beside the key, left out of the copy so the
 * destination numbers the rows anew (its other tenants may hold the same numbers).
 */
export interface KeyedTable {
  kind: "keyed";
  name: string;
  key: string[];
  renumbered?: string;
}

/**
 * An append-only table with a global AUTOINCREMENT key: copied in key order without the key (the
 * destination numbers them anew; the same numbers may belong to its other tenants). Rows appended
 * during the move lie past the copy's cursor, so the cursor itself is their journal.
 */
export interface AppendedTable {
  kind: "appended";
  name: string;
  seq: string;
}

export type MovedTable = KeyedTable | AppendedTable;

const keyed = (name: string, ...key: string[]): KeyedTable => ({ kind: "keyed", name, key });
const keyedRenumbered = (name: string, renumbered: string, ...key: string[]): KeyedTable => ({ kind: "keyed", name, key, renumbered });
const appended = (name: string, seq: string): AppendedTable => ({ kind: "appended", name, seq });

/** In copy order: the credentials and settings first, then the directory, the sync, the logs. */
export const MOVED_TABLES: readonly MovedTable[] = [
  keyed("scim_clients", "client_id"),
  keyed("issued_tokens", "jti"),
  keyed("setup_links", "id"),
  keyed("portal_sessions", "id"),
  keyed("tenant_api_tokens", "id"),
  keyed("entra_token_trust"),
  keyed("tenant_rate_limits"),
  keyed("tenant_token_policy"),
  keyed("tenant_extensions", "urn_key"),
  keyed("hub_settings"),
  keyed("compat_counters", "rewrite"),
  keyed("users", "id"),
  keyed("groups", "id"),
  keyed("group_members", "group_id", "member_id"),
  keyed("sync_state"),
  keyedRenumbered("sync_work", "id", "kind", "resource_id", "member_id"),
  keyed("sync_purge", "kind", "group_id"),
  keyed("hub_users", "hub_id"),
  keyed("hub_groups", "group_id"),
  keyed("hub_members", "group_id", "member_id"),
  keyed("hub_owned", "kind", "scim_id"),
  keyed("hub_name_rejections", "user_name_lc"),
  appended("sync_outbox", "seq"),
  appended("sync_log", "id"),
  appended("audit_log", "seq"),
];

/** The column the destination numbers anew, if any: an appended table's key, a keyed table's `renumbered`. */
export const numberedAnew = (table: MovedTable): string | undefined => (table.kind === "appended" ? table.seq : table.renumbered);

export const KEYED_TABLES = MOVED_TABLES.filter((t): t is KeyedTable => t.kind === "keyed");
export const APPENDED_TABLES = MOVED_TABLES.filter((t): t is AppendedTable => t.kind === "appended");

/** The move's own bookkeeping: has a tenant_id column, but is neither purged nor moved. */
export const MOVE_BOOKKEEPING_TABLES = ["tenant_moves", "tenant_moving", "tenant_move_journal"] as const;

