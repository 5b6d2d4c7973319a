// CLI: audit tail — the newest entries first (as the API answers), with since/until; --follow
// then keeps polling and prints new entries as they arrive, oldest of each batch first.
import { api, EXIT, fail } from "./http.mjs";

const show = (e) => `${e.at}  ${e.clientId.padEnd(20)} ${e.method.padEnd(6)} ${String(e.status).padEnd(4)} ${e.path}`;
const keyOf = (e) => `${e.requestId}|${e.at}|${e.path}`;

function query(params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined));
  return q.size ? `?${q}` : "";
}

async function follow({ conn, values }, tenantPath, newest) {
  const interval = Number(values.interval ?? "2");
  if (!(interval > 0)) fail(EXIT.usage, "--interval must be a positive number of seconds");
  let since = newest[0]?.at ?? new Date().toISOString();
  // Entries at exactly `since` come back again (since is inclusive): remember what was printed.
  let seen = new Set(newest.filter((e) => e.at === since).map(keyOf));
  for (;;) {
    await new Promise((r) => setTimeout(r, interval * 1000));
    const page = await api(conn, "GET", `${tenantPath}${query({ since, count: "500" })}`);
    const fresh = page.entries.filter((e) => !seen.has(keyOf(e))).reverse();
    for (const e of fresh) console.log(values.json ? JSON.stringify(e) : show(e));
    if (page.entries.length) {
      since = page.entries[0].at;
      seen = new Set(page.entries.filter((e) => e.at === since).map(keyOf));
    }
  }
}

/** The API's most entries a page (src/audit/routes.ts): more are fetched page by page. */
const PAGE_MAX = 500;

/** The newest `count` entries, following nextCursor past the API's page cap instead of stopping at it. */
async function newest(conn, tenantPath, { since, until }, count) {
  const entries = [];
  let cursor;
  do {
    const page = await api(conn, "GET", `${tenantPath}${query({ since, until, cursor, count: String(Math.min(PAGE_MAX, count - entries.length)) })}`);
    entries.push(...page.entries);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && entries.length < count);
  return { entries, nextCursor: cursor ?? null };
}

export const auditCommands = {
  "audit tail": async (ctx) => {
    const { conn, need, values } = ctx;
    const [id] = need(1, "audit tail <tenantId> [--since ISO] [--until ISO] [--count N] [--follow]");
    const tenantPath = `/tenants/${encodeURIComponent(id)}/audit`;
    const count = Number(values.count ?? "20");
    if (!Number.isInteger(count) || count < 1) fail(EXIT.usage, "--count must be a positive whole number");
    const page = await newest(conn, tenantPath, { since: values.since, until: values.until }, count);
    if (values.json) console.log(values.follow ? page.entries.map((e) => JSON.stringify(e)).join("\n") : JSON.stringify(page, null, 2));
    else for (const e of page.entries) console.log(show(e));
    if (values.follow) {
      if (values.until) fail(EXIT.usage, "--follow cannot be combined with --until");
      await follow(ctx, tenantPath, page.entries);
    }
  },
};
