// The PatchOp envelope of RFC 7644 §3.5.2: key-case folding, zod shape check, op-name
// normalisation and the per-operation rules that need no schema. Applying ops is apply.ts's job.
import { z } from "zod";
import { invalidSyntax, invalidValue, noTarget, tooMany } from "../errors";
import { MAX_PATCH_OPERATIONS } from "../urns";
import { normalizeOpName, noteRewrite, type PatchOpName, type Rewrite } from "../compat/entra";

export interface PatchOperation {
  op: PatchOpName;
  /** The path text as sent; absent for a path-less add/replace. */
  path?: string;
  /** Absent when the client sent no `value` member; `null` when it sent `null`. */
  value?: unknown;
  /** Position in `Operations`, for error details. */
  index: number;
}

export interface PatchRequest {
  operations: PatchOperation[];
  rewrites: Rewrite[];
}

// Keys are folded to lower case first: clients vary `Operations`/`operations` and order.
const Envelope = z.object({
  schemas: z.array(z.string(), { error: "schemas must be an array of strings" }).optional(),
  operations: z.array(z.unknown(), { error: "Operations must be an array" }),
});

const Operation = z.object({
  op: z.string({ error: "op must be a string" }),
  path: z.string({ error: "path must be a string" }).nullish(),
  value: z.unknown().optional(),
});

function foldKeys(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalidSyntax(`${what} must be a JSON object`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
}

function firstIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  return `${prefix}${issue ? issue.message : "malformed"}`;
}

function parseOperation(raw: unknown, index: number, rewrites: Rewrite[]): PatchOperation {
  const where = `Operations[${index}]`;
  const fields = foldKeys(raw, where);
  const parsed = Operation.safeParse(fields);
  if (!parsed.success) throw invalidSyntax(firstIssue(parsed.error, `${where}: `));
  const op = normalizeOpName(parsed.data.op, rewrites);
  if (!op) throw invalidSyntax(`${where}: unknown op "${parsed.data.op}" (expected add, replace or remove)`);
  // An empty or blank path means "no path" (some clients send "" rather than leaving it out).
  const path = parsed.data.path?.trim() ? parsed.data.path.trim() : undefined;
  const hasValue = Object.hasOwn(fields, "value");
  // RFC 7644 §3.5.2.2: a remove without a path fails with noTarget.
  if (op === "remove" && path === undefined) throw noTarget(`${where}: remove requires a path`);
  // RFC 7644 §3.5.2.1/§3.5.2.3: add and replace carry a value (null is a value: it clears).
  if (op !== "remove" && !hasValue) throw invalidValue(`${where}: ${op} requires a value`);
  return { op, ...(path !== undefined ? { path } : {}), ...(hasValue ? { value: fields.value } : {}), index };
}

/**
 * Parse a PATCH body (RFC 7644 §3.5.2) into normalised operations.
 * Top-level and operation keys match case-insensitively and in any order; a missing PatchOp URN
 * in `schemas` is tolerated. More than MAX_PATCH_OPERATIONS is 400 `tooMany`: RFC 7644 §3.12
 * defines it as "more … than the server is willing to … process", the nearest fit (413 stays
 * reserved for the body-size cap).
 */
export function parsePatchRequest(body: unknown): PatchRequest {
  const rewrites: Rewrite[] = [];
  const parsed = Envelope.safeParse(foldKeys(body, "the PatchOp request"));
  if (!parsed.success) throw invalidSyntax(firstIssue(parsed.error, ""));
  const raw = parsed.data.operations;
  if (raw.length > MAX_PATCH_OPERATIONS) {
    throw tooMany(`Operations holds ${raw.length} operations; at most ${MAX_PATCH_OPERATIONS} are accepted`);
  }
  if (raw.length === 0) noteRewrite(rewrites, "emptyOperations");
  const operations = raw.map((op, index) => parseOperation(op, index, rewrites));
  return { operations, rewrites };
}
