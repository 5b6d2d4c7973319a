// POST /api/V1/token: the token provider dialect of Eptura's SCIM guide (camelCase fields,
// grantType "password", tokenExpiry in seconds). Same clients, tokens and revocation as
// /oauth/token through the one token service; errors keep RFC 6749's {error, error_description}.
import { Hono } from "hono";
import { z } from "zod";
import { OAuthError } from "../oauth-error";
import { grantClientToken, parseLifetime } from "../token-service";
import type { AppEnv } from "../../http/context";
import { withTokenFailureLimits } from "./token-failures";
import { readTokenParameters } from "./token-body";

export const EPTURA_TOKEN_PATH = "/api/V1/token";
/** Eptura's documented default (its guide calls it "24 hours", but the number is 84,600). */
export const EPTURA_DEFAULT_TOKEN_EXPIRY_S = 84_600;

const EpturaTokenRequest = z.object({
  scimClientId: z.string().optional(),
  scimClientSecret: z.string().optional(),
  grantType: z.string().optional(),
  tokenExpiry: z.union([z.string(), z.number()]).optional(),
});

interface EpturaRequest {
  clientId: string;
  secret: string;
  grantType: string;
  tokenExpiry: string | number | undefined;
}

async function readEpturaRequest(req: Request): Promise<EpturaRequest> {
  const parsed = EpturaTokenRequest.safeParse(await readTokenParameters(req));
  if (!parsed.success) throw new OAuthError("invalid_request", "request parameters must be strings");
  const { scimClientId, scimClientSecret, grantType, tokenExpiry } = parsed.data;
  if (!scimClientId || !scimClientSecret || !grantType) {
    const missing = Object.entries({ scimClientId, scimClientSecret, grantType }).filter(([, v]) => !v).map(([k]) => k);
    throw new OAuthError("invalid_request", `${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} required`);
  }
  return { clientId: scimClientId, secret: scimClientSecret, grantType, tokenExpiry };
}

export const epturaTokenRoutes = new Hono<AppEnv>().post(EPTURA_TOKEN_PATH, async (c) => {
  const body = await readEpturaRequest(c.req.raw);
  if (body.grantType !== "password") throw new OAuthError("unsupported_grant_type", `grantType must be "password"`);
  const lifetime = parseLifetime(body.tokenExpiry, EPTURA_DEFAULT_TOKEN_EXPIRY_S, "tokenExpiry");
  const deps = { env: c.env, directory: c.get("directory"), config: c.get("config"), origin: c.get("origin"), now: new Date() };
  const issued = await withTokenFailureLimits(c, body.clientId, () => grantClientToken(deps, { clientId: body.clientId, secret: body.secret }, lifetime));
  return c.json({ accessToken: issued.accessToken, tokenType: "bearer", expiresIn: issued.expiresIn }, 200, {
    "Cache-Control": "no-store",
    Pragma: "no-cache",
  });
});
