// Randomized (seeded, bounded): random SCIM operations interleaved with cycles and random hub
// faults. After fault-free cycles (and a retry of anything parked) the hub must match SCIM
// exactly: every user, group and membership, nothing lost, nothing duplicated.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { patchOp, scim } from "../support/scim";
import { hubJson, hubView, provisionedTenant, runSync, type HubWorkspace } from "../support/run-cron";
import type { TestTenant } from "../support/tenant";

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAULTS = [
  { kind: "error", status: 500 },
  { kind: "error", status: 503 },
  { kind: "rateLimit", retryAfterSeconds: 30 },
  { kind: "timeout", delayMs: 400, apply: false },
  { kind: "timeout", delayMs: 400, apply: true },
  { kind: "drop" },
];
const PATHS = ["/v1/users", "/v1/groups", "/v1/groups/", "/v1/users/batch"];

async function scimTruth(tenantId: string) {
  const users = (await env.DB.prepare("SELECT id, user_name, active, doc FROM users WHERE tenant_id = ?").bind(tenantId).all<{ id: string; user_name: string; active: number; doc: string }>()).results;
  const groups = (await env.DB.prepare("SELECT id, display_name FROM groups WHERE tenant_id = ?").bind(tenantId).all<{ id: string; display_name: string }>()).results;
  const members = (await env.DB.prepare("SELECT group_id, member_id FROM group_members WHERE tenant_id = ? AND member_type = 'User'").bind(tenantId).all<{ group_id: string; member_id: string }>()).results;
  const byGroup: Record<string, string[]> = {};
  for (const m of members) if (groups.some((g) => g.id === m.group_id)) (byGroup[m.group_id] ??= []).push(m.member_id);
  for (const list of Object.values(byGroup)) list.sort();
  return { users, groups, members: byGroup };
}

async function scenario(seed: number, steps: number) {
  const rand = mulberry32(seed);
  const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(rand() * xs.length)];
  const { t, hub } = await provisionedTenant({ timeoutMs: 200 });
  const s = scim(t);
  const users: string[] = [];
  const groups: string[] = [];
  let clock = 0;
  const cycle = () => runSync(t.id, { clock: () => new Date(Date.now() + (clock += 10 * 60_000)) });

  for (let i = 0; i < steps; i++) {
    const r = rand();
    if (r < 0.25 || users.length < 2) users.push((await s.createUser()).id as string);
    else if (r < 0.35) await s.patch(`/Users/${pick(users)}`, patchOp({ op: "replace", path: "displayName", value: `n${i}` }));
    else if (r < 0.42) await s.patch(`/Users/${pick(users)}`, patchOp({ op: "replace", path: "active", value: rand() < 0.5 }));
    else if (r < 0.48) {
      const id = pick(users)!;
      await s.delete(`/Users/${id}`);
      users.splice(users.indexOf(id), 1);
    } else if (r < 0.6 || groups.length === 0) {
      groups.push((await s.createGroup({ members: users.filter(() => rand() < 0.4).map((value) => ({ value })) })).id as string);
    } else if (r < 0.66) await s.patch(`/Groups/${pick(groups)}`, patchOp({ op: "replace", path: "displayName", value: `g${i}-${seed}` }));
    else if (r < 0.78) await s.patch(`/Groups/${pick(groups)}`, patchOp({ op: "add", path: "members", value: [{ value: pick(users) }] }));
    else if (r < 0.86) await s.patch(`/Groups/${pick(groups)}`, patchOp({ op: "remove", path: `members[value eq "${pick(users)}"]` }));
    else if (r < 0.9) {
      const g = pick(groups)!;
      await s.put(`/Groups/${g}`, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: `p${i}-${seed}`, members: users.filter(() => rand() < 0.5).map((value) => ({ value })) });
    } else if (r < 0.94) {
      const id = pick(groups)!;
      await s.delete(`/Groups/${id}`);
      groups.splice(groups.indexOf(id), 1);
    } else await hubJson(`/tenants/${t.id}/provisioning/full-sweep`, { method: "POST" });

    if (rand() < 0.3) await hub.fault({ ...pick(FAULTS), count: 1 + Math.floor(rand() * 3), pathPrefix: pick(PATHS) });
    if (rand() < 0.35) await cycle();
  }
  await hub.clearFaults();
  await hubJson(`/tenants/${t.id}/provisioning/parked/retry`, { method: "POST" });
  for (let i = 0; i < 6; i++) await cycle();
  await expectHubMatchesScim(t, hub);
}

async function expectHubMatchesScim(t: TestTenant, hub: HubWorkspace) {
  const truth = await scimTruth(t.id);
  const view = await hubView(hub);
  expect(view.raw.users).toHaveLength(truth.users.length);
  for (const u of truth.users) {
    const doc = JSON.parse(u.doc) as { displayName?: string };
    expect(view.users.get(u.id), u.id).toMatchObject({ userName: u.user_name, active: u.active === 1, displayName: doc.displayName ?? "Ada Lovelace" });
  }
  expect(view.raw.groups).toHaveLength(truth.groups.length);
  for (const g of truth.groups) expect(view.groups.get(g.id), g.id).toMatchObject({ name: g.display_name });
  expect(view.members).toEqual(truth.members);
  const status = await hubJson(`/tenants/${t.id}/provisioning`);
  expect(status.queue).toEqual({ queued: 0, pending: 0, parked: 0 });
}

describe("device hub sync: randomized operations with faults converge", () => {
  for (const seed of [7, 10, 1234]) {
    it(`seed ${seed}`, () => scenario(seed, 40), 60_000);
  }
});
