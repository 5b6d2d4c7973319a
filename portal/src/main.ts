// The portal's entry (bundled to /portal/app/portal.js): a setup link (#setup=…) opens a session
// for one tenant, a reload resumes it, and the dashboard shows the customer's Entra setup,
// "Test connection", provisioning, tokens and the audit log. Plain DOM, no framework.
import { auditCard } from "../../console/src/cards/audit";
import { clientsPart } from "../../console/src/cards/connection";
import { provisioningCard } from "../../console/src/cards/provisioning";
import { requestsCard } from "../../console/src/cards/requests";
import { describeTokenPolicy, type TokenPolicy } from "../../console/src/cards/token-policy";
import { tokenList } from "../../console/src/cards/tokens";
import { api } from "../../console/src/api";
import { byId, h } from "../../console/src/dom";
import { stopRefresh } from "../../console/src/session";
import { card } from "../../console/src/widgets";
import { apiTokensPart } from "./api-tokens";
import { readConnection } from "./connection";
import { entraStepsCard } from "./entra-steps";
import { epturaStepsCard } from "./eptura-steps";
import { PORTAL_VIEW } from "./plain-words";
import { endSession, openSession, OtherSessionOpen, previewLink, resumeSession, takeSetupSecret, usePortalAuth, type PortalSession } from "./session";
import { tabs } from "./tabs";
import { testCard } from "./test-card";

const ASK = "Ask your provider for a setup link.";

function message(title: string, text: string): void {
  stopRefresh();
  byId("signout").hidden = true;
  byId("view").replaceChildren(h("section", { class: "card", "data-testid": "portal-message" }, h("h1", {}, title), h("p", {}, text)));
}

async function dashboard(session: PortalSession): Promise<HTMLElement> {
  const conn = await readConnection();
  const tokens = await tokenList(session.tenant_id);
  const test = testCard(conn, tokens.refresh);
  const clients = await clientsPart(session.tenant_id, tokens.refresh);
  const events = { onCredentials: test.use, onTokensChanged: async () => { await tokens.refresh(); await clients.refresh(); } };
  const steps = tabs("How to connect", [
    ["Following Microsoft Entra's steps", "entra", entraStepsCard(conn, events)],
    ["Following Eptura's guide", "eptura", epturaStepsCard(conn, events)],
  ]);
  // Which token mode the provider set (gallery: 60–360-minute OAuth tokens); read-only here.
  const policy = await api<TokenPolicy>("GET", `/tenants/${session.tenant_id}/token-policy`);
  return h("div", {},
    h("h1", { "data-testid": "tenant-name", "data-tenant-id": session.tenant_id }, `Provisioning setup for ${session.tenant_name}`),
    h("p", { class: "muted" }, `This page acts for ${session.tenant_name} only. Your session ends ${new Date(session.expires_at).toLocaleString()}.`),
    steps, test.el, await requestsCard(session.tenant_id), await provisioningCard(session.tenant_id, PORTAL_VIEW),
    card("tokens-card", "Tokens", h("p", { class: "muted" }, "Every token of your SCIM clients. Entra stops provisioning when its Secret Token expires: issue a new one before then."),
      h("p", { "data-testid": "token-policy-mode", "data-mode": policy.mode }, describeTokenPolicy(policy)), tokens.el,
      h("h3", {}, "SCIM clients"), clients.el, h("h3", {}, "API tokens for scripts"), await apiTokensPart()),
    await auditCard(session.tenant_id));
}

const LINK_GONE = () => message("This setup link no longer works", `It was already used, has expired or was revoked. Ask your provider for a new setup link.`);

/** Show the session's dashboard. */
async function show(session: PortalSession): Promise<void> {
  byId("signout").hidden = false;
  byId("view").replaceChildren(await dashboard(session));
}

/**
 * A setup link names its tenant first and is spent only when the person confirms: a link someone
 * else sent must not sign this browser in to their tenant unnoticed, nor silently replace a
 * session of another tenant (the server refuses that without replace_session).
 */
async function confirmLink(secret: string): Promise<void> {
  const target = await previewLink(secret);
  if (!target) return LINK_GONE();
  const go = (replace: boolean) => async () => {
    try {
      const session = await openSession(secret, replace);
      return session ? show(session) : LINK_GONE();
    } catch (err) {
      if (!(err instanceof OtherSessionOpen)) throw err;
      byId("view").replaceChildren(card("confirm-link", "Another organization is signed in",
        h("p", { "data-testid": "portal-message" }, `${err.message.replace(/;.*$/, "")}. Continuing signs this browser in to ${target.tenant_name} instead.`),
        h("button", { type: "button", onclick: () => void go(true)().catch(fail) }, `Switch to ${target.tenant_name}`)));
    }
  };
  byId("view").replaceChildren(card("confirm-link", "Confirm sign-in",
    h("p", { "data-testid": "confirm-tenant" }, `This link lets you set up provisioning for ${target.tenant_name}. Continue only if you expected a link for this organization.`),
    h("button", { type: "button", onclick: () => void go(false)().catch(fail) }, `Continue to ${target.tenant_name}`)));
}

async function start(): Promise<void> {
  signedOut = false;
  // A 401 of a refresh still in flight when the admin signed out is the sign-out itself.
  usePortalAuth(() => { if (!signedOut) message("Your session has ended", `It expired or was revoked. ${ASK}`); });
  const secret = takeSetupSecret();
  if (secret) return confirmLink(secret);
  const session = await resumeSession();
  if (!session) return message("Welcome", ASK);
  await show(session);
}

let signedOut = false;
byId("signout").addEventListener("click", async () => {
  signedOut = true;
  stopRefresh();
  await endSession().catch(() => {});
  message("Signed out", `To come back, ${ASK.charAt(0).toLowerCase()}${ASK.slice(1)}`);
});
const fail = (err: Error) => message("Something went wrong", err.message);
const begin = () => start().catch(fail);
// A link pasted into a tab already showing /portal/ changes only the fragment: no page load.
window.addEventListener("hashchange", () => { if (location.hash.startsWith("#setup=")) void begin(); });
void begin();
