// Discovery endpoints (RFC 7644 §4): ServiceProviderConfig, Schemas, ResourceTypes. Truthful about
// what this deployment supports; the schema documents are rendered from scim/schema definitions.
// Query parameters such as filter are ignored here, as RFC 7644 §4 allows.
import { Hono } from "hono";
import { notFound } from "../errors";
import { listResponse } from "../list-response";
import {
  renderResourceTypeByName,
  renderResourceTypes,
  renderSchemaById,
  renderSchemas,
} from "../schema/schemas-document";
import { serviceProviderConfig } from "../service-provider-config";
import type { ScimEnv } from "../../http/context";
import { baseUrlOf } from "./scim-handler";
import { scimJson } from "../../http/respond";

const fullList = (resources: unknown[]) => listResponse(resources, { totalResults: resources.length, startIndex: 1 });

export const discoveryRoutes = new Hono<ScimEnv>()
  .get("/ServiceProviderConfig", (c) => scimJson(serviceProviderConfig(baseUrlOf(c))))
  .get("/Schemas", (c) => scimJson(fullList(renderSchemas(baseUrlOf(c), c.get("store").schemas))))
  .get("/Schemas/:urn", (c) => {
    const urn = c.req.param("urn");
    const schema = renderSchemaById(urn, baseUrlOf(c), c.get("store").schemas);
    if (!schema) throw notFound(`schema ${urn} not found`);
    return scimJson(schema);
  })
  .get("/ResourceTypes", (c) => scimJson(fullList(renderResourceTypes(baseUrlOf(c), c.get("store").schemas))))
  .get("/ResourceTypes/:name", (c) => {
    const name = c.req.param("name");
    const rt = renderResourceTypeByName(name, baseUrlOf(c), c.get("store").schemas);
    if (!rt) throw notFound(`resource type ${name} not found`);
    return scimJson(rt);
  });
