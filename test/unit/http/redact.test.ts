import { describe, expect, it } from "vitest";
import { redactForLog } from "../../../src/http/errors";

describe("redactForLog (no SQL, tokens or secrets in log lines)", () => {
  it.each([
    ["D1_ERROR: near \"x\": syntax error: SQLITE_ERROR while running SELECT * FROM users WHERE user_name = 'ada'", "D1_ERROR: near \"x\": syntax error: SQLITE_ERROR while running [sql elided]"],
    ["fetch failed with Authorization: Bearer abc.def.ghi", "fetch failed with Authorization: Bearer [redacted]"],
    ["token eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.sig leaked", "token [jwt redacted] leaked"],
    ["plain failure", "plain failure"],
  ])("%s", (input, expected) => {
    expect(redactForLog(input)).toBe(expected);
  });

  it("caps the length", () => {
    expect(redactForLog("x".repeat(1000))).toHaveLength(300);
  });
});
