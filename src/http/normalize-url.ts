// Before routing: the URL habits of SCIM clients. Entra writes "/scim//Users" and "/scim/v2/users";
// Eptura's guide gives "/scim/api/V1/" and "/scim/v1/" as the Tenant URL and lower-case resource
// names. Every SCIM base is routed as "/scim/v2" (one routing table); the base the client used is
// remembered per request, so meta.location and Location headers answer in the client's terms.

const CANONICAL_SEGMENTS = new Map(
  ["Users", "Groups", "Schemas", "ResourceTypes", "ServiceProviderConfig", "Bulk", "Me"].map((s) => [
    s.toLowerCase(),
    s,
  ]),
);

/** The SCIM base paths we serve, as the client may spell them, and their canonical spelling. */
const SCIM_BASES: readonly { pattern: RegExp; base: string }[] = [
  { pattern: /^\/scim\/v2(?=\/|$)/i, base: "/scim/v2" },
  { pattern: /^\/scim\/api\/v1(?=\/|$)/i, base: "/scim/api/V1" },
  { pattern: /^\/scim\/v1(?=\/|$)/i, base: "/scim/v1" },
];
export const ROUTED_SCIM_BASE = "/scim/v2";

/** Eptura's token provider path, whatever the case of its segments. */
const TOKEN_PROVIDER = { pattern: /^\/api\/v1\/token\/?$/i, path: "/api/V1/token" };

// Keyed by the Request object the app receives, so no client input (a header) can set it.
const clientBases = new WeakMap<Request, string>();

/** The SCIM base path (canonical spelling) the client used for this request; "/scim/v2" by default. */
export function clientScimBase(request: Request): string {
  return clientBases.get(request) ?? ROUTED_SCIM_BASE;
}

function routedPath(path: string): { path: string; base?: string } {
  if (TOKEN_PROVIDER.pattern.test(path)) return { path: TOKEN_PROVIDER.path };
  const known = SCIM_BASES.find((b) => b.pattern.test(path));
  if (!known) return { path };
  const rest = path.replace(known.pattern, "");
  const [, first, ...others] = rest.split("/");
  if (first === undefined) return { path: ROUTED_SCIM_BASE, base: known.base };
  const canonical = CANONICAL_SEGMENTS.get(first.toLowerCase()) ?? first;
  return { path: [ROUTED_SCIM_BASE, canonical, ...others].join("/"), base: known.base };
}

export function normalizeScimUrl(request: Request): Request {
  const url = new URL(request.url);
  const collapsed = url.pathname.replace(/\/{2,}/g, "/");
  const { path, base } = routedPath(collapsed);
  let routed = request;
  if (path !== url.pathname) {
    url.pathname = path;
    routed = new Request(url.toString(), request);
  }
  if (base !== undefined && base !== ROUTED_SCIM_BASE) clientBases.set(routed, base);
  return routed;
}
