// GET /admin: the admin console (a static shell plus a script; data comes from /admin/v1 with the
// admin token the user pastes). Its CSP allows only same-origin scripts and styles.
import { Hono } from "hono";
import { CONSOLE_CSS, CONSOLE_HTML } from "../console/page";
import { CONSOLE_JS } from "../console/script";
import type { AppEnv } from "../context";

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export const consoleRoutes = new Hono<AppEnv>()
  .get("/", (c) => c.html(CONSOLE_HTML, 200, { "Content-Security-Policy": CSP, "Cache-Control": "no-store" }))
  .get("/console.js", (c) => c.body(CONSOLE_JS, 200, { "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" }))
  .get("/console.css", (c) => c.body(CONSOLE_CSS, 200, { "Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-cache" }));
