// Substring filters (co, sw, ew) on users through the FTS5 trigram table `users_search`
// (migration 0007): which attributes it covers, and the candidate predicate the filter compiler
// ANDs with its exact one. Triggers fill the table with exactly the text the exact predicate
// compares, so a trigram match is a superset of the true matches and the re-check keeps results
// identical to a scan.
import { sql, type SQL } from "drizzle-orm";
import type { CompareOperator } from "../filter/ast";
import type { ResourceTypeName } from "../schema/attribute";
import type { ResolvedAttribute } from "../schema/registry";

/** Trigram queries need at least 3 characters; shorter fragments fall back to the scan. */
export const MIN_SEARCH_CHARS = 3;
/**
 * Each indexed comparison binds its literal twice (MATCH and re-check). The parser allows 50
 * comparisons; indexing at most this many keeps a list statement under D1's 100 parameters.
 */
export const MAX_INDEXED_COMPARISONS = 30;

const NAME_COLUMNS: Record<string, string> = {
  formatted: "name_formatted",
  familyName: "name_family_name",
  givenName: "name_given_name",
  middleName: "name_middle_name",
  honorificPrefix: "name_honorific_prefix",
  honorificSuffix: "name_honorific_suffix",
};

/** The users_search column holding this attribute's compared text, if the index covers it. */
export function searchColumn(type: ResourceTypeName, resolved: ResolvedAttribute): string | undefined {
  if (type !== "User" || resolved.extension) return undefined;
  const sub = resolved.subAttribute?.name;
  switch (resolved.attribute.name) {
    case "userName":
      return sub ? undefined : "user_name";
    case "displayName":
      return sub ? undefined : "display_name";
    case "externalId":
      return sub ? undefined : "external_id";
    case "emails":
      return sub === undefined || sub === "value" ? "emails" : undefined;
    case "name":
      return sub ? NAME_COLUMNS[sub] : undefined;
    default:
      return undefined;
  }
}

/** Whether a comparison can use the trigram index (substring operator, long enough literal). */
export function searchable(op: CompareOperator, literal: unknown): literal is string {
  return (op === "co" || op === "sw" || op === "ew") && typeof literal === "string" &&
    [...literal].length >= MIN_SEARCH_CHARS && !literal.includes("\0");
}

/** The FTS5 query for "`column` contains `literal`": the literal as a phrase, inner quotes doubled. */
export function searchPhrase(column: string, literal: string): string {
  return `${column} : "${literal.replace(/"/g, '""')}"`;
}

/**
 * The user ids whose `column` text contains `literal` (case as stored: the literal arrives folded
 * like the column). Each index entry carries its user's id (migration 0020), so this reads one row
 * per candidate; list-page.ts drives a list from the index instead where it can (trigram-walk.ts).
 */
export function searchCandidates(alias: string, column: string, literal: string): SQL {
  return sql`${sql.raw(alias)}.id IN (SELECT s.user_id FROM users_search s WHERE users_search MATCH ${searchPhrase(column, literal)})`;
}
