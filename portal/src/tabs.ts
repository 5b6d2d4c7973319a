// Two ways through the same setup, side by side: Microsoft's steps or Eptura's guide. Accessible
// tabs (WAI-ARIA tab pattern): buttons with role "tab", one visible panel, arrow keys move.
import { h } from "../../console/src/dom";

export function tabs(label: string, entries: [title: string, id: string, panel: HTMLElement][]): HTMLElement {
  const buttons: HTMLButtonElement[] = [];
  const panels: HTMLElement[] = [];
  const select = (index: number) => {
    buttons.forEach((b, i) => {
      b.setAttribute("aria-selected", String(i === index));
      b.tabIndex = i === index ? 0 : -1;
      panels[i]!.hidden = i !== index;
    });
  };
  entries.forEach(([title, id, panel], i) => {
    const button = h("button", { type: "button", role: "tab", id: `tab-${id}`, "aria-controls": `panel-${id}`, class: "tab", onclick: () => select(i) }, title) as HTMLButtonElement;
    button.addEventListener("keydown", (e: KeyboardEvent) => {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      const next = (i + (e.key === "ArrowRight" ? 1 : entries.length - 1)) % entries.length;
      select(next);
      buttons[next]!.focus();
    });
    buttons.push(button);
    panels.push(h("div", { role: "tabpanel", id: `panel-${id}`, "aria-labelledby": `tab-${id}` }, panel));
  });
  select(0);
  return h("div", { class: "tabs" }, h("div", { role: "tablist", "aria-label": label }, buttons), panels);
}
