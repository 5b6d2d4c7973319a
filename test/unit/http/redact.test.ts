import { describe, expect, it } from "vitest";
import { redactForLog } from "../../../src/http/errors";

describe("redactForLog (no SQL, tokens or secrets in log lines)", () => {
  it.each([
    ["D1_ERROR: near \"x\": syntax error: SQLITE_ERROR while running SELECT * FROM users WHERE user_name = 'ada'", "D1_ERROR: near \"x\": syntax error: SQLITE_ERROR while running [sql elided]"],
    ["fetch failed with Authorization: Bearer abc.def.ghi", "fetch failed with Authorization: Bearer [redacted]"],
    ["token eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.sig leaked", "token [jwt redacted] leaked"],
    ["plain failure", "plain failure"],
    ["cookie __Host-scim_portal=scimps_0b6c2b6e-3f0e-4a59-9f4c-2b1f2a0c9d11.AbC-dEf_123 rejected", "cookie __Host-scim_portal=scimps_[redacted] rejected"],
    ["api token scimta_0b6c2b6e-3f0e-4a59-9f4c-2b1f2a0c9d11.AbC-dEf_123 in a query", "api token scimta_[redacted] in a query"],
    ["link scimsl_0b6c2b6e-3f0e-4a59-9f4c-2b1f2a0c9d11.xyz opened", "link scimsl_[redacted] opened"],
    ["secret scs_nuV3pbS11c0j3bC7Lzm and csrf_q1w2e3 seen", "secret scs_[redacted] and csrf_[redacted] seen"],
  ])("%s", (input, expected) => {
    expect(redactForLog(input)).toBe(expected);
  });

  it("caps the length", () => {
    expect(redactForLog("x".repeat(1000))).toHaveLength(300);
  });
});
