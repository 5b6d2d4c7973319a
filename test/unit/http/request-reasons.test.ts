// The plain-words sentence the request log shows for each failed SCIM request.
import { describe, expect, it } from "vitest";
import { reasonFor, type ReasonInput } from "../../../src/audit/request-reasons";

const base: ReasonInput = { status: 201, method: "POST", resourceType: "User", resourceId: "u1", name: "ann@corp.example", errorType: null, errorDetail: null };
const r = (over: Partial<ReasonInput>) => reasonFor({ ...base, ...over });

describe("reasonFor", () => {
  it("is null for a success", () => {
    expect(r({})).toBeNull();
    expect(r({ status: 204, method: "DELETE" })).toBeNull();
  });

  it.each<[Partial<ReasonInput>, string]>([
    [{ status: 409, errorType: "uniqueness", errorDetail: "userName is already in use by a user of the connected Device Hub" }, "409: the Device Hub already has a user called ann@corp.example"],
    [{ status: 409, resourceType: "Group", name: "Sales", errorType: "uniqueness", errorDetail: "displayName is already in use in this tenant" }, "409: this service already has a group called Sales (Entra did not match it: check the matching attribute)"],
    [{ status: 409, name: null, errorType: "uniqueness", errorDetail: "userName is already in use in this tenant" }, "409: this service already has a user with that name (Entra did not match it: check the matching attribute)"],
    [{ status: 409, errorDetail: "tenant is moving" }, "409: tenant is moving"],
    [{ status: 400, errorType: "invalidValue", errorDetail: "active must be a boolean" }, "400: Entra sent a value this service cannot accept: active must be a boolean"],
    [{ status: 404, method: "DELETE" }, "404: there is no user with id u1 here (deleted, or never created through this connection)"],
    [{ status: 412 }, "412: the user changed since Entra read it; Entra reads it again and retries"],
    [{ status: 429 }, "429: too many requests at once; Entra waits and retries (this counts towards quarantine)"],
    [{ status: 503, errorDetail: "tenant is moving; retry" }, "503: the service could not complete the request: tenant is moving; retry; Entra retries"],
  ])("%j → %s", (over, sentence) => {
    expect(r(over)).toBe(sentence);
  });
});
