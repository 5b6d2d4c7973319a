// Bench-only Worker entry (never deployed): the real Worker with its D1 bindings metered. Counts
// round trips (and which of them are waitUntil work after the answer: the audit row, the sync
// wake-up) and sums D1's own `meta.rows_read` / `meta.rows_written` (what D1 bills), readable
// and resettable at /__bench/d1. Waits for in-flight calls (waitUntil audit rows) via `inFlight`.
import worker from "../src/index";

const totals = { calls: 0, offPath: 0, rowsRead: 0, rowsWritten: 0, unmetered: 0, inFlight: 0, byShard: {} as Record<string, number> };
/** Statements only the after-the-answer middlewares issue in waitUntil (audit row, sync wake-up). */
const OFF_PATH = /^\s*(INSERT INTO audit_log|UPDATE sync_state SET wake_queued_at)/i;
type Meta = { rows_read?: number; rows_written?: number } | undefined;

// Optional single-writer model (PUT /__bench/serial/<ms>, bench/shards.mjs): each binding admits one
// call at a time and holds it that long, as a production D1 database at its write ceiling does.
let serialMs = 0;
const queues: Record<string, Promise<unknown>> = {};
function serialized<T>(shard: string, run: () => Promise<T>): Promise<T> {
  if (serialMs <= 0) return run();
  const next = (queues[shard] ?? Promise.resolve()).then(async () => {
    await new Promise((r) => setTimeout(r, serialMs));
    return run();
  });
  queues[shard] = next.catch(() => undefined);
  return next;
}

function track<T>(shard: string, run: () => Promise<T>, meta: (r: T) => Meta[] | undefined): Promise<T> {
  totals.calls++;
  totals.byShard[shard] = (totals.byShard[shard] ?? 0) + 1;
  totals.inFlight++;
  return serialized(shard, run).then(
    (r) => {
      const metas = meta(r);
      if (!metas) totals.unmetered++;
      for (const m of metas ?? []) {
        totals.rowsRead += m?.rows_read ?? 0;
        totals.rowsWritten += m?.rows_written ?? 0;
      }
      totals.inFlight--;
      return r;
    },
    (err) => {
      totals.inFlight--;
      throw err;
    },
  );
}

const originals = new WeakMap<object, D1PreparedStatement>();
function meterStatement(shard: string, stmt: D1PreparedStatement, text: string): D1PreparedStatement {
  const offPath = () => {
    if (OFF_PATH.test(text)) totals.offPath++;
  };
  const proxy = new Proxy(stmt, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      if (prop === "bind") return (...args: unknown[]) => meterStatement(shard, fn(...args) as D1PreparedStatement, text);
      if (prop === "all" || prop === "run") {
        return (...a: unknown[]) => {
          offPath();
          return track(shard, () => fn(...a) as Promise<D1Result>, (r) => [r.meta]);
        };
      }
      // first() and raw() return no meta: counted as round trips, reported as unmetered.
      if (prop === "first" || prop === "raw") return (...a: unknown[]) => track(shard, () => fn(...a) as Promise<unknown>, () => undefined);
      return fn;
    },
  });
  originals.set(proxy, stmt);
  return proxy;
}

function meterD1(shard: string, d1: D1Database): D1Database {
  return new Proxy(d1, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (typeof value !== "function") return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      if (prop === "prepare") return (q: string) => meterStatement(shard, fn(q) as D1PreparedStatement, q);
      if (prop === "batch") {
        return (stmts: D1PreparedStatement[]) =>
          track(shard, () => target.batch(stmts.map((s) => originals.get(s) ?? s)), (rs) => rs.map((r) => r.meta));
      }
      return fn;
    },
  });
}

type Env = Parameters<typeof worker.fetch>[1];

/** Every shard binding (DB, DB_1, …) metered, each counted under its own name. */
function metered(env: Env): Env {
  const shards = Object.entries(env).filter(([name]) => /^DB(_\d+)?$/.test(name));
  return { ...env, ...Object.fromEntries(shards.map(([name, d1]) => [name, meterD1(name, d1 as D1Database)])) } as Env;
}

// DELETE /__bench/meter turns metering off (PUT turns it back on): latency comparisons then time
// the Worker as deployed, without a Proxy around every statement.
let metering = true;

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    if (new URL(request.url).pathname === "/__bench/meter" && (request.method === "PUT" || request.method === "DELETE")) {
      metering = request.method === "PUT";
      return new Response(null, { status: 204 });
    }
    const serial = /^\/__bench\/serial\/(\d+)$/.exec(new URL(request.url).pathname);
    if (serial && request.method === "PUT") {
      serialMs = Number(serial[1]);
      return new Response(null, { status: 204 });
    }
    if (new URL(request.url).pathname === "/__bench/d1") {
      const body = JSON.stringify(totals);
      if (request.method === "DELETE") Object.assign(totals, { calls: 0, offPath: 0, rowsRead: 0, rowsWritten: 0, unmetered: 0, byShard: {} });
      return new Response(body, { headers: { "Content-Type": "application/json" } });
    }
    return worker.fetch(request, metering ? metered(env) : env, ctx);
  },
  scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext) {
    return worker.scheduled(controller, metered(env), ctx);
  },
  queue(batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) {
    return worker.queue(batch, metered(env), ctx);
  },
};
