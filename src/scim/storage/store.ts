// createStore(db, tenantId, gate, schemas): the storage adapter behind src/scim/store.ts, tenant baked in;
// the token gate folds the request's revocation check into its first batch.
import type { SchemaRegistry } from "../schema/registry";
import type { Store } from "../store";
import type { Db } from "../../platform/d1/db";
import { createGroupStore } from "./groups";
import { createUserStore, type HubNameCheck } from "./users";
import type { TokenGate } from "../../access/port";

/** `checkHubName`: the Device Hub's answer on a userName at create/rename (default: the mirror only). */
export function createStore(db: Db, tenantId: string, gate: TokenGate, schemas: SchemaRegistry, checkHubName?: HubNameCheck): Store {
  return {
    tenantId,
    schemas,
    users: createUserStore(db, tenantId, gate, schemas, checkHubName),
    groups: createGroupStore(db, tenantId, gate, schemas),
  };
}
