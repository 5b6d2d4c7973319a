// The soak's printout: what it did (operations per kind with their answers, faults, restarts,
// cycles, settling) and what it found (differences per tenant per kind, with examples).

const EXAMPLES = 3;

function table(rows) {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `    ${k.padEnd(width)}  ${v}`).join("\n");
}

export function printDid(out, { options, durations, tenants, faults, restarts, settleProgress, cycles, unusedFaults }) {
  out(`\n== Convergence soak: what it did ==`);
  out(`  seed ${options.seed}, ${options.tenants} tenants (policy ${tenants.map((t) => `#${t.index} ${t.policy}`).join(", ")}), traffic ${options.minutes} min at ${options.rate} req/s per tenant, restart ${options.restart ? "on" : "off"}`);
  out(`  duration: start-up ${durations.startup} s, traffic ${durations.traffic} s, settle ${durations.settle} s, total ${durations.total} s`);
  const ops = {};
  let requests = 0;
  for (const t of tenants) {
    requests += t.model.stats.requests;
    for (const [kind, s] of Object.entries(t.model.stats.ops)) {
      const o = (ops[kind] ??= { n: 0, statuses: {} });
      for (const [status, n] of Object.entries(s.statuses)) {
        o.n += n;
        o.statuses[status] = (o.statuses[status] ?? 0) + n;
      }
    }
  }
  out(`  SCIM requests: ${requests} (${tenants.map((t) => `#${t.index}: ${t.model.stats.requests}`).join(", ")}); per operation (answers by status):`);
  out(table(Object.entries(ops).sort().map(([k, o]) => [k, `${o.n}  (${Object.entries(o.statuses).map(([s, n]) => `${s === "0" ? "no answer" : s}×${n}`).join(", ")})`])));
  out(`  hub-made accounts: ${tenants.map((t) => `#${t.index}: ${t.model.hubMade.size}`).join(", ")}; SCIM creates that took a hub-made name with 201: ${tenants.map((t) => `#${t.index}: ${t.model.adoptionClaims.size}`).join(", ")}`);
  const f = Object.entries(faults.faults);
  out(`  faults injected: ${f.reduce((n, [, c]) => n + c, 0)} (${f.map(([k, c]) => `${k} ${c}`).join(", ") || "none"}); full sweeps requested during traffic: ${faults.sweepsRequested}; fault uses left unused at the end (cleared): ${unusedFaults}`);
  out(`  restarts: ${restarts.length}${restarts.map((r) => `\n    tenant #${r.tenant} ${r.midCycle ? `mid-cycle (${r.cycle})` : "(no cycle was running when stopped)"}; down ${r.downSeconds} s; hub users before/after: ${r.hubUsersBefore}/${r.hubUsersAfter}; cycle after restart: ${r.cycleAfter}`).join("")}`);
  out(`  cycles with hub operations (provisioning history): ${cycles.map((c) => `#${c.index}: ${c.cycles} (ok ${c.ok}, failed ${c.failed}, parked ${c.parked})`).join("; ")}`);
  out(`  settling: ${tenants.map((t) => { const p = settleProgress.get(t); return `#${t.index} ${p.outcome} after ${p.runs} runs${p.confirmations ? `, ${p.confirmations} deletion confirmations` : ""}`; }).join("; ")}`);
}

export function printFound(out, results) {
  out(`\n== What it found ==`);
  let total = 0;
  for (const { t, diffs, counts, status: s } of results) {
    total += diffs.length;
    out(`  tenant #${t.index} (${t.id}, hubConflict ${t.policy}, deletedUserGraceDays ${t.graceDays}): SCIM ${counts.scimUsers} users, ${counts.scimGroups} groups, ${counts.scimMembers} memberships; hub ${counts.hubUsers} users, ${counts.hubGroups} groups, ${counts.hubMembers} memberships — ${diffs.length} differences`);
    out(`    status: queue ${JSON.stringify(s.queue)}, foreign ${JSON.stringify(s.foreign)}, userName checks that fell back to the mirror ${s.hubNameCheck.fallbacks}, dead letters ${s.deadLetters.count}, lastError ${JSON.stringify(s.lastError)}`);
    const byKind = new Map();
    for (const d of diffs) (byKind.get(d.kind) ?? byKind.set(d.kind, []).get(d.kind)).push(d);
    for (const [kind, list] of [...byKind].sort((a, b) => b[1].length - a[1].length)) {
      out(`    ${kind}: ${list.length}`);
      for (const d of list.slice(0, EXAMPLES)) out(`      - ${d.id}: ${d.detail}`);
    }
  }
  out(total ? `\nNOT CONVERGED: ${total} differences remain.` : `\nCONVERGED: every tenant's hub matches SCIM; foreign objects untouched.`);
  return total;
}
