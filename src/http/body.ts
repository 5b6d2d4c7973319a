// Request bodies: content-type check, size cap before parsing, JSON parse, zod envelope check.
// Every failure is a ScimError (400 invalidSyntax/invalidValue, 413, 415), never a 500.
import type { Context } from "hono";
import type { z } from "zod";
import { invalidSyntax, invalidValue, payloadTooLarge, ScimError } from "../scim/errors";
import { MAX_BODY_BYTES } from "../scim/urns";

const JSON_TYPES = /^application\/(scim\+)?json\s*(;|$)/i;
const MAX_JSON_DEPTH = 32;

/** Read and parse a JSON body (SCIM or admin). */
export async function readJsonBody(c: Context, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = c.req.header("Content-Type") ?? "";
  if (type && !JSON_TYPES.test(type)) {
    throw new ScimError(415, `unsupported Content-Type "${type.slice(0, 80)}"; send application/scim+json`);
  }
  const declared = Number(c.req.header("Content-Length") ?? "0");
  if (declared > maxBytes) throw payloadTooLarge(`request body exceeds ${maxBytes} bytes`);
  const text = await readCapped(c.req.raw, maxBytes);
  if (text.trim() === "") throw invalidSyntax("request body is empty");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ScimError(400, `request body is not valid JSON: ${(err as Error).message.slice(0, 120)}`, "invalidSyntax", { cause: err });
  }
  if (depthExceeds(value, MAX_JSON_DEPTH)) throw invalidSyntax(`JSON nesting deeper than ${MAX_JSON_DEPTH}`);
  noteResourceName(c, value);
  return value;
}

/**
 * The request log shows a user's userName or a group's displayName beside its id, also for a
 * create that failed (it has no id). Only that one value is kept for the audit row.
 */
function noteResourceName(c: Context, value: unknown): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return;
  const body = value as Record<string, unknown>;
  const name = typeof body["userName"] === "string" ? body["userName"] : body["displayName"];
  if (typeof name === "string" && name !== "") c.set("auditName", name.slice(0, 256));
}

async function readCapped(req: Request, maxBytes: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw payloadTooLarge(`request body exceeds ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (d > max) return true;
    for (const child of Object.values(v as object)) stack.push([child, d + 1]);
  }
  return false;
}

/** Lower-case the top-level keys of a SCIM message so `operations`/`Operations` both match. */
export function lowerCaseKeys(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw invalidSyntax("request body must be a JSON object");
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.toLowerCase(), v]));
}

/** Validate a parsed envelope with zod; the first issue becomes a SCIM 400 naming its path. */
export function checkEnvelope<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  throw invalidValue(`${where}${issue.message}`);
}
