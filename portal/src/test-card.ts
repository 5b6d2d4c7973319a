// The "Test connection" card: runs Entra's test (probe.ts) with the credentials just created on
// this page, or a Secret Token pasted into the field, and says in plain words what Entra would see.
import { h } from "../../console/src/dom";
import { card } from "../../console/src/widgets";
import type { Connection } from "./connection";
import { testConnection, type Credentials } from "./probe";

export interface TestCard {
  el: HTMLElement;
  /** Test with these from now on (the token goes into the field; OAuth credentials stay in memory). */
  use: (creds: Credentials) => void;
}

/** `afterTest` runs after each test (the OAuth path mints a token: the token list redraws). */
export function testCard(conn: Connection, afterTest: () => unknown = () => {}): TestCard {
  let oauth: Credentials | null = null;
  const token = h("input", { id: "test-token", type: "password", autocomplete: "off", class: "wide", placeholder: "Secret Token" });
  const using = h("p", { class: "muted" }, "Create a Secret Token above (or paste one here), then test it.");
  const result = h("div", { "data-testid": "test-result", "aria-live": "polite" });
  const button = h("button", { type: "submit" }, "Test connection");
  const run = async (e: Event) => {
    e.preventDefault();
    const creds: Credentials | null = token.value.trim() ? { kind: "token", token: token.value.trim() } : oauth;
    if (!creds) {
      result.replaceChildren(h("p", { class: "error" }, "There is nothing to test yet: create a Secret Token or OAuth client credentials above."));
      return;
    }
    button.disabled = true;
    result.replaceChildren(h("p", { class: "muted" }, "Testing…"));
    const verdict = await testConnection(creds, conn.tenant_url, conn.token_endpoint);
    button.disabled = false;
    result.replaceChildren(h("p", { class: verdict.ok ? "ok" : "error", role: verdict.ok ? "status" : "alert", "data-ok": String(verdict.ok) }, verdict.text));
    await afterTest();
  };
  const use = (creds: Credentials) => {
    result.replaceChildren();
    if (creds.kind === "token") {
      token.value = creds.token;
      using.textContent = "Testing the Secret Token you just created.";
    } else {
      oauth = creds;
      token.value = "";
      using.textContent = `Testing the OAuth client ${creds.clientId} (through the token endpoint, as Entra does).`;
    }
  };
  const el = card("test", "Test connection",
    h("p", {}, "Runs the same check as Entra's Test Connection button: reads the service's configuration with your credentials, then searches for a user that does not exist."),
    h("form", { onsubmit: run }, h("label", { for: "test-token" }, "Secret Token to test"), token, using, h("p", {}, button)), result);
  return { el, use };
}
