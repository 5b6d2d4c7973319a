// Table-driven tests of the filter parser (RFC 7644 §3.4.2.2) and PATCH path parser (§3.5.2).
import { describe, expect, it } from "vitest";
import { ScimError } from "../../../src/scim/errors";
import { parseFilter, parsePatchPath } from "../../../src/scim/filter/parser";
import { filterCases, filterErrors, patchPathCases, patchPathErrors } from "./parse.cases";

/** The whole error as a client sees it: status, scimType and a detail fragment. */
function caught(run: () => unknown): { status: number; scimType: string | undefined; detail: string } {
  try {
    run();
  } catch (err) {
    if (!(err instanceof ScimError)) throw err;
    return { status: err.status, scimType: err.scimType, detail: err.detail };
  }
  throw new Error("expected a ScimError");
}

describe("parseFilter", () => {
  it.each(filterCases)("$name: $text", ({ text, ast }) => {
    expect(parseFilter(text)).toEqual(ast);
  });

  it.each(filterErrors)("rejects $name", ({ text, detail }) => {
    expect(caught(() => parseFilter(text))).toEqual({ status: 400, scimType: "invalidFilter", detail: expect.stringContaining(detail) });
  });

  it("accepts exactly the limits: 50 comparisons, depth 32, 4096 characters", () => {
    expect(() => parseFilter(Array.from({ length: 50 }, (_, i) => `a${i} pr`).join(" or "))).not.toThrow();
    expect(() => parseFilter(`${"(".repeat(31)}a pr${")".repeat(31)}`)).not.toThrow();
    const text = `a eq "${"x".repeat(4096 - 7)}"`;
    expect(text).toHaveLength(4096);
    expect(() => parseFilter(text)).not.toThrow();
  });

  it("nests not deeper than 32 levels only with an error", () => {
    expect(caught(() => parseFilter(`${"not (".repeat(33)}a pr${")".repeat(33)}`)).scimType).toBe("invalidFilter");
  });
});

describe("parsePatchPath", () => {
  it.each(patchPathCases)("$name: $text", ({ text, path }) => {
    expect(parsePatchPath(text)).toEqual(path);
  });

  it.each(patchPathErrors)("rejects $name", ({ text, detail }) => {
    expect(caught(() => parsePatchPath(text))).toEqual({ status: 400, scimType: "invalidPath", detail: expect.stringContaining(detail) });
  });
});
