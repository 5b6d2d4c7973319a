// Entra's Tenant URL habits: a Tenant URL with a trailing slash gives "/scim/v2//Users", and some
// clients write "/scim/v2/users". We collapse repeated slashes and canonicalise the case of SCIM
// endpoint names before routing. (A path without the version, such as "/scim//Users", stays a 404.)

const CANONICAL_SEGMENTS = new Map(
  ["Users", "Groups", "Schemas", "ResourceTypes", "ServiceProviderConfig", "Bulk", "Me"].map((s) => [
    s.toLowerCase(),
    s,
  ]),
);

export function normalizeScimUrl(request: Request): Request {
  const url = new URL(request.url);
  const collapsed = url.pathname.replace(/\/{2,}/g, "/");
  let path = collapsed;
  if (/^\/scim\/v2\//i.test(collapsed)) {
    const rest = collapsed.slice("/scim/v2/".length);
    const [first, ...others] = rest.split("/");
    const canonical = CANONICAL_SEGMENTS.get((first ?? "").toLowerCase()) ?? first;
    path = ["/scim/v2", canonical, ...others].join("/");
  }
  if (path === url.pathname) return request;
  url.pathname = path;
  return new Request(url.toString(), request);
}
