// POST /oauth/token: OAuth 2.0 client credentials (RFC 6749 §4.4) with client_secret_basic or
// client_secret_post; answers RFC 6749 §5.1 / §5.2 JSON. Also GET /.well-known/jwks.json.
import { Hono } from "hono";
import { z } from "zod";
import { verifySecret } from "../../../auth/client-secret";
import { loadKeyRing } from "../../../auth/keys";
import { OAuthError } from "../../../auth/oauth-error";
import { issueAccessToken } from "../../../auth/token-service";
import { DEFAULT_TOKEN_LIFETIME_S, MAX_TOKEN_LIFETIME_S, MIN_TOKEN_LIFETIME_S, TOKEN_SCOPE } from "../../../auth/tokens";
import { findClientById } from "../../../storage/tenants";
import type { AppEnv } from "../../context";

const TokenRequest = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  expires_in: z.union([z.string(), z.number()]).optional(),
  scope: z.string().optional(),
});

// A client-credentials request is a few hundred bytes; anything far larger is not one.
const MAX_TOKEN_REQUEST_BYTES = 8 * 1024;

async function readTokenRequest(req: Request): Promise<z.infer<typeof TokenRequest>> {
  const type = req.headers.get("Content-Type") ?? "";
  const isJson = /^application\/json/i.test(type);
  if (!isJson && !/^application\/x-www-form-urlencoded/i.test(type) && type !== "") {
    throw new OAuthError("invalid_request", "send application/x-www-form-urlencoded");
  }
  const tooLarge = () => new OAuthError("invalid_request", `request body exceeds ${MAX_TOKEN_REQUEST_BYTES} bytes`);
  if (Number(req.headers.get("Content-Length") ?? "0") > MAX_TOKEN_REQUEST_BYTES) throw tooLarge();
  let text: string;
  let raw: unknown;
  try {
    text = new TextDecoder().decode(await req.arrayBuffer());
    if (text.length > MAX_TOKEN_REQUEST_BYTES) throw tooLarge();
    raw = isJson ? JSON.parse(text) : new URLSearchParams(text);
  } catch (err) {
    if (err instanceof OAuthError) throw err;
    throw new OAuthError("invalid_request", "request body could not be parsed");
  }
  if (raw instanceof URLSearchParams) {
    const keys = [...raw.keys()];
    // RFC 6749 §3.2: parameters must not be included more than once.
    if (new Set(keys).size !== keys.length) throw new OAuthError("invalid_request", "a request parameter is repeated");
    raw = Object.fromEntries(raw);
  }
  const parsed = TokenRequest.safeParse(raw);
  if (!parsed.success) throw new OAuthError("invalid_request", "request parameters must be strings");
  return parsed.data;
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!match) return undefined;
  let decoded: string;
  try {
    decoded = atob(match[1]!);
  } catch {
    throw new OAuthError("invalid_client", "malformed Basic credentials");
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new OAuthError("invalid_client", "malformed Basic credentials");
  // RFC 6749 §2.3.1: both parts are form-urlencoded before Basic encoding. A bad %-escape is the
  // client's mistake (decodeURIComponent throws URIError), not a 500.
  try {
    const unescape = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
    return { id: unescape(decoded.slice(0, colon)), secret: unescape(decoded.slice(colon + 1)) };
  } catch {
    throw new OAuthError("invalid_client", "malformed Basic credentials");
  }
}

function parseLifetime(value: string | number | undefined): number {
  if (value === undefined || value === "") return DEFAULT_TOKEN_LIFETIME_S;
  // Strings must be plain decimal digits: Number() would also take "1e3", "0x10" and " 60 ".
  const n = typeof value === "number" ? value : /^[0-9]{1,12}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < MIN_TOKEN_LIFETIME_S || n > MAX_TOKEN_LIFETIME_S) {
    throw new OAuthError(
      "invalid_request",
      `expires_in must be an integer between ${MIN_TOKEN_LIFETIME_S} and ${MAX_TOKEN_LIFETIME_S} seconds`,
    );
  }
  return n;
}

export const tokenRoutes = new Hono<AppEnv>()
  .post("/oauth/token", async (c) => {
    const body = await readTokenRequest(c.req.raw);
    if (!body.grant_type) throw new OAuthError("invalid_request", "grant_type is required");
    if (body.grant_type !== "client_credentials") {
      throw new OAuthError("unsupported_grant_type", "only client_credentials is supported");
    }
    const basic = basicCredentials(c.req.header("Authorization"));
    if (basic && body.client_secret) {
      throw new OAuthError("invalid_request", "use one client authentication method, not two");
    }
    const id = basic?.id ?? body.client_id;
    const secret = basic?.secret ?? body.client_secret;
    if (!id || !secret) throw new OAuthError("invalid_client", "client authentication failed");
    if (body.scope && !body.scope.split(" ").every((s) => s === TOKEN_SCOPE)) {
      throw new OAuthError("invalid_scope", `the only scope is "${TOKEN_SCOPE}"`);
    }
    const lifetime = parseLifetime(body.expires_in);
    const db = c.get("db");
    const client = await findClientById(db, id);
    // Hash even when the client is unknown, so response time does not reveal which ids exist.
    const secretOk = await verifySecret(secret, client?.secretHash ?? "0".repeat(64));
    if (!client || !secretOk || client.status !== "active") {
      throw new OAuthError("invalid_client", "client authentication failed");
    }
    const issued = await issueAccessToken(
      { db, config: c.get("config"), origin: c.get("origin"), now: new Date() },
      client,
      lifetime,
    );
    return c.json(
      { access_token: issued.accessToken, token_type: "Bearer", expires_in: issued.expiresIn, scope: TOKEN_SCOPE },
      200,
      { "Cache-Control": "no-store", Pragma: "no-cache" },
    );
  })
  .get("/.well-known/jwks.json", async (c) => {
    const ring = await loadKeyRing(c.get("config"));
    return c.json(ring.jwks, 200, { "Cache-Control": "public, max-age=300" });
  });
