// Device Hub emulator: the workspace's SQLite schema (Durable Object storage), row ↔ wire mapping
// and keyset cursors. Cursors are opaque to clients: base64 of the last row's insertion sequence.
import { HubHttpError } from "./http";

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  external_ref TEXT UNIQUE,
  user_name TEXT NOT NULL,
  user_name_lc TEXT NOT NULL UNIQUE,
  display_name TEXT, email TEXT, given_name TEXT, family_name TEXT,
  job_title TEXT, department TEXT, employee_number TEXT,
  mobile_phone TEXT, preferred_language TEXT, country TEXT, floor TEXT, office_location TEXT, work_mode TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS groups (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  external_ref TEXT UNIQUE,
  name TEXT NOT NULL,
  description TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  added_at TEXT NOT NULL,
  UNIQUE (group_id, user_id)
);
CREATE INDEX IF NOT EXISTS members_by_user ON members (user_id);
-- A member page is "group_id = ? AND seq > ? ORDER BY seq": without this index each page of a
-- 400,000-member group walks and sorts the whole group.
CREATE INDEX IF NOT EXISTS members_by_group_seq ON members (group_id, seq);
CREATE TABLE IF NOT EXISTS faults (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  method TEXT,
  path_prefix TEXT,
  remaining INTEGER NOT NULL,
  spec TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS calls (route TEXT PRIMARY KEY, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

/** Columns added after the first schema: a workspace persisted by `wrangler dev` gains them on start. */
const ADDED_USER_COLUMNS = ["mobile_phone", "preferred_language", "country", "floor", "office_location", "work_mode"];

export function migrate(sql: SqlStorage): void {
  sql.exec(SCHEMA);
  const have = new Set(sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('users')").toArray().map((c) => c.name));
  for (const column of ADDED_USER_COLUMNS) if (!have.has(column)) sql.exec(`ALTER TABLE users ADD COLUMN ${column} TEXT`);
}

export const TABLES = ["users", "groups", "members", "faults", "calls", "settings"] as const;

export interface UserRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  external_ref: string | null;
  user_name: string;
  display_name: string | null;
  email: string | null;
  given_name: string | null;
  family_name: string | null;
  job_title: string | null;
  department: string | null;
  employee_number: string | null;
  mobile_phone: string | null;
  preferred_language: string | null;
  country: string | null;
  floor: string | null;
  office_location: string | null;
  work_mode: string | null;
  active: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface GroupRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  external_ref: string | null;
  name: string;
  description: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface MemberRow extends Record<string, SqlStorageValue> {
  seq: number;
  group_id: string;
  user_id: string;
  added_at: string;
}

export const userToWire = (r: UserRow) => ({
  id: r.id,
  externalRef: r.external_ref,
  userName: r.user_name,
  displayName: r.display_name,
  email: r.email,
  givenName: r.given_name,
  familyName: r.family_name,
  jobTitle: r.job_title,
  department: r.department,
  employeeNumber: r.employee_number,
  mobilePhone: r.mobile_phone,
  preferredLanguage: r.preferred_language,
  country: r.country,
  floor: r.floor,
  officeLocation: r.office_location,
  workMode: r.work_mode,
  active: r.active === 1,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const groupToWire = (r: GroupRow, memberCount: number) => ({
  id: r.id,
  externalRef: r.external_ref,
  name: r.name,
  description: r.description,
  memberCount,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const memberToWire = (r: MemberRow) => ({ userId: r.user_id, addedAt: r.added_at });

export const newHubId = (prefix: "usr" | "grp"): string =>
  `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;

export const nowIso = (): string => new Date().toISOString();

export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 100;

export interface PageRequest {
  after: number;
  limit: number;
}

/**
 * The page size this workspace answers at most (control API `PUT /__control/paging`): a hub may
 * return fewer items than asked, and a small cap makes a group of a few dozen members span many
 * pages, as a group of 400,000 does at 500 per page.
 */
export function pageCap(sql: SqlStorage): number {
  const row = sql.exec<{ value: string }>("SELECT value FROM settings WHERE key = 'maxPage'").toArray()[0];
  return row ? Number(row.value) : MAX_PAGE;
}

/** The delay of every data call (control API `PUT /__control/latency`): a hub far away. */
export function latencyMs(sql: SqlStorage): number {
  const row = sql.exec<{ value: string }>("SELECT value FROM settings WHERE key = 'latency'").toArray()[0];
  if (!row) return 0;
  const { minMs, maxMs } = JSON.parse(row.value) as { minMs: number; maxMs: number };
  return minMs + Math.floor(Math.random() * (maxMs - minMs + 1));
}

/** `?cursor=&limit=`: limit 1..500 (default 100); the cursor must be one this hub issued. */
export function readPage(url: URL, sql?: SqlStorage): PageRequest {
  const rawLimit = url.searchParams.get("limit");
  const limit = rawLimit === null || rawLimit === "" ? DEFAULT_PAGE : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw new HubHttpError(400, "invalid_request", `limit must be an integer from 1 to ${MAX_PAGE}`);
  }
  const capped = sql ? Math.min(limit, pageCap(sql)) : limit;
  const cursor = url.searchParams.get("cursor");
  if (cursor === null || cursor === "") return { after: 0, limit: capped };
  let decoded = "";
  try {
    decoded = atob(cursor);
  } catch {
    // not base64: answered below like any other foreign cursor
  }
  const match = /^s:(\d{1,15})$/.exec(decoded);
  if (!match?.[1]) throw new HubHttpError(400, "invalid_cursor", "cursor is not valid");
  return { after: Number(match[1]), limit: capped };
}

/** Fetch limit+1 rows to know whether another page exists without a count query. */
export function toPage<R extends { seq: number }, W>(rows: R[], limit: number, map: (r: R) => W) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const nextCursor = rows.length > limit && last ? btoa(`s:${last.seq}`) : null;
  return { items: items.map(map), nextCursor };
}
