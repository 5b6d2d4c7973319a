// The userName check of a SCIM create or rename against the Device Hub: one
// `GET /v1/users?userName=…` bounded by HUB_NAME_CHECK_TIMEOUT_MS (src/config.ts). A hub user that is not ours holding
// the name means 409 uniqueness (or, under the "adopt" policy, linking that hub user on create).
// When the hub is slow, down or not configured the mirror decides instead (fail open), counted in
// the status (hubNameCheck.fallbacks).
import type { Bindings } from "../../config";
import type { Logger } from "../../platform/log";
import { uniqueness } from "../../scim/errors";
import type { Db } from "../../platform/d1/db";
import { ttlCache } from "../../platform/ttl-cache";
import { ownedByHubIds, ownedByRefs } from "../storage/sync-owned";
import { recordNameRejection } from "../storage/hub-name-rejections";
import { countNameCheckFallback, findHubSettings, type HubSettingsRow } from "../storage/sync-state";
import type { HubNameCheck, HubNameVerdict } from "../../scim/port";
import { connectHub } from "./connector";
import { createCallCounter } from "./budget";
import { runParts } from "../../platform/d1/batch";

// The tenant's hub settings, read on the create/rename path through a short per-isolate cache like
// the rate-limit tier and the schema registry: a create costs no extra D1 round trip for them. An
// admin change is seen at once by the isolate that made it, by others within SETTINGS_CACHE_MS.
const SETTINGS_CACHE_MS = 30_000;
const settingsCache = ttlCache<HubSettingsRow | undefined>(SETTINGS_CACHE_MS);

const cachedHubSettings = (db: Db, tenantId: string) => settingsCache.get(tenantId, () => findHubSettings(db, tenantId));

/** After an admin change of the tenant's Device Hub settings or policy. */
export function forgetHubSettings(tenantId: string): void {
  settingsCache.forget(tenantId);
}

export const hubHoldsName = (userName: string) =>
  uniqueness(`userName "${userName}" is already held by a user in the connected Device Hub`);

/** `timeoutMs`: the longest the SCIM request waits for the hub's answer before the mirror decides. */
export function hubNameCheck(env: Bindings, db: Db, tenantId: string, opts: { timeoutMs: number; log?: Logger }): HubNameCheck {
  const { timeoutMs, log } = opts;
  const fallback = async (reason: string): Promise<HubNameVerdict> => {
    log?.warn("userName check fell back to the mirror", { tenantId, reason });
    await countNameCheckFallback(db, tenantId, new Date().toISOString());
    return { kind: "mirror" };
  };
  return async (userName, { mayAdopt, candidate }) => {
    const settings = await cachedHubSettings(db, tenantId);
    if (!settings) return { kind: "mirror" };
    let holder;
    try {
      const hub = await connectHub(env, settings, createCallCounter(), Date.now() + timeoutMs);
      holder = await hub.findUserByUserName(userName);
    } catch (e) {
      return fallback(e instanceof Error ? e.message : String(e));
    }
    if (!holder) return { kind: "free" };
    // One of our own users holds it (a rename or delete of it is on its way): not the hub's name.
    // Ours by the ledger's hub id too: an adopted user whose externalRef has not reached the hub.
    const { byRef, byHubId } = await runParts(db, {
      byRef: ownedByRefs(db, tenantId, "user", holder.externalRef ? [holder.externalRef] : []),
      byHubId: ownedByHubIds(db, tenantId, "user", [holder.id]),
    });
    if (byHubId.length > 0 || byRef.some((o) => o.hub_id === null || o.hub_id === holder.id)) return { kind: "free" };
    if (mayAdopt && settings.hubConflict === "adopt" && holder.externalRef === null) return { kind: "adopt", hubId: holder.id, userNameLc: holder.userName.toLowerCase() };
    // Kept with its holder, so an admin can adopt the hub account later without Entra re-sending.
    if (candidate) {
      await recordNameRejection(db, tenantId, { userName, scimId: candidate.id, doc: candidate.doc, holderHubId: holder.id, holderExternalRef: holder.externalRef }, new Date().toISOString())
        .catch((e: unknown) => log?.warn("hub-held name not recorded", { tenantId, error: e instanceof Error ? e.message : String(e) }));
    }
    throw hubHoldsName(userName);
  };
}
