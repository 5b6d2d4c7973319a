// POST /oauth/token: OAuth 2.0 client credentials (RFC 6749 §4.4) with client_secret_basic,
// client_secret_post, or a JWT client assertion from Entra (RFC 7523, workload identity
// federation: src/access/client-assertion.ts); answers RFC 6749 §5.1 / §5.2 JSON. Also
// GET /.well-known/jwks.json.
import { Hono } from "hono";
import { z } from "zod";
import { grantAssertionToken, JWT_BEARER_ASSERTION_TYPE } from "../client-assertion";
import { loadKeyRing } from "../keys";
import { OAuthError } from "../oauth-error";
import { grantClientToken, parseLifetime } from "../token-service";
import { DEFAULT_TOKEN_LIFETIME_S, TOKEN_SCOPE } from "../tokens";
import type { AppEnv } from "../../http/context";
import { readTokenParameters } from "./token-body";
import { withTokenFailureLimits } from "./token-failures";

const TokenRequest = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  expires_in: z.union([z.string(), z.number()]).optional(),
  scope: z.string().optional(),
  client_assertion_type: z.string().optional(),
  client_assertion: z.string().max(16_384).optional(),
});

async function readTokenRequest(req: Request): Promise<z.infer<typeof TokenRequest>> {
  const parsed = TokenRequest.safeParse(await readTokenParameters(req));
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

export const tokenRoutes = new Hono<AppEnv>()
  .post("/oauth/token", async (c) => {
    const body = await readTokenRequest(c.req.raw);
    if (!body.grant_type) throw new OAuthError("invalid_request", "grant_type is required");
    if (body.grant_type !== "client_credentials") {
      throw new OAuthError("unsupported_grant_type", "only client_credentials is supported");
    }
    const basic = basicCredentials(c.req.header("Authorization"));
    const assertion = body.client_assertion_type !== undefined || body.client_assertion !== undefined;
    if ([basic !== undefined, body.client_secret !== undefined, assertion].filter(Boolean).length > 1) {
      throw new OAuthError("invalid_request", "use one client authentication method, not two");
    }
    if (body.scope && !body.scope.split(" ").every((s) => s === TOKEN_SCOPE)) {
      throw new OAuthError("invalid_scope", `the only scope is "${TOKEN_SCOPE}"`);
    }
    const lifetime = parseLifetime(body.expires_in, DEFAULT_TOKEN_LIFETIME_S, "expires_in");
    const deps = { env: c.env, directory: c.get("directory"), config: c.get("config"), origin: c.get("origin"), now: new Date() };
    let issued;
    if (assertion) {
      if (body.client_assertion_type !== JWT_BEARER_ASSERTION_TYPE) {
        throw new OAuthError("invalid_request", `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}`);
      }
      if (!body.client_assertion) throw new OAuthError("invalid_request", "client_assertion is required");
      // The assertion names an Entra application, not one of our clients: client_id says whose token this is.
      if (!body.client_id) throw new OAuthError("invalid_request", "client_id is required with a client assertion");
      issued = await grantAssertionToken(deps, { clientId: body.client_id, assertion: body.client_assertion }, lifetime);
    } else {
      const id = basic?.id ?? body.client_id;
      const secret = basic?.secret ?? body.client_secret;
      if (!id || !secret) throw new OAuthError("invalid_client", "client authentication failed");
      issued = await withTokenFailureLimits(c, id, () => grantClientToken(deps, { clientId: id, secret }, lifetime));
    }
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
