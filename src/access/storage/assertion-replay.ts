// RFC 7523 §3 (and RFC 7521 §5.2): a client assertion is good once. Each one exchanged is kept
// by (issuer, token id) until it expires; the same batch drops the expired ones, so the table
// holds only the assertions still valid (one per exchange per assertion lifetime).
import { lt } from "drizzle-orm";
import type { Db } from "../../platform/d1/db";
import { clientAssertionReplay } from "../../platform/schema/gallery-auth-tables";
import { runParts } from "../../platform/d1/batch";

/** True when this is the assertion's first use; false when it was already exchanged. */
export async function markAssertionUsed(directory: Db, use: { issuer: string; jti: string; expiresAt: string }, now: string): Promise<boolean> {
  const { inserted } = await runParts(directory, {
    expired: directory.delete(clientAssertionReplay).where(lt(clientAssertionReplay.expiresAt, now)),
    inserted: directory.insert(clientAssertionReplay).values(use).onConflictDoNothing().returning({ jti: clientAssertionReplay.jti }),
  });
  return inserted.length > 0;
}
