// A scenario several sync tests share: two synced users, then an update of each, where the hub
// answers 500 to every update of the first (so it backs off and is parked) and takes the second.
import { patchOp, scim } from "./scim";
import { hubView, provisionedTenant, runSync } from "./run-cron";

export async function tenantWithOneFailingUpdate() {
  const { t, hub } = await provisionedTenant();
  const s = scim(t);
  const [a, b] = [await s.createUser(), await s.createUser()];
  await runSync(t.id);
  const hubA = (await hubView(hub)).users.get(a.id)!.id as string;
  await hub.fault({ kind: "error", status: 500, count: 100, method: "PATCH", pathPrefix: `/v1/users/${hubA}` });
  await s.patch(`/Users/${a.id}`, patchOp({ op: "replace", path: "displayName", value: "A2" }));
  await s.patch(`/Users/${b.id}`, patchOp({ op: "replace", path: "displayName", value: "B2" }));
  return { t, hub, s, a, b, hubA };
}
