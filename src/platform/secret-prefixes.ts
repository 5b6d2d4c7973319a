// Every prefix of a secret this service issues, in one list: log redaction (src/http/errors.ts)
// takes them from here, so a new kind of secret is redacted as soon as its prefix is listed.
// scs_: SCIM client secrets; scimta_: tenant API tokens; scimps_: portal session cookies;
// scimsl_: setup links; csrf_: portal CSRF tokens. Our JWTs (eyJ…) are redacted by their shape.
export const SECRET_PREFIXES = ["scs_", "scimta_", "scimps_", "scimsl_", "csrf_"] as const;
