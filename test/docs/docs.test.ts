// The docs checked against the code (test/docs/docs-check.ts): a link, a CLI command, a route or
// a configuration name that the code does not have is a failing test, not a reader's dead end.
// Vite reads the files at build time (import.meta.glob), so this runs in the Workers pool too.
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/http/app";
import {
  bindingsOf,
  brokenLinks,
  cliCommandsOf,
  cliOptionsOf,
  configurationProblems,
  otherCliSpellings,
  productionKeysOf,
  scriptEnvOf,
  unknownCliCommands,
  unknownRoutes,
  wranglerNamesOf,
} from "./docs-check";

const raw = (files: Record<string, unknown>) => files as Record<string, string>;
const docs = raw(import.meta.glob(["/README.md", "/docs/*.md"], { query: "?raw", import: "default", eager: true }));
// The changelog's links are followed too (its upgrade notes point into the docs).
const changelog = raw(import.meta.glob("/CHANGELOG.md", { query: "?raw", import: "default", eager: true }));
const scripts = raw(import.meta.glob("/scripts/**/*.mjs", { query: "?raw", import: "default", eager: true }));
const source = raw(import.meta.glob(["/src/config.ts", "/wrangler.toml"], { query: "?raw", import: "default", eager: true }));
// Only the names: a link may point at any file of the repository.
const repoFiles = new Set(
  Object.keys(
    import.meta.glob(["/*", "/src/**", "/scripts/**", "/test/**", "/bench/**", "/migrations/**", "/console/**", "/portal/**", "/docs/**"]),
  ),
);
const exists = (path: string) => repoFiles.has(path) || [...repoFiles].some((f) => f.startsWith(`${path}/`));

/** Names wrangler and Cloudflare define, which the configuration reference mentions. */
const EXTERNAL = new Set(["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"]);

describe("docs", () => {
  it("reads README.md and every docs/*.md", () => {
    expect(Object.keys(docs)).toContain("/README.md");
    expect(Object.keys(docs).length).toBeGreaterThan(5);
  });

  it("every relative link and anchor resolves", () => {
    expect(brokenLinks({ ...docs, ...changelog }, exists)).toEqual([]);
  });

  it("every `npx edge-scim …` is a command and options the CLI has", () => {
    // The help text's source: the command lines are the same as what `--help` prints.
    const commands = cliCommandsOf(scripts["/scripts/cli/help.mjs"]!);
    expect(commands).toContain("tenants list");
    const options = cliOptionsOf(scripts["/scripts/cli.mjs"]!);
    expect(options).toContain("--url");
    expect(unknownCliCommands(docs, commands, options)).toEqual([]);
    expect(otherCliSpellings(docs)).toEqual([]);
  });

  it("every admin and portal route the docs name is in the router", () => {
    const routes = createApp()
      .routes.filter((r) => r.method !== "ALL")
      .map((r) => `${r.method} ${r.path}`);
    expect(routes).toContain("GET /admin/v1/tenants/:id");
    expect(unknownRoutes(docs, routes)).toEqual([]);
  });

  it("docs/admin-api.md lists every admin and portal route", () => {
    const reference = docs["/docs/admin-api.md"] ?? "";
    const missing = createApp()
      .routes.filter((r) => r.method !== "ALL" && /^\/(admin|portal)\/v1\//.test(r.path))
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z]+)/g, "{$1}")}`)
      .filter((route) => !reference.includes(route));
    expect([...new Set(missing)]).toEqual([]);
  });

  it("docs/configuration.md names every binding, var, script env var and production.json key, and nothing else", () => {
    const known = {
      bindings: bindingsOf(source["/src/config.ts"]!),
      wrangler: wranglerNamesOf(source["/wrangler.toml"]!),
      scriptEnv: scriptEnvOf(Object.values(scripts)),
      productionKeys: productionKeysOf(scripts["/scripts/prod-config.mjs"]!),
      external: EXTERNAL,
    };
    expect(known.bindings).toContain("ADMIN_TOKEN");
    expect(known.wrangler).toContain("SYNC_QUEUE");
    expect(known.productionKeys).toContain("databaseId");
    expect(configurationProblems(docs["/docs/configuration.md"] ?? "", known)).toEqual([]);
  });
});

describe("the docs checks themselves", () => {
  it("slug GitHub's way, and report what does not resolve", async () => {
    const { slug } = await import("./docs-check");
    expect(slug("The token provider (`/api/V1/token`)")).toBe("the-token-provider-apiv1token");
    expect(slug("Coming from Eptura's guide")).toBe("coming-from-epturas-guide");
    const page = { "/docs/a.md": "# A\n## Two words\n[ok](#two-words) [bad](#nope) [gone](b.md) [url](https://x.test/#y)\n```\n[in code](#nope)\n```\n" };
    expect(brokenLinks(page, (p) => p === "/docs/a.md")).toEqual([
      "/docs/a.md: link to #nope: /docs/a.md has no heading #nope",
      "/docs/a.md: link to b.md: no file /docs/b.md",
    ]);
  });

  it("report an unknown CLI command or option, a route the router lacks, an undocumented binding", () => {
    const commands = new Set(["tenants list"]);
    const options = new Set(["--url"]);
    expect(unknownCliCommands({ "/d.md": "`npx edge-scim tenants list --url x` and `npx edge-scim tenants purge --force`" }, commands, options)).toEqual([
      "/d.md: `npx edge-scim tenants purge --force`: no such command in `npx edge-scim --help`",
      "/d.md: `npx edge-scim tenants purge --force`: the CLI has no option --force",
    ]);
    expect(unknownRoutes({ "/d.md": "`GET /admin/v1/tenants/{id}` and `POST /admin/v1/tenants/{id}` and `/admin/v1/nothing`" }, ["GET /admin/v1/tenants/:id"])).toEqual([
      "/d.md: POST /admin/v1/tenants/{id}: the route has only GET",
      "/d.md: /admin/v1/nothing: no such route in src/http",
    ]);
    const known = { bindings: new Set(["DB", "DB_n"]), wrangler: new Set(["SYNC_QUEUE"]), scriptEnv: new Set<string>(), productionKeys: new Set(["databaseId"]), external: new Set<string>() };
    expect(configurationProblems("`DB`, `DB_1`, `databaseId`, `OLD_VAR`", known)).toEqual([
      "docs/configuration.md: `OLD_VAR` is neither in src/config.ts, wrangler.toml nor read by a script",
      "docs/configuration.md: `SYNC_QUEUE` is not documented",
    ]);
  });
});
