// An issued SCIM token as the admin API lists it, with the expiry warning the portal and console
// show: Entra's provisioning stops silently when its Secret Token expires.
import type { IssuedTokenRow } from "../../tenancy/port";
import { DAY_MS } from "../../platform/clock";
import { creatorJson } from "./credential-creator";
import type { TokenJson } from "./responses";

export const EXPIRY_WARNING_DAYS = 30;

/**
 * Live (not revoked, not yet expired), made to last longer than a day, and expiring within
 * EXPIRY_WARNING_DAYS of `now`. The token endpoint's short-lived access tokens (an OAuth client
 * gets a new one every hour) always "expire soon" and need nobody's attention: never flagged.
 */
export function expiringSoon(row: Pick<IssuedTokenRow, "issuedAt" | "expiresAt" | "revokedAt">, now: Date): boolean {
  const left = Date.parse(row.expiresAt) - now.getTime();
  const lifetime = Date.parse(row.expiresAt) - Date.parse(row.issuedAt);
  return row.revokedAt === null && lifetime > DAY_MS && left > 0 && left <= EXPIRY_WARNING_DAYS * DAY_MS;
}

export const tokenJson = (r: IssuedTokenRow, now: Date): TokenJson => ({
  jti: r.jti,
  client_id: r.clientId,
  issued_at: r.issuedAt,
  expires_at: r.expiresAt,
  revoked_at: r.revokedAt,
  expiring_soon: expiringSoon(r, now),
  ...creatorJson(r),
});

/** Whole days left until `expiresAt`, rounded down (0 on the last day). */
export const daysLeft = (expiresAt: string, now: Date) => Math.max(0, Math.floor((Date.parse(expiresAt) - now.getTime()) / DAY_MS));
