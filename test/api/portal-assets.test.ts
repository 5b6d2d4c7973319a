// The self-service portal as Workers Static Assets (dist/console/portal, built from portal/ by
// scripts/build-console.mjs): /portal/ and its script and styles with the strict CSP of
// console/static/_headers, and /portal/v1 left to the Worker.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call } from "../support/http";

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const asset = (path: string) => env.ASSETS.fetch(`https://scim.test${path}`, { redirect: "manual" });

describe("portal assets", () => {
  it("serves the page at /portal/ with the strict CSP, no caching and no inline code", async () => {
    const res = await asset("/portal/");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Content-Security-Policy")).toBe(CSP);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/portal/app/portal.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/portal/app/portal.css">');
    expect(html).not.toMatch(/<script>|<style|style="/);
  });

  it("serves one bundle and the styles under /portal/app/ with the same CSP", async () => {
    const js = await asset("/portal/app/portal.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("Content-Type")).toMatch(/^(text|application)\/javascript/);
    expect(js.headers.get("Content-Security-Policy")).toBe(CSP);
    expect(js.headers.get("Cache-Control")).toBe("no-cache");
    const code = await js.text();
    // The portal's own calls and the console cards it reuses are in the one bundle.
    expect(code).toContain("/portal/v1/session");
    expect(code).toContain("X-CSRF-Token");
    expect(code).toContain("/ServiceProviderConfig");
    expect(code).toContain("/history?hours=");
    expect(code).not.toMatch(/^\s*import\s/m);
    for (const sheet of ["/portal/app/portal.css", "/portal/app/console.css"]) {
      const css = await asset(sheet);
      expect(css.status, sheet).toBe(200);
      expect(css.headers.get("Content-Type"), sheet).toMatch(/^text\/css/);
      expect(css.headers.get("Content-Security-Policy"), sheet).toBe(CSP);
    }
  });

  it("sends /portal and /portal/index.html to /portal/ (the URL setup links point at)", async () => {
    for (const path of ["/portal", "/portal/index.html"]) {
      const res = await asset(path);
      expect(res.status, path).toBe(307);
      expect(new URL(res.headers.get("Location")!, "https://scim.test").pathname, path).toBe("/portal/");
    }
  });

  it("has no asset for the portal API: /portal/v1 stays with the Worker", async () => {
    expect((await asset("/portal/v1/session")).status).toBe(404);
    // No cookie: the Worker answers (401), not the assets.
    expect((await call("/portal/v1/session")).status).toBe(401);
  });
});
