// A Clock for code that takes time as a parameter (the sync's reconcile), so its tests can fix
// the time. Request handlers read `new Date()` directly and pass it down as `now`.

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
