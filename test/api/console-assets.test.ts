// The admin console as Workers Static Assets (wrangler.toml [assets], dist/console built by
// scripts/build-console.mjs): its paths, content types and the strict CSP from console/static/_headers.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call } from "../support/http";

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const asset = (path: string) => env.ASSETS.fetch(`https://scim.test${path}`);

describe("admin console assets", () => {
  it("serves the page at /admin with the strict CSP, no caching and the security headers", async () => {
    const res = await asset("/admin");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Content-Security-Policy")).toBe(CSP);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("X-Frame-Options")).toBe("SAMEORIGIN");
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/admin/console.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/admin/console.css">');
    // No inline script or style the CSP would block.
    expect(html).not.toMatch(/<script>|<style|style="/);
  });

  it("serves the bundled script and the styles under /admin/ with the same CSP", async () => {
    const js = await asset("/admin/console.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("Content-Type")).toMatch(/^(text|application)\/javascript/);
    expect(js.headers.get("Content-Security-Policy")).toBe(CSP);
    expect(js.headers.get("Cache-Control")).toBe("no-cache");
    const code = await js.text();
    // One bundle from the TypeScript modules: the router and the cards are in it, no imports left.
    expect(code).toContain("/admin/v1");
    expect(code).toContain("/history?hours=");
    expect(code).not.toMatch(/^\s*import\s/m);
    const css = await asset("/admin/console.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("Content-Type")).toMatch(/^text\/css/);
  });

  it("sends /admin/ and /admin.html to /admin (one URL for the page)", async () => {
    for (const path of ["/admin/", "/admin.html"]) {
      const res = await env.ASSETS.fetch(`https://scim.test${path}`, { redirect: "manual" });
      expect(res.status, path).toBe(307);
      expect(new URL(res.headers.get("Location")!, "https://scim.test").pathname, path).toBe("/admin");
    }
  });

  it("has no asset for the admin API: /admin/v1 stays with the Worker", async () => {
    expect((await asset("/admin/v1/tenants")).status).toBe(404);
    expect((await call("/admin/v1/tenants")).status).toBe(401);
  });
});
