// Issue 23, finding 7 (hygiene): the admin guard runs once per request, so a tenant admin's call
// counts once against the tenant's budget on every route, including routes whose module is
// mounted after one that used to add the guard again (extensions). 300 a minute per tenant in
// test/vitest.config.ts.
import { describe, expect, it } from "vitest";
import { newApiToken, portalSessionFor, withApiToken } from "../support/portal";
import { inOneRateWindow } from "../support/rate-window";
import { newTenant } from "../support/tenant";

describe("the admin guard runs once per request", () => {
  it("a tenant admin gets the whole budget of 300 on a route mounted after the extensions module", async () => {
    await inOneRateWindow(async () => {
      const t = await newTenant();
      const { token } = await newApiToken(await portalSessionFor(t.id));
      const path = `/admin/v1/tenants/${t.id}/tokens`;
      let ok = 0;
      let refused = 0;
      while (refused === 0 && ok < 650) {
        const wave = await Promise.all(Array.from({ length: 25 }, () => withApiToken(token, path)));
        for (const res of wave) {
          if (res.status === 200) ok++;
          else {
            expect(res.status).toBe(429);
            refused++;
          }
        }
      }
      expect(ok).toBe(300);
    });
  });
});
