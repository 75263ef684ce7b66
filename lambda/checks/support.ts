import type { CheckOutcome } from '../engine/check';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import type { FieldProblem } from '../openrouter/field-checks';

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

/** The sentence a check gives when OpenRouter sent a figure it cannot trust. */
export const UNTRUSTED_DATA_REMEDY = `OpenRouter sent a figure the audit cannot trust, so no verdict is given on it. Re-run; if it persists, compare with the dashboard (openrouter.ai/settings/keys) and report it. ${seeRunbook(RUNBOOK.auditor)}`;

/**
 * `error` when one of `fields` (top-level names of the answer, e.g. `limit`, `budgets`) came with
 * an implausible or wrong-typed value: the check reads it, so it must not pretend to know.
 */
export function unreadableFields(
  problems: readonly FieldProblem[],
  fields: readonly string[],
): CheckOutcome | null {
  const hit = problems.filter((p) =>
    fields.some((f) => p.field === f || p.field.startsWith(`${f}.`) || p.field.startsWith(`${f}[`)),
  );
  const first = hit[0];
  if (first === undefined) return null;
  const more = hit.length > 1 ? ` (and ${hit.length - 1} more)` : '';
  return {
    status: 'error',
    summary: `Could not read ${first.message}${more}`,
    remedy: UNTRUSTED_DATA_REMEDY,
    values: { unreadableFields: hit.map((p) => p.field) },
  };
}

/** Clock skew tolerated before a date "in the future" is called implausible. */
export const FUTURE_SLACK_MS = 60 * 60_000;

/** A key listed as created after the audit started: the listing cannot be trusted. */
export function futureCreationProblem(
  keys: readonly { readonly createdAt: string | null; readonly hash: string }[],
  now: Date,
): string | null {
  for (const key of keys) {
    const created = parseDate(key.createdAt);
    if (created && created.getTime() > now.getTime() + FUTURE_SLACK_MS) {
      return `GET /keys: created_at of key ${key.hash.slice(0, 12)}… is ${key.createdAt}, expected a date in the past`;
    }
  }
  return null;
}
