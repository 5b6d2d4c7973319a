// Pure, table-driven: the hub user fields beyond the basic profile (mobile phone, preferred
// language with the tenant default, work country) and the per-tenant extension → hub field mapping.
import { describe, expect, it } from "vitest";
import {
  CUSTOM_EXTENSION_USER_SCHEMA as EXT, DEFAULT_HUB_USER_FIELD_OPTIONS, hubExtraFields, hubUserFieldOptions, mapExtensionFields, mobilePhone,
  readBySource, workCountry,
} from "../../src/sync/hub/hub-user-fields";
import { HubUserSchema } from "../../src/sync/hub/schemas";
import { hubUserDiffers, hubUserFromScim } from "../../src/sync/engine/plan";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

describe("mobilePhone", () => {
  it.each([
    ["a mobile phone", [{ value: "+1 work", type: "work", primary: true }, { value: "+1 mobile", type: "mobile" }], "+1 mobile"],
    ["type cellular", [{ value: "+1 cellular", type: "cellular" }], "+1 cellular"],
    ["type cell, any case", [{ value: "+1 cell", type: "Cell" }], "+1 cell"],
    ["the primary one of several mobiles", [{ value: "m1", type: "mobile" }, { value: "m2", type: "mobile", primary: true }], "m2"],
    ["no mobile: the primary phone", [{ value: "+1 home", type: "home" }, { value: "+1 work", type: "work", primary: true }], "+1 work"],
    ["no mobile and no primary", [{ value: "+1 work", type: "work" }], null],
    ["a mobile without a value is skipped", [{ type: "mobile" }, { value: "+1 work", type: "work", primary: true }], "+1 work"],
    ["no phones", undefined, null],
  ])("%s", (_label, phoneNumbers, expected) => expect(mobilePhone({ phoneNumbers })).toBe(expected));
});

describe("workCountry", () => {
  it.each([
    ["the work address", [{ type: "home", country: "FR" }, { type: "work", country: "DE" }], "DE"],
    ["the primary work address", [{ type: "work", country: "DE" }, { type: "work", country: "AT", primary: true }], "AT"],
    ["a work address without country is skipped", [{ type: "work", locality: "Bern" }, { type: "work", country: "CH" }], "CH"],
    ["only a home address", [{ type: "home", country: "FR" }], null],
    ["no addresses", undefined, null],
  ])("%s", (_label, addresses, expected) => expect(workCountry({ addresses })).toBe(expected));
});

describe("mapExtensionFields / readBySource", () => {
  const doc = { userName: "u", [EXT]: { floor: "3", officeLocation: "HQ", workMode: "hybrid", custom: ["a"] }, [ENTERPRISE]: { department: "Sales", costCenter: 42 } };

  it("maps the extension's floor, officeLocation and workMode by URN with the default mapping", () => {
    expect(mapExtensionFields(doc, DEFAULT_HUB_USER_FIELD_OPTIONS.hubFieldMap)).toEqual({ floor: "3", officeLocation: "HQ", workMode: "hybrid" });
  });

  it("follows a tenant's own mapping, from any schema URN, and leaves unmapped fields null", () => {
    expect(mapExtensionFields(doc, { floor: `${ENTERPRISE}:department`, workMode: `${ENTERPRISE}:costCenter` })).toEqual({ floor: "Sales", officeLocation: null, workMode: "42" });
    expect(mapExtensionFields(doc, {})).toEqual({ floor: null, officeLocation: null, workMode: null });
  });

  it.each([
    ["an attribute matched case-insensitively", `${EXT}:FLOOR`, "3"],
    ["a URN matched case-insensitively", `${EXT.toUpperCase()}:floor`, "3"],
    ["a multi-valued attribute (the hub has none)", `${EXT}:custom`, null],
    ["a missing attribute", `${EXT}:image`, null],
    ["a missing extension", "urn:example:other:2.0:User:floor", null],
    ["a malformed source", "floor", null],
  ])("reads %s", (_label, source, expected) => expect(readBySource(doc, source)).toBe(expected));

  it("does not read attributes of the core schema by accident", () => expect(readBySource(doc, `${EXT}:userName`)).toBeNull());
});

describe("hubExtraFields and the hub payload", () => {
  it("uses SCIM's preferredLanguage, else the tenant's default", () => {
    expect(hubExtraFields({ preferredLanguage: "fr-CA" }, DEFAULT_HUB_USER_FIELD_OPTIONS).preferredLanguage).toBe("fr-CA");
    expect(hubExtraFields({}, DEFAULT_HUB_USER_FIELD_OPTIONS).preferredLanguage).toBe("en-GB");
    expect(hubExtraFields({ preferredLanguage: "" }, hubUserFieldOptions({ defaultPreferredLanguage: "de-DE", hubFieldMap: null })).preferredLanguage).toBe("de-DE");
  });

  it("carries every new field in hubUserFromScim, and a change of one is a difference", () => {
    const doc = {
      userName: "u", preferredLanguage: "nl-NL", phoneNumbers: [{ value: "+31 6", type: "mobile" }], addresses: [{ type: "work", country: "NL" }],
      [EXT]: { floor: "2", officeLocation: "Amsterdam", workMode: "office" },
    };
    const desired = hubUserFromScim("id", doc);
    expect(desired).toMatchObject({ mobilePhone: "+31 6", preferredLanguage: "nl-NL", country: "NL", floor: "2", officeLocation: "Amsterdam", workMode: "office" });
    const hub = HubUserSchema.parse({ ...desired, id: "usr_1", createdAt: "", updatedAt: "", version: 1 });
    expect(hubUserDiffers(hub, desired)).toBe(false);
    for (const field of ["mobilePhone", "preferredLanguage", "country", "floor", "officeLocation", "workMode"] as const) {
      expect(hubUserDiffers({ ...hub, [field]: "changed" }, desired), field).toBe(true);
    }
  });

  it("applies a tenant's mapping and default language in hubUserFromScim", () => {
    const options = hubUserFieldOptions({ defaultPreferredLanguage: "sv-SE", hubFieldMap: { officeLocation: `${ENTERPRISE}:department` } });
    expect(hubUserFromScim("id", { userName: "u", [ENTERPRISE]: { department: "Ops" }, [EXT]: { floor: "9" } }, options)).toMatchObject({
      preferredLanguage: "sv-SE", floor: null, officeLocation: "Ops", workMode: null,
    });
  });
});
