// Run a BulkRequest (RFC 7644 §3.7) through the same services as single requests. Operations
// run in request order; one that references a bulkId created later waits until it exists
// (forward references), and one whose reference failed or can never resolve fails itself.
import { etagOf } from "../etag";
import { invalidValue, ScimError, scimErrorBody, type ScimErrorBody } from "../errors";
import { createGroup, deleteGroup, patchGroup, replaceGroup } from "../groups/service";
import type { Store, StoredResource } from "../store";
import { BULK_RESPONSE } from "../urns";
import { createUser, deleteUser, patchUser, replaceUser } from "../users/service";
import type { ServiceContext } from "../service-context";
import type { BulkOperation, BulkRequest } from "./request";

export interface BulkOperationResult {
  method: string;
  bulkId?: string;
  version?: string;
  location?: string;
  status: string;
  response?: ScimErrorBody;
}

const BULK_REF = /^bulkId:(.+)$/;

/** Every `bulkId:x` string inside a value. */
function referencesIn(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === "string") {
    const m = BULK_REF.exec(value);
    if (m) out.add(m[1]!);
  } else if (Array.isArray(value)) value.forEach((v) => referencesIn(v, out));
  else if (value && typeof value === "object") Object.values(value).forEach((v) => referencesIn(v, out));
  return out;
}

function substitute(value: unknown, ids: Map<string, string>): unknown {
  if (typeof value === "string") {
    const m = BULK_REF.exec(value);
    return m ? ids.get(m[1]!) ?? value : value;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, ids));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, ids)]));
  return value;
}

function parsePath(op: BulkOperation): { type: "User" | "Group"; id?: string } {
  const m = /^\/?(Users|Groups)(?:\/([^/?#]+))?\/?$/i.exec(op.path);
  if (!m) throw invalidValue(`unsupported bulk path "${op.path}"`);
  const type = m[1]!.toLowerCase() === "users" ? "User" : "Group";
  if (op.method === "POST" && m[2]) throw invalidValue("POST goes to the resource endpoint (/Users or /Groups)");
  if (op.method !== "POST" && !m[2]) throw invalidValue(`${op.method} needs a resource id in the path`);
  if (op.method === "POST" && !op.bulkId) throw invalidValue("bulkId is required for POST");
  return { type, ...(m[2] ? { id: decodeURIComponent(m[2]) } : {}) };
}

async function runOne(store: Store, op: BulkOperation, ctx: ServiceContext): Promise<{ stored?: StoredResource; type: "User" | "Group"; status: number }> {
  const { type, id } = parsePath(op);
  const opCtx: ServiceContext = { ...ctx, ...(op.version !== undefined ? { ifMatch: op.version } : {}) };
  if (op.version === undefined) delete opCtx.ifMatch;
  const users = type === "User";
  switch (op.method) {
    case "POST":
      return { type, status: 201, stored: users ? await createUser(store, op.data, opCtx) : (await createGroup(store, op.data, opCtx)).group };
    case "PUT":
      return { type, status: 200, stored: users ? await replaceUser(store, id!, op.data, opCtx) : await replaceGroup(store, id!, op.data, opCtx) };
    case "PATCH":
      return { type, status: 200, stored: users ? await patchUser(store, id!, op.data, opCtx) : await patchGroup(store, id!, op.data, opCtx) };
    case "DELETE":
      await (users ? deleteUser(store, id!, opCtx) : deleteGroup(store, id!, opCtx));
      return { type, status: 204 };
  }
}

const errorResult = (op: BulkOperation, err: ScimError): BulkOperationResult => ({
  method: op.method,
  ...(op.bulkId ? { bulkId: op.bulkId } : {}),
  status: String(err.status),
  response: scimErrorBody(err),
});

/**
 * Operations run in request order; one that references a bulkId not created yet is parked under
 * that bulkId and released (re-checked) the moment it is created or fails. Each operation is
 * parked at most once per reference it holds, so a forward chain of any length resolves in time
 * linear in the operations and their references (one pass per link made it quadratic).
 */
export async function processBulk(store: Store, request: BulkRequest, ctx: ServiceContext) {
  const created = new Map<string, string>();
  const failed = new Set<string>();
  const definedLater = new Set(request.operations.flatMap((o) => (o.bulkId && o.method === "POST" ? [o.bulkId] : [])));
  const results: (BulkOperationResult | undefined)[] = new Array(request.operations.length);
  // Each operation's references, computed once.
  const refsOf = request.operations.map((op) => [...referencesIn(op.data), ...referencesIn(op.path)]);
  const parked = new Map<string, number[]>();
  let errors = 0;
  const stopped = () => request.failOnErrors !== undefined && errors >= request.failOnErrors;

  const fail = (index: number, err: ScimError) => {
    const op = request.operations[index]!;
    results[index] = errorResult(op, err);
    errors++;
    if (op.bulkId) settled(op.bulkId, false);
  };
  // Operations released by a bulkId's outcome run next, before the request order goes on.
  const ready: number[] = [];
  const settled = (bulkId: string, ok: boolean) => {
    if (!ok) failed.add(bulkId);
    const waiting = parked.get(bulkId);
    if (waiting) {
      parked.delete(bulkId);
      ready.push(...waiting);
    }
  };

  const attempt = async (index: number) => {
    const op = request.operations[index]!;
    const refs = refsOf[index]!;
    const broken = refs.find((r) => failed.has(r) || !definedLater.has(r) || r === op.bulkId);
    if (broken) return fail(index, invalidValue(`bulkId reference "bulkId:${broken}" cannot be resolved`));
    const missing = refs.find((r) => !created.has(r));
    if (missing !== undefined) {
      parked.set(missing, [...(parked.get(missing) ?? []), index]);
      return;
    }
    try {
      const resolved = { ...op, path: substitute(op.path, created) as string, data: substitute(op.data, created) };
      const { stored, type, status } = await runOne(store, resolved, ctx);
      results[index] = {
        method: op.method,
        ...(op.bulkId ? { bulkId: op.bulkId } : {}),
        ...(stored ? { version: etagOf(stored.version), location: `${ctx.baseUrl}/${type === "User" ? "Users" : "Groups"}/${stored.id}` } : {}),
        status: String(status),
      };
      if (op.bulkId && stored) {
        created.set(op.bulkId, stored.id);
        settled(op.bulkId, true);
      }
    } catch (err) {
      if (!(err instanceof ScimError)) throw err;
      fail(index, err);
    }
  };

  for (let index = 0; index < request.operations.length && !stopped(); index++) {
    await attempt(index);
    while (ready.length && !stopped()) await attempt(ready.shift()!);
  }
  if (!stopped()) {
    // Still parked: the operations reference each other in a cycle.
    const cyclic = [...parked.values()].flat().sort((a, b) => a - b);
    for (const index of cyclic) results[index] = errorResult(request.operations[index]!, invalidValue("circular bulkId references cannot be resolved"));
  }
  return { schemas: [BULK_RESPONSE], Operations: results.filter((r): r is BulkOperationResult => r !== undefined) };
}
