// A Clock for code that takes time as a parameter (the sync's reconcile), so its tests can fix
// the time. Request handlers read `new Date()` directly and pass it down as `now`. Also the day
// arithmetic of expiries (setup links, API tokens, the expiring-token report).

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

export const DAY_MS = 86_400_000;

/** `days` whole days after `from`, as an ISO time (expiries of links, tokens and reports). */
export const isoDaysAfter = (from: Date, days: number) => new Date(from.getTime() + days * DAY_MS).toISOString();
