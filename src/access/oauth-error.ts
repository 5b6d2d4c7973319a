// RFC 6749 §5.2 error responses for the token endpoint; OAuth clients expect this shape, not SCIM's.

export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope";

export class OAuthError extends Error {
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly status = code === "invalid_client" ? 401 : 400,
    /** Extra response headers (Retry-After on a 429). */
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = "OAuthError";
  }
}

export function oauthErrorResponse(err: OAuthError): Response {
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "Cache-Control": "no-store",
    Pragma: "no-cache",
    ...err.headers,
  };
  if (err.status === 401) headers["WWW-Authenticate"] = `Basic realm="oauth", charset="UTF-8"`;
  return new Response(JSON.stringify({ error: err.code, error_description: err.description }), {
    status: err.status,
    headers,
  });
}
