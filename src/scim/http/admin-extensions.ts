// Admin: a tenant's SCIM extension schemas. GET lists the built-in ones and the tenant's own;
// PUT /tenants/{id}/extensions/{urn} declares (or redeclares) one; DELETE removes it. Declared
// attributes are validated, stored, returned, filtered, sorted and patched like standard ones.
import { Hono } from "hono";
import { invalidValue, notFound } from "../errors";
import type { SchemaDefinition } from "../schema/attribute";
import {
  extensionSchema,
  MAX_EXTENSIONS_PER_TENANT,
  parseExtensionDeclaration,
  type ExtensionSpec,
} from "../schema/declared-extension";
import { builtInExtensions } from "../schema/registry";
import { renderAttribute } from "../schema/schemas-document";
import {
  countTenantExtensions,
  deleteTenantExtension,
  findTenantExtension,
  listTenantExtensions,
  upsertTenantExtension,
  type TenantExtensionRow,
} from "../storage/tenant-extensions";
import { activeTenant } from "../../tenancy/port";
import { readJsonBody } from "../../http/body";
import type { AdminTenantEnv } from "../../http/context";
import { forgetTenantSchemas, specOfRow } from "./tenant-schemas";

function extensionJson(schema: SchemaDefinition, resourceType: string, row?: TenantExtensionRow) {
  return {
    urn: schema.id,
    resourceType,
    name: schema.name,
    description: schema.description,
    builtIn: row === undefined,
    attributes: schema.attributes.map(renderAttribute),
    ...(row ? { createdAt: row.createdAt, updatedAt: row.updatedAt } : {}),
  };
}

const declaredJson = (row: TenantExtensionRow) => {
  const spec: ExtensionSpec = specOfRow(row);
  return extensionJson(extensionSchema(spec), spec.resourceType, row);
};

const builtInJson = () => builtInExtensions.map((e) => extensionJson(e.schema, e.resourceType));

// Behind the one admin guard of src/http/app.ts (a second `use` here ran it again for every
// /admin/v1 route mounted after this module: a tenant admin's calls counted twice).
export const extensionRoutes = new Hono<AdminTenantEnv>()
  .get("/", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    const declared = (await listTenantExtensions(db, tenant.id)).map(declaredJson);
    return c.json({ extensions: [...builtInJson(), ...declared] });
  })
  .get("/:urn", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    const urn = c.req.param("urn");
    const builtIn = builtInJson().find((e) => e.urn.toLowerCase() === urn.toLowerCase());
    if (builtIn) return c.json(builtIn);
    const row = await findTenantExtension(db, tenant.id, urn);
    if (!row) throw notFound(`extension ${urn} is not declared for tenant ${tenant.id}`);
    return c.json(declaredJson(row));
  })
  .put("/:urn", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    const spec = parseExtensionDeclaration(c.req.param("urn"), await readJsonBody(c));
    const schema = extensionSchema(spec);
    const existing = await findTenantExtension(db, tenant.id, spec.urn);
    if (!existing && (await countTenantExtensions(db, tenant.id)) >= MAX_EXTENSIONS_PER_TENANT) {
      throw invalidValue(`a tenant declares at most ${MAX_EXTENSIONS_PER_TENANT} extension schemas`);
    }
    const row = { tenantId: tenant.id, schemaUrn: spec.urn, resourceType: spec.resourceType, name: schema.name, description: spec.description, attributes: spec.attributes };
    const created = await upsertTenantExtension(db, row, new Date().toISOString());
    forgetTenantSchemas(tenant.id);
    const stored = await findTenantExtension(db, tenant.id, spec.urn);
    return c.json(declaredJson(stored!), created ? 201 : 200);
  })
  .delete("/:urn", async (c) => {
    const db = c.get("db");
    const tenant = activeTenant(c.var.tenant);
    const urn = c.req.param("urn");
    if (builtInExtensions.some((e) => e.schema.id.toLowerCase() === urn.toLowerCase())) {
      throw invalidValue(`${urn} is built in and cannot be removed`);
    }
    if (!(await deleteTenantExtension(db, tenant.id, urn))) throw notFound(`extension ${urn} is not declared for tenant ${tenant.id}`);
    forgetTenantSchemas(tenant.id);
    return c.body(null, 204);
  });
