// The provisioning card in the customer's terms: the operator's card (console/src/cards/
// provisioning.ts) with Start, Stop and Run now, and the log and parked items as sentences.
import { h, when } from "../../console/src/dom";
import type { ProvisioningView } from "../../console/src/cards/provisioning";
import { nameAndId } from "../../console/src/names";
import type { LogEntry, ParkedItem } from "../../console/src/types";

const ACTIONS: Record<string, string> = {
  "user.create": "Create user", "user.update": "Update user", "user.deactivate": "Deactivate user", "user.delete": "Delete user",
  "user.foreign": "Skip a user the Device Hub manages itself", "group.create": "Create group", "group.rename": "Rename group",
  "group.delete": "Delete group", "group.foreign": "Skip a group the Device Hub manages itself",
  "members.add": "Add members to group", "members.remove": "Remove members from group",
};

const RESULTS: Record<string, string> = {
  ok: "done", exists: "already there", alreadyGone: "already gone", failed: "failed, will retry", parked: "failed repeatedly, set aside",
  pending: "waiting for its group", rateLimited: "delayed: the Device Hub asked us to slow down", foreign: "left alone", held: "held for confirmation by your provider",
};

const action = (e: LogEntry) => (ACTIONS[e.action] ?? e.action) + (e.count ? ` (${e.count})` : "");
const parkedWhat = (p: ParkedItem) =>
  p.memberId
    ? h("span", {}, "Membership of ", nameAndId(p.memberName, p.memberId), " in group ", nameAndId(p.name, p.resourceId))
    : h("span", {}, `${p.kind === "group" ? "Group" : "User"} `, nameAndId(p.name, p.resourceId));

export const PORTAL_VIEW: ProvisioningView = {
  title: "Provisioning to your Device Hub",
  actions: [["start", "Start"], ["stop", "Stop", "secondary"], ["run", "Run now", "secondary"]],
  notConfigured: "Your provider has not connected your Device Hub yet. Once they have, press Start.",
  confirm: "Your provider must confirm these deletions before they reach the Device Hub: contact them.",
  words: {
    logTitle: "What recently reached the Device Hub",
    log: [
      ["When", (e) => when(e.at)], ["What", action], ["User or group (SCIM id)", (e) => nameAndId(e.name, e.scimId)],
      ["Outcome", (e) => (RESULTS[e.result] ?? e.result) + (e.error ? `: ${e.error}` : "")],
    ],
    parkedTitle: "Set aside after repeated failures (retried when you press Retry)",
    parked: [
      ["What", parkedWhat], ["Tries", (p) => p.attempts], ["Why it failed", (p) => p.lastError ?? "unknown"], ["Last try", (p) => when(p.updatedAt)],
    ],
  },
};
