// Pure planning, table-driven: SCIM → hub user payload, and the action per user/group/membership.
import { describe, expect, it } from "vitest";
import { hubUserDiffers, hubUserFromScim, planGroup, planMember, planUser, type MemberWorkRow } from "../../src/sync/engine/plan";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

describe("hubUserFromScim", () => {
  it("maps the SCIM user onto the hub fields", () => {
    const doc = {
      userName: "bjensen@example.com", name: { givenName: "Barbara", familyName: "Jensen", formatted: "Ms. Barbara J Jensen" },
      emails: [{ value: "home@example.com", type: "home" }, { value: "bj@example.com", type: "work", primary: true }],
      title: "Tour Guide", active: false, [ENTERPRISE]: { department: "Tours", employeeNumber: "701984" },
    };
    expect(hubUserFromScim("id-1", doc)).toEqual({
      externalRef: "id-1", userName: "bjensen@example.com", displayName: "Ms. Barbara J Jensen", email: "bj@example.com",
      givenName: "Barbara", familyName: "Jensen", jobTitle: "Tour Guide", department: "Tours", employeeNumber: "701984", active: false,
      mobilePhone: null, preferredLanguage: "en-GB", country: null, floor: null, officeLocation: null, workMode: null,
    });
  });
  it.each([
    [{ userName: "u" }, { displayName: null, email: null, active: true }],
    [{ userName: "u", displayName: "D", emails: [{ value: "a@x" }, { value: "b@x", type: "work" }] }, { displayName: "D", email: "b@x" }],
    [{ userName: "u", title: "x".repeat(2000) }, { jobTitle: "x".repeat(1024) }],
  ])("%j → %j", (doc, expected) => expect(hubUserFromScim("id", doc)).toMatchObject(expected));

  it("detects differences in managed fields only", () => {
    const desired = hubUserFromScim("id", { userName: "u", displayName: "D" });
    const hub = { id: "usr_1", createdAt: "", updatedAt: "", version: 1, ...desired, displayName: "D", email: null, givenName: null, familyName: null, jobTitle: null, department: null, employeeNumber: null, active: true, externalRef: "id", userName: "u" };
    expect(hubUserDiffers(hub, desired)).toBe(false);
    expect(hubUserDiffers({ ...hub, displayName: "E" }, desired)).toBe(true);
    expect(hubUserDiffers({ ...hub, active: false }, desired)).toBe(true);
    expect(hubUserDiffers({ ...hub, version: 9 }, desired)).toBe(false);
  });
});

describe("planUser / planGroup / planMember", () => {
  const doc = { userName: "u", active: false };
  it.each([
    [{ doc: null, version: null, hubId: null, syncedVersion: null, hubActive: null }, "lookupDelete"],
    [{ doc: null, version: null, hubId: "h", syncedVersion: 1, hubActive: true }, "delete"],
    [{ doc, version: 1, hubId: null, syncedVersion: null, hubActive: null }, "create"],
    [{ doc, version: 2, hubId: "h", syncedVersion: 2, hubActive: true }, "noop"],
    [{ doc, version: 3, hubId: "h", syncedVersion: 2, hubActive: true }, "update"],
  ])("user %j → %s", (row, kind) => expect(planUser({ scimId: "s", ...row }).kind).toBe(kind));

  it("flags a deactivation only when the hub user was active", () => {
    expect(planUser({ scimId: "s", doc, version: 3, hubId: "h", syncedVersion: 2, hubActive: true })).toMatchObject({ deactivate: true });
    expect(planUser({ scimId: "s", doc, version: 3, hubId: "h", syncedVersion: 2, hubActive: false })).toMatchObject({ deactivate: false });
  });

  it("keeps a deleted user's hub account for the grace period, then deletes it while still deactivated; a re-create relinks it", () => {
    const now = "2026-01-01T00:00:00.000Z";
    const gone = { scimId: "s", doc: null, version: null, hubId: "h", syncedVersion: 1, hubActive: true };
    expect(planUser(gone, undefined, { graceDays: 30, now })).toEqual({ kind: "keep", hubId: "h", until: "2026-01-31T00:00:00.000Z" });
    expect(planUser(gone, undefined, { graceDays: 0, now })).toEqual({ kind: "delete", hubId: "h" });
    const kept = { ...gone, hubActive: false, keptUntil: "2026-01-31T00:00:00.000Z" };
    expect(planUser(kept, undefined, { graceDays: 30, now }).kind).toBe("noop");
    expect(planUser(kept, undefined, { graceDays: 30, now: "2026-02-01T00:00:00.000Z" })).toEqual({ kind: "delete", hubId: "h" });
    // Reactivated in the hub meanwhile: not deleted.
    expect(planUser({ ...kept, hubActive: true }, undefined, { graceDays: 30, now: "2026-02-01T00:00:00.000Z" })).toEqual({ kind: "release", hubId: "h" });
    const doc = { userName: "u" };
    expect(planUser({ scimId: "n", doc, version: 1, hubId: null, syncedVersion: null, hubActive: null, keptHolder: { hubId: "h", scimId: "s" } }, undefined, { graceDays: 30, now }))
      .toMatchObject({ kind: "relink", hubId: "h", fromScimId: "s", input: { externalRef: "n", userName: "u", active: true } });
  });

  it.each([
    [{ displayName: null, hubId: null, hubName: null }, { kind: "lookupDelete" }],
    [{ displayName: null, hubId: "h", hubName: "x" }, { kind: "delete", hubId: "h" }],
    [{ displayName: "A", hubId: null, hubName: null }, { kind: "create", name: "A" }],
    [{ displayName: "A", hubId: "h", hubName: "A" }, { kind: "noop" }],
    [{ displayName: "A", hubId: "h", hubName: "B" }, { kind: "rename", hubId: "h", name: "A" }],
  ])("group %j → %j", (row, action) => expect(planGroup({ groupId: "g", ...row })).toEqual(action));

  const m = (over: Partial<MemberWorkRow>): MemberWorkRow => ({
    groupId: "g", memberId: "u", scimGroupExists: true, hubGroupId: "hg", hubUserId: "hu", desired: true, known: false, ...over,
  });
  it.each([
    [m({}), { kind: "add", hubGroupId: "hg", hubUserId: "hu" }],
    [m({ hubUserId: null }), { kind: "pending" }],
    [m({ desired: false, known: true }), { kind: "remove", hubGroupId: "hg", hubUserId: "hu" }],
    [m({ desired: false, known: true, hubUserId: null }), { kind: "forget" }],
    [m({ known: true }), { kind: "done" }],
    [m({ desired: false }), { kind: "done" }],
    [m({ scimGroupExists: false }), { kind: "done" }],
    [m({ hubGroupId: null }), { kind: "done" }],
  ])("member %j → %j", (row, action) => expect(planMember(row)).toEqual(action));
});
