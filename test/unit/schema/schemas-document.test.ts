// The /Schemas and /ResourceTypes documents rendered from the schema definitions (RFC 7643 §6, §7).
import { describe, expect, it } from "vitest";
import { attr, complex } from "../../../src/scim/schema/define";
import { ADDITIONAL_ATTRIBUTES_SCHEMA } from "../../../src/scim/schema/additional-attributes";
import { builtInRegistry } from "../../../src/scim/schema/registry";
import {
  renderAttribute,
  renderResourceTypeByName,
  renderResourceTypes,
  renderSchemaById,
  renderSchemas,
} from "../../../src/scim/schema/schemas-document";
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from "../../../src/scim/urns";

const BASE = "https://h/scim/v2";
const FIELDS = ["name", "type", "multiValued", "description", "required", "caseExact", "mutability", "returned", "uniqueness"];

type Json = Record<string, unknown>;
const attrs = (schema: Json | undefined) => (schema?.["attributes"] ?? []) as Json[];
const byName = (list: Json[], name: string) => list.find((a) => a["name"] === name);

describe("renderAttribute", () => {
  it("emits every RFC 7643 §7 characteristic and leaves absent optional ones out (no nulls)", () => {
    expect(renderAttribute(attr("nickName", "string", "Casual name."))).toEqual({
      name: "nickName",
      type: "string",
      multiValued: false,
      description: "Casual name.",
      required: false,
      caseExact: false,
      mutability: "readWrite",
      returned: "default",
      uniqueness: "none",
    });
  });

  it("includes canonicalValues, referenceTypes and subAttributes when present", () => {
    const def = complex("c", "C.", [attr("r", "reference", "R.", { referenceTypes: ["User"] })], {
      canonicalValues: ["a"],
      multiValued: true,
    });
    const out = renderAttribute(def);
    expect(out["canonicalValues"]).toEqual(["a"]);
    expect(out["multiValued"]).toBe(true);
    expect(out["subAttributes"]).toEqual([expect.objectContaining({ name: "r", type: "reference", referenceTypes: ["User"] })]);
  });
});

describe("renderSchemas", () => {
  const schemas = renderSchemas(BASE);

  it("lists User, EnterpriseUser, the additional attributes and Group, each a Schema resource with meta", () => {
    expect(schemas.map((s) => s["id"])).toEqual([USER_SCHEMA, ENTERPRISE_USER_SCHEMA, ADDITIONAL_ATTRIBUTES_SCHEMA, GROUP_SCHEMA]);
    for (const s of schemas) {
      expect(s["schemas"]).toEqual(["urn:ietf:params:scim:schemas:core:2.0:Schema"]);
      expect(s["meta"]).toEqual({ resourceType: "Schema", location: `${BASE}/Schemas/${String(s["id"])}` });
    }
  });

  it("is generated from the definitions: same attribute names, same order", () => {
    for (const [i, def] of builtInRegistry.schemas.entries()) {
      const common = def.id === USER_SCHEMA || def.id === GROUP_SCHEMA ? ["id", "externalId", "meta"] : [];
      expect(attrs(schemas[i]).map((a) => a["name"])).toEqual([...common, ...def.attributes.map((a) => a.name)]);
    }
  });

  it("every attribute and sub-attribute carries all characteristics", () => {
    const check = (list: Json[]) => {
      for (const a of list) {
        for (const f of FIELDS) expect(a, `${String(a["name"])}.${f}`).toHaveProperty(f);
        if (a["subAttributes"]) check(a["subAttributes"] as Json[]);
      }
    };
    schemas.forEach((s) => check(attrs(s)));
  });

  it("describes the sub-attributes Entra sends (emails, phoneNumbers, addresses, manager)", () => {
    const user = attrs(schemas[0]);
    const subs = (list: Json[], name: string) => ((byName(list, name)?.["subAttributes"] ?? []) as Json[]).map((s) => s["name"]);
    expect(subs(user, "emails")).toEqual(expect.arrayContaining(["value", "type", "primary", "display"]));
    expect(subs(user, "phoneNumbers")).toEqual(expect.arrayContaining(["value", "type", "primary"]));
    expect(subs(user, "addresses")).toEqual(
      expect.arrayContaining(["formatted", "streetAddress", "locality", "region", "postalCode", "country", "type", "primary"]),
    );
    expect(subs(attrs(schemas[1]), "manager")).toEqual(["value", "$ref", "displayName"]);
  });

  it("password is writeOnly and returned never; userName required and server-unique", () => {
    const user = attrs(schemas[0]);
    expect(byName(user, "password")).toMatchObject({ mutability: "writeOnly", returned: "never" });
    expect(byName(user, "userName")).toMatchObject({ required: true, uniqueness: "server", caseExact: false });
  });

  it("the core User and Group schemas list the common attributes (id, externalId, meta); extensions do not", () => {
    for (const urn of [USER_SCHEMA, GROUP_SCHEMA]) {
      const list = attrs(schemas.find((s) => s["id"] === urn));
      expect(list.slice(0, 3).map((a) => a["name"])).toEqual(["id", "externalId", "meta"]);
      expect(byName(list, "id")).toMatchObject({ mutability: "readOnly", returned: "always", uniqueness: "server" });
      expect(byName(list, "meta")).toMatchObject({ mutability: "readOnly" });
    }
    expect(byName(attrs(schemas.find((s) => s["id"] === ENTERPRISE_USER_SCHEMA)), "externalId")).toBeUndefined();
  });

  it("renderSchemaById is case-insensitive and undefined for unknown URNs", () => {
    expect(renderSchemaById(GROUP_SCHEMA.toUpperCase(), BASE)?.["id"]).toBe(GROUP_SCHEMA);
    expect(renderSchemaById("urn:example:nope", BASE)).toBeUndefined();
  });
});

describe("renderResourceTypes", () => {
  it("User first with /Users and the optional enterprise extension; then Group", () => {
    expect(renderResourceTypes(BASE)).toEqual([
      {
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
      },
      {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        id: "Group",
        name: "Group",
        endpoint: "/Groups",
        description: "Group",
        schema: GROUP_SCHEMA,
        meta: { resourceType: "ResourceType", location: `${BASE}/ResourceTypes/Group` },
      },
    ]);
  });

  it("renderResourceTypeByName is case-insensitive and undefined for unknown names", () => {
    expect(renderResourceTypeByName("group", BASE)?.["endpoint"]).toBe("/Groups");
    expect(renderResourceTypeByName("Device", BASE)).toBeUndefined();
  });
});
