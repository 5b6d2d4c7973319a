// The key a per-address rate limit counts under. CF-Connecting-IP is set by Cloudflare's edge and
// cannot be forged through it. An IPv6 client usually holds a whole /64 (and picks a new address
// in it at will), so IPv6 is keyed per /64; IPv4 per address. No header (local tools, tests that
// do not set it): one shared "unknown" key.
export function ipRateKey(ip: string | undefined): string {
  if (!ip) return "unknown";
  const trimmed = ip.trim().toLowerCase();
  if (!trimmed.includes(":")) return trimmed;
  // IPv4-mapped (::ffff:192.0.2.1): the IPv4 address it carries.
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(trimmed);
  if (mapped) return mapped[1]!;
  const prefix = ipv6Prefix64(trimmed);
  return prefix ? `${prefix}::/64` : trimmed.slice(0, 64);
}

/** The first four hextets of an IPv6 address, each without leading zeros; undefined when malformed. */
function ipv6Prefix64(ip: string): string | undefined {
  const address = ip.replace(/%.*$/, ""); // a zone id says nothing about the network
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const part = (s: string | undefined) => (s ? s.split(":") : []);
  const head = part(halves[0]);
  const tail = part(halves[1]);
  // An embedded IPv4 tail (::ffff:1.2.3.4) takes two hextets' room; only the first four matter here.
  const tailLength = tail.reduce((n, h) => n + (h.includes(".") ? 2 : 1), 0);
  const hextets = halves.length === 2 ? [...head, ...Array(Math.max(0, 8 - head.length - tailLength)).fill("0"), ...tail] : head;
  const first = hextets.slice(0, 4);
  if (first.length < 4 || !first.every((h) => /^[0-9a-f]{1,4}$/.test(h))) return undefined;
  return first.map((h) => h.replace(/^0+(?=.)/, "")).join(":");
}
