/** The time, injected wherever it matters (deadlines, escalation), so tests can set it to the second. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
