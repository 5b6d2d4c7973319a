// "Following Eptura's guide": the values Eptura's page "Configure SCIM provisioning for the Device
// Hub" lists as "provided by Eptura", in its words and order, with this tenant's own values and
// copy buttons: the SCIM API URL (Entra's Tenant URL), the Token provider URL, a SCIM client ID
// and secret, and the long-lived token the token provider makes from them (up to 10 years).
// Then which "additional attributes" an Entra mapping may target.
import { api } from "../../console/src/api";
import { flash, h, type Child } from "../../console/src/dom";
import { card, copyField, secretBox } from "../../console/src/widgets";
import type { Connection, ExtensionInfo } from "./connection";
import type { Credentials } from "./probe";

const EPTURA_CLIENT = "Eptura token provider";
const TEN_YEARS_S = 315_360_000;

const item = (title: string, ...body: Child[]) => h("li", {}, h("strong", {}, title), ...body);

/** POST the token provider exactly as Eptura's guide describes it (form fields, grantType "password"). */
async function longLivedToken(url: string, clientId: string, secret: string): Promise<string> {
  const res = await fetch(new URL(url).pathname, {
    method: "POST",
    credentials: "omit",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ scimClientId: clientId, scimClientSecret: secret, grantType: "password", tokenExpiry: String(TEN_YEARS_S) }),
  });
  const body = (await res.json().catch(() => ({}))) as { accessToken?: string; error_description?: string };
  if (!res.ok || !body.accessToken) throw new Error(`The token provider refused: ${body.error_description ?? res.status}`);
  return body.accessToken;
}

/** The curl command Eptura's "generate a SCIM token" step amounts to, for a script or a record. */
const curlFor = (url: string, clientId: string) =>
  `curl -s -X POST '${url}' -d scimClientId=${clientId} -d scimClientSecret='<SCIM client secret token>' -d grantType=password -d tokenExpiry=${TEN_YEARS_S}`;

function extensionList(extensions: ExtensionInfo[]): HTMLElement {
  return h("ul", { "data-testid": "eptura-extensions" }, extensions.map((e) =>
    h("li", { "data-urn": e.urn }, h("code", {}, e.urn), ` — ${e.builtIn ? "built in" : "declared by your provider"}: `,
      e.attributes.map((a, i) => [i ? ", " : "", h("code", {}, a)]))));
}

export interface EpturaEvents {
  onCredentials: (creds: Credentials) => void;
  onTokensChanged: () => unknown;
}

export function epturaStepsCard(conn: Connection, events: EpturaEvents): HTMLElement {
  const clientOut = h("div", { "data-testid": "eptura-client-out" });
  const tokenOut = h("div", { "data-testid": "eptura-token-out" });
  let client: { client_id: string; client_secret: string } | undefined;
  const tokenButton = h("button", { type: "button", disabled: true }, "Generate the long-lived SCIM token");
  const guarded = (target: HTMLElement, fn: () => Promise<void>) => async (e: Event) => {
    const button = e.currentTarget as HTMLButtonElement;
    button.disabled = true;
    try { await fn(); await events.onTokensChanged(); } catch (err) { flash(target, (err as Error).message); } finally { button.disabled = false; }
  };
  const createClient = guarded(clientOut, async () => {
    client = await api<{ client_id: string; client_secret: string }>("POST", `/tenants/${conn.tenant_id}/clients`, { name: EPTURA_CLIENT });
    clientOut.replaceChildren(secretBox("SCIM client ID and secret", [["SCIM client ID", client.client_id, "eptura-client-id"], ["SCIM client secret token", client.client_secret, "eptura-client-secret"]],
      "The secret is shown only now. Keep both if you want to generate tokens yourself (the command below); otherwise generate the long-lived token here."),
      h("p", { class: "muted" }, "The same request from a terminal:"), copyField("Token request", curlFor(conn.token_provider_url, client.client_id), "eptura-curl"));
    tokenButton.disabled = false;
  });
  tokenButton.addEventListener("click", guarded(tokenOut, async () => {
    if (!client) return;
    const token = await longLivedToken(conn.token_provider_url, client.client_id, client.client_secret);
    tokenOut.replaceChildren(secretBox("Long-lived SCIM token (10 years)", [["Long-lived SCIM token", token, "eptura-token"]],
      "Paste it into Entra's Secret Token field. It is shown only now."));
    events.onCredentials({ kind: "token", token });
  }));
  return card("eptura", "Following Eptura's guide",
    h("p", {}, "Eptura's page “Configure SCIM provisioning for the Device Hub” lists these values “as provided by Eptura”. This service provides them: use each one where the guide names it."),
    h("h3", {}, "Prerequisites"),
    h("ol", { class: "steps" },
      item("Azure Active Directory", h("p", {}, "Microsoft Entra ID, where you create the non-gallery enterprise application with Provisioning Mode Automatic.")),
      item("Eptura Engage SCIM API URL", h("p", {}, "Entra's Tenant URL."), copyField("SCIM API URL", conn.eptura_tenant_url, "eptura-tenant-url")),
      item("Eptura Engage SCIM Token provider URL", copyField("Token provider URL", conn.token_provider_url, "token-provider-url")),
      item("SCIM client ID", h("p", {}, "Created here, together with its secret."),
        h("p", {}, h("button", { type: "button", onclick: createClient }, "Create SCIM client ID and secret"))),
      item("SCIM client secret token", clientOut),
      item("Long-lived SCIM token generated from SCIM Token Provider (up to 10 years)",
        h("p", {}, "The token provider makes it from the client ID and secret."), h("p", {}, tokenButton), tokenOut)),
    h("h3", {}, "Configuration"),
    h("p", {}, "In Entra, under Provisioning → Admin Credentials: Tenant URL = the SCIM API URL, Secret Token = the long-lived SCIM token. Test Connection, Save, then set Provisioning Status to On. The current cycle's status is on Entra's Provisioning page; what reaches the Device Hub is in the Provisioning section below."),
    h("h3", {}, "Additional attributes"),
    h("p", {}, "Entra can map attributes into these extension schemas. An attribute of any other extension is dropped: ask your provider to declare it before you map it."),
    extensionList(conn.extensions));
}
