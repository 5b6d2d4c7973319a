// The one onError and the one place error bodies are chosen: an OAuthError is an RFC 6749 §5.2
// body with its headers; any other error becomes a ScimError, answered as an RFC 7644 §3.12 body,
// or as `{error: {status, message}}` on the admin surface (marked where it is mounted). Unknown
// errors are logged with their cause and answered 500 with the request id only.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ScimError } from "../scim/errors";
import { OAuthError, oauthErrorResponse } from "../access/port";
import type { AppEnv } from "./context";
import { scimErrorResponse } from "./respond";
import { SECRET_PREFIXES } from "../platform/secret-prefixes";
import { isMoveRefusal, moveRefused } from "../platform/d1/move-refusal";

export function toScimError(err: unknown, requestId: string): ScimError {
  if (err instanceof ScimError) return err;
  // A write the move triggers refused, on any path (SCIM, admin, token endpoint): 503, retry.
  if (isMoveRefusal(err)) return moveRefused(err);
  if (err instanceof HTTPException) return new ScimError(err.status, err.message || "request failed");
  return new ScimError(500, `internal error (request ${requestId})`);
}

export function onError(err: Error, c: Context<AppEnv>) {
  const requestId = c.get("requestId") ?? "unknown";
  if (err instanceof OAuthError) return oauthErrorResponse(err);
  const scimErr = toScimError(err, requestId);
  c.set("auditError", { scimType: scimErr.scimType, detail: scimErr.detail.slice(0, 300) });
  if (scimErr.status >= 500) {
    c.get("log")?.error("unhandled error", {
      error: err.name,
      cause: redactForLog(String((err as { cause?: unknown }).cause ?? err.message)),
    });
  }
  if (c.get("adminSurface")) return adminErrorResponse(scimErr);
  return scimErrorResponse(scimErr);
}

function adminErrorResponse(err: ScimError): Response {
  return new Response(JSON.stringify({ error: { status: err.status, message: err.detail } }), {
    status: err.status,
    headers: { "Content-Type": "application/json", ...err.headers },
  });
}

// Any secret we issue, by its prefix (the tenant id inside scimta_/scimps_/scimsl_ goes too).
const ISSUED_SECRET = new RegExp(`(${SECRET_PREFIXES.join("|")})[\\w.%-]+`, "g");

/**
 * What of an unknown error may go to the logs: its message without SQL text (D1 errors quote the
 * statement, which can carry ids and values) and without anything that looks like a bearer token.
 */
export function redactForLog(message: string): string {
  return message
    .replace(/\b(SELECT|INSERT INTO|UPDATE|DELETE FROM)\b[\s\S]*/i, "[sql elided]")
    .replace(/\b(Bearer|Basic)\s+\S+/gi, "$1 [redacted]")
    .replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, "[jwt redacted]")
    .replace(ISSUED_SECRET, "$1[redacted]")
    .slice(0, 300);
}
