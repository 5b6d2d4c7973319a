// A small SCIM client over the real fetch handler, payload builders with random unique values,
// and an assertion for whole RFC 7644 §3.12 error bodies.
import { expect } from "vitest";
import { call, json } from "./http";
import type { TestTenant } from "./tenant";

export type Json = Record<string, any>;

export function scim(t: TestTenant) {
  const req = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    call(`/scim/v2${path}`, { method, token: t.token, ...(body !== undefined ? { body } : {}), headers });
  return {
    get: (path: string, headers?: Record<string, string>) => req("GET", path, undefined, headers),
    post: (path: string, body: unknown, headers?: Record<string, string>) => req("POST", path, body, headers),
    put: (path: string, body: unknown, headers?: Record<string, string>) => req("PUT", path, body, headers),
    patch: (path: string, body: unknown, headers?: Record<string, string>) => req("PATCH", path, body, headers),
    delete: (path: string, headers?: Record<string, string>) => req("DELETE", path, undefined, headers),
    /** POST a user and return its resource (asserts 201). */
    async createUser(overrides: Json = {}): Promise<Json> {
      const res = await req("POST", "/Users", userPayload(overrides));
      expect(res.status, await res.clone().text()).toBe(201);
      return json<Json>(res);
    },
    async createGroup(overrides: Json = {}): Promise<Json> {
      const res = await req("POST", "/Groups", groupPayload(overrides));
      expect(res.status, await res.clone().text()).toBe(201);
      return json<Json>(res);
    },
  };
}

export const unique = (prefix: string) => `${prefix}-${crypto.randomUUID().slice(0, 8)}`;

export function userPayload(overrides: Json = {}): Json {
  const userName = unique("user") + "@example.com";
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName,
    externalId: unique("ext"),
    active: true,
    name: { givenName: "Ada", familyName: "Lovelace", formatted: "Ada Lovelace" },
    emails: [{ value: userName, type: "work", primary: true }],
    ...overrides,
  };
}

export function groupPayload(overrides: Json = {}): Json {
  return { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: unique("group"), ...overrides };
}

export function patchOp(...operations: Json[]): Json {
  return { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: operations };
}

export async function expectScimError(res: Response, status: number, scimType?: string, detail?: string | RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get("Content-Type")).toBe("application/scim+json");
  const body = await json<Json>(res);
  expect(body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
  expect(body.status).toBe(String(status));
  if (scimType) expect(body.scimType).toBe(scimType);
  else expect(body.scimType).toBeUndefined();
  expect(typeof body.detail).toBe("string");
  if (detail) expect(body.detail).toMatch(detail);
  return body;
}
