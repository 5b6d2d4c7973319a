// Turns the hub's refusal of a user's name or email (400 naming_rule_violation) into a reason an
// admin can act on, computed with the same rules the hub applies (src/scim/hub-naming-rules.ts),
// so the parked item and the log say which field, which characters, and what to do.
import { describeViolation, hubNamingViolations, NAMING_RULE_CODE } from "../../scim/port";
import { DeviceHubError } from "./client";
import type { HubUserInput } from "./schemas";

const REMEDY = "fix it in the identity provider (the next change retries it), or turn on enforceNamingRules to refuse such names at SCIM time";

export function explainHubRejection(error: DeviceHubError, input: HubUserInput): DeviceHubError {
  if (error.code !== NAMING_RULE_CODE) return error;
  const found = hubNamingViolations(input).map((v) => describeViolation(v));
  const what = found.length > 0 ? found.join("; ") : error.message;
  return new DeviceHubError({
    kind: error.kind,
    status: error.status,
    code: error.code,
    details: error.details,
    message: `the Device Hub refuses this user's name or email: ${what}. To sync the user, ${REMEDY}`,
    cause: error,
  });
}
