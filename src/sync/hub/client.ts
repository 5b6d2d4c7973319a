// Typed Device Hub client (docs/device-hub-api.md): one function per contract operation, a timeout
// on every request, zod-validated responses, and every failure as one DeviceHubError. It never
// sleeps or retries (a 429 only reports retryAfterSeconds): the reconcile cycle owns that decision.
import type { z } from "zod";
import { BudgetExceededError } from "./budget";
import {
  HUB_LIMITS, HubErrorBodySchema, HubGroupSchema, HubUserSchema, HubMemberSchema, MemberAddResponseSchema,
  MemberRemoveResponseSchema, pageSchema, UserBatchResponseSchema,
  type HubGroup, type HubGroupInput, type HubGroupPatch, type HubMember, type HubUser, type HubUserInput,
  type HubUserPatch, type MemberAddResult, type MemberRemoveResult, type Page, type UserBatchItem,
} from "./schemas";

export type DeviceHubErrorKind =
  | "rateLimited" | "server" | "timeout" | "network" | "conflict" | "notFound" | "badRequest" | "unauthorized" | "invalidResponse";

export class DeviceHubError extends Error {
  readonly kind: DeviceHubErrorKind;
  readonly status?: number;
  /** The hub's machine-readable code, e.g. "user_name_taken". */
  readonly code?: string;
  /** Set for rateLimited: from Retry-After, else DEFAULT_RETRY_AFTER_SECONDS. */
  readonly retryAfterSeconds?: number;
  /** Error details, e.g. { userId } of the user holding a taken userName. */
  readonly details?: Record<string, unknown>;
  constructor(init: { kind: DeviceHubErrorKind; message: string; status?: number; code?: string; retryAfterSeconds?: number; details?: Record<string, unknown>; cause?: unknown }) {
    super(init.message, { cause: init.cause });
    this.name = "DeviceHubError";
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.details = init.details;
  }
}

/** Failures worth retrying on a later attempt or cycle; the others need a different request. */
export const isTransientHubError = (e: unknown): e is DeviceHubError =>
  e instanceof DeviceHubError && (e.kind === "rateLimited" || e.kind === "server" || e.kind === "timeout" || e.kind === "network");

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

export interface DeviceHubClientOptions {
  baseUrl: string;
  apiKey: string;
  fetch: typeof fetch;
  timeoutMs?: number;
  /** Wall-clock end (ms since epoch) of the run: each call's timeout is cut to the time left. */
  deadline?: number;
}

export interface PageOptions {
  cursor?: string | null;
  limit?: number;
}

/** Retry-After is delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(header: string | null, now = Date.now()): number {
  if (header === null) return DEFAULT_RETRY_AFTER_SECONDS;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_SECONDS : Math.max(0, Math.ceil((date - now) / 1000));
}

function kindForStatus(status: number): DeviceHubErrorKind {
  if (status === 429) return "rateLimited";
  if (status >= 500) return "server";
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 404) return "notFound";
  if (status === 409) return "conflict";
  if (status >= 400) return "badRequest";
  return "invalidResponse";
}

function errorFromResponse(res: Response, text: string, what: string): DeviceHubError {
  let body: z.infer<typeof HubErrorBodySchema>["error"] | undefined;
  try {
    body = HubErrorBodySchema.safeParse(JSON.parse(text)).data?.error;
  } catch {
    // a proxy's HTML error page: status alone decides the kind
  }
  const kind = kindForStatus(res.status);
  return new DeviceHubError({
    kind,
    status: res.status,
    code: body?.code,
    details: body?.details,
    message: `${what}: hub answered ${res.status}${body ? ` ${body.code}: ${body.message}` : ""}`,
    retryAfterSeconds: kind === "rateLimited" ? parseRetryAfter(res.headers.get("Retry-After")) : undefined,
  });
}

/** The most of an answer the client reads: a page of 500 users is far below it. */
export const MAX_HUB_BODY_BYTES = 8 * 1024 * 1024;
/** Of an error answer, only the start is read (its code and message are at the start). */
const MAX_HUB_ERROR_BYTES = 16 * 1024;

/** Read at most `max` bytes of a body; `cut` when there was more (the rest is not read). */
async function readBounded(res: Response, max: number): Promise<{ text: string; cut: boolean }> {
  if (!res.body) return { text: "", cut: false };
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.length > max) {
      parts.push(value.slice(0, max - size));
      await reader.cancel().catch(() => undefined);
      return { text: new TextDecoder().decode(concat(parts)), cut: true };
    }
    parts.push(value);
    size += value.length;
  }
  return { text: new TextDecoder().decode(concat(parts)), cut: false };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const limitCheck = (what: string, n: number, max: number) => {
  if (n > max) throw new DeviceHubError({ kind: "badRequest", message: `${what}: ${n} items, the hub takes at most ${max} per call` });
};

export function createDeviceHubClient(opts: DeviceHubClientOptions) {
  const base = opts.baseUrl.replace(/\/+$/, "");
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A call the deadline cut short is the run's fault, not the hub's, unless it was given a fair
  // chance: its own timeout, or half of the run's budget (a hub slower than that is sick, and its
  // calls must count as attempts, or a hub that never answers would be retried for ever).
  const fairMs = opts.deadline === undefined ? timeoutMs : Math.min(timeoutMs, Math.max(0, opts.deadline - Date.now()) / 2);

  /** One HTTP exchange; resolves with the status and the validated body (undefined for 204). */
  async function send<S extends z.ZodType>(method: string, path: string, schema: S | null, body?: unknown): Promise<{ status: number; data: z.output<S> }> {
    const what = `${method} ${path.split("?")[0]}`;
    const left = opts.deadline === undefined ? timeoutMs : Math.min(timeoutMs, opts.deadline - Date.now());
    if (left <= 0) throw new BudgetExceededError("time", 0, `${what}: not sent, the run's time budget is spent`);
    const signal = AbortSignal.timeout(left);
    const headers: Record<string, string> = { Authorization: `Bearer ${opts.apiKey}`, Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const lost = (cause: unknown) => {
      if (cause instanceof BudgetExceededError) return cause;
      if (signal.aborted && left < fairMs) return new BudgetExceededError("time", left, `${what}: cut after ${left} ms by the run's time budget`);
      return new DeviceHubError(signal.aborted
        ? { kind: "timeout", message: `${what}: no answer within ${left} ms`, cause }
        : { kind: "network", message: `${what}: ${cause instanceof Error ? cause.message : "request failed"}`, cause });
    };
    let res: Response;
    let text: string;
    let cut: boolean;
    try {
      // Never follow a redirect: the API key would go wherever the hub (or whoever answers for
      // it) points. A redirect is a hub error with its status.
      res = await opts.fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, redirect: "manual" });
      if (res.status >= 300 && res.status <= 399) {
        await res.body?.cancel().catch(() => undefined);
        throw new DeviceHubError({ kind: "invalidResponse", status: res.status, message: `${what}: hub answered a redirect (${res.status}); redirects are not followed` });
      }
      ({ text, cut } = await readBounded(res, res.ok ? MAX_HUB_BODY_BYTES : MAX_HUB_ERROR_BYTES));
    } catch (cause) {
      if (cause instanceof DeviceHubError) throw cause;
      throw lost(cause);
    }
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res, text, what);
    if (cut) throw new DeviceHubError({ kind: "invalidResponse", status: res.status, message: `${what}: body larger than ${MAX_HUB_BODY_BYTES} bytes` });
    if (schema === null) return { status: res.status, data: undefined as z.output<S> };
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (cause) {
      throw new DeviceHubError({ kind: "invalidResponse", status: res.status, message: `${what}: body is not JSON`, cause });
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const message = `${what}: unexpected response shape at ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? ""}`;
      throw new DeviceHubError({ kind: "invalidResponse", status: res.status, message, cause: parsed.error });
    }
    return { status: res.status, data: parsed.data };
  }

  const id = encodeURIComponent;
  const query = (params: Record<string, string | number | null | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
    const s = q.toString();
    return s ? `?${s}` : "";
  };
  const pageQuery = (p: PageOptions = {}) => query({ cursor: p.cursor, limit: p.limit });
  const userPage = pageSchema(HubUserSchema);
  const groupPage = pageSchema(HubGroupSchema);
  const memberPage = pageSchema(HubMemberSchema);

  /** 404 → null; other failures throw. */
  const orNull = async <T>(p: Promise<T>): Promise<T | null> =>
    p.catch((e: unknown) => {
      if (e instanceof DeviceHubError && e.kind === "notFound") return null;
      throw e;
    });
  /** DELETE is safe to repeat: a retry after a lost response finds the resource already gone. */
  const remove = async (path: string): Promise<"deleted" | "alreadyGone"> =>
    (await orNull(send("DELETE", path, null))) === null ? "alreadyGone" : "deleted";
  const first = <T>(page: Page<T>): T | null => page.items[0] ?? null;

  return {
    listUsers: async (p?: PageOptions): Promise<Page<HubUser>> => (await send("GET", `/v1/users${pageQuery(p)}`, userPage)).data,
    getUser: async (userId: string): Promise<HubUser | null> => orNull(send("GET", `/v1/users/${id(userId)}`, HubUserSchema).then((r) => r.data)),
    /** Case-insensitive userName lookup. */
    findUserByUserName: async (userName: string): Promise<HubUser | null> => first((await send("GET", `/v1/users${query({ userName })}`, userPage)).data),
    findUserByExternalRef: async (externalRef: string): Promise<HubUser | null> => first((await send("GET", `/v1/users${query({ externalRef })}`, userPage)).data),
    /** Idempotent by externalRef: created=false returns the user that already had it (unchanged). */
    createUser: async (input: HubUserInput): Promise<{ user: HubUser; created: boolean }> => {
      const { status, data } = await send("POST", "/v1/users", HubUserSchema, input);
      return { user: data, created: status === 201 };
    },
    /** ≤ 100 users; per-item results in input order. An empty list makes no call. */
    createUsers: async (inputs: HubUserInput[]): Promise<UserBatchItem[]> => {
      if (inputs.length === 0) return [];
      limitCheck("createUsers", inputs.length, HUB_LIMITS.maxUserBatch);
      return (await send("POST", "/v1/users/batch", UserBatchResponseSchema, { users: inputs })).data;
    },
    updateUser: async (userId: string, patch: HubUserPatch): Promise<HubUser> => (await send("PATCH", `/v1/users/${id(userId)}`, HubUserSchema, patch)).data,
    /** The contract deactivates with PATCH active=false (no dedicated endpoint). */
    deactivateUser: async (userId: string): Promise<HubUser> => (await send("PATCH", `/v1/users/${id(userId)}`, HubUserSchema, { active: false })).data,
    deleteUser: async (userId: string) => remove(`/v1/users/${id(userId)}`),

    listGroups: async (p?: PageOptions): Promise<Page<HubGroup>> => (await send("GET", `/v1/groups${pageQuery(p)}`, groupPage)).data,
    getGroup: async (groupId: string): Promise<HubGroup | null> => orNull(send("GET", `/v1/groups/${id(groupId)}`, HubGroupSchema).then((r) => r.data)),
    findGroupByExternalRef: async (externalRef: string): Promise<HubGroup | null> => first((await send("GET", `/v1/groups${query({ externalRef })}`, groupPage)).data),
    /** Idempotent by externalRef, like createUser. */
    createGroup: async (input: HubGroupInput): Promise<{ group: HubGroup; created: boolean }> => {
      const { status, data } = await send("POST", "/v1/groups", HubGroupSchema, input);
      return { group: data, created: status === 201 };
    },
    updateGroup: async (groupId: string, patch: HubGroupPatch): Promise<HubGroup> => (await send("PATCH", `/v1/groups/${id(groupId)}`, HubGroupSchema, patch)).data,
    renameGroup: async (groupId: string, name: string): Promise<HubGroup> => (await send("PATCH", `/v1/groups/${id(groupId)}`, HubGroupSchema, { name })).data,
    deleteGroup: async (groupId: string) => remove(`/v1/groups/${id(groupId)}`),

    listGroupMembers: async (groupId: string, p?: PageOptions): Promise<Page<HubMember>> =>
      (await send("GET", `/v1/groups/${id(groupId)}/members${pageQuery(p)}`, memberPage)).data,
    /** ≤ 1000 ids; idempotent; unknown hub user ids come back as status "unknownUser". */
    addGroupMembers: async (groupId: string, userIds: string[]): Promise<MemberAddResult> => {
      if (userIds.length === 0) return { added: 0, unknown: 0, results: [] };
      limitCheck("addGroupMembers", userIds.length, HUB_LIMITS.maxMemberBatch);
      return (await send("POST", `/v1/groups/${id(groupId)}/members/add`, MemberAddResponseSchema, { userIds })).data;
    },
    removeGroupMembers: async (groupId: string, userIds: string[]): Promise<MemberRemoveResult> => {
      if (userIds.length === 0) return { removed: 0, unknown: 0, results: [] };
      limitCheck("removeGroupMembers", userIds.length, HUB_LIMITS.maxMemberBatch);
      return (await send("POST", `/v1/groups/${id(groupId)}/members/remove`, MemberRemoveResponseSchema, { userIds })).data;
    },
  };
}

export type DeviceHubClient = ReturnType<typeof createDeviceHubClient>;
