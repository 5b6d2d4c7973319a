// The admin console and the self-service portal as Workers Static Assets (wrangler.toml [assets],
// dist/console built by scripts/build-console.mjs): their paths, content types and the strict CSP
// from console/static/_headers; their API paths (/admin/v1, /portal/v1) stay with the Worker.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call } from "../support/http";

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const asset = (path: string) => env.ASSETS.fetch(`https://scim.test${path}`, { redirect: "manual" });

interface Site {
  name: string;
  page: string;
  script: string;
  sheets: string[];
  /** Strings the one bundle must hold (its API paths and modules it is built from). */
  bundled: string[];
  /** Other URLs of the page, redirected to `page`. */
  aliases: string[];
  /** An API path: no asset, the Worker answers 401 without credentials. */
  apiPath: string;
}

const SITES: Site[] = [
  {
    name: "admin console", page: "/admin", script: "/admin/console.js", sheets: ["/admin/console.css"],
    bundled: ["/admin/v1", "/history?hours="], aliases: ["/admin/", "/admin.html"], apiPath: "/admin/v1/tenants",
  },
  {
    name: "portal", page: "/portal/", script: "/portal/app/portal.js", sheets: ["/portal/app/console.css", "/portal/app/portal.css"],
    // Its own calls, Entra's test, and the console's provisioning card it reuses.
    bundled: ["/portal/v1/session", "X-CSRF-Token", "/ServiceProviderConfig", "/history?hours="],
    aliases: ["/portal", "/portal/index.html"], apiPath: "/portal/v1/session",
  },
];

describe.each(SITES)("$name assets", (site) => {
  it("serves the page with the strict CSP, no caching, the security headers and no inline code", async () => {
    const res = await asset(site.page);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Content-Security-Policy")).toBe(CSP);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("X-Frame-Options")).toBe("SAMEORIGIN");
    expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
    const html = await res.text();
    expect(html).toContain(`<script type="module" src="${site.script}"></script>`);
    for (const sheet of site.sheets) expect(html).toContain(`<link rel="stylesheet" href="${sheet}">`);
    // No inline script or style the CSP would block.
    expect(html).not.toMatch(/<script>|<style|style="/);
  });

  it("serves one bundled script and the styles with the same CSP, revalidated by ETag", async () => {
    const js = await asset(site.script);
    expect(js.status).toBe(200);
    expect(js.headers.get("Content-Type")).toMatch(/^(text|application)\/javascript/);
    expect(js.headers.get("Content-Security-Policy")).toBe(CSP);
    expect(js.headers.get("Cache-Control")).toBe("no-cache");
    const code = await js.text();
    for (const s of site.bundled) expect(code).toContain(s);
    expect(code).not.toMatch(/^\s*import\s/m);
    for (const sheet of site.sheets) {
      const css = await asset(sheet);
      expect(css.status, sheet).toBe(200);
      expect(css.headers.get("Content-Type"), sheet).toMatch(/^text\/css/);
      expect(css.headers.get("Content-Security-Policy"), sheet).toBe(CSP);
    }
  });

  it("sends the page's other URLs to one URL", async () => {
    for (const path of site.aliases) {
      const res = await asset(path);
      expect(res.status, path).toBe(307);
      expect(new URL(res.headers.get("Location")!, "https://scim.test").pathname, path).toBe(site.page);
    }
  });

  it("has no asset for its API: the Worker answers", async () => {
    expect((await asset(site.apiPath)).status).toBe(404);
    expect((await call(site.apiPath)).status).toBe(401);
  });
});
