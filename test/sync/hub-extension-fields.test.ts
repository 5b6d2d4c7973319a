// End to end: the Eptura additional-attributes extension written through SCIM reaches the hub's
// floor, officeLocation and workMode fields with the default mapping (create, then a PATCH by the
// extension's attribute path). Needs the SCIM API to store that extension (issue 17).
import { describe, expect, it } from "vitest";
import { patchOp, scim, userPayload } from "../support/scim";
import { hubView, provisionedTenant, runSync } from "../support/run-cron";

const EXT = "urn:ietf:params:scim:schemas:extension:customextensionname:2.0:User";

describe("device hub sync: additional attributes extension", () => {
  it("carries floor, officeLocation and workMode from the extension to the hub, and their changes", async () => {
    const { t, hub } = await provisionedTenant();
    const s = scim(t);
    const created = await s.post("/Users", userPayload({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", EXT],
      [EXT]: { floor: "5", officeLocation: "London Bridge", workMode: "hybrid", businessCategory: "Finance" },
    }));
    expect(created.status, await created.clone().text()).toBe(201);
    const u = (await created.json()) as Record<string, any>;
    expect(u[EXT]).toMatchObject({ floor: "5", officeLocation: "London Bridge", workMode: "hybrid" });
    await runSync(t.id);
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ floor: "5", officeLocation: "London Bridge", workMode: "hybrid" });

    const patched = await s.patch(`/Users/${u.id}`, patchOp({ op: "replace", path: `${EXT}:floor`, value: "6" }, { op: "replace", path: `${EXT}:workMode`, value: "remote" }));
    expect(patched.status, await patched.clone().text()).toBe(200);
    await runSync(t.id);
    expect((await hubView(hub)).users.get(u.id)).toMatchObject({ floor: "6", officeLocation: "London Bridge", workMode: "remote" });
  });
});
