// parsePatchRequest: the RFC 7644 §3.5.2 envelope, Entra's op casing and key order, and
// every malformed envelope as a 400 with the right scimType.
import { describe, expect, it } from "vitest";
import { parsePatchRequest } from "../../../src/scim/patch/operations";
import { MAX_PATCH_OPERATIONS, PATCH_OP } from "../../../src/scim/urns";
import { expectScimError, type ExpectedError } from "./support";

describe("parsePatchRequest: accepted envelopes", () => {
  const cases: { name: string; body: unknown; ops: unknown[]; rewrites: string[] }[] = [
    {
      name: "RFC shape, lower-case ops",
      body: { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "displayName", value: "x" }] },
      ops: [{ op: "replace", path: "displayName", value: "x", index: 0 }],
      rewrites: [],
    },
    {
      name: "Add/REPLACE/Remove in any case are lower-cased (opCase)",
      body: {
        schemas: [PATCH_OP],
        Operations: [
          { op: "Add", path: "nickName", value: "B" },
          { op: "REPLACE", path: "active", value: "False" },
          { op: "Remove", path: "title" },
        ],
      },
      ops: [
        { op: "add", path: "nickName", value: "B", index: 0 },
        { op: "replace", path: "active", value: "False", index: 1 },
        { op: "remove", path: "title", index: 2 },
      ],
      rewrites: ["opCase"],
    },
    {
      name: "Operations before schemas, lower-case key, operation keys in any case",
      body: { operations: [{ OP: "replace", Path: "title", VALUE: "Dr" }], schemas: [PATCH_OP] },
      ops: [{ op: "replace", path: "title", value: "Dr", index: 0 }],
      rewrites: [],
    },
    {
      name: "schemas missing is tolerated",
      body: { Operations: [{ op: "add", value: { title: "x" } }] },
      ops: [{ op: "add", value: { title: "x" }, index: 0 }],
      rewrites: [],
    },
    {
      name: "emptyOperations: an empty array is a valid no-op",
      body: { schemas: [PATCH_OP], Operations: [] },
      ops: [],
      rewrites: ["emptyOperations"],
    },
    {
      name: "null value is kept (replace with null clears); empty path means no path",
      body: { Operations: [{ op: "replace", path: "title", value: null }, { op: "add", path: "", value: { title: "y" } }] },
      ops: [
        { op: "replace", path: "title", value: null, index: 0 },
        { op: "add", value: { title: "y" }, index: 1 },
      ],
      rewrites: [],
    },
    {
      name: "remove keeps its value (Entra's member remove)",
      body: { Operations: [{ op: "Remove", path: "members", value: [{ value: "u1" }] }] },
      ops: [{ op: "remove", path: "members", value: [{ value: "u1" }], index: 0 }],
      rewrites: ["opCase"],
    },
  ];
  it.each(cases)("$name", ({ body, ops, rewrites }) => {
    expect(parsePatchRequest(body)).toEqual({ operations: ops, rewrites });
  });

  it(`accepts exactly MAX_PATCH_OPERATIONS (${MAX_PATCH_OPERATIONS}) operations`, () => {
    const ops = Array.from({ length: MAX_PATCH_OPERATIONS }, () => ({ op: "add", path: "title", value: "x" }));
    expect(parsePatchRequest({ Operations: ops }).operations).toHaveLength(MAX_PATCH_OPERATIONS);
  });
});

describe("parsePatchRequest: rejected envelopes", () => {
  const cases: { name: string; body: unknown; error: ExpectedError }[] = [
    { name: "body is an array", body: [], error: { scimType: "invalidSyntax", detail: "must be a JSON object" } },
    { name: "body is a string", body: "x", error: { scimType: "invalidSyntax", detail: "must be a JSON object" } },
    { name: "Operations missing", body: { schemas: [PATCH_OP] }, error: { scimType: "invalidSyntax", detail: "Operations must be an array" } },
    { name: "Operations is an object", body: { Operations: { op: "add" } }, error: { scimType: "invalidSyntax", detail: "Operations must be an array" } },
    { name: "schemas is a string", body: { schemas: PATCH_OP, Operations: [] }, error: { scimType: "invalidSyntax", detail: "schemas must be an array" } },
    { name: "operation is not an object", body: { Operations: ["add"] }, error: { scimType: "invalidSyntax", detail: "Operations[0] must be a JSON object" } },
    { name: "op missing", body: { Operations: [{ path: "title", value: "x" }] }, error: { scimType: "invalidSyntax", detail: "Operations[0]: op must be a string" } },
    {
      name: "unknown op names the index",
      body: { Operations: [{ op: "add", path: "title", value: "x" }, { op: "move", path: "title" }] },
      error: { scimType: "invalidSyntax", detail: 'Operations[1]: unknown op "move"' },
    },
    { name: "path is a number", body: { Operations: [{ op: "add", path: 5, value: "x" }] }, error: { scimType: "invalidSyntax", detail: "Operations[0]: path must be a string" } },
    {
      name: "RFC 7644 §3.5.2.2: remove without path is noTarget",
      body: { Operations: [{ op: "remove" }] },
      error: { scimType: "noTarget", detail: "Operations[0]: remove requires a path" },
    },
    {
      name: "remove with an empty path is noTarget",
      body: { Operations: [{ op: "Remove", path: "  ", value: [{ value: "u1" }] }] },
      error: { scimType: "noTarget", detail: "remove requires a path" },
    },
    { name: "add without a value", body: { Operations: [{ op: "add", path: "title" }] }, error: { scimType: "invalidValue", detail: "Operations[0]: add requires a value" } },
    {
      name: "too many operations is tooMany",
      body: { Operations: Array.from({ length: MAX_PATCH_OPERATIONS + 1 }, () => ({ op: "add", path: "title", value: "x" })) },
      error: { scimType: "tooMany", detail: `at most ${MAX_PATCH_OPERATIONS}` },
    },
  ];
  it.each(cases)("$name", ({ body, error }) => {
    expectScimError(() => parsePatchRequest(body), error);
  });
});
