// What an isolate remembers about list walks, so paging through a tenant costs O(page), not
// O(tenant) per page: where each page of a query ended (the next page of the same query continues
// after that id with a keyset bound instead of OFFSET), and a filtered query's totalResults (one
// count per walk, not one per page). Every entry carries the tenant's stamp for the resource type
// (resource_counts' n and gen, plus the newest updated_at for filtered queries): an entry is used
// only while the stamp read in the same batch is unchanged, so a remembered position gives exactly
// the rows OFFSET would. Other isolates simply start without memory (OFFSET, then keyset again).
import type { FilterNode } from "../filter/ast";
import type { ResourceTypeName } from "../schema/attribute";
import type { ListQuery } from "../store";

interface Walk {
  stamp: string;
  /** A filtered query's totalResults under `stamp`. */
  total?: number;
  /** startIndex → the id the row before it has (the next page starts after it). */
  marks: Map<number, string>;
}

const MAX_WALKS = 500;
const MAX_MARKS = 32;
const walks = new Map<string, Walk>();

/** Filters on rows outside the resource's table (memberships) change without its stamp: never remembered. */
function readsOtherRows(node: FilterNode): boolean {
  switch (node.kind) {
    case "and":
    case "or":
      return readsOtherRows(node.left) || readsOtherRows(node.right);
    case "not":
      return readsOtherRows(node.filter);
    default: {
      const name = node.path.attribute.toLowerCase();
      return name === "groups" || name === "members";
    }
  }
}

export interface WalkPlan {
  key: string | undefined;
  /** The nearest remembered position at or before the requested startIndex. */
  mark?: { startIndex: number; afterId: string; stamp: string };
  /** The filtered total remembered for this query. */
  total?: { n: number; stamp: string };
}

export function walkKey(tenantId: string, type: ResourceTypeName, q: ListQuery): string | undefined {
  if (q.filter && readsOtherRows(q.filter)) return undefined;
  return JSON.stringify([tenantId, type, q.filter ?? null, q.sortBy ?? null, q.sortBy ? q.sortOrder : null]);
}

/** What this isolate remembers for the query; marks only for id-ordered startIndex pages. */
export function planWalk(tenantId: string, type: ResourceTypeName, q: ListQuery): WalkPlan {
  const key = walkKey(tenantId, type, q);
  const walk = key ? walks.get(key) : undefined;
  if (!key || !walk) return { key };
  const plan: WalkPlan = { key, ...(walk.total !== undefined ? { total: { n: walk.total, stamp: walk.stamp } } : {}) };
  if (q.afterId !== undefined || q.sortBy || q.startIndex <= 1) return plan;
  let best: number | undefined;
  for (const at of walk.marks.keys()) if (at <= q.startIndex && (best === undefined || at > best)) best = at;
  return best === undefined ? plan : { ...plan, mark: { startIndex: best, afterId: walk.marks.get(best)!, stamp: walk.stamp } };
}

function entry(key: string, stamp: string): Walk {
  let walk = walks.get(key);
  if (!walk || walk.stamp !== stamp) {
    walks.delete(key);
    if (walks.size >= MAX_WALKS) walks.delete(walks.keys().next().value!);
    walk = { stamp, marks: new Map() };
  } else {
    walks.delete(key); // re-inserted below: the map's order is least recently used first
  }
  walks.set(key, walk);
  return walk;
}

/** Remember that, under `stamp`, the row before position `startIndex` has id `afterId`. */
export function rememberMark(key: string | undefined, stamp: string, startIndex: number, afterId: string) {
  if (!key) return;
  const walk = entry(key, stamp);
  walk.marks.delete(startIndex);
  if (walk.marks.size >= MAX_MARKS) walk.marks.delete(walk.marks.keys().next().value!);
  walk.marks.set(startIndex, afterId);
}

/** Remember a filtered query's total under `stamp`. */
export function rememberTotal(key: string | undefined, stamp: string, total: number) {
  if (!key) return;
  entry(key, stamp).total = total;
}

/** The stamp moved on: what was remembered no longer holds. */
export function forgetWalk(key: string | undefined) {
  if (key) walks.delete(key);
}
