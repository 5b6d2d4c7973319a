// CLI: setup links for the self-service portal (create, list, revoke), the tenant credentials it
// leads to (tenant API tokens and portal sessions: list, show, revoke) and the tokens of every
// tenant that expire soon (an expired Secret Token silently stops Entra's provisioning).
import { api, EXIT, fail } from "./http.mjs";

const enc = encodeURIComponent;

/** A whole number in [min, max] from a flag, or undefined when the flag is absent. */
function intFlag(values, name, min, max) {
  if (values[name] === undefined) return undefined;
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min || n > max) fail(EXIT.usage, `--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

export const portalCommands = {
  "setup-link create": async ({ conn, out, need, values }) => {
    const [id] = need(1, "setup-link create <tenantId> [--days 1-30] [--note TEXT]");
    const days = intFlag(values, "days", 1, 30);
    const body = { ...(days ? { expires_in_days: days } : {}), ...(values.note ? { note: values.note } : {}) };
    out(await api(conn, "POST", `/tenants/${enc(id)}/setup-links`, body), (d) =>
      console.log(`${d.url}\n\nsingle use, expires ${d.expires_at} (link ${d.id}); shown once: send it to the customer's IT admin now`),
    );
  },
  "setup-link list": async ({ conn, out, need }) => {
    const [id] = need(1, "setup-link list <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/setup-links`), (d) => console.table(d.links));
  },
  "setup-link revoke": async ({ conn, out, need }) => {
    const [id, linkId] = need(2, "setup-link revoke <tenantId> <linkId>");
    out(await api(conn, "DELETE", `/tenants/${enc(id)}/setup-links/${enc(linkId)}`), () =>
      console.log(`revoked setup link ${linkId} (portal sessions opened with it have ended)`),
    );
  },
  "api-token list": async ({ conn, out, need }) => {
    const [id] = need(1, "api-token list <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/api-tokens`), (d) => console.table(d.api_tokens));
  },
  "api-token show": async ({ conn, out, need }) => {
    const [id, tokenId] = need(2, "api-token show <tenantId> <apiTokenId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/api-tokens/${enc(tokenId)}`), (d) => {
      const { created, ...token } = d;
      console.table([token]);
      console.log(`created ${created.clients.length} SCIM client(s), ${created.tokens.length} SCIM token(s)`);
      if (created.clients.length) console.table(created.clients);
      if (created.tokens.length) console.table(created.tokens);
    });
  },
  "api-token revoke": async ({ conn, out, need }) => {
    const [id, tokenId] = need(2, "api-token revoke <tenantId> <apiTokenId>");
    out(await api(conn, "DELETE", `/tenants/${enc(id)}/api-tokens/${enc(tokenId)}`), () =>
      console.log(`revoked API token ${tokenId} (and the SCIM clients and tokens it created that were not kept)`),
    );
  },
  "portal-session list": async ({ conn, out, need }) => {
    const [id] = need(1, "portal-session list <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/portal-sessions`), (d) => console.table(d.portal_sessions));
  },
  "portal-session revoke": async ({ conn, out, need }) => {
    const [id, sessionId] = need(2, "portal-session revoke <tenantId> <sessionId>");
    out(await api(conn, "DELETE", `/tenants/${enc(id)}/portal-sessions/${enc(sessionId)}`), () =>
      console.log(`ended portal session ${sessionId} (and the API tokens it created that were not kept)`),
    );
  },
  "tokens expiring": async ({ conn, out, values }) => {
    const days = intFlag(values, "within-days", 1, 3650) ?? 30;
    out(await api(conn, "GET", `/tokens/expiring?within_days=${days}`), (d) => {
      if (!d.tokens.length) console.log(`no live SCIM token expires within ${d.within_days} days`);
      else console.table(d.tokens.map((t) => ({ tenant: t.tenant_name, tenant_id: t.tenant_id, client_id: t.client_id, jti: t.jti, expires_at: t.expires_at, days_left: t.days_left })));
      if (!d.api_tokens?.length) console.log(`no live tenant API token expires within ${d.within_days} days`);
      else console.table(d.api_tokens.map((t) => ({ tenant: t.tenant_name, tenant_id: t.tenant_id, api_token: t.id, name: t.name, expires_at: t.expires_at, days_left: t.days_left })));
    });
  },
};
