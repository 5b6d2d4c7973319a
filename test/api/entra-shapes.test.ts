// Each non-RFC value shape a client sends is accepted the same way by every write path: POST,
// PUT, PATCH and Bulk run the one list of shape normalisers (src/scim/compat/shapes.ts), store the
// RFC 7643 shape and count the rewrite per tenant. One table row per shape; see docs/entra-compat.md.
import { describe, expect, it } from "vitest";
import { admin, json } from "../support/http";
import { groupPayload, patchOp, scim, userPayload, type Json } from "../support/scim";
import { newTenant, type TestTenant } from "../support/tenant";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const BULK = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";

interface Shape {
  name: string;
  type: "Users" | "Groups";
  /** The attribute as the client writes it (top-level key of a POST/PUT body) and its PATCH path. */
  key: string;
  /** The non-RFC value; `ids` are real user ids of the tenant (for member values). */
  sent: (ids: string[]) => unknown;
  /** What the stored resource shows afterwards. */
  expected: (resource: Json, ids: string[]) => void;
  /** The rewrite counted for the tenant; null when the shape is RFC-legal (no rewrite). */
  rewrite: string | null;
}

const managerOf = (r: Json) => r[ENT]?.manager?.value;
const memberIds = (r: Json) => (r.members ?? []).map((m: Json) => m.value).sort();

const SHAPES: Shape[] = [
  { name: "manager as a bare id string", type: "Users", key: `${ENT}:manager`, sent: () => "271", expected: (r) => expect(managerOf(r)).toBe("271"), rewrite: "managerBareString" },
  { name: "manager as a one-element array of an id", type: "Users", key: `${ENT}:manager`, sent: () => ["271"], expected: (r) => expect(managerOf(r)).toBe("271"), rewrite: "managerArray" },
  { name: "manager as a one-element array of an object", type: "Users", key: `${ENT}:manager`, sent: () => [{ value: "271" }], expected: (r) => expect(managerOf(r)).toBe("271"), rewrite: "managerArray" },
  {
    name: "role with a JSON string value",
    type: "Users",
    key: "roles",
    sent: () => [{ primary: false, type: "WindowsAzureActiveDirectoryRole", value: JSON.stringify({ id: "r-1", value: "25", displayName: "Role1234" }) }],
    expected: (r) => expect(r.roles).toEqual([{ primary: false, type: "WindowsAzureActiveDirectoryRole", value: "25", display: "Role1234" }]),
    rewrite: "rolesJsonString",
  },
  { name: "active as the string \"False\"", type: "Users", key: "active", sent: () => "False", expected: (r) => expect(r.active).toBe(false), rewrite: "booleanString" },
  { name: "members as bare id strings", type: "Groups", key: "members", sent: (ids) => ids, expected: (r, ids) => expect(memberIds(r)).toEqual([...ids].sort()), rewrite: "membersBareId" },
  { name: "members as one object, not an array", type: "Groups", key: "members", sent: (ids) => ({ value: ids[0] }), expected: (r, ids) => expect(memberIds(r)).toEqual([ids[0]]), rewrite: "membersSingleValue" },
  // RFC 7643 §2.1: attribute names are case-insensitive, so this is RFC behaviour and not counted.
  { name: "member keys in another case (Value, Type)", type: "Groups", key: "members", sent: (ids) => ids.map((id) => ({ Value: id, Type: "user" })), expected: (r, ids) => expect(memberIds(r)).toEqual([...ids].sort()), rewrite: null },
];

type Path = "POST" | "PUT" | "PATCH" | "Bulk";

/** Write `value` for `shape.key` through one write path; returns the resource id. */
async function write(t: TestTenant, path: Path, shape: Shape, value: unknown): Promise<string> {
  const c = scim(t);
  const payload = (extra: Json) => (shape.type === "Users" ? userPayload(extra) : groupPayload(extra));
  const check = async (res: Response, status: number) => {
    expect(res.status, await res.clone().text()).toBe(status);
    return json<Json>(res);
  };
  switch (path) {
    case "POST":
      return (await check(await c.post(`/${shape.type}`, payload({ [shape.key]: value })), 201)).id;
    case "PUT": {
      const created = await check(await c.post(`/${shape.type}`, payload({})), 201);
      const { id: _id, meta: _meta, ...body } = created;
      return (await check(await c.put(`/${shape.type}/${created.id}`, { ...body, [shape.key]: value }), 200)).id;
    }
    case "PATCH": {
      const created = await check(await c.post(`/${shape.type}`, payload({})), 201);
      const res = await c.patch(`/${shape.type}/${created.id}`, patchOp({ op: "replace", path: shape.key, value }));
      expect([200, 204], await res.clone().text()).toContain(res.status);
      return created.id;
    }
    case "Bulk": {
      const res = await c.post("/Bulk", { schemas: [BULK], Operations: [{ method: "POST", path: `/${shape.type}`, bulkId: "b1", data: payload({ [shape.key]: value }) }] });
      const op = (await check(res, 200)).Operations[0];
      expect(op.status, JSON.stringify(op)).toBe("201");
      return op.location.split("/").at(-1);
    }
  }
}

describe("one normaliser per shape, on every write path", () => {
  for (const path of ["POST", "PUT", "PATCH", "Bulk"] as const) {
    it.each(SHAPES)(`${path}: $name`, async (shape) => {
      const t = await newTenant();
      const ids = shape.type === "Groups" ? [(await scim(t).createUser()).id, (await scim(t).createUser()).id] : [];
      const id = await write(t, path, shape, shape.sent(ids));
      const stored = await json<Json>(await scim(t).get(`/${shape.type}/${id}`));
      shape.expected(stored, ids);
      const { rewrites } = await json<{ rewrites: Json[] }>(await admin(`/tenants/${t.id}/compat`));
      const names = rewrites.map((r) => r.rewrite);
      if (shape.rewrite) expect(names).toContain(shape.rewrite);
      else expect(names.filter((n) => n.startsWith("members"))).toEqual([]);
    });
  }
});
