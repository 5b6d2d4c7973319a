// What the console's and the portal's browser tests share: the dev stack and a Chromium page that
// records script errors, a JSON admin API call, sign-in, opening one tenant's view, a layout check.
import assert from "node:assert/strict";
import { launchBrowser } from "./browser.mjs";
import { startStack } from "./stack.mjs";

/** Start the stack and a page; `pageErrors` collects script errors (a non-2xx fetch is not one). */
export async function openConsoleSession() {
  const stack = await startStack();
  const browser = await launchBrowser({ width: 1280, height: 800 });
  const page = await browser.context.newPage();
  const pageErrors = [];
  // Bounds a real failure only: a busy 2-core CI machine may take seconds to render a page.
  page.setDefaultTimeout(60_000);
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  // "Failed to load resource" is the browser logging an expected non-2xx (e.g. audit 404), not a bug.
  page.on("console", (m) => { if (m.type() === "error" && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text()); });
  const close = async () => {
    await browser.close();
    await stack.stop();
  };
  return { stack, browser, page, pageErrors, close };
}

/** A JSON admin API call that must succeed (test setup, not under test). */
export async function adminCall(stack, method, path, body) {
  const res = await fetch(`${stack.baseUrl}/admin/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${stack.adminToken}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export async function signIn(page, stack) {
  await page.goto(stack.baseUrl + "/admin");
  await page.fill("#admin-token", stack.adminToken);
  await page.click("#signin-form button[type=submit]");
  await page.getByRole("heading", { name: "Tenants" }).waitFor();
}

export async function openTenant(page, stack, id) {
  await page.goto(`${stack.baseUrl}/admin#/tenants/${id}`);
  // The console re-renders on the hash change: wait for this tenant's view, not the one before it.
  await page.locator(`[data-testid=tenant-name][data-tenant-id="${id}"]`).waitFor();
}

/** Resize the page to `width` and check nothing scrolls sideways (layout tests of both pages). */
export async function assertFitsWidth(page, width, height = 800) {
  await page.setViewportSize({ width, height });
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  assert.ok(scrollWidth <= clientWidth, `${width}px: scrollWidth ${scrollWidth} > clientWidth ${clientWidth}`);
}
