// A small inline SVG chart of hub operations per cycle over the last hours (GET …/provisioning/
// history): one stacked bar per cycle, ok / failed / parked, oldest on the left. No chart library.
import { fill, h, when, type AttrValue, type Child } from "../dom";
import type { CycleHistory } from "../types";

const WIDTH = 600;
const HEIGHT = 120;
const MAX_BAR = 24;
const SERIES = [["ok", "ok"], ["failed", "failed"], ["parked", "parked"]] as const;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, AttrValue> = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  return fill(document.createElementNS("http://www.w3.org/2000/svg", tag), attrs, children);
}

/** One cycle's bar: its segments stacked from the bottom, a tooltip with the numbers. */
function bar(c: CycleHistory, x: number, width: number, scale: number): SVGGElement {
  let top = HEIGHT;
  const segments = SERIES.filter(([key]) => c[key] > 0).map(([key, cls]) => {
    const height = Math.max(1, c[key] * scale);
    top -= height;
    return svg("rect", { class: `bar-${cls}`, x, y: top, width, height });
  });
  return svg("g", { "data-cycle-id": c.cycleId },
    svg("title", {}, `${when(c.startedAt)}: ${c.ok} ok, ${c.failed} failed, ${c.parked} parked`), segments);
}

export function historyChart(cycles: CycleHistory[], hours: number): HTMLElement {
  const totals = { ok: 0, failed: 0, parked: 0 };
  for (const c of cycles) for (const [key] of SERIES) totals[key] += c[key];
  const summary = `${cycles.length} cycle(s) with hub operations in the last ${hours} hours: ${totals.ok} ok, ${totals.failed} failed, ${totals.parked} parked`;
  const peak = Math.max(1, ...cycles.map((c) => c.ok + c.failed + c.parked));
  const step = cycles.length ? WIDTH / cycles.length : WIDTH;
  const width = Math.max(1, Math.min(MAX_BAR, step * 0.8));
  const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": summary, "data-testid": "prov-chart", preserveAspectRatio: "none" },
    svg("line", { class: "axis", x1: 0, y1: HEIGHT - 0.5, x2: WIDTH, y2: HEIGHT - 0.5 }),
    cycles.map((c, i) => bar(c, i * step + (step - width) / 2, width, (HEIGHT - 4) / peak)));
  const legend = h("p", { class: "legend muted" },
    SERIES.map(([key, cls]) => h("span", {}, h("span", { class: `swatch swatch-${cls}`, "aria-hidden": "true" }), `${totals[key]} ${key} `)),
    cycles.length ? `· ${when(cycles[0]?.startedAt)} – ${when(cycles.at(-1)?.startedAt)}` : "· no hub operations yet");
  return h("figure", { class: "chart", "data-testid": "prov-history", "data-cycles": cycles.length },
    h("figcaption", {}, `Hub operations per cycle, last ${hours} hours`), chart, legend);
}
