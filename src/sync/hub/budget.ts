// Per-invocation call budgets: count Device Hub fetches and D1 round trips, cap hub calls in flight
// (≤ 6 concurrent) and optionally refuse calls past a hard limit. Create one counter
// per cron invocation; workerd does not enforce subrequest limits locally, so we count ourselves.

export interface CallBudget {
  /** Hard cap on hub calls; the call past it rejects with BudgetExceededError. */
  maxHubCalls?: number;
  /** Hard cap on D1 round trips; the call past it rejects with BudgetExceededError. */
  maxD1Calls?: number;
  /** Hub calls in flight at once; further calls wait for a slot. Default 6. */
  maxHubInFlight?: number;
}

export interface CallCounter {
  readonly limits: Readonly<Required<CallBudget>>;
  /** Hub fetches started (including ones that then failed). */
  hubCalls: number;
  hubInFlight: number;
  peakHubInFlight: number;
  /** Hub calls that had to wait for an in-flight slot. */
  hubQueued: number;
  /** D1 round trips: statement first/all/run/raw, batch, exec, dump. */
  d1Calls: number;
  /** `db.prepare()` calls; not round trips, kept for diagnosis. */
  d1Prepared: number;
  d1ByMethod: Record<string, number>;
}

/**
 * The run's own budget, not the hub, stopped a call: "hub"/"d1" when a call count is spent, "time"
 * when the run's deadline came before the call could start or while it was in flight. Never an
 * attempt of the work item and never a back-off: the work continues in the next invocation.
 */
export class BudgetExceededError extends Error {
  constructor(
    readonly resource: "hub" | "d1" | "time",
    readonly limit: number,
    message?: string,
  ) {
    super(message ?? `${resource} call budget of ${limit} exceeded`);
    this.name = "BudgetExceededError";
  }
}

export const DEFAULT_MAX_HUB_IN_FLIGHT = 6;

export function createCallCounter(budget: CallBudget = {}): CallCounter {
  return {
    limits: {
      maxHubCalls: budget.maxHubCalls ?? Number.POSITIVE_INFINITY,
      maxD1Calls: budget.maxD1Calls ?? Number.POSITIVE_INFINITY,
      maxHubInFlight: Math.max(1, budget.maxHubInFlight ?? DEFAULT_MAX_HUB_IN_FLIGHT),
    },
    hubCalls: 0,
    hubInFlight: 0,
    peakHubInFlight: 0,
    hubQueued: 0,
    d1Calls: 0,
    d1Prepared: 0,
    d1ByMethod: {},
  };
}

/** FIFO waiters per counter, so several wrapped fetches can share one in-flight cap. */
const waiters = new WeakMap<CallCounter, Array<() => void>>();

async function acquireSlot(counter: CallCounter): Promise<void> {
  if (counter.hubInFlight < counter.limits.maxHubInFlight) {
    counter.hubInFlight++;
    return;
  }
  counter.hubQueued++;
  const queue = waiters.get(counter) ?? [];
  waiters.set(counter, queue);
  // The releasing call hands its slot over directly, so hubInFlight never exceeds the cap.
  await new Promise<void>((resolve) => queue.push(resolve));
}

function releaseSlot(counter: CallCounter): void {
  const next = waiters.get(counter)?.shift();
  if (next) next();
  else counter.hubInFlight--;
}

/** Wrap the hub `fetch`: counts every call and holds at most `maxHubInFlight` open at once. */
export function countingFetch(inner: typeof fetch, counter: CallCounter): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (counter.hubCalls >= counter.limits.maxHubCalls) throw new BudgetExceededError("hub", counter.limits.maxHubCalls);
    counter.hubCalls++;
    await acquireSlot(counter);
    counter.peakHubInFlight = Math.max(counter.peakHubInFlight, counter.hubInFlight);
    try {
      return await inner(input, init);
    } finally {
      releaseSlot(counter);
    }
  };
}

/** Count one round trip and run it; past the hard cap the call rejects without running. */
function counted<R>(counter: CallCounter, method: string, run: () => Promise<R>): Promise<R> {
  if (counter.d1Calls >= counter.limits.maxD1Calls) return Promise.reject(new BudgetExceededError("d1", counter.limits.maxD1Calls));
  counter.d1Calls++;
  counter.d1ByMethod[method] = (counter.d1ByMethod[method] ?? 0) + 1;
  return run();
}

const STATEMENT_CALLS = new Set<PropertyKey>(["first", "all", "run", "raw"]);

/** Wrapped statements map back to the real ones, because D1's batch() needs the originals. */
const originals = new WeakMap<object, D1PreparedStatement>();

function wrapStatement(stmt: D1PreparedStatement, counter: CallCounter): D1PreparedStatement {
  const proxy = new Proxy(stmt, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "bind") return (...args: unknown[]) => wrapStatement(target.bind(...args), counter);
      if (STATEMENT_CALLS.has(prop)) {
        const fn = value as (...a: unknown[]) => Promise<unknown>;
        return (...args: unknown[]) => counted(counter, `statement.${String(prop)}`, () => fn.apply(target, args));
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  originals.set(proxy, stmt);
  return proxy;
}

const unwrap = (stmts: D1PreparedStatement[]) => stmts.map((s) => originals.get(s) ?? s);

interface D1Like {
  prepare(query: string): D1PreparedStatement;
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
}

function wrapD1<T extends D1Like>(db: T, counter: CallCounter): T {
  return new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      const fn = value as (...a: unknown[]) => unknown;
      switch (prop) {
        case "prepare":
          return (query: string) => {
            counter.d1Prepared++;
            return wrapStatement(target.prepare(query), counter);
          };
        case "batch":
          return (stmts: D1PreparedStatement[]) => counted(counter, "batch", () => target.batch(unwrap(stmts)));
        case "exec":
        case "dump":
          return (...args: unknown[]) => counted(counter, String(prop), () => fn.apply(target, args) as Promise<unknown>);
        case "withSession":
          return (...args: unknown[]) => wrapD1(fn.apply(target, args) as D1Like, counter);
        default:
          return fn.bind(target);
      }
    },
  });
}

/** Wrap the D1 binding: counts round trips (see CallCounter.d1Calls); usable with drizzle. */
export function countingD1(d1: D1Database, counter: CallCounter): D1Database {
  return wrapD1(d1, counter);
}
