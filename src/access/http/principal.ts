// The caller of the admin and portal APIs as the audit log and access log name it: ids only.
import type { Principal } from "../../http/context";

export const OPERATOR: Principal = { kind: "operator" };

/** "operator", "portal-session:<session id>" or "api-token:<token id>". Never a secret. */
export function actorOf(principal: Principal): string {
  if (principal.kind === "operator") return "operator";
  return `${principal.via === "session" ? "portal-session" : "api-token"}:${principal.credentialId}`;
}
