// Microsoft's gallery validation ("SCIM Validation Logic App", SCIMTests_Workflow.json in
// AzureAD/SCIMReferenceCode): each of its direct tests, as the workflow sends and judges it, run
// through the real fetch handler against a fresh tenant. Entra's side (initializationData) is the
// default attribute mapping of a non-gallery SCIM app (test/support/gallery.ts).
import { describe, expect, it } from "vitest";
import {
  ENTRA_DEFAULT_GROUP_TARGETS,
  ENTRA_DEFAULT_USER_TARGETS,
  flattenSchemas,
  missingAttributes,
} from "../support/gallery";
import { federationSetup } from "../support/entra-federation";
import { admin, call, json } from "../support/http";
import { patchOp, scim, type Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const guid = () => crypto.randomUUID();
const short = () => guid().slice(0, 8);

/** The workflow's scimUserBody: an Entra test user's values under the default mapping. */
function scimUserBody(): Json {
  return {
    schemas: [USER, ENTERPRISE],
    active: true,
    displayName: `Gallery ${short()}`,
    name: { givenName: "Grace", familyName: "Hopper" },
    emails: [{ type: "work", primary: true, value: `g-${short()}@contoso.example` }],
  };
}

/** How the workflow reads one flattened target back out of a GET (Compose_Update_Verification's `got`). */
function readTarget(body: Json, path: string): string {
  if (path.includes("[")) return JSON.stringify(body[path.split("[")[0]!] ?? []);
  if (path.startsWith("urn:")) {
    const i = path.lastIndexOf(":");
    return String(body[path.slice(0, i)]?.[path.slice(i + 1)] ?? "");
  }
  if (path.includes(".")) {
    const [a, b] = path.split(".");
    return String(body[a!]?.[b!] ?? "");
  }
  return String(body[path] ?? "");
}

/** The null-update verification (Compose_NullVerify_ActualValue): the targeted value, or "". */
function nullVerifyValue(body: Json, target: string): unknown {
  if (target.includes("[type eq")) {
    const parent = target.split("[")[0]!;
    const type = target.split("type eq ")[1]!.split("]")[0]!.replace(/"/g, "").toLowerCase();
    const entry = ((body[parent] ?? []) as Json[]).find((e) => String(e.type).toLowerCase() === type);
    return entry?.[target.includes("].") ? target.split(".").pop()! : "value"] ?? "";
  }
  if (target.startsWith("urn:")) {
    const i = target.lastIndexOf(":");
    return body[target.slice(0, i)]?.[target.slice(i + 1)] ?? "";
  }
  if (target.includes(".")) {
    const [a, b] = target.split(".");
    return body[a!]?.[b!] ?? "";
  }
  return body[target] ?? "";
}

describe("Entra gallery validation: direct SCIM tests", () => {
  it("Schema_Discoverability_Test: every attribute of Entra's default mapping is in /Schemas", async () => {
    const t = await newTenant();
    const res = await scim(t).get("/Schemas", { Accept: "application/scim+json" });
    expect(res.status).toBe(200);
    const body = await json<Json>(res);
    expect(body.Resources.length).toBeGreaterThan(0);
    const flat = flattenSchemas(body.Resources);
    expect(missingAttributes(flat.user, ENTRA_DEFAULT_USER_TARGETS)).toEqual([]);
    expect(missingAttributes(flat.group, ENTRA_DEFAULT_GROUP_TARGETS)).toEqual([]);
    // The Group schema must be there, or every group test of the suite fails.
    expect(body.Resources.map((r: Json) => r.id)).toContain("urn:ietf:params:scim:schemas:core:2.0:Group");
  });

  it("/Schemas describes id, externalId and meta as RFC 7643 §3.1 defines them", async () => {
    const t = await newTenant();
    const body = await json<Json>(await scim(t).get("/Schemas"));
    for (const urn of [USER, "urn:ietf:params:scim:schemas:core:2.0:Group"]) {
      const attrs: Json[] = body.Resources.find((r: Json) => r.id === urn).attributes;
      const byName = (n: string) => attrs.find((a) => a.name === n);
      expect(byName("id")).toMatchObject({ type: "string", mutability: "readOnly", returned: "always", caseExact: true, uniqueness: "server" });
      expect(byName("externalId")).toMatchObject({ type: "string", mutability: "readWrite", caseExact: true });
      expect(byName("meta")).toMatchObject({ type: "complex", mutability: "readOnly" });
      expect(byName("meta")?.subAttributes.map((s: Json) => s.name)).toEqual(["resourceType", "created", "lastModified", "location", "version"]);
    }
  });

  it("SCIM_Null_Update_Test: empty strings, then nulls, clear every optional mapped attribute", async () => {
    const t = await newTenant();
    const s = scim(t);
    // Set_SCIM_Null_Create_Base_Body + ForEach_Build_Null_Create_Body: every mapped target gets a value.
    const create: Json = {
      schemas: [USER],
      userName: `scnull${short()}@contoso.example`,
      active: true,
      externalId: guid(),
      displayName: "Null Test",
      title: "Engineer",
      preferredLanguage: "en-US",
      name: { givenName: "Nul", familyName: "Test", formatted: "Nul Test" },
      emails: [
        { type: "work", primary: true, value: "nul.work@contoso.example" },
        { type: "other", primary: false, value: "nul.other@contoso.example" },
      ],
      addresses: [
        { type: "work", primary: true, formatted: "1 Main St", streetAddress: "1 Main St", locality: "Redmond", region: "WA", postalCode: "98052", country: "US" },
        { type: "other", primary: false, formatted: "Office 12" },
      ],
      phoneNumbers: [
        { type: "work", primary: true, value: "+1 555 0100" },
        { type: "mobile", primary: false, value: "+1 555 0101" },
        { type: "fax", primary: false, value: "+1 555 0102" },
      ],
      [ENTERPRISE]: { employeeNumber: "E1", department: "R&D" },
    };
    const created = await s.post("/Users", create);
    expect(created.status).toBe(201);
    const id = (await json<Json>(created)).id as string;
    expect(id).toBeTruthy();

    // Filter_Null_Update_Target_Attributes: not userName/active/externalId/roles, not references
    // (manager), not required.
    const targets = ENTRA_DEFAULT_USER_TARGETS.filter(
      (n) => !["userName", "active", "externalId", "roles"].includes(n) && !n.endsWith(":manager"),
    );
    const phase1 = await s.patch(`/Users/${id}`, patchOp(...targets.map((path) => ({ op: "replace", path, value: "" }))));
    expect([200, 204], await phase1.clone().text()).toContain(phase1.status);
    const after1 = await json<Json>(await s.get(`/Users/${id}`));
    const failed1 = targets.filter((tgt) => !["", null].includes(nullVerifyValue(after1, tgt) as string | null));
    expect(failed1).toEqual([]);

    const phase2 = await s.patch(`/Users/${id}`, patchOp(...targets.map((path) => ({ op: "replace", path, value: null }))));
    expect([200, 204], await phase2.clone().text()).toContain(phase2.status);
    const after2 = await json<Json>(await s.get(`/Users/${id}`));
    // Select_Null_Phase2_Verify: filtered paths count as null; the others must read back as null.
    const failed2 = targets.filter((tgt) => !tgt.includes("[") && nullVerifyValue(after2, tgt) !== "");
    expect(failed2).toEqual([]);
    expect(after2.userName).toBe(create.userName);
    expect(after2.active).toBe(true);
    expect((await s.delete(`/Users/${id}`)).status).toBe(204);
  });

  it("SCIM_User_Create_Test: POST /Users answers 201 with an id and the userName sent", async () => {
    const t = await newTenant();
    const userName = `lascuser${short()}@test.com`;
    const res = await scim(t).post("/Users", { ...scimUserBody(), externalId: guid(), userName });
    expect([200, 201]).toContain(res.status);
    const body = await json<Json>(res);
    expect(body.id).toBeTruthy();
    expect(body.userName).toBe(userName);
    expect((await scim(t).delete(`/Users/${body.id}`)).status).toBe(204);
  });

  it("SCIM_User_Update_Test: one PATCH of every eligible mapped attribute, every value read back", async () => {
    const t = await newTenant();
    const s = scim(t);
    const created = await s.post("/Users", { ...scimUserBody(), externalId: guid(), userName: `lasupduser${short()}@test.com` });
    const id = (await json<Json>(created)).id as string;
    // Filter_Update_Eligible_Attributes: single-valued, readWrite, not a reference, not
    // id/schemas/meta/active/groups/roles; every one is a string in Entra's target schema.
    const eligible = ENTRA_DEFAULT_USER_TARGETS.filter((n) => n !== "active" && !n.endsWith(":manager"));
    const ops = eligible.map((path) => ({ op: "replace", path, value: `upd-${short()}` }));
    const patch = await s.patch(`/Users/${id}`, patchOp(...ops));
    expect([200, 204], await patch.clone().text()).toContain(patch.status);
    const got = await s.get(`/Users/${id}`);
    expect(got.status).toBe(200);
    const body = await json<Json>(got);
    // Compose_Update_Verification: filtered paths match when the array's text contains the value.
    const mismatches = ops.filter(({ path, value }) =>
      path.includes("[") ? !readTarget(body, path).includes(value) : readTarget(body, path) !== value,
    );
    expect(mismatches).toEqual([]);
  });

  it("SCIM_Group_Create_Test: POST /Groups answers 201 with an id and the displayName sent", async () => {
    const t = await newTenant();
    const displayName = `LASCDirectGroup-${short()}`;
    const res = await scim(t).post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], externalId: guid(), displayName });
    expect([200, 201]).toContain(res.status);
    const body = await json<Json>(res);
    expect(body.id).toBeTruthy();
    expect(body.displayName).toBe(displayName);
    expect((await scim(t).delete(`/Groups/${body.id}`)).status).toBe(204);
  });

  it("SCIM_Group_Update_Test: PATCH displayName and externalId, both read back", async () => {
    const t = await newTenant();
    const s = scim(t);
    const group = await s.createGroup({ externalId: guid(), displayName: `LASUpdGroup-${short()}` });
    const ops = ENTRA_DEFAULT_GROUP_TARGETS.filter((n) => n !== "members").map((path) => ({ op: "replace", path, value: `upd-${short()}` }));
    const patch = await s.patch(`/Groups/${group.id}`, patchOp(...ops));
    expect([200, 204]).toContain(patch.status);
    const got = await s.get(`/Groups/${group.id}`);
    expect(got.status).toBe(200);
    const body = await json<Json>(got);
    expect(ops.filter(({ path, value }) => String(body[path] ?? "") !== value)).toEqual([]);
  });

  for (const resource of ["Users", "Groups"] as const) {
    it(`SCIM_${resource === "Users" ? "User" : "Group"}_Pagination_Test: startIndex/count=5 walks ≥ 2 pages`, async () => {
      const t = await newTenant();
      const s = scim(t);
      const first = await json<Json>(await s.get(`/${resource}?startIndex=1&count=5`));
      for (let i = 0; i < Math.max(0, 11 - (first.totalResults ?? 0)); i++) {
        if (resource === "Users") await s.createUser({ userName: `paguser${short()}@test.com`, displayName: `PagUser ${short()}` });
        else await s.createGroup({ externalId: guid(), displayName: `PagGroup ${short()}` });
      }
      // Until_*_Pagination_Complete: at most 10 pages; the next URL comes from startIndex + page size.
      let next = `/${resource}?startIndex=1&count=5`;
      const pages: { status: number; startIndex: number; expected: number; ids: string[] }[] = [];
      while (next && pages.length < 10) {
        const res = await s.get(next);
        const body = await json<Json>(res);
        const resources: Json[] = body.Resources ?? [];
        pages.push({ status: res.status, startIndex: body.startIndex, expected: pages.length * 5 + 1, ids: resources.map((r) => r.id) });
        const after = (body.startIndex ?? 1) + resources.length;
        next = resources.length > 0 && after <= (body.totalResults ?? 0) ? `/${resource}?startIndex=${after}&count=5` : "";
      }
      expect(pages.length).toBeGreaterThanOrEqual(2);
      expect(pages.filter((p) => p.status !== 200 || p.startIndex !== p.expected)).toEqual([]);
      // Not asserted by the workflow, but the reason it exists: the walk sees every resource once.
      const ids = pages.flatMap((p) => p.ids);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBe(Math.max(11, first.totalResults ?? 0));
    });
  }

  it("SCIM_Update_Manager_Test: manager set (Add), changed (Replace) and removed (Replace \"\")", async () => {
    const t = await newTenant();
    const s = scim(t);
    const [user, mgr1, mgr2] = [await s.createUser(), await s.createUser(), await s.createUser()];
    const path = `${ENTERPRISE}:manager`;
    const managerOf = async () => {
      const body = await json<Json>(await s.get(`/Users/${user.id}`));
      return body[ENTERPRISE]?.manager ?? body.manager;
    };
    const set = await s.patch(`/Users/${user.id}`, patchOp({ op: "Add", path, value: mgr1.id }));
    expect([200, 204]).toContain(set.status);
    expect((await managerOf())?.value).toBe(mgr1.id);
    const change = await s.patch(`/Users/${user.id}`, patchOp({ op: "replace", path, value: mgr2.id }));
    expect([200, 204]).toContain(change.status);
    expect((await managerOf())?.value).toBe(mgr2.id);
    const remove = await s.patch(`/Users/${user.id}`, patchOp({ op: "replace", path, value: "" }));
    expect([200, 204]).toContain(remove.status);
    const after = await managerOf();
    expect(after === undefined || after === null || after.value === "" || after.value == null).toBe(true);
  });

  it("Validate_Credentials_Test: client credentials give a token valid 60–360 minutes that opens /Users", async () => {
    const t = await newTenant();
    const res = await call("/oauth/token", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      rawBody: `grant_type=client_credentials&client_id=${encodeURIComponent(t.clientId)}&client_secret=${encodeURIComponent(t.clientSecret)}`,
    });
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    const body = await json<Json>(res);
    expect(body.access_token).toBeTruthy();
    const minutes = Math.floor((body.expires_in ?? 3600) / 60);
    expect(minutes).toBeGreaterThanOrEqual(60);
    expect(minutes).toBeLessThanOrEqual(360);
    const users = await call("/scim/v2/Users?startIndex=1&count=1", { token: body.access_token, headers: { Accept: "application/scim+json" } });
    expect(users.status).toBe(200);
  });

  it("Validate_Credentials_Test in gallery mode: tokens outside 60–360 minutes are refused, the default passes", async () => {
    const t = await newTenant();
    const token = (expires_in?: number) =>
      call("/oauth/token", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        rawBody: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: t.clientId,
          client_secret: t.clientSecret,
          ...(expires_in !== undefined ? { expires_in: String(expires_in) } : {}),
        }).toString(),
      });
    // Standard mode (the default): a day-long token is fine.
    expect((await admin(`/tenants/${t.id}/token-policy`).then((r) => json<Json>(r))).mode).toBe("standard");
    expect((await token(86_400)).status).toBe(200);

    const set = await admin(`/tenants/${t.id}/token-policy`, { method: "PUT", body: { mode: "gallery" } });
    expect(await json<Json>(set)).toMatchObject({ mode: "gallery", clientCredentialsLifetime: { minSeconds: 3600, maxSeconds: 21_600 } });
    for (const outside of [86_400, 3599, 21_601, 600]) {
      const res = await token(outside);
      expect(res.status, String(outside)).toBe(400);
      expect(await json<Json>(res)).toMatchObject({ error: "invalid_request", error_description: expect.stringContaining("gallery mode") });
    }
    for (const inside of [undefined, 3600, 21_600]) {
      const res = await token(inside);
      expect(res.status, String(inside)).toBe(200);
      const minutes = Math.floor((await json<Json>(res)).expires_in / 60);
      expect(minutes).toBeGreaterThanOrEqual(60);
      expect(minutes).toBeLessThanOrEqual(360);
    }
  });

  it("Federated_Identity_Test: Entra's token for the trusted app, as a client assertion, buys our token", async () => {
    const f = await federationSetup();
    // Acquire_Entra_Token: Entra's client-credentials token for scope api://{app}/.default.
    const entraToken = await f.sign();
    // Acquire_Federated_Token: the generic flow (client assertion); the test passes on 2xx + access_token.
    const res = await f.exchange(entraToken);
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await json<Json>(res);
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3600, access_token: expect.any(String) });
    // The reason the test exists: the token works on the SCIM endpoint, for this tenant.
    const users = await call("/scim/v2/Users?startIndex=1&count=1", { token: body.access_token });
    expect(users.status).toBe(200);
    const mine = await scim({ ...f.t, token: body.access_token }).createUser();
    expect((await scim(f.t).get(`/Users/${mine.id}`)).status).toBe(200);
  });
});
