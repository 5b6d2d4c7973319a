// Opaque cursors for a tenant's lists that page by a number the shard hands out (audit log, sync
// log, parked work items). A tenant move numbers those rows anew on the destination, so a number
// from before the move would page from the wrong place without a word: the cursor names the shard
// its number belongs to, and one from another shard is refused with 400. Cursors that name no
// shard (given before they did: a plain number, or `<tag>:<number>` in base64) are still read.
import { ScimError } from "../scim/errors";

/** `tag` tells one list's cursors from another's (a: audit, l: sync log, p: parked). */
export const encodeShardCursor = (tag: string, shard: string, n: number) => btoa(`${tag}:${shard}:${n}`).replace(/=+$/, "");

export function decodeShardCursor(tag: string, cursor: string, shard: string): number {
  if (/^\d{1,15}$/.test(cursor)) return Number(cursor);
  let text = "";
  try {
    text = atob(cursor);
  } catch {
    // not base64: refused below
  }
  const m = /^([a-z]):(?:([A-Z0-9_]{1,40}):)?(\d{1,15})$/.exec(text);
  if (!m || m[1] !== tag) throw new ScimError(400, "cursor is not a cursor this endpoint returned");
  if (m[2] !== undefined && m[2] !== shard) {
    throw new ScimError(400, "cursor was given before the tenant moved to another shard, where its entries are numbered anew; start again without a cursor");
  }
  return Number(m[3]);
}
