// Discovery endpoints through the real Worker fetch: /Schemas, /ResourceTypes (RFC 7644 §4).
import { describe, expect, it } from "vitest";
import { call, json, ORIGIN } from "../support/http";
import { newTenant } from "../support/tenant";
import { ADDITIONAL_ATTRIBUTES_SCHEMA } from "../../src/scim/schema/additional-attributes";
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, LIST_RESPONSE, USER_SCHEMA } from "../../src/scim/urns";

type Json = Record<string, unknown>;
const BASE = `${ORIGIN}/scim/v2`;
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

/** Paths of every null value in a JSON document (Entra rejects nulls in discovery output). */
function nullPaths(value: unknown, path = "$"): string[] {
  if (value === null) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nullPaths(v, `${path}[${i}]`));
  if (typeof value === "object") return Object.entries(value as Json).flatMap(([k, v]) => nullPaths(v, `${path}.${k}`));
  return [];
}

async function get(path: string) {
  const t = await newTenant();
  const res = await call(`/scim/v2${path}`, { token: t.token });
  return { res, body: await json(res) };
}

describe("GET /Schemas", () => {
  it("200 ListResponse with User, EnterpriseUser, the additional attributes and Group; no nulls anywhere", async () => {
    const { res, body } = await get("/Schemas");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/scim+json");
    expect(body).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 4, startIndex: 1, itemsPerPage: 4 });
    const resources = body["Resources"] as Json[];
    expect(resources.map((r) => r["id"])).toEqual([USER_SCHEMA, ENTERPRISE_USER_SCHEMA, ADDITIONAL_ATTRIBUTES_SCHEMA, GROUP_SCHEMA]);
    expect(resources[0]).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
      name: "User",
      meta: { resourceType: "Schema", location: `${BASE}/Schemas/${USER_SCHEMA}` },
    });
    expect(nullPaths(body)).toEqual([]);
  });

  it("attributes are complete definitions with camelCase enums", async () => {
    const { body } = await get("/Schemas");
    const user = (body["Resources"] as Json[])[0]!;
    const emails = (user["attributes"] as Json[]).find((a) => a["name"] === "emails");
    expect(emails).toMatchObject({
      type: "complex",
      multiValued: true,
      required: false,
      caseExact: false,
      mutability: "readWrite",
      returned: "default",
      uniqueness: "none",
    });
    const primary = (emails?.["subAttributes"] as Json[]).find((s) => s["name"] === "primary");
    expect(primary).toEqual({
      name: "primary",
      type: "boolean",
      multiValued: false,
      description: expect.any(String),
      required: false,
      caseExact: false,
      mutability: "readWrite",
      returned: "default",
      uniqueness: "none",
    });
  });

  it("ignores a filter parameter (RFC 7644 §4)", async () => {
    const { res, body } = await get(`/Schemas?filter=${encodeURIComponent('id eq "x"')}`);
    expect(res.status).toBe(200);
    expect(body["totalResults"]).toBe(4);
  });
});

describe("GET /Schemas/{urn}", () => {
  it.each([USER_SCHEMA, ENTERPRISE_USER_SCHEMA, ADDITIONAL_ATTRIBUTES_SCHEMA, GROUP_SCHEMA])("%s is served on its own", async (urn) => {
    const { res, body } = await get(`/Schemas/${urn}`);
    expect(res.status).toBe(200);
    expect(body["id"]).toBe(urn);
    expect(body["meta"]).toEqual({ resourceType: "Schema", location: `${BASE}/Schemas/${urn}` });
    expect(nullPaths(body)).toEqual([]);
  });

  it("matches the URN case-insensitively", async () => {
    const { res, body } = await get(`/Schemas/${GROUP_SCHEMA.toUpperCase()}`);
    expect(res.status).toBe(200);
    expect(body["id"]).toBe(GROUP_SCHEMA);
  });

  it("404 SCIM error for an unknown schema", async () => {
    const { res, body } = await get("/Schemas/urn:example:params:scim:schemas:Nope");
    expect(res.status).toBe(404);
    expect(body).toEqual({ schemas: [ERROR], status: "404", detail: expect.stringContaining("urn:example:params:scim:schemas:Nope") });
  });
});

describe("GET /ResourceTypes", () => {
  it("User first with /Users and the enterprise extension (required:false), then Group; no nulls", async () => {
    const { res, body } = await get("/ResourceTypes");
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ schemas: [LIST_RESPONSE], totalResults: 2, startIndex: 1, itemsPerPage: 2 });
    const [user, group] = body["Resources"] as Json[];
    expect(user).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: "User Account",
      schema: USER_SCHEMA,
      schemaExtensions: [
        { schema: ENTERPRISE_USER_SCHEMA, required: false },
        { schema: ADDITIONAL_ATTRIBUTES_SCHEMA, required: false },
      ],
      meta: { resourceType: "ResourceType", location: `${BASE}/ResourceTypes/User` },
    });
    expect(group).toMatchObject({ id: "Group", endpoint: "/Groups", schema: GROUP_SCHEMA });
    expect(nullPaths(body)).toEqual([]);
  });

  it.each([
    ["User", "/Users"],
    ["Group", "/Groups"],
    ["group", "/Groups"],
  ])("/ResourceTypes/%s", async (name, endpoint) => {
    const { res, body } = await get(`/ResourceTypes/${name}`);
    expect(res.status).toBe(200);
    expect(body["endpoint"]).toBe(endpoint);
  });

  it("404 SCIM error for an unknown resource type", async () => {
    const { res, body } = await get("/ResourceTypes/Device");
    expect(res.status).toBe(404);
    expect(body).toEqual({ schemas: [ERROR], status: "404", detail: expect.stringContaining("Device") });
  });
});

describe("discovery requires a token", () => {
  it.each(["/Schemas", "/ResourceTypes", "/Schemas/" + USER_SCHEMA])("401 without a token: %s", async (path) => {
    const res = await call(`/scim/v2${path}`);
    expect(res.status).toBe(401);
    expect(await json(res)).toMatchObject({ schemas: [ERROR], status: "401" });
  });
});
