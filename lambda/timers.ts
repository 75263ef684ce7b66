/**
 * Where the Lambda's deadlines come from. The handler uses real timers; a test hands in a fake
 * clock, so that a run's time budget is checked in virtual time, not by waiting on the wall clock.
 */
export interface Timers {
  /** A signal that aborts (with a `TimeoutError`) once `ms` milliseconds have passed. */
  signalAfter(ms: number): AbortSignal;
}

export const realTimers: Timers = {
  signalAfter: (ms) => AbortSignal.timeout(ms),
};
