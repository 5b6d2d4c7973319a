// createStore(db, tenantId, schemas): the storage adapter behind src/scim/store.ts, tenant baked in.
import type { SchemaRegistry } from "../scim/schema/registry";
import type { Store } from "../scim/store";
import type { Db } from "./db";
import { createGroupStore } from "./groups";
import { createUserStore } from "./users";

export function createStore(db: Db, tenantId: string, schemas: SchemaRegistry): Store {
  return { tenantId, schemas, users: createUserStore(db, tenantId, schemas), groups: createGroupStore(db, tenantId, schemas) };
}
