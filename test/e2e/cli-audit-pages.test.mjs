// `edge-scim audit tail --count N` beyond the API's 500-a-page cap: the CLI follows nextCursor
// until it has N entries (it used to print the first page and stop without a word). A recording
// HTTP server stands in for the service and answers pages as the audit route does.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const CLI = fileURLToPath(new URL("../../scripts/cli.mjs", import.meta.url));
const TOTAL = 1_200;
const entry = (i) => ({ at: new Date(Date.UTC(2026, 0, 1) - i * 1000).toISOString(), requestId: `r${i}`, clientId: "c", method: "POST", status: 201, path: `/scim/v2/Users/${i}` });

/** The audit route's paging: at most 500 a page, newest first, an opaque cursor to the next. */
function auditServer() {
  const seen = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://x");
    seen.push(Object.fromEntries(url.searchParams));
    const from = Number(url.searchParams.get("cursor") ?? 0);
    const count = Math.min(Number(url.searchParams.get("count") ?? 100), 500);
    const entries = Array.from({ length: Math.max(0, Math.min(count, TOTAL - from)) }, (_, k) => entry(from + k));
    const next = from + entries.length < TOTAL ? String(from + entries.length) : null;
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ entries, nextCursor: next }));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ seen, url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() })));
}

function cli(args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, EDGE_SCIM_ADMIN_TOKEN: "t".repeat(32) } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("exit", (code) => resolve({ code, out, err }));
  });
}

test("--count 1100 returns 1,100 entries over three pages, newest first", async () => {
  const server = await auditServer();
  try {
    const { code, out, err } = await cli(["audit", "tail", "t1", "--count", "1100", "--json", "--url", server.url]);
    assert.equal(code, 0, err);
    const page = JSON.parse(out);
    assert.equal(page.entries.length, 1100);
    assert.deepEqual(page.entries.slice(0, 2).map((e) => e.requestId), ["r0", "r1"]);
    assert.equal(page.entries.at(-1).requestId, "r1099");
    assert.equal(page.nextCursor, "1100", "more remain: the cursor says where");
    assert.deepEqual(server.seen.map((q) => q.count), ["500", "500", "100"]);
  } finally {
    server.close();
  }
});

test("--count larger than the log stops at its end; the default stays one page of 20", async () => {
  const server = await auditServer();
  try {
    const all = JSON.parse((await cli(["audit", "tail", "t1", "--count", "5000", "--json", "--url", server.url])).out);
    assert.equal(all.entries.length, TOTAL);
    assert.equal(all.nextCursor, null);
    const few = JSON.parse((await cli(["audit", "tail", "t1", "--json", "--url", server.url])).out);
    assert.equal(few.entries.length, 20);
    const bad = await cli(["audit", "tail", "t1", "--count", "0", "--url", server.url]);
    assert.equal(bad.code, 2);
  } finally {
    server.close();
  }
});
