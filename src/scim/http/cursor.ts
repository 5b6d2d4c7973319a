// RFC 9865 cursors: opaque, signed with the service's signing key (jose JWS), bound to the tenant
// and to the query they page through, and short-lived. A tampered, foreign or stale cursor is
// 400 invalidCursor / expiredCursor, never a silently wrong page.
import { CompactSign, compactVerify, decodeProtectedHeader } from "jose";
import type { Config } from "../../config";
import { loadKeyRing } from "../../access/port";
import { invalidCursor, ScimError } from "../errors";

export { CURSOR_TIMEOUT_S } from "../cursor-timeout";
import { CURSOR_TIMEOUT_S } from "../cursor-timeout";

interface CursorPayload {
  t: string; // tenant
  q: string; // query fingerprint
  a: string; // last id returned
  e: number; // expiry (unix seconds)
}

const encoder = new TextEncoder();

export async function queryFingerprint(parts: unknown[]): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(JSON.stringify(parts)));
  return btoa(String.fromCharCode(...new Uint8Array(digest).slice(0, 12)));
}

export async function signCursor(config: Config, tenantId: string, fingerprint: string, afterId: string, now = Date.now()): Promise<string> {
  const ring = await loadKeyRing(config);
  const payload: CursorPayload = { t: tenantId, q: fingerprint, a: afterId, e: Math.floor(now / 1000) + CURSOR_TIMEOUT_S };
  return new CompactSign(encoder.encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: ring.signing.alg, kid: ring.signing.kid })
    .sign(ring.signing.key);
}

/** The id to continue after; throws invalidCursor / expiredCursor. */
export async function verifyCursor(config: Config, tenantId: string, fingerprint: string, cursor: string, now = Date.now()): Promise<string> {
  const ring = await loadKeyRing(config);
  let payload: CursorPayload;
  try {
    const { kid } = decodeProtectedHeader(cursor);
    const key = kid ? ring.verify.get(kid) : undefined;
    if (!key) throw new Error("unknown key");
    const { payload: bytes } = await compactVerify(cursor, key.key, { algorithms: [key.alg] });
    payload = JSON.parse(new TextDecoder().decode(bytes)) as CursorPayload;
  } catch {
    throw invalidCursor("the cursor is not one this service issued");
  }
  if (payload.t !== tenantId || payload.q !== fingerprint) throw invalidCursor("the cursor belongs to a different query");
  if (payload.e * 1000 < now) throw new ScimError(400, "the cursor has expired; start again without it", "expiredCursor");
  return payload.a;
}
