// createStore(db, tenantId, gate): the storage adapter behind src/scim/store.ts, tenant baked in;
// the token gate folds the request's revocation check into its first batch.
import type { Store } from "../scim/store";
import type { Db } from "./db";
import { createGroupStore } from "./groups";
import { createUserStore } from "./users";
import type { TokenGate } from "./token-gate";

export function createStore(db: Db, tenantId: string, gate: TokenGate): Store {
  return { tenantId, users: createUserStore(db, tenantId, gate), groups: createGroupStore(db, tenantId, gate) };
}
