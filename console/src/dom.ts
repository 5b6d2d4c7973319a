// DOM helpers of the admin console: an element builder that inserts every value as text (never
// as HTML), a one-line message area, and date formatting.

type Handler = (event: Event) => unknown;
export type AttrValue = string | number | boolean | null | undefined | Handler;
export type Child = Node | string | number | null | undefined | false | Child[];

/** Set attributes ("on…" keys become listeners) and append children (strings as text nodes). */
export function fill<E extends Element>(el: E, attrs: Record<string, AttrValue>, children: Child[]): E {
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (value !== false && value !== undefined && value !== null) el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) append(el, child);
  return el;
}

function append(el: Element, child: Child): void {
  if (Array.isArray(child)) for (const c of child) append(el, c);
  else if (child !== null && child !== undefined && child !== false) el.append(child instanceof Node ? child : String(child));
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, AttrValue> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attrs, children);
}

/** An element the page shell (console/static/admin.html) must contain. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

/** A message line that replaces the previous one (errors would otherwise pile up). */
export function flash(el: HTMLElement, message: string, kind: "ok" | "error" = "error"): void {
  el.replaceChildren(message ? h("p", { class: kind, role: kind === "ok" ? "status" : "alert" }, message) : "");
}

export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString() : "—");

/** The button an event came from (handlers disable it while their request runs). */
export const buttonOf = (event: Event): HTMLButtonElement => event.currentTarget as HTMLButtonElement;
