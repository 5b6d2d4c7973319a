// Time enters through a Clock so that tests and expiry logic never read a hidden global.

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
export const isoNow = (clock: Clock = systemClock): string => clock().toISOString();
