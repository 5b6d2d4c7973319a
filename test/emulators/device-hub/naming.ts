// Device Hub emulator: the hub's naming rules for first/last names and emails. The rules live once,
// in the service's pure module (src/scim/hub-naming-rules.ts); the emulator enforces the same ones.
import { describeViolation, hubNamingViolations, NAMING_RULE_CODE, type HubNamedField } from "../../../src/scim/hub-naming-rules";
import { HubHttpError } from "./http";

/** 400 naming_rule_violation when a first/last name or the email breaks the hub's naming rules. */
export function checkNamingRules(input: Partial<Record<HubNamedField, string | null>>): void {
  const violations = hubNamingViolations(input);
  if (violations.length === 0) return;
  throw new HubHttpError(400, NAMING_RULE_CODE, violations.map((v) => describeViolation(v)).join("; "), {
    violations: violations.map(({ field, value, characters }) => ({ field, value, characters })),
  });
}
