// createStore(db, tenantId): the storage adapter behind src/scim/store.ts, tenant baked in.
import type { Store } from "../scim/store";
import type { Db } from "./db";
import { createGroupStore } from "./groups";
import { createUserStore, type HubNameCheck } from "./users";

/** `checkHubName`: the Device Hub's answer on a userName at create/rename (default: the mirror only). */
export function createStore(db: Db, tenantId: string, checkHubName?: HubNameCheck): Store {
  return { tenantId, users: createUserStore(db, tenantId, checkHubName), groups: createGroupStore(db, tenantId) };
}
