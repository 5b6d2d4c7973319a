// createStore(db, tenantId): the storage adapter behind src/scim/store.ts, tenant baked in.
import type { Store } from "../scim/store";
import type { Db } from "./db";
import { createGroupStore } from "./groups";
import { createUserStore } from "./users";

export function createStore(db: Db, tenantId: string): Store {
  return { tenantId, users: createUserStore(db, tenantId), groups: createGroupStore(db, tenantId) };
}
