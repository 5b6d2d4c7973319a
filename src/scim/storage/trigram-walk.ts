// A user list whose filter is ANDed with a substring term the trigram index answers (`emails co
// "…"`, `name.familyName sw "…"`) reads its candidates from the index, in the index's order (the
// FTS rowid, user_search_keys.key: the order users were created in), and joins each to its user
// row through the user id the index entry carries (migration 0020): two rows read per candidate,
// and a page continues after the key its previous page ended on, so it reads only its own
// candidates (FTS5 seeks `rowid > ?` in its own doclists), never the ones of earlier pages.
import { sql, type SQL } from "drizzle-orm";
import { invalidCursor } from "../errors";

/** The rows a driven list reads: index entries joined to their users (`u`) by id. */
export const drivenFrom = (): SQL => sql`users_search s CROSS JOIN users u ON u.id = s.user_id`;

/** The candidate test (the index query) ANDed with the rest of the list's WHERE. */
export const drivenWhere = (phrase: string, where: SQL): SQL => sql`users_search MATCH ${phrase} AND ${where}`;

/** The order of a driven list, and the column a page's position is read from. */
export const drivenOrder = (): SQL => sql`s.rowid ASC`;
export const drivenKey = (): SQL => sql`s.rowid AS walk_key`;

/**
 * A driven position is the index key of the row before the page, as text (cursors carry it).
 * D1 binds every JavaScript number as a REAL, and FTS5 takes a rowid bound only when it is an
 * INTEGER: given 42.0 it ignores the bound, returns every candidate from the first, and SQLite
 * drops the ones before the key afterwards, so page k read (and D1 billed) the candidates of pages
 * 1 … k as well. The CAST hands FTS5 an integer, which it seeks to directly.
 */
export function drivenAfter(after: string): SQL {
  if (!/^\d{1,15}$/.test(after)) throw invalidCursor("the cursor does not belong to this query's order; start again without it");
  return sql`s.rowid > CAST(${Number(after)} AS INTEGER)`;
}
