import type { CheckOutcome } from '../engine/check';

/** Days between two instants (fractional). */
export const daysBetween = (from: Date, to: Date): number => (to.getTime() - from.getTime()) / 86_400_000;

/** Parses an API timestamp; null when absent or not a date. */
export function parseDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export const usd = (amount: number): string =>
  `$${Math.abs(amount) < 0.01 && amount !== 0 ? amount.toPrecision(2) : amount.toFixed(2)}`;

export const round = (value: number, digits = 2): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

export const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * The outcome of a check that needs `GET /key` when that request failed: the `auth` check
 * reports the failure itself, so dependants skip rather than repeat it (one cause, one alert).
 */
export const needsAuth = (what: string): CheckOutcome => ({
  status: 'skip',
  summary: `${what}: skipped because GET /key failed (see the auth check)`,
});
