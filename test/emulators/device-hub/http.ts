// Device Hub emulator: the JSON response helpers and the one error type every handler throws.
// The error body shape is the contract's: { "error": { "code", "message", "details"? } }.
import type { z } from "zod";

export type HubErrorCode =
  | "invalid_request"
  | "invalid_cursor"
  | "batch_too_large"
  | "unauthorized"
  | "not_found"
  | "user_name_taken"
  | "external_ref_taken"
  | "naming_rule_violation"
  | "rate_limited"
  | "internal"
  | "bad_gateway"
  | "timeout";

export class HubHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HubErrorCode | string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "HubHttpError";
  }
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", ...headers } });

export const noContent = (): Response => new Response(null, { status: 204 });

export function errorResponse(status: number, code: string, message: string, details?: Record<string, unknown>, headers: Record<string, string> = {}): Response {
  return json({ error: details ? { code, message, details } : { code, message } }, status, headers);
}

export const fromHubError = (e: HubHttpError): Response => errorResponse(e.status, e.code, e.message, e.details);

export const notFound = (what: string): HubHttpError => new HubHttpError(404, "not_found", `${what} not found`);

/** Parse a JSON body against a schema; anything malformed is a 400, never a 500. */
export async function readBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await req.json();
  } catch {
    throw new HubHttpError(400, "invalid_request", "request body is not valid JSON");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new HubHttpError(400, "invalid_request", `${where}${issue?.message ?? "invalid body"}`);
  }
  return parsed.data;
}
