// When cycles run: the cron fires every CRON_MINUTES; a tenant is due again SYNC_INTERVAL after a
// finished cycle (a little less, so the next tick picks it up), at once after a paused one.

export const CRON_MINUTES = 5;
const MINUTE = 60_000;
/** Due again this long after a finished cycle (one cron period minus slack for tick jitter). */
export const SYNC_INTERVAL_MS = CRON_MINUTES * MINUTE - 30_000;
/** A full sweep (drift repair) at least this often. */
export const FULL_SWEEP_EVERY_MS = 24 * 60 * MINUTE;

export const addMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** The first cron tick at or after `iso` (ticks on multiples of CRON_MINUTES, UTC). */
export function nextCronTick(iso: string): string {
  const period = CRON_MINUTES * MINUTE;
  const t = Date.parse(iso);
  return new Date(Math.ceil(t / period) * period).toISOString();
}
