// Adopting hub-held userNames on the admin's word (…/provisioning/hub-held-names/adopt): the SCIM
// creates refused, or parked, because a hub account that is not ours holds the name. Each name is
// asked of the hub first: only an account that still holds it and carries no externalRef (self-
// registered, uploaded by a hub admin) is adopted; another integration's account never is. An
// adoption links it in the ledger and the mirror (the next run writes our externalRef first, see
// finish-adoptions.ts); a refused create also becomes the SCIM user it would have been.
import type { Bindings } from "../../config";
import type { Db } from "../../platform/d1/db";
import { runParts, uniqueColumnsOf } from "../../platform/d1/batch";
import { forgetNameRejectionStatement, listHubHeldNames, unparkForAdoptionStatement, type HubHeldName } from "../storage/hub-name-rejections";
import { outboxRow } from "../../scim/port";
import { upsertHubUsersStatements } from "../storage/sync-mirror";
import { ownedByHubIds, recordOwnershipStatement } from "../storage/sync-owned";
import { updateSyncState, type HubSettingsRow } from "../storage/sync-state";
import { users } from "../../platform/schema/tables";
import { indexedColumns } from "../../scim/port";
import { connectHub } from "../hub/connector";
import { createCallCounter } from "../hub/budget";
import { DeviceHubError } from "../hub/client";
import type { AdoptResultJson } from "./responses";
import { chunk } from "../engine/context";

/** Names adopted per request at most (one hub lookup each); `more` says when to ask again. */
export const MAX_ADOPTIONS_PER_CALL = 100;
const IN_FLIGHT = 6;

export interface AdoptRequest {
  /** Names to adopt (case-insensitive); or `all`: every listed one, up to MAX_ADOPTIONS_PER_CALL. */
  userNames?: string[];
  all?: boolean;
}

/** Adopt hub-held names of the tenant whose (saved) Device Hub settings are given. */
export async function adoptHubHeldNames(env: Bindings, db: Db, settings: HubSettingsRow, req: AdoptRequest): Promise<AdoptResultJson> {
  const tenantId = settings.tenantId;
  const wanted = req.all ? null : [...new Set((req.userNames ?? []).map((n) => n.toLowerCase()))];
  const { items, truncated } = await listHubHeldNames(db, tenantId, wanted);
  const chosen = items.slice(0, MAX_ADOPTIONS_PER_CALL);
  const result: AdoptResultJson = { adopted: [], refused: [], more: truncated || items.length > chosen.length };
  const listed = new Set(items.map((i) => i.userName.toLowerCase()));
  for (const name of wanted ?? []) if (!listed.has(name)) result.refused.push({ userName: name, reason: "not a hub-held name of this tenant (see GET …/hub-held-names)" });
  const hub = await connectHub(env, settings, createCallCounter(), Date.now() + settings.timeoutMs * 3);
  const now = new Date().toISOString();
  for (const slice of chunk(chosen, IN_FLIGHT)) {
    await Promise.all(slice.map(async (item) => {
      const outcome = await adoptOne(db, tenantId, hub, item, now);
      if (typeof outcome === "string") result.refused.push({ userName: item.userName, reason: outcome });
      else result.adopted.push(outcome);
    }));
  }
  if (result.adopted.length) await updateSyncState(db, tenantId, { nextRunAt: now, updatedAt: now });
  return result;
}

type Hub = Awaited<ReturnType<typeof connectHub>>;

/** Adopt one name: the adoption, or why not (a sentence). */
async function adoptOne(db: Db, tenantId: string, hub: Hub, item: HubHeldName, now: string): Promise<{ userName: string; scimId: string; hubId: string } | string> {
  let holder;
  try {
    holder = await hub.findUserByUserName(item.userName);
  } catch (e) {
    return `the Device Hub did not answer (${e instanceof DeviceHubError ? e.message : String(e)}); try again`;
  }
  const nameLc = item.userName.toLowerCase();
  if (!holder) {
    if (item.source === "rejectedCreate") await db.batch([forgetNameRejectionStatement(db, tenantId, nameLc)]);
    return "no hub account holds this name any more: the identity provider's next create (or a retry of the parked one) goes through";
  }
  if (holder.externalRef !== null) {
    if ((await ownedByHubIds(db, tenantId, "user", [holder.id])).length > 0) return "already ours";
    return `held by an account of another integration (externalRef "${holder.externalRef}"): never adopted`;
  }
  const link = [
    recordOwnershipStatement(db, tenantId, "user", [{ scimId: item.scimId, hubId: holder.id }], "adopted", now),
    ...upsertHubUsersStatements(db, tenantId, [{ hubId: holder.id, externalRef: item.scimId, userNameLc: holder.userName.toLowerCase(), syncedVersion: 0, active: holder.active }]),
  ];
  try {
    if (item.source === "parkedCreate") {
      await runParts(db, { link, unpark: unparkForAdoptionStatement(db, tenantId, item.scimId, now) });
    } else {
      const doc = item.doc ?? {};
      await runParts(db, {
        // The SCIM user the refused create would have made, with its id and document.
        user: db.insert(users).values({ tenantId, id: item.scimId, ...indexedColumns(doc), version: 1, createdAt: now, updatedAt: now, doc }),
        link,
        outbox: outboxRow(db, tenantId, "User", item.scimId, "upsert", now),
        rejection: forgetNameRejectionStatement(db, tenantId, nameLc),
      });
    }
  } catch (e) {
    if (uniqueColumnsOf(e)) return "a SCIM user with this userName (or id) exists now";
    throw e;
  }
  return { userName: item.userName, scimId: item.scimId, hubId: holder.id };
}
