// A D1 batch built from named parts and read back by name. D1 has no interactive transactions: a
// batch is the transaction, and its guards (statements that abort the batch through a CHECK
// constraint) must come before the statements they protect. Callers name each part — a guard, a
// read, a list of writes — and get each part's results under its name, so adding a guard never
// shifts anyone's result index. Parts run in the order they are written (JS keeps the insertion
// order of string keys).
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./db";

/** One statement of a batch: a drizzle query builder, or runSql/allSql from raw-sql.ts. */
export type Statement = BatchItem<"sqlite">;
/**
 * A named part: one statement, a list of them (a list may be empty), or undefined for a part this
 * batch leaves out (its result is then undefined).
 */
export type Part = Statement | readonly Statement[] | undefined;
export type Parts = Record<string, Part>;
type ResultOf<P> = P extends undefined ? undefined : P extends readonly (infer S)[] ? Awaited<S>[] : Awaited<P>;
/** The results of a batch, part by part under the part's name (a list part gives a list). */
export type BatchResults<P extends Parts> = { -readonly [K in keyof P]: ResultOf<P[K]> };

/** Run the parts as one atomic D1 batch; D1's errors are rethrown as they are (see constraintOf). */
export async function runParts<const P extends Parts>(db: Db, parts: P): Promise<BatchResults<P>> {
  const flat: Statement[] = [];
  const spans: { name: string; start: number; count: number; list: boolean }[] = [];
  const out: Record<string, unknown> = {};
  for (const [name, part] of Object.entries(parts)) {
    if (part === undefined) {
      out[name] = undefined;
      continue;
    }
    const list = Array.isArray(part);
    const statements: readonly Statement[] = list ? part : [part as Statement];
    spans.push({ name, start: flat.length, count: statements.length, list });
    flat.push(...statements);
  }
  const first = flat[0];
  // drizzle types db.batch as a non-empty tuple of known statements; ours are checked per part.
  const results: unknown[] = first ? await db.batch([first, ...flat.slice(1)]) : [];
  for (const { name, start, count, list } of spans) out[name] = list ? results.slice(start, start + count) : results[start];
  return out as BatchResults<P>;
}

/**
 * The CHECK constraints our batch guards raise (each guard table has one), by name: the one
 * place that reads D1's error text for them.
 */
export const GUARDS = ["version_guard", "token_revoked", "tenant_elsewhere", "hub_user_name_taken"] as const;
export type Guard = (typeof GUARDS)[number];

const errorText = (err: unknown) =>
  String((err as { message?: unknown })?.message ?? err) + " " + String((err as { cause?: { message?: unknown } })?.cause?.message ?? "");

/** Which guard aborted a batch, or undefined when the error is something else. */
export function constraintOf(err: unknown): Guard | undefined {
  const name = /CHECK constraint failed: (\w+)/.exec(errorText(err))?.[1];
  return GUARDS.find((g) => g === name);
}

/** The table.column names of the unique index a failed write hit ("users.user_name_lc"), if any. */
export function uniqueColumnsOf(err: unknown): string[] | undefined {
  const text = errorText(err);
  const at = /UNIQUE constraint failed: [\w.]+/.exec(text);
  return at ? (text.slice(at.index).match(/\w+\.\w+/g) ?? []) : undefined;
}
