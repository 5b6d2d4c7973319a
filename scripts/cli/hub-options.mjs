// CLI: the Device Hub options as flags (--language, --enforce-naming-rules, --sync-on-change,
// --field-map, --deleted-user-grace-days) turned into the JSON fields PUT and PATCH …/device-hub take; bad flags exit 2.
import { EXIT, fail } from "./http.mjs";

function bool(flag, value) {
  if (value === "true") return true;
  if (value === "false") return false;
  fail(EXIT.usage, `--${flag} must be true or false (got ${value})`);
}

/**
 * "floor=<urn>:<attr>,officeLocation=<urn>:<attr>" → { floor, officeLocation } (fields left out are
 * not mapped; "field=" unmaps one explicitly); "default" → null, the built-in mapping.
 */
export function parseFieldMap(text) {
  if (text === "default") return null;
  const map = {};
  for (const pair of text.split(",").filter(Boolean)) {
    const at = pair.indexOf("=");
    if (at < 1) fail(EXIT.usage, `--field-map: "${pair}" is not field=<urn>:<attribute> (or use --field-map default)`);
    const value = pair.slice(at + 1).trim();
    map[pair.slice(0, at).trim()] = value === "" ? null : value;
  }
  return map;
}

/** The option fields the flags ask for; none of them given → {}. */
export function hubOptionsBody(values) {
  const body = {};
  if (values.language !== undefined) body.defaultPreferredLanguage = values.language;
  if (values["enforce-naming-rules"] !== undefined) body.enforceNamingRules = bool("enforce-naming-rules", values["enforce-naming-rules"]);
  if (values["sync-on-change"] !== undefined) body.syncOnChange = bool("sync-on-change", values["sync-on-change"]);
  if (values["field-map"] !== undefined) body.hubFieldMap = parseFieldMap(values["field-map"]);
  if (values["deleted-user-grace-days"] !== undefined) body.deletedUserGraceDays = intFlag("deleted-user-grace-days", values["deleted-user-grace-days"]);
  return body;
}

/** A whole number for a flag, or exit 2 (the API checks the range). */
export function intFlag(flag, value) {
  if (!/^-?\d+$/.test(value)) fail(EXIT.usage, `--${flag} must be a whole number (got ${value})`);
  return Number(value);
}
