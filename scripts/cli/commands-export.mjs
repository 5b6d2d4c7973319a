// CLI: tenants export — follows the export's cursors and writes NDJSON to a file (or stdout).
// Written page by page, so a 100k-user tenant never sits in memory whole.
import { closeSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { apiRaw } from "./http.mjs";

export const exportCommands = {
  "tenants export": async ({ conn, need, values }) => {
    const [id] = need(1, "tenants export <tenantId> [--out FILE]");
    const file = values.out;
    // Into a temporary name first: an interrupted export never looks like a complete one.
    const partial = file ? `${file}.partial` : undefined;
    const fd = partial ? openSync(partial, "w", 0o600) : 1;
    const counts = { user: 0, group: 0, membership: 0 };
    let pages = 0;
    let path = `/tenants/${encodeURIComponent(id)}/export`;
    try {
      while (path) {
        const res = await apiRaw(conn, path);
        const text = await res.text();
        for (const line of text.split("\n")) if (line) counts[JSON.parse(line).type]++;
        writeSync(fd, text);
        pages++;
        const next = res.headers.get("X-Next-Cursor");
        path = next ? `/tenants/${encodeURIComponent(id)}/export?cursor=${encodeURIComponent(next)}` : "";
      }
    } catch (err) {
      if (partial) rmSync(partial, { force: true });
      throw err;
    } finally {
      if (partial) closeSync(fd);
    }
    if (!file) return;
    renameSync(partial, file);
    const summary = { file, pages, users: counts.user, groups: counts.group, memberships: counts.membership };
    if (values.json) console.log(JSON.stringify(summary, null, 2));
    else console.log(`exported ${summary.users} users, ${summary.groups} groups, ${summary.memberships} memberships to ${file} (${pages} pages)`);
  },
};
