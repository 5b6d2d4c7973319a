// Issue 23, finding 7: Entra-issued tokens are bound to the application the tenant trusts. The
// trust records the Entra application id; a token whose appid (v1) or azp (v2) names another
// application of the same Entra tenant is 401. A trust without an app id (from before) keeps
// working and is flagged (appIdMissing) until one is set.
import { describe, expect, it } from "vitest";
import { ENTRA_PROVISIONING_AUDIENCE } from "../../src/access/entra-tokens";
import { entraKeys } from "../support/entra-federation";
import { admin, call, json } from "../support/http";
import type { Json } from "../support/scim";
import { newTenant } from "../support/tenant";

const TRUSTED_APP = "00000014-0000-0000-c000-000000000000";
const OTHER_APP = crypto.randomUUID();

async function entraSetup() {
  const keys = await entraKeys();
  const { entraTenantId, jwksUrl } = keys;
  const t = await newTenant();
  const sign = (claims: Json) => keys.sign(claims, ENTRA_PROVISIONING_AUDIENCE);
  const trust = (body: Json = {}) => admin(`/tenants/${t.id}/entra-tokens`, { method: "PUT", body: { entraTenantId, jwksUrl, ...body } });
  return { t, sign, trust };
}

const status = async (token: string) => (await call("/scim/v2/Users", { token })).status;

describe("Entra-issued tokens are bound to the trusted application", () => {
  it("with an app id: that app's tokens (appid or azp) pass, another app's are 401", async () => {
    const e = await entraSetup();
    const put = await e.trust({ appId: TRUSTED_APP.toUpperCase() });
    expect(put.status, await put.clone().text()).toBe(200);
    expect(await json(put)).toMatchObject({ appId: TRUSTED_APP, appIdMissing: false });
    expect(await status(await e.sign({ appid: TRUSTED_APP }))).toBe(200);
    expect(await status(await e.sign({ azp: TRUSTED_APP }))).toBe(200);
    const other = await call("/scim/v2/Users", { token: await e.sign({ appid: OTHER_APP }) });
    expect(other.status).toBe(401);
    expect(await json(other)).toMatchObject({ detail: expect.stringMatching(/another Entra application/) });
    expect(await status(await e.sign({ azp: OTHER_APP }))).toBe(401);
    expect(await status(await e.sign({}))).toBe(401);
  });

  it("without an app id (an older trust): still accepted, and flagged until one is set", async () => {
    const e = await entraSetup();
    expect((await e.trust()).status).toBe(200);
    const shown = await json<Json>(await admin(`/tenants/${e.t.id}/entra-tokens`));
    expect(shown).toMatchObject({ appId: null, appIdMissing: true });
    expect(await status(await e.sign({ appid: OTHER_APP }))).toBe(200);
    expect((await e.trust({ appId: TRUSTED_APP })).status).toBe(200);
    expect(await status(await e.sign({ appid: OTHER_APP }))).toBe(401);
    expect(await status(await e.sign({ appid: TRUSTED_APP }))).toBe(200);
  });

  it("refuses an app id that is not a GUID", async () => {
    const e = await entraSetup();
    expect((await e.trust({ appId: "not-a-guid" })).status).toBe(400);
  });
});
