// Device Hub options changed without the API key (PATCH …/device-hub): whether SCIM changes are
// sent within seconds, how long a deleted user's hub account is kept, and which extension
// attributes fill the hub's floor, office and work mode.
import { api } from "../api";
import { buttonOf, flash, h } from "../dom";
import { card } from "../widgets";
import { NEEDS_HUB, readIfConfigured } from "./hub-settings-read";

const HUB_FIELDS = ["floor", "officeLocation", "workMode"] as const;
type HubFieldMap = Partial<Record<(typeof HUB_FIELDS)[number], string>>;

interface HubOptions {
  syncOnChange: boolean;
  hubFieldMap: HubFieldMap;
  hubFieldMapIsDefault: boolean;
  deletedUserGraceDays: number;
}

const EXAMPLE = "urn:ietf:params:scim:schemas:extension:CustomExtension:2.0:User:floor";

export async function hubOptionsCard(tenantId: string): Promise<HTMLElement> {
  const path = `/tenants/${tenantId}/device-hub`;
  let current = await readIfConfigured<HubOptions>(path);
  if (!current) return card("hub-options", "Device Hub options", h("p", { class: "muted" }, NEEDS_HUB));
  const msg = h("div");
  const mapNote = h("p", { class: "muted", "data-testid": "hub-map-state" });
  const sync = h("input", { type: "checkbox", id: "hub-sync-on-change" });
  const grace = h("input", { type: "number", id: "hub-grace-days", min: "0", max: "365", step: "1" });
  const inputs = HUB_FIELDS.map((f) => h("input", { id: `hub-map-${f}`, name: f, class: "wide", placeholder: EXAMPLE }));
  const show = (o: HubOptions) => {
    sync.checked = o.syncOnChange;
    grace.value = String(o.deletedUserGraceDays);
    HUB_FIELDS.forEach((f, i) => { inputs[i]!.value = o.hubFieldMap[f] ?? ""; });
    mapNote.textContent = o.hubFieldMapIsDefault ? "The default mapping is in use." : "A custom mapping is in use (empty = not mapped).";
  };
  show(current);
  const typedMap = (): Record<string, string | null> =>
    Object.fromEntries(HUB_FIELDS.map((f, i) => [f, inputs[i]!.value.trim() || null]));
  const mapChanged = (map: Record<string, string | null>) => HUB_FIELDS.some((f) => (map[f] ?? undefined) !== current!.hubFieldMap[f]);
  const send = async (event: Event, body: Record<string, unknown>, done: string) => {
    const button = buttonOf(event);
    button.disabled = true;
    try {
      current = await api<HubOptions>("PATCH", path, body);
      show(current);
      flash(msg, done, "ok");
    } catch (err) {
      flash(msg, (err as Error).message);
    } finally {
      button.disabled = false;
    }
  };
  const save = (event: Event) => {
    const map = typedMap();
    // Sent as typed (a number when it is one): the API says what is out of range.
    const days = grace.value.trim() === "" ? current!.deletedUserGraceDays : Number(grace.value);
    return send(event, { syncOnChange: sync.checked, deletedUserGraceDays: days, ...(mapChanged(map) ? { hubFieldMap: map } : {}) }, "Options saved.");
  };
  return card("hub-options", "Device Hub options",
    h("p", {}, h("label", { class: "inline" }, sync, " Send SCIM changes to the hub within seconds (off: they wait for the scheduled run)")),
    h("label", { for: "hub-grace-days" }, "Keep a deleted user's hub account (days)"), grace,
    h("p", { class: "muted" }, "Deactivated at once, deleted after this many days (0–365; 0: deleted at once). A re-create of the same userName within them gets the same hub account back, with no new PIN email."),
    h("h3", {}, "Hub fields from extension attributes"),
    h("p", { class: "muted" }, "Each as <schema URN>:<attribute>; empty = not mapped. A change re-sends every user (full sweep)."),
    HUB_FIELDS.map((f, i) => [h("label", { for: `hub-map-${f}` }, f), inputs[i]]), mapNote,
    h("p", { class: "row" },
      h("button", { type: "button", "data-testid": "hub-options-save", onclick: save }, "Save options"),
      h("button", { type: "button", class: "secondary", onclick: (e) => send(e, { hubFieldMap: null }, "Default mapping restored.") }, "Use defaults")),
    msg);
}
