// The config fields of provider health, spend trend, per-key budgets and mutes (issue 14): one
// additive block, spread into the audit config schema, so that it merges cleanly with other work
// on config.ts. Field names and defaults are a public contract.
import * as z from 'zod/mini';
import { CHECK_IDS } from './result';

/** A mute may last at most this long: a longer one is a config error (a forgotten mute hides an outage). */
export const MAX_MUTE_DAYS = 90;

const positiveUsd = z.number().check(z.gt(0), z.lte(1_000_000));

/** `YYYY-MM-DD` (the start of that UTC day) or an ISO-8601 instant with a zone. */
const muteUntil = z.string().check(
  z.refine((text: string) => parseMuteUntil(text) !== null, {
    error: 'must be a date (YYYY-MM-DD) or an ISO-8601 time with a zone, e.g. 2026-12-01T09:00:00Z',
  }),
);

const keyBudget = z.strictObject({
  /** A key's name, label or hash prefix; `*` matches any run of characters. */
  match: z.string().check(z.minLength(1, { error: 'must not be empty' }), z.maxLength(200)),
  dailyUsd: z.optional(positiveUsd),
  weeklyUsd: z.optional(positiveUsd),
  monthlyUsd: z.optional(positiveUsd),
});

const mute = z.strictObject({
  check: z.enum(CHECK_IDS, { error: `must be one of ${CHECK_IDS.join(', ')}` }),
  until: muteUntil,
  reason: z.string().check(z.minLength(1, { error: 'must say why' }), z.maxLength(300)),
});

export const insightConfigFields = {
  /** `providers` warns when the best endpoint's `uptime_last_30m` is under this percentage. @default 95 */
  minUptimePercent: z._default(z.number().check(z.gte(0), z.lte(100)), 95),
  /** `spend-trend` warns when today's spend reaches this many times the trailing 7-day daily average. @default 3 */
  spendSpikeFactor: z._default(z.number().check(z.gt(1), z.lte(1000)), 3),
  /** `spend-trend` stays quiet while today's spend is at most this many USD. @default 5 */
  spendSpikeMinUsd: z._default(z.number().check(z.gte(0), z.lte(1_000_000)), 5),
  /** Budgets per key, evaluated by `keys`: warn at 80 %, fail when over. @default [] */
  keyBudgets: z._default(
    z
      .array(
        keyBudget.check(
          z.refine(
            (b) => b.dailyUsd !== undefined || b.weeklyUsd !== undefined || b.monthlyUsd !== undefined,
            { error: 'must set dailyUsd, weeklyUsd or monthlyUsd' },
          ),
        ),
      )
      .check(z.maxLength(100)),
    [],
  ),
  /** Known issues: the check keeps its status but counts toward neither exit code, verdict nor alerts. @default [] */
  mute: z._default(z.array(mute).check(z.maxLength(50)), []),
};

/** The instant a mute ends, or null when `text` is not a date or a zoned ISO time. */
export function parseMuteUntil(text: string): Date | null {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text);
  if (!dateOnly && !zoned) return null;
  const date = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** One line per mute that ends more than MAX_MUTE_DAYS after `now`. */
export function muteProblems(mutes: readonly { readonly until: string }[], now: Date): string[] {
  const limit = now.getTime() + MAX_MUTE_DAYS * 86_400_000;
  return mutes.flatMap((m, i) => {
    const until = parseMuteUntil(m.until);
    return until !== null && until.getTime() > limit
      ? [`mute.${i}.until: must be at most ${MAX_MUTE_DAYS} days away (a long mute hides real outages)`]
      : [];
  });
}
