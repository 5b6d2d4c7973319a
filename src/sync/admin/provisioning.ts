// Admin API for the Device Hub sync (mounted at /admin/v1): per-tenant hub settings (the API key
// is stored encrypted and never shown), start/stop/run/full sweep, status, logs, parked items.
import { resourceNames } from "../../audit/port";
import { Hono, type Context } from "hono";
import { z } from "zod";
import { notFound, ScimError } from "../../scim/errors";
import { listLog } from "../storage/sync-log";
import {
  deleteHubSettings, ensureSyncState, findHubSettings, findSyncState, requestFullSweep, retrySweepNowStatement, updateHubPolicy, updateSyncState, upsertHubSettings, type HubSettingsRow,
} from "../storage/sync-state";
import { listParked, retryParked, retryUnavailableNow } from "../storage/sync-work";
import { confirmHeldDeletionsStatements } from "../storage/sync-deletion-confirm";
import { listHubHeldNames } from "../storage/hub-name-rejections";
import { adoptHubHeldNames, MAX_ADOPTIONS_PER_CALL } from "./adopt-held-names";
import type { HubHeldNamesJson, ParkedEntry, ProvisioningLogEntry } from "./responses";
import { activeTenant } from "../../tenancy/port";
import { SERVICE_BINDING_HOST } from "../hub/connector";
import { decryptApiKey, encryptApiKey, KeyCryptoError } from "../hub/key-crypto";
import { sendSync } from "../queue/messages";
import { followUp } from "../queue/consumer";
import { wakeTenant } from "../queue/dispatch";
import { forgetHubSettings } from "../hub/name-check";
import { runReconcile } from "../engine/reconcile";
import { provisioningStatus } from "./status";
import { checkEnvelope, readJsonBody } from "../../http/body";
import { hubFieldSettingsJson, hubFieldSettingsOf, hubFieldSettingsShape, hubFieldsChanged, HubSettingsPatchBody } from "./hub-field-settings";
import type { AdminTenantEnv } from "../../http/context";
import { decodeShardCursor, encodeShardCursor } from "../../http/shard-cursor";
import type { Db } from "../../platform/d1/db";
import { runParts } from "../../platform/d1/batch";

const LOCAL_HOSTS = new Set([SERVICE_BINDING_HOST, "localhost", "127.0.0.1"]);

const SettingsBody = z.object({
  baseUrl: z
    .string()
    .url("baseUrl must be an absolute URL")
    .refine((u) => {
      // zod runs refinements even after .url() failed: never let URL() throw into a 500.
      const url = URL.parse(u);
      return url !== null && (url.protocol === "https:" || (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname)));
    }, "baseUrl must use https (http only for localhost and the device-hub service binding)"),
  apiKey: z.string().regex(/^\S{1,512}$/, "apiKey must be 1-512 characters without spaces"),
  timeoutMs: z.number().int().min(100).max(30_000).default(10_000),
  logRetentionDays: z.number().int().min(1).max(365).default(14),
  ...hubFieldSettingsShape,
  /** true: a SCIM change queues a sync within seconds; false: it waits for the scheduled run. Kept when left out. */
  syncOnChange: z.boolean().optional(),
});

const PolicyBody = z.strictObject({
  hubConflict: z.enum(["reject", "adopt"]).optional(),
  deletionThreshold: z.strictObject({
    percent: z.number().int().min(0).max(100).optional(),
    minimum: z.number().int().min(0).max(1_000_000).optional(),
  }).optional(),
});

/** How long a deletion confirmation lasts unless the admin says otherwise. */
const DEFAULT_CONFIRM_MINUTES = 60;
const ConfirmBody = z.strictObject({
  expiresInMinutes: z.number().int().min(1).max(24 * 60).default(DEFAULT_CONFIRM_MINUTES),
});

const AdoptBody = z.union([
  z.strictObject({ userNames: z.array(z.string().min(1).max(256)).min(1).max(MAX_ADOPTIONS_PER_CALL) }),
  z.strictObject({ all: z.literal(true) }),
]);

const policyJson = (s: HubSettingsRow) => ({
  hubConflict: s.hubConflict,
  deletionThreshold: { percent: s.deleteThresholdPercent, minimum: s.deleteThresholdMinimum },
});

const PageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const settingsJson = (s: HubSettingsRow) => ({
  baseUrl: s.baseUrl,
  apiKeyHint: `…${s.apiKeyHint}`,
  timeoutMs: s.timeoutMs,
  logRetentionDays: s.logRetentionDays,
  ...hubFieldSettingsJson(s),
  syncOnChange: s.syncOnChange,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

/** The id of the route's tenant, which must be active (loaded once by admin-tenant-shard). */
const tenantIdOf = (c: Context<AdminTenantEnv>) => activeTenant(c.var.tenant).id;

/** The tenant's Device Hub settings, or 404: the routes that read or change them need them saved. */
async function savedHubSettings(db: Db, tenantId: string): Promise<HubSettingsRow> {
  const settings = await findHubSettings(db, tenantId);
  if (!settings) throw notFound(`tenant ${tenantId} has no Device Hub settings`);
  return settings;
}

/** The answer of every provisioning action that needs a configured Device Hub. */
export const HUB_NOT_CONFIGURED = "configure the Device Hub first (PUT …/device-hub)";
const notConfigured = () => new ScimError(409, HUB_NOT_CONFIGURED);

/** The tenant's Device Hub settings, or 409: an action (start, drift report) that needs a hub. */
export async function requireHubSettings(db: Db, tenantId: string): Promise<HubSettingsRow> {
  const settings = await findHubSettings(db, tenantId);
  if (!settings) throw notConfigured();
  return settings;
}

/** The tenant's sync state (written when its hub is configured), or 409. */
export async function requireSyncState(db: Db, tenantId: string): Promise<NonNullable<Awaited<ReturnType<typeof findSyncState>>>> {
  const state = await findSyncState(db, tenantId);
  if (!state) throw notConfigured();
  return state;
}

const keyError = (e: unknown): never => {
  if (e instanceof KeyCryptoError) throw new ScimError(503, `Device Hub settings unavailable: ${e.message}`, undefined, { cause: e });
  throw e;
};

/** Did the hub identity change? Then the mirror describes another hub: sweep from scratch. */
async function hubChanged(secret: string | undefined, old: HubSettingsRow | undefined, baseUrl: string, apiKey: string) {
  if (!old || old.baseUrl !== baseUrl) return true;
  return (await decryptApiKey(secret, old.tenantId, old.apiKeyCipher).catch(() => null)) !== apiKey;
}

/** A page of rows numbered by the shard; the cursor names the shard (src/http/shard-cursor.ts). */
const pageOf = <T extends { id: number }>(items: T[], limit: number, tag: string, shard: string) => ({
  items: items.slice(0, limit),
  nextCursor: items.length > limit ? encodeShardCursor(tag, shard, items[limit - 1]!.id) : null,
});

/** /admin/v1/tenants/{id}/device-hub: the tenant's Device Hub settings. */
export const deviceHubRoutes = new Hono<AdminTenantEnv>()
  .put("/", async (c) => {
    const tenantId = tenantIdOf(c);
    const body = checkEnvelope(SettingsBody, await readJsonBody(c));
    const db = c.get("db");
    const now = new Date().toISOString();
    const old = await findHubSettings(db, tenantId);
    const row: HubSettingsRow = {
      tenantId,
      baseUrl: body.baseUrl.replace(/\/+$/, ""),
      apiKeyCipher: await encryptApiKey(c.env.HUB_KEY_ENCRYPTION_KEY, tenantId, body.apiKey).catch(keyError),
      apiKeyHint: body.apiKey.slice(-4),
      timeoutMs: body.timeoutMs,
      logRetentionDays: body.logRetentionDays,
      ...hubFieldSettingsOf(body, old),
      syncOnChange: body.syncOnChange ?? old?.syncOnChange ?? true,
      hubConflict: old?.hubConflict ?? "reject",
      deleteThresholdPercent: old?.deleteThresholdPercent ?? 10,
      deleteThresholdMinimum: old?.deleteThresholdMinimum ?? 20,
      createdAt: old?.createdAt ?? now,
      updatedAt: now,
    };
    const changed = await hubChanged(c.env.HUB_KEY_ENCRYPTION_KEY, old, row.baseUrl, body.apiKey);
    await db.batch([
      upsertHubSettings(db, row),
      ensureSyncState(db, tenantId, now),
      ...(changed ? [updateSyncState(db, tenantId, { sweepRequested: "initial", nextRunAt: now, updatedAt: now })] : []),
      ...(!changed && hubFieldsChanged(old, row) ? [requestFullSweep(db, tenantId, now)] : []),
    ]);
    forgetHubSettings(tenantId);
    return c.json(settingsJson(row), old ? 200 : 201);
  })
  .patch("/", async (c) => {
    const tenantId = tenantIdOf(c);
    const body = checkEnvelope(HubSettingsPatchBody, await readJsonBody(c));
    const db = c.get("db");
    const old = await savedHubSettings(db, tenantId);
    const now = new Date().toISOString();
    const row: HubSettingsRow = { ...old, ...body, updatedAt: now };
    await db.batch([upsertHubSettings(db, row), ...(hubFieldsChanged(old, row) ? [requestFullSweep(db, tenantId, now)] : [])]);
    forgetHubSettings(tenantId);
    return c.json(settingsJson(row));
  })
  .get("/", async (c) => {
    const tenantId = tenantIdOf(c);
    const settings = await savedHubSettings(c.get("db"), tenantId);
    return c.json(settingsJson(settings));
  })
  .delete("/", async (c) => {
    const tenantId = tenantIdOf(c);
    const db = c.get("db");
    const now = new Date().toISOString();
    await db.batch([deleteHubSettings(db, tenantId), updateSyncState(db, tenantId, { started: false, updatedAt: now })]);
    forgetHubSettings(tenantId);
    return c.body(null, 204);
  });

/** /admin/v1/tenants/{id}/provisioning: the sync's state, actions, log and parked items. */
export const provisioningRoutes = new Hono<AdminTenantEnv>()
  .get("/", async (c) => {
    const tenantId = tenantIdOf(c);
    return c.json(await provisioningStatus(c.get("db"), tenantId, new Date().toISOString()));
  })
  .post("/start", async (c) => {
    const tenantId = tenantIdOf(c);
    const db = c.get("db");
    await requireHubSettings(db, tenantId);
    const now = new Date().toISOString();
    await db.batch([ensureSyncState(db, tenantId, now), updateSyncState(db, tenantId, { started: true, nextRunAt: now, lastError: null, updatedAt: now })]);
    return c.json(await provisioningStatus(db, tenantId, now));
  })
  .post("/stop", async (c) => {
    const tenantId = tenantIdOf(c);
    const db = c.get("db");
    const now = new Date().toISOString();
    await updateSyncState(db, tenantId, { started: false, updatedAt: now });
    return c.json(await provisioningStatus(db, tenantId, now));
  })
  .post("/full-sweep", async (c) => {
    const tenantId = tenantIdOf(c);
    const db = c.get("db");
    const now = new Date().toISOString();
    const state = await requireSyncState(db, tenantId);
    // An initial sweep already owed stays initial; otherwise a full sweep starts after the current
    // cycle. A sweep that backed off is retried at once.
    await db.batch([
      updateSyncState(db, tenantId, { sweepRequested: state.sweepRequested ?? "fullSweep", nextRunAt: now, updatedAt: now }),
      retrySweepNowStatement(db, tenantId),
    ]);
    return c.json(await provisioningStatus(db, tenantId, now), 202);
  })
  .post("/run", async (c) => {
    // Runs one bounded invocation for this tenant now (the lease keeps it from overlapping the
    // queue consumer). Default: a `manual` queue message (202); ?wait=true: in the request,
    // answering its report (scripts and tests).
    const tenantId = tenantIdOf(c);
    const db = c.get("db");
    const state = await findSyncState(db, tenantId);
    if (!state?.started) throw new ScimError(409, "provisioning is stopped; POST …/provisioning/start first");
    const now = new Date().toISOString();
    // After an outage the admin's "Run now" should not wait for back-offs the outage caused (work
    // items, and a sweep that backed off).
    await db.batch([updateSyncState(db, tenantId, { nextRunAt: now, updatedAt: now }), retrySweepNowStatement(db, tenantId)]);
    await retryUnavailableNow(db, tenantId, now);
    if (c.req.query("wait") === "true") {
      const report = await runReconcile(c.env, { tenantIds: [tenantId], shard: c.get("shard"), log: c.get("log") });
      const run = report.tenants[0] ?? { tenantId, outcome: "busy" };
      // Changes written while it ran (their wake-up found the tenant busy) get their own run.
      if (run.outcome === "finished") await followUp(c.env, db, tenantId, "change");
      return c.json({ run, status: await provisioningStatus(db, tenantId, new Date().toISOString()) });
    }
    if (c.env.SYNC_QUEUE) await sendSync(c.env.SYNC_QUEUE, { tenantId, reason: "manual" });
    else {
      const run = runReconcile(c.env, { tenantIds: [tenantId], shard: c.get("shard"), log: c.get("log") });
      c.executionCtx.waitUntil(run.catch((e: unknown) => c.get("log").error("provisioning run failed", { tenantId, error: String(e) })));
    }
    return c.json({ status: await provisioningStatus(db, tenantId, now) }, 202);
  })
  .get("/policy", async (c) => {
    const tenantId = tenantIdOf(c);
    const settings = await savedHubSettings(c.get("db"), tenantId);
    return c.json(policyJson(settings));
  })
  .patch("/policy", async (c) => {
    // hubConflict: what a SCIM create of a hub-held userName does; deletionThreshold: the mass-delete guard.
    const tenantId = tenantIdOf(c);
    const body = checkEnvelope(PolicyBody, await readJsonBody(c));
    const db = c.get("db");
    const settings = await savedHubSettings(db, tenantId);
    const next: HubSettingsRow = {
      ...settings,
      hubConflict: body.hubConflict ?? settings.hubConflict,
      deleteThresholdPercent: body.deletionThreshold?.percent ?? settings.deleteThresholdPercent,
      deleteThresholdMinimum: body.deletionThreshold?.minimum ?? settings.deleteThresholdMinimum,
      updatedAt: new Date().toISOString(),
    };
    await updateHubPolicy(db, next);
    forgetHubSettings(tenantId);
    return c.json(policyJson(next));
  })
  .post("/confirm-deletions", async (c) => {
    // Lets exactly the deletions the mass-delete guard holds now go out, until the confirmation
    // expires; deletions queued later are weighed (and held) again.
    const tenantId = tenantIdOf(c);
    const db = c.get("db");
    // The body is optional: none (or an empty one, as clients send for a bare POST) means the defaults.
    const empty = !c.req.raw.body || c.req.header("Content-Length") === "0";
    const body = empty ? { expiresInMinutes: DEFAULT_CONFIRM_MINUTES } : checkEnvelope(ConfirmBody, await readJsonBody(c));
    const now = new Date().toISOString();
    await requireSyncState(db, tenantId);
    const until = new Date(Date.parse(now) + body.expiresInMinutes * 60_000).toISOString();
    await runParts(db, {
      confirm: confirmHeldDeletionsStatements(db, tenantId, now, until),
      wake: updateSyncState(db, tenantId, { nextRunAt: now, updatedAt: now }),
    });
    return c.json(await provisioningStatus(db, tenantId, now), 202);
  })
  .get("/hub-held-names", async (c) => {
    // SCIM creates refused (or parked) because a hub account that is not ours holds the name.
    const tenantId = tenantIdOf(c);
    const { items, truncated } = await listHubHeldNames(c.get("db"), tenantId);
    const answer: HubHeldNamesJson = { items: items.map(({ doc: _doc, ...item }) => item), truncated };
    return c.json(answer);
  })
  .post("/hub-held-names/adopt", async (c) => {
    const tenantId = tenantIdOf(c);
    const body = checkEnvelope(AdoptBody, await readJsonBody(c));
    const settings = await requireHubSettings(c.get("db"), tenantId);
    const result = await adoptHubHeldNames(c.env, c.get("db"), settings, body);
    // An adopted user waits in the outbox for its first run (SCIM's fields, our externalRef):
    // wake the sync as a SCIM write does, so it does not wait for the next cron tick.
    if (result.adopted.length) {
      const wake = wakeTenant(c.env, c.get("db"), tenantId, c.get("log"));
      try {
        c.executionCtx.waitUntil(wake);
      } catch {
        await wake;
      }
    }
    return c.json(result);
  })
  .get("/logs", async (c) => {
    const tenantId = tenantIdOf(c);
    const q = checkEnvelope(PageQuery, c.req.query());
    const shard = c.get("shard");
    const before = q.cursor ? decodeShardCursor("l", q.cursor, shard) : null;
    const page = pageOf(await listLog(c.get("db"), tenantId, before, q.limit + 1), q.limit, "l", shard);
    // The user's userName or the group's displayName beside its SCIM id (null once it is gone).
    const names = await resourceNames(c.get("db"), tenantId, page.items.map((e) => e.scimId));
    const entries: ProvisioningLogEntry[] = page.items.map((e) => ({ ...e, name: (e.scimId && names.get(e.scimId)) ?? null }));
    return c.json({ entries, nextCursor: page.nextCursor });
  })
  .get("/parked", async (c) => {
    const tenantId = tenantIdOf(c);
    const q = checkEnvelope(PageQuery, c.req.query());
    const shard = c.get("shard");
    const after = q.cursor ? decodeShardCursor("p", q.cursor, shard) : 0;
    const page = pageOf(await listParked(c.get("db"), tenantId, after, q.limit + 1), q.limit, "p", shard);
    const names = await resourceNames(c.get("db"), tenantId, page.items.flatMap((p) => [p.resourceId, p.memberId]));
    const named: ParkedEntry[] = page.items.map((p) => ({ ...p, name: names.get(p.resourceId) ?? null, memberName: (p.memberId && names.get(p.memberId)) ?? null }));
    return c.json({ items: named, nextCursor: page.nextCursor });
  })
  .post("/parked/retry", async (c) => {
    const tenantId = tenantIdOf(c);
    return c.json({ retried: await retryParked(c.get("db"), tenantId, undefined, new Date().toISOString()) });
  })
  .post("/parked/:itemId/retry", async (c) => {
    const tenantId = tenantIdOf(c);
    const itemId = Number(c.req.param("itemId"));
    const n = Number.isSafeInteger(itemId) ? await retryParked(c.get("db"), tenantId, itemId, new Date().toISOString()) : 0;
    if (n === 0) throw notFound(`no parked item ${c.req.param("itemId")} for tenant ${tenantId}`);
    return c.json({ retried: n });
  });
