// What one request costs D1, observed from outside the Worker: the real fetch handler runs with its
// shard bindings wrapped (as bench/metered-entry.ts wraps them), counting round trips and summing
// D1's own `meta.rows_read` / `meta.rows_written` — the units D1 bills. The wrapper only observes:
// every call reaches the real binding with the same arguments.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../src/index";
import { ORIGIN } from "./http";

export interface D1Cost {
  /**
   * Round trips on the request path: all of them except the work the audit and sync-wake
   * middlewares hand to waitUntil after the handler answered (recognised by their statements).
   */
  onPath: number;
  /** All round trips, waitUntil work (audit rows, …) included. */
  roundTrips: number;
  rowsRead: number;
  rowsWritten: number;
  /** Calls whose result carries no meta (first()/raw()): counted as round trips, rows unknown. */
  unmetered: number;
  /** The SQL of each round trip (a batch's statements joined by " ; "), in call order. */
  calls: string[];
}

/** Statements that only the after-the-answer middlewares issue (src/audit/middleware.ts, sync-wake.ts). */
const OFF_PATH = /^\s*(INSERT INTO audit_log|UPDATE sync_state SET wake_queued_at)/i;

type Meta = { rows_read?: number; rows_written?: number } | undefined;

function meterD1(d1: D1Database, cost: D1Cost): D1Database {
  const originals = new WeakMap<object, D1PreparedStatement>();
  const add = (metas: Meta[] | undefined) => {
    if (!metas) cost.unmetered++;
    for (const m of metas ?? []) {
      cost.rowsRead += m?.rows_read ?? 0;
      cost.rowsWritten += m?.rows_written ?? 0;
    }
  };
  const sqlOf = new WeakMap<object, string>();
  const statement = (stmt: D1PreparedStatement, text: string): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== "function") return value;
        const fn = (value as (...a: unknown[]) => unknown).bind(target);
        if (prop === "bind") return (...args: unknown[]) => statement(fn(...args) as D1PreparedStatement, text);
        if (prop === "all" || prop === "run") {
          return async (...a: unknown[]) => {
            cost.roundTrips++;
            cost.calls.push(text);
            const r = (await fn(...a)) as D1Result;
            add([r.meta]);
            return r;
          };
        }
        if (prop === "first" || prop === "raw") {
          return async (...a: unknown[]) => {
            cost.roundTrips++;
            cost.calls.push(text);
            add(undefined);
            return fn(...a);
          };
        }
        return fn;
      },
    });
    originals.set(proxy, stmt);
    sqlOf.set(proxy, text);
    return proxy;
  };
  return new Proxy(d1, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      if (prop === "prepare") return (q: string) => statement(fn(q) as D1PreparedStatement, q);
      if (prop === "batch") {
        return async (stmts: D1PreparedStatement[]) => {
          cost.roundTrips++;
          cost.calls.push(stmts.map((s) => sqlOf.get(s) ?? "?").join(" ; "));
          const rs = await target.batch(stmts.map((s) => originals.get(s) ?? s));
          add(rs.map((r) => r.meta));
          return rs;
        };
      }
      if (prop === "exec" || prop === "dump") {
        cost.roundTrips++;
        cost.calls.push(String(prop));
      }
      return fn;
    },
  });
}

/** A fresh cost record and the test env with every shard binding metered into it (for sync runs). */
export function meteredEnv(): { env: typeof env; cost: D1Cost } {
  const cost: D1Cost = { onPath: 0, roundTrips: 0, rowsRead: 0, rowsWritten: 0, unmetered: 0, calls: [] };
  const shards = Object.entries(env).filter(([name]) => /^DB(_\d+)?$/.test(name));
  return { env: { ...env, ...Object.fromEntries(shards.map(([name, d1]) => [name, meterD1(d1 as D1Database, cost)])) } as typeof env, cost };
}

/** One request through the real fetch handler with every shard binding metered (waitUntil work included). */
export async function metered(
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ res: Response; cost: D1Cost }> {
  const cost: D1Cost = { onPath: 0, roundTrips: 0, rowsRead: 0, rowsWritten: 0, unmetered: 0, calls: [] };
  const shards = Object.entries(env).filter(([name]) => /^DB(_\d+)?$/.test(name));
  const meteredEnv = { ...env, ...Object.fromEntries(shards.map(([name, d1]) => [name, meterD1(d1 as D1Database, cost)])) } as typeof env;
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${ORIGIN}/scim/v2${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { "Content-Type": "application/scim+json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }),
    meteredEnv,
    ctx,
  );
  // The body first: a streamed response may still read; then the request's waitUntil work.
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  cost.onPath = cost.calls.filter((q) => !OFF_PATH.test(q)).length;
  return { res: new Response(text, { status: res.status, headers: res.headers }), cost };
}
