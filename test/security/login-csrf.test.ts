// Issue 23, finding 7 (login CSRF): a setup link opened from a message could sign the browser in
// to the sender's tenant without a word, even replacing an open session of another tenant. Now the
// page first asks which tenant the link is for (POST /portal/v1/setup-link: the link is not
// spent), and sign-in refuses to replace a live session of another tenant unless confirmed.
import { describe, expect, it } from "vitest";
import { admin, call, json } from "../support/http";
import { newSetupLink, portalSessionFor, signInCall, type PortalSession } from "../support/portal";
import { newTenant } from "../support/tenant";

const preview = (link: string) => call("/portal/v1/setup-link", { method: "POST", body: { link } });
const signInWith = (s: PortalSession, link: string, extra: Record<string, unknown> = {}) =>
  call("/portal/v1/session", { method: "POST", body: { link, ...extra }, headers: { Cookie: s.cookie } });

describe("setup links ask before they sign in", () => {
  it("the preview names the tenant and does not spend the link; a bad link is the usual 401", async () => {
    const t = await newTenant("Contoso Ltd");
    const link = await newSetupLink(t.id);
    const shown = await preview(link.secret);
    expect(shown.status).toBe(200);
    expect(await json(shown)).toEqual({ tenant_id: t.id, tenant_name: "Contoso Ltd", expires_at: expect.any(String) });
    expect((await preview(link.secret)).status).toBe(200);
    const links = await json<{ links: { status: string }[] }>(await admin(`/tenants/${t.id}/setup-links`));
    expect(links.links[0]!.status).toBe("active");
    expect((await signInCall(link.secret)).status).toBe(201);
    expect((await preview(link.secret)).status).toBe(401);
    expect((await preview(`scimsl_${t.id}.nope`)).status).toBe(401);
  });

  it("an open session of another tenant is not replaced without confirmation", async () => {
    const mine = await newTenant("Victim Inc");
    const attacker = await newTenant("Attacker Co");
    const open = await portalSessionFor(mine.id);
    const link = await newSetupLink(attacker.id);
    const refused = await signInWith(open, link.secret);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(await json(refused))).toContain("Victim Inc");
    expect(refused.headers.get("Set-Cookie")).toBeNull();
    // The link was not spent, the open session goes on.
    expect((await preview(link.secret)).status).toBe(200);
    expect((await call("/portal/v1/session", { headers: { Cookie: open.cookie } })).status).toBe(200);
    // Confirmed: the new session replaces it in this browser.
    const confirmed = await signInWith(open, link.secret, { replace_session: true });
    expect(confirmed.status).toBe(201);
    expect((await json(confirmed)).tenant_name).toBe("Attacker Co");
  });

  it("a session of the same tenant, or an ended one, is replaced without asking", async () => {
    const t = await newTenant();
    const open = await portalSessionFor(t.id);
    expect((await signInWith(open, (await newSetupLink(t.id)).secret)).status).toBe(201);
    const other = await newTenant();
    const ended = await portalSessionFor(other.id);
    expect((await call("/portal/v1/session", { method: "DELETE", headers: { Cookie: ended.cookie, "X-CSRF-Token": ended.csrf } })).status).toBe(204);
    expect((await signInWith(ended, (await newSetupLink(t.id)).secret)).status).toBe(201);
  });
});
