// The provisioning card's hub-held names (GET …/provisioning/hub-held-names): SCIM creates refused
// or parked because a Device Hub account that is not ours holds the userName, with the holder, and
// Adopt buttons per name and for all of them (POST …/hub-held-names/adopt). Shown only when there
// are any. The portal shows the same part (its admin decides about their own people).
import { api } from "../api";
import { h, when, type Child } from "../dom";
import type { AdoptResultJson as AdoptAnswer, HubHeldNameJson as HubHeldName, HubHeldNamesJson } from "../types";
import { table } from "../widgets";

const SOURCE: Record<HubHeldName["source"], string> = { rejectedCreate: "create refused", parkedCreate: "create parked" };

/** Adoption outcome in one sentence, for the card's message line. */
export const adoptSummary = (a: AdoptAnswer) =>
  [a.adopted.length ? `Adopted ${a.adopted.map((x) => x.userName).join(", ")}.` : "",
    ...a.refused.map((r) => `Not adopted ${r.userName}: ${r.reason}.`),
    a.more ? "More are left: adopt all again." : ""].filter(Boolean).join(" ") || "Nothing to adopt.";

/** `adopt(body)` posts the adoption, shows the outcome and reloads the card. */
export async function hubHeldNamesPart(base: string, adopt: (body: unknown) => () => Promise<void>): Promise<Child[]> {
  try {
    const { items, truncated } = await api<HubHeldNamesJson>("GET", `${base}/hub-held-names`);
    if (items.length === 0) return [];
    return [
      h("h3", {}, "Names held by Device Hub accounts"),
      h("p", {}, "These users could not be provisioned: an account in the Device Hub (self-registered or uploaded) holds the userName. Adopting links that account instead of creating a new one."),
      table<HubHeldName>([
        ["userName", (i) => i.userName],
        ["What happened", (i) => `${SOURCE[i.source]}${i.rejections > 1 ? ` ×${i.rejections}` : ""}`],
        ["Hub account", (i) => h("code", {}, i.holder.hubId + (i.holder.externalRef ? ` (another integration: ${i.holder.externalRef})` : ""))],
        ["Since", (i) => when(i.since)],
        ["", (i) => (i.holder.externalRef ? "" : h("button", { type: "button", class: "secondary", onclick: adopt({ userNames: [i.userName] }) }, "Adopt"))],
      ], items, "prov-hub-held"),
      h("p", {}, h("button", { type: "button", onclick: adopt({ all: true }) }, "Adopt all"), truncated ? " (more are listed after these)" : ""),
    ];
  } catch (err) {
    return [h("p", { class: "error" }, `Hub-held names unavailable: ${(err as Error).message}`)];
  }
}
