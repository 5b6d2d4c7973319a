// GET /health: liveness plus a D1 round trip, no auth, no tenant data; 503 when D1 fails.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import { call, json } from "../support/http";

describe("GET /health", () => {
  it("answers 200 with status and d1 ok, without auth or tenant data", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(await json(res)).toEqual({ status: "ok", d1: "ok" });
  });

  it("answers even when the configuration is broken (liveness does not parse secrets)", async () => {
    const ctx = createExecutionContext();
    const res = await createApp().fetch(new Request("https://scim.test/health"), { ...env, ADMIN_TOKEN: "" }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
  });

  it("answers 503 when the D1 round trip fails", async () => {
    // A D1 binding whose every statement fails, as D1 does when the database is unavailable.
    const failing = { prepare: () => ({ first: () => Promise.reject(new Error("D1_ERROR: database unavailable")) }) };
    const ctx = createExecutionContext();
    const res = await createApp().fetch(new Request("https://scim.test/health"), { ...env, DB: failing }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(await json(res)).toEqual({ status: "error", d1: "error" });
  });
});
