import { describe, expect, it } from "vitest";
import { call, json } from "../support/http";
import { newTenant } from "../support/tenant";

describe("foundation smoke", () => {
  it("serves ServiceProviderConfig to a token from the token endpoint", async () => {
    const t = await newTenant();
    const res = await call("/scim/v2/ServiceProviderConfig", { token: t.token });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/scim+json");
    const body = await json(res);
    expect(body.patch).toEqual({ supported: true });
  });
});
