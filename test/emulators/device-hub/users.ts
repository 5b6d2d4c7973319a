// Device Hub emulator: user endpoints (list/lookup, get, create, batch create, patch, delete).
// Create is idempotent by externalRef; userName is unique case-insensitively across the workspace.
import { z } from "zod";
import { newHubId, nowIso, readPage, toPage, userToWire, type UserRow } from "./db";
import { HubHttpError, json, noContent, notFound, readBody } from "./http";
import { checkNamingRules } from "./naming";

export const MAX_USER_BATCH = 100;

const text = z.string().max(1024).nullable().optional();
const userFields = {
  userName: z.string().min(1).max(256),
  displayName: text,
  email: text,
  givenName: text,
  familyName: text,
  jobTitle: text,
  department: text,
  employeeNumber: text,
  mobilePhone: text,
  preferredLanguage: text,
  country: text,
  floor: text,
  officeLocation: text,
  workMode: text,
  active: z.boolean().optional(),
};
const externalRef = z.string().min(1).max(256).nullable().optional();

export const CreateUserBody = z.strictObject({ externalRef, ...userFields });
const UpdateUserBody = z.strictObject({ externalRef, ...userFields, userName: userFields.userName.optional() });
const BatchBody = z.strictObject({ users: z.array(z.unknown()) });

export type CreateUserInput = z.infer<typeof CreateUserBody>;
type UpdateUserInput = z.infer<typeof UpdateUserBody>;

/** Wire field → column; `active` is handled separately (boolean ↔ 0/1). */
const COLUMNS = {
  externalRef: "external_ref",
  userName: "user_name",
  displayName: "display_name",
  email: "email",
  givenName: "given_name",
  familyName: "family_name",
  jobTitle: "job_title",
  department: "department",
  employeeNumber: "employee_number",
  mobilePhone: "mobile_phone",
  preferredLanguage: "preferred_language",
  country: "country",
  floor: "floor",
  officeLocation: "office_location",
  workMode: "work_mode",
} as const;

export const findUser = (sql: SqlStorage, id: string): UserRow | undefined =>
  sql.exec<UserRow>("SELECT * FROM users WHERE id = ?", id).toArray()[0];

const findByRef = (sql: SqlStorage, ref: string): UserRow | undefined =>
  sql.exec<UserRow>("SELECT * FROM users WHERE external_ref = ?", ref).toArray()[0];

const findByUserName = (sql: SqlStorage, userName: string): UserRow | undefined =>
  sql.exec<UserRow>("SELECT * FROM users WHERE user_name_lc = ?", userName.toLowerCase()).toArray()[0];

const requireUser = (sql: SqlStorage, id: string): UserRow => {
  const row = findUser(sql, id);
  if (!row) throw notFound(`user ${id}`);
  return row;
};

function userNameTaken(holder: UserRow): HubHttpError {
  return new HubHttpError(409, "user_name_taken", "userName belongs to another hub user", {
    userId: holder.id,
    externalRef: holder.external_ref,
  });
}

/** 201 for a new user, 200 with the existing one when the externalRef is already known. */
export function createUser(sql: SqlStorage, input: CreateUserInput): { status: 200 | 201; user: UserRow } {
  checkNamingRules(input);
  if (input.externalRef) {
    const existing = findByRef(sql, input.externalRef);
    if (existing) return { status: 200, user: existing };
  }
  const holder = findByUserName(sql, input.userName);
  if (holder) throw userNameTaken(holder);
  const now = nowIso();
  const id = newHubId("usr");
  const fields = Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][];
  sql.exec(
    `INSERT INTO users (id, user_name_lc, ${fields.map(([, column]) => column).join(", ")}, active, version, created_at, updated_at)
     VALUES (?, ?, ${fields.map(() => "?").join(", ")}, ?, 1, ?, ?)`,
    id, input.userName.toLowerCase(), ...fields.map(([field]) => input[field] ?? null), input.active === false ? 0 : 1, now, now,
  );
  return { status: 201, user: requireUser(sql, id) };
}

function updateUser(sql: SqlStorage, id: string, input: UpdateUserInput): UserRow {
  const row = requireUser(sql, id);
  checkNamingRules(input);
  const sets: string[] = [];
  const values: SqlStorageValue[] = [];
  for (const [field, column] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, string][]) {
    const value = input[field];
    if (value === undefined || value === row[column]) continue;
    if (field === "userName" && value !== null) {
      const holder = findByUserName(sql, value);
      if (holder && holder.id !== id) throw userNameTaken(holder);
      sets.push("user_name_lc = ?");
      values.push(value.toLowerCase());
    }
    if (field === "externalRef" && value !== null) {
      const holder = findByRef(sql, value);
      if (holder && holder.id !== id) {
        throw new HubHttpError(409, "external_ref_taken", "externalRef belongs to another hub user", { userId: holder.id });
      }
    }
    sets.push(`${column} = ?`);
    values.push(value);
  }
  if (input.active !== undefined && (input.active ? 1 : 0) !== row.active) {
    sets.push("active = ?");
    values.push(input.active ? 1 : 0);
  }
  if (sets.length === 0) return row;
  sql.exec(`UPDATE users SET ${sets.join(", ")}, version = version + 1, updated_at = ? WHERE id = ?`, ...values, nowIso(), id);
  return requireUser(sql, id);
}

function listUsers(sql: SqlStorage, url: URL): Response {
  const userName = url.searchParams.get("userName");
  const ref = url.searchParams.get("externalRef");
  if (userName !== null || ref !== null) {
    const hit = userName !== null ? findByUserName(sql, userName) : findByRef(sql, ref ?? "");
    const match = hit && (ref === null || hit.external_ref === ref) ? [hit] : [];
    return json({ items: match.map(userToWire), nextCursor: null });
  }
  const page = readPage(url, sql);
  const rows = sql.exec<UserRow>("SELECT * FROM users WHERE seq > ? ORDER BY seq LIMIT ?", page.after, page.limit + 1).toArray();
  return json(toPage(rows, page.limit, userToWire));
}

async function batchCreate(sql: SqlStorage, req: Request): Promise<Response> {
  const body = await readBody(req, BatchBody);
  if (body.users.length === 0) throw new HubHttpError(400, "invalid_request", "users must not be empty");
  if (body.users.length > MAX_USER_BATCH) {
    throw new HubHttpError(400, "batch_too_large", `at most ${MAX_USER_BATCH} users per batch`);
  }
  const results = body.users.map((item, index) => {
    const parsed = CreateUserBody.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const message = `${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`;
      return { index, status: 400, error: { code: "invalid_request", message } };
    }
    try {
      const { status, user } = createUser(sql, parsed.data);
      return { index, status, user: userToWire(user) };
    } catch (e) {
      if (!(e instanceof HubHttpError)) throw e;
      const error = e.details ? { code: e.code, message: e.message, details: e.details } : { code: e.code, message: e.message };
      return { index, status: e.status, error };
    }
  });
  return json({ results });
}

/** Routes under /v1/users; `rest` is the path after /v1/users. */
export async function handleUsers(sql: SqlStorage, req: Request, url: URL, rest: string[]): Promise<Response | undefined> {
  const [id, extra] = rest;
  if (id === undefined) {
    if (req.method === "GET") return listUsers(sql, url);
    if (req.method === "POST") {
      const { status, user } = createUser(sql, await readBody(req, CreateUserBody));
      return json(userToWire(user), status);
    }
    return undefined;
  }
  if (extra !== undefined) return undefined;
  if (id === "batch") return req.method === "POST" ? batchCreate(sql, req) : undefined;
  switch (req.method) {
    case "GET":
      return json(userToWire(requireUser(sql, id)));
    case "PATCH":
      return json(userToWire(updateUser(sql, id, await readBody(req, UpdateUserBody))));
    case "DELETE":
      requireUser(sql, id);
      sql.exec("DELETE FROM members WHERE user_id = ?", id);
      sql.exec("DELETE FROM users WHERE id = ?", id);
      return noContent();
    default:
      return undefined;
  }
}
