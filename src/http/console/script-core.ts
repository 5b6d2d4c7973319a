// Shared browser helpers of the admin console (served inside /admin/console.js): element builder,
// admin API client, tables, copy fields, messages. Every value is inserted as text, never as HTML.

export const CORE_JS = String.raw`
const $ = (sel) => document.querySelector(sel);
const TOKEN_KEY = "edge-scim-admin-token";
let refreshTimer;

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v !== false && v !== undefined && v !== null) el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

class ApiError extends Error { constructor(message, status) { super(message); this.status = status; } }

// Admin API errors are { error: { status, message } }; the token endpoint's carry error_description (RFC 6749).
async function api(method, path, body) {
  const res = await fetch("/admin/v1" + path, {
    method,
    headers: { Authorization: "Bearer " + sessionStorage.getItem(TOKEN_KEY), ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 401) { signOut("The admin token was not accepted."); throw new ApiError("unauthorized", 401); }
  const text = await res.text();
  let data = {};
  try { data = text ? JSON.parse(text) : {}; } catch { data = { detail: text.slice(0, 200) }; }
  if (!res.ok) throw new ApiError(data.detail || data.error_description || (data.error && data.error.message) || res.status + " " + res.statusText, res.status);
  return data;
}

function copyField(label, value, testid) {
  const id = "f" + Math.random().toString(36).slice(2);
  return h("div", {}, h("label", { for: id }, label), h("div", { class: "copy" },
    h("code", { id, "data-testid": testid }, value),
    h("button", { type: "button", class: "secondary", "aria-label": "Copy " + label, onclick: () => navigator.clipboard.writeText(value) }, "Copy")));
}

function table(columns, rows, rowClass, testid) {
  return h("div", { class: "scroll" }, h("table", { "data-testid": testid }, h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col" }, c[0])))),
    h("tbody", {}, rows.length ? rows.map((r) => h("tr", { class: rowClass ? rowClass(r) : "" }, columns.map((c) => h("td", {}, c[1](r)))))
      : h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, "Nothing yet.")))));
}

/** A message line that replaces the previous one (errors would otherwise pile up). */
function flash(el, message, kind) {
  el.replaceChildren(message ? h("p", { class: kind === "ok" ? "ok" : "error", role: kind === "ok" ? "status" : "alert" }, message) : "");
}

const when = (iso) => (iso ? new Date(iso).toLocaleString() : "—");

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(refreshTimer);
  $("#view").replaceChildren();
  $("#signin").hidden = false;
  $("#signout").hidden = true;
  $("#signin-error").textContent = message || "";
}
`;
