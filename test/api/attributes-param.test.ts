// `attributes` / `excludedAttributes` with a value filter (an extension RFC 7644 §3.10 allows;
// §3.4.2.5 names attributes only): `emails[type eq "work"]` returns, or leaves out, the matching
// values; `emails[type eq "work"].value` narrows them to a sub-attribute. Microsoft's reference
// server and its Postman collection expect this; before, it was a 400.
import { describe, expect, it } from "vitest";
import { expectScimError, scim, type Json } from "../support/scim";
import { json } from "../support/http";
import { newTenant } from "../support/tenant";

const q = encodeURIComponent;

async function tenantWithUser() {
  const t = await newTenant();
  const user = await scim(t).createUser({
    emails: [
      { type: "work", value: "emailName357@contoso.example", primary: true },
      { type: "home", value: "home357@contoso.example" },
      { type: "other", value: "other357@contoso.example" },
    ],
    phoneNumbers: [{ type: "mobile", value: "+1 555 0101" }],
  });
  return { t, s: scim(t), user };
}

describe("value filters in attributes and excludedAttributes", () => {
  it("Microsoft's Postman collection: ?attributes=emails[type eq \"work\"] and emails[value eq \"…\"] answer 200 with the email", async () => {
    const { s } = await tenantWithUser();
    // "ComplexAttribute tests / Get user attributes" and "Get user via attributes filter", as the
    // collection encodes them (+ for spaces).
    for (const path of ["/Users?attributes=emails%5Btype+eq+%22work%22%5D", "/Users?attributes=emails%5Bvalue+eq+%22emailName357@contoso.example%22%5D"]) {
      const res = await s.get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toContain("emailName357");
    }
  });

  it("attributes=emails[type eq \"work\"] returns only the work email (and id, schemas)", async () => {
    const { s, user } = await tenantWithUser();
    const one = await json<Json>(await s.get(`/Users/${user.id}?attributes=${q('emails[type eq "work"]')}`));
    expect(one).toEqual({ schemas: user.schemas, id: user.id, emails: [{ type: "work", value: "emailName357@contoso.example", primary: true }] });
    const list = await json<Json>(await s.get(`/Users?attributes=${q('emails[type eq "work"]')}`));
    expect(list.Resources).toEqual([one]);
  });

  it("a sub-attribute after the filter narrows the matching values: emails[type eq \"work\"].value", async () => {
    const { s, user } = await tenantWithUser();
    const body = await json<Json>(await s.get(`/Users/${user.id}?attributes=${q('emails[type eq "work"].value')},userName`));
    expect(body).toEqual({ schemas: user.schemas, id: user.id, userName: user.userName, emails: [{ value: "emailName357@contoso.example" }] });
  });

  it("the filter is the ordinary filter engine: or, ne, co, case-insensitive names and values", async () => {
    const { s, user } = await tenantWithUser();
    const types = async (expr: string) =>
      ((await json<Json>(await s.get(`/Users/${user.id}?attributes=${q(expr)}`))).emails ?? []).map((e: Json) => e.type);
    expect(await types('emails[type eq "work" or type eq "home"]')).toEqual(["work", "home"]);
    expect(await types('emails[type ne "work"]')).toEqual(["home", "other"]);
    expect(await types('EMAILS[Value co "OTHER357"]')).toEqual(["other"]);
    expect(await types('emails[type eq "pager"]')).toEqual([]);
  });

  it("excludedAttributes=emails[type eq \"work\"] leaves out only the matching values; .value only their value", async () => {
    const { s, user } = await tenantWithUser();
    const without = await json<Json>(await s.get(`/Users/${user.id}?excludedAttributes=${q('emails[type eq "work"]')}`));
    expect(without.emails.map((e: Json) => e.type)).toEqual(["home", "other"]);
    expect(without.userName).toBe(user.userName);
    expect(without.phoneNumbers).toEqual(user.phoneNumbers);
    const noValue = await json<Json>(await s.get(`/Users/${user.id}?excludedAttributes=${q('emails[type eq "work"].value')}`));
    expect(noValue.emails).toEqual([{ type: "work", primary: true }, ...user.emails.slice(1)]);
  });

  it("works in a SearchRequest and on groups (members[value eq …])", async () => {
    const { t, s, user } = await tenantWithUser();
    const other = await s.createUser();
    const group = await s.createGroup({ members: [{ value: user.id }, { value: other.id }] });
    const search = await s.post("/Users/.search", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
      filter: `id eq "${user.id}"`,
      attributes: ['emails[type eq "home"].value'],
    });
    expect(search.status).toBe(200);
    expect((await json<Json>(search)).Resources[0].emails).toEqual([{ value: "home357@contoso.example" }]);
    const g = await json<Json>(await scim(t).get(`/Groups/${group.id}?attributes=${q(`members[value eq "${other.id}"]`)}`));
    expect(g.members.map((m: Json) => m.value)).toEqual([other.id]);
  });

  it("bad value filters are 400s naming the problem, never a silently different answer", async () => {
    const { s, user } = await tenantWithUser();
    await expectScimError(await s.get(`/Users/${user.id}?attributes=${q('emails[type eq "work"')}`), 400, "invalidValue", /attributes/);
    await expectScimError(await s.get(`/Users/${user.id}?attributes=${q('emails[type eq "work"]x')}`), 400, "invalidValue", /attributes/);
    await expectScimError(await s.get(`/Users/${user.id}?attributes=${q('userName[value eq "x"]')}`), 400, "invalidFilter", /value filter/);
    await expectScimError(await s.get(`/Users/${user.id}?excludedAttributes=${q('emails[nope eq "x"]')}`), 400, "invalidFilter");
  });

  it("a comma inside a filter's quoted value does not split the list", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser({ emails: [{ type: "work", value: "a,b@contoso.example" }, { type: "home", value: "c@contoso.example" }] });
    const body = await json<Json>(await scim(t).get(`/Users/${user.id}?attributes=${q('emails[value eq "a,b@contoso.example"]')},userName`));
    expect(body.emails).toEqual([{ type: "work", value: "a,b@contoso.example" }]);
    expect(body.userName).toBe(user.userName);
  });
});
