// Device Hub emulator: fault injection. A fault applies to the next `count` API calls that match
// its optional method and path prefix (control calls are never faulted); oldest fault first.
import { z } from "zod";
import { errorResponse, HubHttpError } from "./http";

const match = {
  count: z.number().int().min(1).max(10_000).default(1),
  method: z.string().min(1).transform((m) => m.toUpperCase()).optional(),
  pathPrefix: z.string().startsWith("/").optional(),
};

export const FaultBody = z.discriminatedUnion("kind", [
  // A plain error answer; nothing is applied.
  z.strictObject({ kind: z.literal("error"), status: z.number().int().min(400).max(599).default(500), code: z.string().optional(), ...match }),
  // 429 with Retry-After; nothing is applied.
  z.strictObject({ kind: z.literal("rateLimit"), retryAfterSeconds: z.number().int().min(0).max(86_400).default(1), ...match }),
  // Hold the response for delayMs. apply=false: nothing is applied and 504 follows the hold;
  // apply=true: the request is processed first and its real answer follows the hold (a slow hub).
  z.strictObject({ kind: z.literal("timeout"), delayMs: z.number().int().min(0).max(120_000), apply: z.boolean().default(false), ...match }),
  // The change IS applied, then the answer is replaced by a 5xx: the response was lost.
  z.strictObject({ kind: z.literal("drop"), status: z.number().int().min(500).max(599).default(502), ...match }),
  // Hold the answer until POST /__control/release (a listing paused mid-sweep). apply=true: the
  // request is processed first, so the held answer shows the hub as it was when the call arrived.
  z.strictObject({ kind: z.literal("hold"), apply: z.boolean().default(true), ...match }),
  // A 2xx whose body does not match the contract; nothing is applied.
  z.strictObject({ kind: z.literal("malformed"), status: z.number().int().min(200).max(299).default(200), body: z.string().default('{"unexpected":true}'), ...match }),
  // A redirect (a misconfigured hub, or one that would send the API key elsewhere); nothing is applied.
  z.strictObject({ kind: z.literal("redirect"), status: z.number().int().min(300).max(308).default(302), location: z.string().min(1), ...match }),
  // An answer of `bytes` bytes (any status), streamed; nothing is applied.
  z.strictObject({ kind: z.literal("largeBody"), status: z.number().int().min(200).max(599).default(500), bytes: z.number().int().min(1).max(64 * 1024 * 1024), ...match }),
]);

export type FaultSpec = z.infer<typeof FaultBody>;

interface FaultRow extends Record<string, SqlStorageValue> {
  id: number;
  method: string | null;
  path_prefix: string | null;
  remaining: number;
  spec: string;
}

export function addFault(sql: SqlStorage, spec: FaultSpec): number {
  return sql
    .exec<{ id: number }>(
      "INSERT INTO faults (method, path_prefix, remaining, spec) VALUES (?, ?, ?, ?) RETURNING id",
      spec.method ?? null, spec.pathPrefix ?? null, spec.count, JSON.stringify(spec),
    )
    .one().id;
}

export const listFaults = (sql: SqlStorage) =>
  sql.exec<FaultRow>("SELECT * FROM faults ORDER BY id").toArray().map((r) => ({ id: r.id, remaining: r.remaining, ...(JSON.parse(r.spec) as FaultSpec) }));

/** Consume one use of the oldest fault matching this call, if any. */
export function takeFault(sql: SqlStorage, method: string, path: string): FaultSpec | undefined {
  const rows = sql.exec<FaultRow>("SELECT * FROM faults WHERE remaining > 0 ORDER BY id").toArray();
  const hit = rows.find((r) => (r.method === null || r.method === method) && (r.path_prefix === null || path.startsWith(r.path_prefix)));
  if (!hit) return undefined;
  if (hit.remaining <= 1) sql.exec("DELETE FROM faults WHERE id = ?", hit.id);
  else sql.exec("UPDATE faults SET remaining = remaining - 1 WHERE id = ?", hit.id);
  return JSON.parse(hit.spec) as FaultSpec;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function defaultCode(status: number): string {
  if (status === 401 || status === 403) return "unauthorized";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status < 500) return "invalid_request";
  return "internal";
}

/** Answers held by "hold" faults, per workspace: each waits for its release. */
export class HeldAnswers {
  private readonly waiting: (() => void)[] = [];
  get count(): number {
    return this.waiting.length;
  }
  wait(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  releaseAll(): number {
    const n = this.waiting.length;
    for (const resolve of this.waiting.splice(0)) resolve();
    return n;
  }
}

/** Answer a call under a fault; `handle` runs the real request and never throws. */
export async function runFault(fault: FaultSpec, handle: () => Promise<Response>, held: HeldAnswers): Promise<Response> {
  switch (fault.kind) {
    case "error":
      return errorResponse(fault.status, fault.code ?? defaultCode(fault.status), "injected fault");
    case "rateLimit":
      return errorResponse(429, "rate_limited", "too many requests (injected)", undefined, { "Retry-After": String(fault.retryAfterSeconds) });
    case "timeout": {
      const answer = fault.apply ? await handle() : undefined;
      await sleep(fault.delayMs);
      return answer ?? errorResponse(504, "timeout", "the hub did not answer in time (injected)");
    }
    case "hold": {
      const answer = fault.apply ? await handle() : undefined;
      await held.wait();
      return answer ?? (await handle());
    }
    case "drop":
      await handle();
      return errorResponse(fault.status, "bad_gateway", "the response was lost after the change was applied (injected)");
    case "malformed":
      return new Response(fault.body, { status: fault.status, headers: { "Content-Type": "application/json" } });
    case "redirect":
      return new Response(null, { status: fault.status, headers: { Location: fault.location } });
    case "largeBody": {
      const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
      let left = fault.bytes;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (left <= 0) return controller.close();
          const part = left >= chunk.length ? chunk : chunk.slice(0, left);
          left -= part.length;
          controller.enqueue(part);
        },
      });
      return new Response(body, { status: fault.status, headers: { "Content-Type": "application/json" } });
    }
    default: {
      const never: never = fault;
      throw new HubHttpError(500, "internal", `unknown fault ${JSON.stringify(never)}`);
    }
  }
}
