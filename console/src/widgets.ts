// Shared widgets of the admin console: copyable fields, tables, the shown-once secret box.
import { h, type Child } from "./dom";

let fieldCounter = 0;

export function copyField(label: string, value: string, testid: string): HTMLElement {
  const id = `field-${++fieldCounter}`;
  return h("div", {}, h("label", { for: id }, label), h("div", { class: "copy" },
    h("code", { id, "data-testid": testid }, value),
    h("button", { type: "button", class: "secondary", "aria-label": `Copy ${label}`, onclick: (e: Event) => copy(e.currentTarget as HTMLButtonElement, value) }, "Copy")));
}

/** Writes the value to the clipboard and says so on the button (or that the browser refused). */
async function copy(button: HTMLButtonElement, value: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(value);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Copy failed: select the text";
  }
}

/** A column: its header and how a row renders in it. */
export type Column<T> = [header: string, cell: (row: T) => Child];

export function table<T>(columns: Column<T>[], rows: T[], testid: string, rowClass?: (row: T) => string): HTMLElement {
  const body = rows.length
    ? rows.map((r) => h("tr", { class: rowClass?.(r) ?? "" }, columns.map(([, cell]) => h("td", {}, cell(r)))))
    : h("tr", {}, h("td", { colspan: columns.length, class: "muted" }, "Nothing yet."));
  return h("div", { class: "scroll" }, h("table", { "data-testid": testid },
    h("thead", {}, h("tr", {}, columns.map(([header]) => h("th", { scope: "col" }, header)))), h("tbody", {}, body)));
}

/** A secret shown once, with a copy button per line: [label, value, testid]. */
export function secretBox(title: string, lines: [string, string, string][], note = "Copy it now: it is shown only once."): HTMLElement {
  return h("div", { class: "secret", role: "status" }, h("strong", {}, title), lines.map(([k, v, id]) => copyField(k, v, id)), h("p", {}, note));
}

export function card(id: string, title: string, ...children: Child[]): HTMLElement {
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}
