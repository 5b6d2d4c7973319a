// A fresh tenant per test: created through the admin API, with a client and a token obtained
// from the real token endpoint. Random names, no fixed ids.
import { admin, call, json } from "./http";

export interface TestTenant {
  id: string;
  clientId: string;
  clientSecret: string;
  token: string;
}

/** `shard` places the tenant on that shard; without it placement picks (tenants spread over both). */
export async function newTenant(name = `t-${crypto.randomUUID().slice(0, 8)}`, opts: { shard?: string } = {}): Promise<TestTenant> {
  const tenant = await json<{ id: string }>(await admin("/tenants", { body: { name, ...opts } }));
  const client = await json<{ client_id: string; client_secret: string }>(
    await admin(`/tenants/${tenant.id}/clients`, { body: { name: "entra" } }),
  );
  const token = await requestToken(client.client_id, client.client_secret);
  return { id: tenant.id, clientId: client.client_id, clientSecret: client.client_secret, token };
}

export async function requestToken(clientId: string, secret: string, extra: Record<string, string> = {}) {
  const res = await call("/oauth/token", {
    method: "POST",
    rawBody: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: secret, ...extra }).toString(),
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${await res.text()}`);
  return (await json<{ access_token: string }>(res)).access_token;
}
