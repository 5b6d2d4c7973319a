// `attributes` / `excludedAttributes` take attribute names (RFC 7644 §3.4.2.5). A value filter in
// them used to be ignored, so `attributes=emails[type eq "work"]` returned users without emails;
// now it is a 400 invalidValue on every read path, never a silently different response.
import { describe, expect, it } from "vitest";
import { expectScimError, scim, type Json } from "../support/scim";
import { json } from "../support/http";
import { newTenant } from "../support/tenant";

const FILTERED = 'emails[type eq "work"]';

describe("a value filter in attributes or excludedAttributes", () => {
  it("is 400 invalidValue on list, get and .search; plain names still project", async () => {
    const t = await newTenant();
    const user = await scim(t).createUser();
    const q = encodeURIComponent(FILTERED);
    for (const path of [`/Users?attributes=${q}`, `/Users/${user.id}?attributes=${q}`, `/Users?excludedAttributes=${q}`, `/Users?attributes=userName,${encodeURIComponent('emails[type eq "work"].value')}`]) {
      await expectScimError(await scim(t).get(path), 400, "invalidValue", /attribute names, not value filters/);
    }
    const search = await scim(t).post("/Users/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], attributes: [FILTERED] });
    await expectScimError(search, 400, "invalidValue", /attribute names/);

    const plain = await json<Json>(await scim(t).get(`/Users/${user.id}?attributes=emails`));
    expect(plain.emails).toEqual(user.emails);
  });
});
