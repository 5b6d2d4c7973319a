// CLI: setup links for the self-service portal (create, list, revoke) and the tokens of every
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
  "tokens expiring": async ({ conn, out, values }) => {
    const days = intFlag(values, "within-days", 1, 3650) ?? 30;
    out(await api(conn, "GET", `/tokens/expiring?within_days=${days}`), (d) => {
      if (!d.tokens.length) return console.log(`no live token expires within ${d.within_days} days`);
      console.table(d.tokens.map((t) => ({ tenant: t.tenant_name, tenant_id: t.tenant_id, client_id: t.client_id, jti: t.jti, expires_at: t.expires_at, days_left: t.days_left })));
    });
  },
};
