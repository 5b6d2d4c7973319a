// A write refused because its tenant is in the final switch of a move (or just moved): the move
// triggers abort the statement with RAISE(ABORT, 'tenant_moving'). The client retries shortly;
// by then the write lands on the tenant's new shard.
import { ScimError } from "../../scim/errors";

/** Seconds a client should wait: the switch takes one cron invocation at most. */
export const MOVE_RETRY_AFTER_SECONDS = 5;

const MARK = /tenant_moving/;

/** Is this (D1) error a move trigger's refusal? */
export function isMoveRefusal(err: unknown): boolean {
  const e = err as { message?: unknown; cause?: { message?: unknown } } | undefined;
  return MARK.test(String(e?.message ?? "")) || MARK.test(String(e?.cause?.message ?? ""));
}

export const moveRefused = (cause?: unknown) =>
  new ScimError(503, "this tenant is being moved to another database; retry shortly", undefined, {
    cause,
    headers: { "Retry-After": String(MOVE_RETRY_AFTER_SECONDS) },
  });
