// Issue 23, finding 5: the token endpoints' failure limits. Failures count per (client id, source
// address) and, higher, per client id over all addresses; a correct secret from an address with no
// failures is served whatever others guessed; the key is the client id the handler authenticates,
// whatever else the request carries (an extra client_id field, a percent-encoded Basic user);
// IPv6 counts per /64. Through the real fetch handler with CF-Connecting-IP.
import { describe, expect, it } from "vitest";
import { EPTURA_TOKEN_PATH } from "../../src/access/http/eptura-token";
import { call, json } from "../support/http";
import { freshIp, inOneRateWindow } from "../support/rate-window";
import { newTenant } from "../support/tenant";

const form = (fields: Record<string, string>, ip: string, headers: Record<string, string> = {}) => ({
  method: "POST",
  rawBody: new URLSearchParams(fields).toString(),
  headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": ip, ...headers },
});
const oauth = (clientId: string, secret: string, ip: string) =>
  call("/oauth/token", form({ grant_type: "client_credentials", client_id: clientId, client_secret: secret }, ip));
const basic = (user: string, secret: string, ip: string) =>
  call("/oauth/token", form({ grant_type: "client_credentials" }, ip, { Authorization: `Basic ${btoa(`${user}:${secret}`)}` }));
const eptura = (fields: Record<string, string>, ip: string) => call(EPTURA_TOKEN_PATH, form({ grantType: "password", ...fields }, ip));

async function statuses(n: number, send: (i: number) => Promise<Response>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await send(i)).status);
  return out;
}
const all = (n: number, status: number) => Array(n).fill(status);

describe("token endpoint failure limits", () => {
  it("30 wrong secrets from one address: that address is refused, the right secret from Entra's address is served", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      const attacker = freshIp();
      expect(await statuses(30, (i) => oauth(t.clientId, `guess-${i}`, attacker))).toEqual(all(30, 401));
      const refused = await oauth(t.clientId, "guess-31", attacker);
      expect(refused.status).toBe(429);
      expect(refused.headers.get("Retry-After")).toMatch(/^[1-9][0-9]*$/);
      expect(refused.headers.get("Cache-Control")).toBe("no-store");
      expect(await json(refused)).toMatchObject({ error: "invalid_request" });
      // The attacker keeps going; Entra still gets its token, in both dialects.
      expect(await statuses(5, (i) => oauth(t.clientId, `more-${i}`, attacker))).toEqual(all(5, 429));
      const entra = freshIp();
      expect((await oauth(t.clientId, t.clientSecret, entra)).status).toBe(200);
      expect((await eptura({ scimClientId: t.clientId, scimClientSecret: t.clientSecret }, entra)).status).toBe(200);
    });
  });

  it("an extra client_id field on /api/V1/token does not move the count off the scimClientId it checks", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      const ip = freshIp();
      const guess = (i: number) => eptura({ scimClientId: t.clientId, scimClientSecret: `guess-${i}`, client_id: `decoy-${crypto.randomUUID()}` }, ip);
      expect(await statuses(30, guess)).toEqual(all(30, 401));
      expect(await statuses(10, (i) => guess(100 + i))).toEqual(all(10, 429));
    });
  });

  it("a percent-encoded Basic user counts as the client id it decodes to, in both directions", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      expect(t.clientId).toMatch(/_/);
      const ip = freshIp();
      const encoded = t.clientId.replace(/_/g, "%5F");
      const plain = await statuses(15, (i) => oauth(t.clientId, `guess-${i}`, ip));
      const viaBasic = await statuses(15, (i) => basic(encoded, `guess-b-${i}`, ip));
      expect([...plain, ...viaBasic]).toEqual(all(30, 401));
      expect((await basic(encoded, "one-more", ip)).status).toBe(429);
      expect((await oauth(t.clientId, "one-more", ip)).status).toBe(429);
    });
  });

  it("IPv6 addresses count per /64: new addresses in the same /64 do not buy new guesses; another /64 is not refused", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      const prefix = freshIp().split("::")[0]!;
      const inPrefix = (i: number) => `${prefix}:${(i + 1).toString(16)}:0:0:${(i * 7 + 3).toString(16)}`;
      expect(await statuses(30, (i) => oauth(t.clientId, `guess-${i}`, inPrefix(i)))).toEqual(all(30, 401));
      expect((await oauth(t.clientId, "again", `${prefix}::beef`)).status).toBe(429);
      expect((await oauth(t.clientId, "again", `${prefix.toUpperCase()}:0000::1`)).status).toBe(429);
      expect((await oauth(t.clientId, "elsewhere", freshIp())).status).toBe(401);
    });
  });

  it("per client over all addresses: past 120 failures every further failure is refused, a correct secret from a clean address is not", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      const ips = Array.from({ length: 4 }, () => freshIp());
      for (const ip of ips) expect(await statuses(30, (i) => oauth(t.clientId, `guess-${i}`, ip))).toEqual(all(30, 401));
      // A fifth address, no failures of its own: its wrong secret is refused by the client's count...
      const fifth = freshIp();
      expect((await oauth(t.clientId, "guess-121", fifth)).status).toBe(429);
      // ...its right secret (and another clean address's) is served.
      expect((await oauth(t.clientId, t.clientSecret, fifth)).status).toBe(200);
      expect((await oauth(t.clientId, t.clientSecret, freshIp())).status).toBe(200);
    });
  });
});
