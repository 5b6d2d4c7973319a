// Helpers for the PATCH unit tests: run a raw Operations array through the real envelope parser
// and engine, and assert a ScimError by status, scimType and detail fragment.
import { expect } from "vitest";
import { ScimError, type ScimType } from "../../../src/scim/errors";
import { applyPatch, type PatchResult } from "../../../src/scim/patch/apply";
import { parsePatchRequest } from "../../../src/scim/patch/operations";
import type { ResourceTypeName } from "../../../src/scim/schema/attribute";
import { PATCH_OP } from "../../../src/scim/urns";

export const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** Parse `{schemas, Operations}` and apply it; rewrites of both steps are merged. */
export function patch(resource: Record<string, unknown>, ops: unknown[], type: ResourceTypeName = "User"): PatchResult {
  const request = parsePatchRequest({ schemas: [PATCH_OP], Operations: ops });
  const result = applyPatch(resource, request.operations, type);
  return { ...result, rewrites: [...request.rewrites, ...result.rewrites] };
}

export interface ExpectedError {
  scimType: ScimType;
  detail: string;
  status?: number;
}

/** The thrown value must be a ScimError with this status (400 unless given), scimType and detail fragment. */
export function expectScimError(run: () => unknown, expected: ExpectedError): void {
  let thrown: unknown;
  try {
    run();
  } catch (err) {
    thrown = err;
  }
  expect(thrown, "expected a ScimError to be thrown").toBeInstanceOf(ScimError);
  const err = thrown as ScimError;
  expect({ status: err.status, scimType: err.scimType }).toEqual({ status: expected.status ?? 400, scimType: expected.scimType });
  expect(err.detail).toContain(expected.detail);
}

/** Freeze deeply so any mutation of the input throws (strict mode) — proves the engine copies. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
