// What every service call needs besides the store: time, the public base URL, preconditions,
// and a list that collects the Entra compatibility rewrites that fired.
import { notFound, preconditionFailed } from "./errors";
import { etagMatches } from "./etag";
import type { StoredResource } from "./store";
import type { Rewrite } from "./compat/entra";

export interface ServiceContext {
  now: string;
  baseUrl: string;
  ifMatch?: string;
  rewrites: Rewrite[];
  /** Does the tenant refuse names the Device Hub would refuse? Asked only when a write has one. */
  hubNamingRulesEnforced?: () => Promise<boolean>;
}

/** Attempts for a read-modify-write without If-Match that lost a race (then 412 is honest). */
export const WRITE_ATTEMPTS = 3;

export function requireFound<T extends StoredResource>(stored: T | undefined, what: string, id: string): T {
  if (!stored) throw notFound(`${what} ${id} not found`);
  return stored;
}

export function checkIfMatch(ctx: ServiceContext, stored: StoredResource): void {
  if (ctx.ifMatch !== undefined && !etagMatches(ctx.ifMatch, stored.version)) throw preconditionFailed();
}
