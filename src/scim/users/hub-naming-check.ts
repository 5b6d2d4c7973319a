// The per-tenant option that refuses, at SCIM time, names the Device Hub would refuse
// (docs/device-hub.md "Naming rules"), so Entra shows the error on the user instead of the
// sync parking it later. Only values the write introduces are checked: a user whose name was
// stored before the option was turned on can still be deactivated or otherwise changed.
import { ScimError } from "../errors";
import { describeViolation, hubNamingViolations, type NamingViolation } from "../hub-naming-rules";
import type { ServiceContext } from "../service-context";

type Doc = Record<string, unknown>;

const obj = (v: unknown): Doc => (v && typeof v === "object" && !Array.isArray(v) ? (v as Doc) : {});
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** Violations of one user document, labelled with the SCIM attribute that holds the value. */
function userViolations(doc: Doc): { attribute: string; violation: NamingViolation }[] {
  const name = obj(doc["name"]);
  const found = hubNamingViolations({ givenName: str(name["givenName"]), familyName: str(name["familyName"]) }).map((violation) => ({
    attribute: `name.${violation.field}`,
    violation,
  }));
  const emails = Array.isArray(doc["emails"]) ? doc["emails"].map(obj) : [];
  for (const email of emails) {
    for (const violation of hubNamingViolations({ email: str(email["value"]) })) found.push({ attribute: "emails.value", violation });
  }
  return found;
}

/** Throws 400 invalidValue when `doc` brings in a name or email the hub would refuse and the tenant asks for it. */
export async function refuseHubNamingViolations(ctx: ServiceContext, doc: Doc, current?: Doc): Promise<void> {
  if (!ctx.hubNamingRulesEnforced) return;
  const before = new Set(current ? userViolations(current).map((v) => `${v.attribute}\u0000${v.violation.value}`) : []);
  const introduced = userViolations(doc).filter((v) => !before.has(`${v.attribute}\u0000${v.violation.value}`));
  // The setting is read only when there is something to refuse: ordinary writes cost no extra query.
  if (introduced.length === 0 || !(await ctx.hubNamingRulesEnforced())) return;
  const detail = introduced.map((v) => describeViolation(v.violation, v.attribute)).join(". ");
  throw new ScimError(400, `The Device Hub would refuse this user: ${detail}.`, "invalidValue");
}
