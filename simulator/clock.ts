/** Date helpers for the simulator's data, which is always relative to its injected clock. */

export const DAY_MS = 86_400_000;

/** `2026-09-01T10:00:00.123+00:00`: the offset form OpenRouter uses for `created_at`. */
export function isoTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, -1)}+00:00`;
}

/** `YYYY-MM-DD` (UTC), the form of a model's `expiration_date`. */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function daysFrom(now: Date, days: number): Date {
  return new Date(now.getTime() + days * DAY_MS);
}

/** Unix seconds, as in a completion's `created`. */
export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
