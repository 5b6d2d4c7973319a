// "Connect Microsoft Entra ID": the numbered steps of Entra's provisioning setup with this
// tenant's own values and copy buttons, and the two ways to give Entra credentials: a 10-year
// Secret Token (client created if needed), or OAuth client credentials. Secrets are shown once.
import { api } from "../../console/src/api";
import { flash, h, type Child } from "../../console/src/dom";
import type { ClientJson, CreatedClientJson } from "../../console/src/types";
import { card, copyField, secretBox } from "../../console/src/widgets";
import type { Connection } from "./connection";
import type { Credentials } from "./probe";

const ENTRA_CLIENT = "Microsoft Entra ID";
const TEN_YEARS_S = 315_360_000;

interface IssuedToken { access_token: string; expires_at: string }

/** The tenant's active client for Entra's Secret Token, created on first use. */
async function entraClientId(tenantId: string): Promise<string> {
  const base = `/tenants/${tenantId}/clients`;
  const { clients } = await api<{ clients: ClientJson[] }>("GET", base);
  const existing = clients.find((c) => c.status === "active" && c.name === ENTRA_CLIENT);
  if (existing) return existing.client_id;
  return (await api<CreatedClientJson>("POST", base, { name: ENTRA_CLIENT })).client_id;
}

const step = (title: string, ...body: Child[]) => h("li", {}, h("strong", {}, title), ...body);

export interface StepsEvents {
  /** New credentials were shown: the test card tests with them. */
  onCredentials: (creds: Credentials) => void;
  /** A token or client was created: the token lists redraw. */
  onTokensChanged: () => unknown;
}

export function entraStepsCard(conn: Connection, events: StepsEvents): HTMLElement {
  const out = h("div", { "data-testid": "secret-out" });
  const oauthOut = h("div", { "data-testid": "oauth-out" });
  const run = (target: HTMLElement, fn: () => Promise<void>) => async (e: Event) => {
    const button = e.currentTarget as HTMLButtonElement;
    button.disabled = true;
    try { await fn(); await events.onTokensChanged(); } catch (err) { flash(target, (err as Error).message); } finally { button.disabled = false; }
  };
  const issueToken = run(out, async () => {
    const clientId = await entraClientId(conn.tenant_id);
    const t = await api<IssuedToken>("POST", `/tenants/${conn.tenant_id}/clients/${clientId}/tokens`, { expires_in: TEN_YEARS_S });
    out.replaceChildren(secretBox("Secret Token for Entra", [["Secret Token", t.access_token, "secret-token"]],
      `Valid until ${new Date(t.expires_at).toLocaleDateString()}. It is shown only now: copy it into Entra's Secret Token field before you leave this page.`));
    events.onCredentials({ kind: "token", token: t.access_token });
  });
  const createOauth = run(oauthOut, async () => {
    const c = await api<CreatedClientJson>("POST", `/tenants/${conn.tenant_id}/clients`, { name: `${ENTRA_CLIENT} (OAuth)` });
    oauthOut.replaceChildren(secretBox("OAuth client credentials for Entra", [["Client Identifier", c.client_id, "oauth-client-id"], ["Client Secret", c.client_secret, "oauth-client-secret"]],
      "The Client Secret is shown only now: copy it into Entra before you leave this page."));
    events.onCredentials({ kind: "oauth", clientId: c.client_id, clientSecret: c.client_secret });
  });
  return card("entra", "Connect Microsoft Entra ID", h("ol", { class: "steps" },
    step("Create the application.", h("p", {}, "In the Microsoft Entra admin center: Enterprise applications → New application → Create your own application → “Integrate any other application you don't find in the gallery (Non-gallery)”. Give it a name, e.g. “Device Hub provisioning”.")),
    step("Turn on automatic provisioning.", h("p", {}, "Open the application → Provisioning → Get started, and set Provisioning Mode to Automatic.")),
    step("Paste the Tenant URL.", h("p", {}, "Under Admin Credentials:"), copyField("Tenant URL", conn.tenant_url, "tenant-url")),
    step("Paste the Secret Token.",
      h("p", {}, "Create a token here (valid for 10 years) and paste it into the Secret Token field, without “Bearer”."),
      // The one recommendation, worded as in docs/entra.md "Which credential".
      h("p", { class: "muted" }, "Recommended: one value that every non-gallery application takes. Use OAuth client credentials instead if your security policy forbids long-lived tokens in Entra; Entra then renews a one-hour token itself. Either can be revoked here at once."),
      h("p", {}, h("button", { type: "button", onclick: issueToken }, "Create a Secret Token for Entra")), out,
      h("details", {}, h("summary", {}, "Or use OAuth client credentials instead (Authentication Method: OAuth2 Client Credentials Grant)"),
        copyField("Token Endpoint", conn.token_endpoint, "token-endpoint"),
        h("p", {}, h("button", { type: "button", class: "secondary", onclick: createOauth }, "Create OAuth client credentials")), oauthOut)),
    step("Test the connection.", h("p", {}, "Press Test Connection in Entra; it should say the supplied credentials are authorized. Check it from here first with “Test connection” below, then Save in Entra.")),
    step("Check the mappings.", h("p", {}, "Under Mappings, keep “Provision Microsoft Entra ID Users” and “Provision Microsoft Entra ID Groups” enabled; the default attribute mappings work. Under Settings, before you turn provisioning on: give a Notification Email (Entra writes to it when the job is quarantined), turn on Prevent accidental deletion with a threshold, and set Scope to “Sync only assigned users and groups” and assign the users and groups to the application.")),
    step("Start provisioning.", h("p", {}, "Set Provisioning Status to On and Save. Entra's first cycle starts within minutes; the Provisioning section below shows what reaches the Device Hub."))));
}
