// The admin console's provisioning card (browser code): status from GET …/provisioning
// (src/sync/status.ts ProvisioningStatus), actions, the log and parked items; refreshes every 2 s.

export const PROVISIONING_JS = String.raw`
const COUNT_LABELS = { usersCreated: "users created", usersUpdated: "users updated", usersDeactivated: "users deactivated", usersDeleted: "users deleted",
  groupsCreated: "groups created", groupsRenamed: "groups renamed", groupsDeleted: "groups deleted", membersAdded: "members added",
  membersRemoved: "members removed", failed: "failed", parked: "parked", hubCalls: "hub calls" };

/** Non-zero counters as "2 users created, 1 failed"; "no changes" otherwise. */
function countsText(counts) {
  const parts = Object.entries(counts || {}).filter(([k, v]) => v && COUNT_LABELS[k]).map(([k, v]) => v + " " + COUNT_LABELS[k]);
  return parts.length ? parts.join(", ") : "no changes";
}

function statusView(s) {
  const facts = [
    ["State", h("strong", { "data-testid": "prov-state" }, s.state + (s.state === "started" ? " · " + s.activity : ""))],
    ["Next run", s.nextRunAt ? when(s.nextRunAt) : "—"],
    ["Queue", s.queue.queued + " queued, " + s.queue.pending + " waiting, " + s.queue.parked + " parked"],
    ["Last full sweep", when(s.lastSweepAt)],
  ];
  if (s.sweepRequested) facts.push(["Sweep requested", s.sweepRequested]);
  if (s.hubBlockedUntil) facts.push(["Hub rate limit until", when(s.hubBlockedUntil)]);
  const out = [h("dl", { class: "facts" }, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]))];
  if (!s.configured) out.push(h("p", { class: "muted" }, "Configure the Device Hub below, then press Start."));
  if (s.lastError) out.push(h("p", { class: "error", "data-testid": "prov-error" }, "Last error: " + s.lastError));
  const c = s.currentCycle;
  out.push(h("h3", {}, "Current cycle"), c
    ? h("div", { "data-testid": "prov-current" },
        h("progress", { max: c.progress.total || 1, value: c.progress.done, "aria-label": "Cycle progress" }),
        h("p", {}, c.kind + " · phase " + c.progress.phase + " (" + c.progress.done + "/" + c.progress.total + ") · started " + when(c.startedAt) +
          " · " + c.invocations + " invocation(s) · " + countsText(c.counts)))
    : h("p", { class: "muted", "data-testid": "prov-current" }, "None running."));
  const l = s.lastCycle;
  out.push(h("h3", {}, "Last cycle"), l
    ? h("p", { "data-testid": "prov-last", "data-cycle-id": l.id, "data-finished-at": l.finishedAt },
        l.kind + " · finished " + when(l.finishedAt) + " in " + (l.durationMs / 1000).toFixed(1) + " s · " + countsText(l.counts) +
        (l.pending ? " · " + l.pending + " waiting for their group" : ""))
    : h("p", { class: "muted", "data-testid": "prov-last" }, "No cycle has finished yet."));
  return out;
}

async function provisioningCard(tenantId) {
  const base = "/tenants/" + tenantId + "/provisioning";
  const card = h("section", { class: "card", "aria-labelledby": "prov" }, h("h2", { id: "prov" }, "Provisioning to the Device Hub"));
  const body = h("div");
  const msg = h("div");
  // run (a queue message) and full-sweep answer 202 and work in the background: the 2 s refresh shows the outcome.
  const DONE = { start: "Provisioning started.", stop: "Provisioning stopped.", run: "A run is queued; this card updates as it goes.", "full-sweep": "A full sweep is scheduled for the next run." };
  const act = (verb, label, cls) => h("button", { type: "button", class: cls || "", onclick: async (e) => {
    e.target.disabled = true;
    try { await api("POST", base + "/" + verb); flash(msg, DONE[verb], "ok"); await load(); }
    catch (err) { flash(msg, label + ": " + err.message); }
    finally { e.target.disabled = false; } } }, label);
  card.append(h("div", { class: "row" }, act("start", "Start"), act("stop", "Stop", "secondary"), act("run", "Run now"), act("full-sweep", "Full sweep", "secondary")), msg, body);
  async function load() {
    let status;
    try { status = await api("GET", base); } catch (err) { body.replaceChildren(h("p", { class: "error" }, err.message)); return; }
    const parts = statusView(status);
    try {
      const { entries } = await api("GET", base + "/logs?limit=50");
      parts.push(h("h3", {}, "Recent operations"), table([["Time", (e) => when(e.at)], ["Action", (e) => e.action + (e.count ? " ×" + e.count : "")],
        ["SCIM id", (e) => h("code", {}, e.scimId || "")], ["Result", (e) => e.result], ["Error", (e) => e.error || ""]],
        entries, (e) => (e.result === "failed" || e.result === "parked" ? "failed" : ""), "prov-log"));
    } catch (err) { parts.push(h("p", { class: "error" }, "Log unavailable: " + err.message)); }
    try {
      const { items } = await api("GET", base + "/parked?limit=50");
      const retry = (path) => async () => { try { await api("POST", base + path); await load(); } catch (err) { flash(msg, err.message); } };
      parts.push(h("h3", {}, "Parked operations"), table([["Resource", (p) => p.kind + " " + p.resourceId + (p.memberId ? " → " + p.memberId : "")],
        ["Attempts", (p) => p.attempts], ["Last error", (p) => p.lastError || ""], ["Updated", (p) => when(p.updatedAt)],
        ["", (p) => h("button", { type: "button", class: "secondary", onclick: retry("/parked/" + p.id + "/retry") }, "Retry")]], items, () => "failed", "prov-parked"),
        items.length ? h("p", {}, h("button", { type: "button", class: "secondary", onclick: retry("/parked/retry") }, "Retry all")) : "");
    } catch (err) { parts.push(h("p", { class: "error" }, "Parked items unavailable: " + err.message)); }
    body.replaceChildren(...parts);
  }
  await load();
  clearInterval(refreshTimer);
  refreshTimer = setInterval(() => { if (document.visibilityState === "visible" && card.isConnected) load(); }, 2000);
  return card;
}
`;
