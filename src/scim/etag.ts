// Weak ETags derived from the version column (RFC 7644 §3.14), and If-Match / If-None-Match checks.

export const etagOf = (version: number): string => `W/"${version}"`;

/** Does an If-Match / If-None-Match header value name this version? Accepts W/ and strong forms, lists, `*`. */
export function etagMatches(header: string, version: number): boolean {
  return header.split(",").some((part) => {
    const tag = part.trim();
    if (tag === "*") return true;
    return tag.replace(/^W\//i, "").replace(/^"|"$/g, "") === String(version);
  });
}
