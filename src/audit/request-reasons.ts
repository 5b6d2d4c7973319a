// One sentence per failed SCIM request, in the words an IT admin needs beside Entra's provisioning
// log ("Failed: 409"): what happened and, where it helps, what to do. Built from what the audit
// row holds (status, our scimType and detail, the resource's kind, id and name), nothing else.

export interface ReasonInput {
  status: number;
  method: string;
  resourceType: string | null;
  resourceId: string | null;
  name: string | null;
  errorType: string | null;
  errorDetail: string | null;
}

const kindOf = (type: string | null) => (type === "Group" ? "group" : type === "User" ? "user" : "resource");
const called = (r: ReasonInput) => (r.name ? ` called ${r.name}` : " with that name");

function conflict(r: ReasonInput): string {
  const detail = r.errorDetail ?? "";
  if (/Device Hub/i.test(detail)) return `409: the Device Hub already has a ${kindOf(r.resourceType)}${called(r)}`;
  if (r.errorType === "uniqueness") {
    return `409: this service already has a ${kindOf(r.resourceType)}${called(r)} (Entra did not match it: check the matching attribute)`;
  }
  return `409: ${detail || "the request conflicts with the current state"}`;
}

/** The sentence for a failed request; null for a success. */
export function reasonFor(r: ReasonInput): string | null {
  if (r.status < 400) return null;
  const kind = kindOf(r.resourceType);
  const detail = r.errorDetail ? `: ${r.errorDetail}` : "";
  switch (r.status) {
    case 400:
      return `400: Entra sent a value this service cannot accept${detail}`;
    case 404:
      return `404: there is no ${kind} with id ${r.resourceId ?? "(none)"} here (deleted, or never created through this connection)`;
    case 409:
      return conflict(r);
    case 412:
      return `412: the ${kind} changed since Entra read it; Entra reads it again and retries`;
    case 413:
      return "413: the request was larger than this service accepts";
    case 415:
      return `415: the request was not JSON${detail}`;
    case 429:
      return "429: too many requests at once; Entra waits and retries (this counts towards quarantine)";
    default:
      return r.status >= 500 ? `${r.status}: the service could not complete the request${detail}; Entra retries` : `${r.status}${detail || ": refused"}`;
  }
}
