// Sync policies (GET/PATCH …/provisioning/policy): what a SCIM create of a userName a hub user
// already holds does, and the mass-delete guard's threshold (docs/device-hub.md "Policies").
import { api } from "../api";
import { flash, h } from "../dom";
import { card } from "../widgets";
import { NEEDS_HUB, readIfConfigured } from "./hub-settings-read";

interface Policy {
  hubConflict: "reject" | "adopt";
  deletionThreshold: { percent: number; minimum: number };
}

const CONFLICT_CHOICES: [Policy["hubConflict"], string, string][] = [
  ["reject", "Reject", "A SCIM create of a userName a hub user not ours holds answers 409 uniqueness."],
  ["adopt", "Adopt", "A SCIM create links a hub-owned user with that userName; from then on SCIM manages it."],
];

function conflictChoices(current: Policy["hubConflict"]): HTMLElement {
  return h("fieldset", {}, h("legend", {}, "userName already held in the Device Hub"),
    CONFLICT_CHOICES.map(([value, label, help]) => [
      h("label", { class: "inline" }, h("input", { type: "radio", name: "hubConflict", value, id: `policy-${value}`, checked: value === current }), ` ${label}`),
      h("p", { class: "muted" }, help)]));
}

export async function syncPolicyCard(tenantId: string): Promise<HTMLElement> {
  const path = `/tenants/${tenantId}/provisioning/policy`;
  const policy = await readIfConfigured<Policy>(path);
  if (!policy) return card("sync-policy", "Sync policies", h("p", { class: "muted" }, NEEDS_HUB));
  const msg = h("div");
  const number = (id: string, name: string, value: number, max: number) =>
    h("input", { id, name, type: "number", min: 0, max, required: true, value });
  const form = h("form", { "data-testid": "sync-policy" }, conflictChoices(policy.hubConflict),
    h("h3", {}, "Mass-delete guard"),
    h("p", { class: "muted" }, "Deletions wait for confirmation when one cycle would remove at least the minimum and more than the percentage of our hub users (or groups)."),
    h("div", { class: "row" },
      h("div", {}, h("label", { for: "policy-percent" }, "Percent"), number("policy-percent", "percent", policy.deletionThreshold.percent, 100)),
      h("div", {}, h("label", { for: "policy-minimum" }, "Minimum"), number("policy-minimum", "minimum", policy.deletionThreshold.minimum, 1_000_000))),
    h("p", {}, h("button", { type: "submit" }, "Save policies")), msg);
  const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const hubConflict = (form.querySelector("input[name=hubConflict]:checked") as HTMLInputElement | null)?.value;
    try {
      await api<Policy>("PATCH", path, { hubConflict, deletionThreshold: { percent: Number(value("percent")), minimum: Number(value("minimum")) } });
      flash(msg, "Policies saved.", "ok");
    } catch (err) {
      flash(msg, (err as Error).message);
    }
  });
  return card("sync-policy", "Sync policies", form);
}
