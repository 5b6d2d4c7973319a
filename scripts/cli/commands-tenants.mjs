// CLI: tenants (list, create, show, rename, delete, move between shards), shards, clients and tokens.
import { api } from "./http.mjs";

const enc = encodeURIComponent;

function printMove(d) {
  const p = d.progress;
  console.log(`${d.source} → ${d.destination}: ${d.state}${d.error ? ` (error: ${d.error})` : ""}`);
  console.log(`tables ${p.tablesCopied}/${p.tables}${p.table ? ` (copying ${p.table})` : ""}, rows copied ${p.copiedRows}, replayed ${p.replayedRows}, purged ${p.purgedRows}`);
  console.log(`started ${d.startedAt}${d.switchedAt ? `, switched ${d.switchedAt}` : ""}${d.finishedAt ? `, finished ${d.finishedAt}` : ""}`);
}

export const tenantCommands = {
  "tenants list": async ({ conn, out }) => out(await api(conn, "GET", "/tenants"), (d) => console.table(d.tenants)),
  "tenants create": async ({ conn, out, need, values }) => {
    const [name] = need(1, "tenants create <name> [--shard DB_1]");
    const body = { name, ...(values.shard ? { shard: values.shard } : {}) };
    out(await api(conn, "POST", "/tenants", body), (d) => console.log(`created tenant ${d.id} (${d.name}) on shard ${d.shard}`));
  },
  shards: async ({ conn, out }) =>
    out(await api(conn, "GET", "/shards"), (d) => {
      console.table(d.shards);
      console.log(`next tenant goes to ${d.nextPlacement}`);
    }),
  "tenants show": async ({ conn, out, need }) => {
    const [id] = need(1, "tenants show <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}`), (d) => {
      console.log(`${d.name} (${d.id}), created ${d.createdAt}, ${d.state}${d.deletedAt ? ` since ${d.deletedAt}` : ""}, shard ${d.shard}`);
      if (d.scim) console.log(`Tenant URL:     ${d.scim.tenantUrl}\nToken endpoint: ${d.scim.tokenEndpoint}`);
      if (d.purge) console.log(d.purge.done ? "purge: done" : `purge: rows left ${JSON.stringify(d.purge.remaining)}`);
    });
  },
  "tenants rename": async ({ conn, out, need }) => {
    const [id, name] = need(2, "tenants rename <tenantId> <name>");
    out(await api(conn, "PATCH", `/tenants/${enc(id)}`, { name }), (d) => console.log(`renamed ${d.id} to ${d.name}`));
  },
  "tenants delete": async ({ conn, out, need }) => {
    const [id] = need(1, "tenants delete <tenantId>");
    out(await api(conn, "DELETE", `/tenants/${enc(id)}`), (d) =>
      console.log(`tenant ${d.id} is ${d.state}: its clients and tokens no longer work; the cron purges its data (see tenants show)`),
    );
  },
  "tenants move": async ({ conn, out, need }) => {
    const [id, shard] = need(2, "tenants move <tenantId> <shard>");
    out(await api(conn, "POST", `/tenants/${enc(id)}/move`, { shard }), (d) =>
      console.log(`moving ${d.tenantId} from ${d.source} to ${d.destination}: ${d.state} (follow with tenants move-status)`),
    );
  },
  "tenants move-status": async ({ conn, out, need }) => {
    const [id] = need(1, "tenants move-status <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/move`), printMove);
  },
  "tenants move-cancel": async ({ conn, out, need }) => {
    const [id] = need(1, "tenants move-cancel <tenantId>");
    out(await api(conn, "DELETE", `/tenants/${enc(id)}/move`), printMove);
  },
  "clients list": async ({ conn, out, need }) => {
    const [id] = need(1, "clients list <tenantId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/clients`), (d) => console.table(d.clients));
  },
  "clients create": async ({ conn, out, need }) => {
    const [id, name] = need(2, "clients create <tenantId> <name>");
    out(await api(conn, "POST", `/tenants/${enc(id)}/clients`, { name }), (d) =>
      console.log(`client_id:      ${d.client_id}\nclient_secret:  ${d.client_secret}   (shown once)\ntoken endpoint: ${d.token_endpoint}\nTenant URL:     ${d.scim_base_url}`),
    );
  },
  "clients revoke": async ({ conn, out, need }) => {
    const [id, clientId] = need(2, "clients revoke <tenantId> <clientId>");
    out(await api(conn, "DELETE", `/tenants/${enc(id)}/clients/${enc(clientId)}`), () => console.log(`revoked ${clientId}`));
  },
  "clients rotate": async ({ conn, out, need }) => {
    const [id, clientId] = need(2, "clients rotate <tenantId> <clientId>");
    out(await api(conn, "POST", `/tenants/${enc(id)}/clients/${enc(clientId)}/rotate`), (d) =>
      console.log(`new client_secret: ${d.client_secret}   (shown once)`),
    );
  },
  "tokens issue": async ({ conn, out, need, values }) => {
    const [id, clientId] = need(2, "tokens issue <tenantId> <clientId> [--expires-in SECONDS]");
    const body = values["expires-in"] ? { expires_in: Number(values["expires-in"]) } : {};
    out(await api(conn, "POST", `/tenants/${enc(id)}/clients/${enc(clientId)}/tokens`, body), (d) =>
      console.log(`${d.access_token}\n\nexpires ${d.expires_at} (jti ${d.jti})`),
    );
  },
  "tokens list": async ({ conn, out, need }) => {
    const [id, clientId] = need(2, "tokens list <tenantId> <clientId>");
    out(await api(conn, "GET", `/tenants/${enc(id)}/clients/${enc(clientId)}/tokens`), (d) => console.table(d.tokens));
  },
  "tokens revoke": async ({ conn, out, need }) => {
    const [id, jti] = need(2, "tokens revoke <tenantId> <jti>");
    out(await api(conn, "DELETE", `/tenants/${enc(id)}/tokens/${enc(jti)}`), () => console.log(`revoked token ${jti}`));
  },
};
