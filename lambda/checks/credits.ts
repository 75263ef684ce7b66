import type { Check, CheckContext, CheckOutcome } from '../engine/check';
import { describeError, remedyForError } from '../engine/describe-error';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import type { CurrentKey, KeyInfo } from '../openrouter/types';
import { layersOver } from './derived-budgets';
import { daysBetween, round, unreadableFields, usd } from './support';

/** The `/key` fields this check reads. */
const KEY_FIELDS = [
  'limit',
  'limit_remaining',
  'limit_reset',
  'include_byok_in_limit',
  'usage',
  'usage_daily',
  'usage_weekly',
  'byok_usage_daily',
  'byok_usage_weekly',
  'budgets',
  'effective_budget',
];

/**
 * `credits`: money left, from the account balance (`/credits`, management key) and the key's
 * `limit_remaining`, whichever is lower, and how many days it lasts at the recent spend.
 */
export const creditsCheck: Check = {
  id: 'credits',
  title: 'Credits left and runway',
  async run(context): Promise<CheckOutcome> {
    const { config, now } = context;
    const keyAnswer = settle(context.shared.currentKey());
    // The budget layers need only /key: asked for as soon as it answers (the same memoised requests
    // as below), they run beside /credits and the key inventory instead of after them.
    void keyAnswer.then((key) => {
      if (key.ok && unreadableFields(key.value.problems, KEY_FIELDS) === null) {
        layersOver(context, key.value).catch(() => undefined);
      }
    });
    const [key, account] = await Promise.all([keyAnswer, accountFigures(context)]);
    const notes: string[] = [];
    if (account.note) notes.push(account.note);
    if (key.ok) {
      const unreadable = unreadableFields(key.value.problems, KEY_FIELDS);
      if (unreadable !== null) return unreadable;
    }
    const keySpend = key.ok ? keyDailySpend(key.value, now) : 0;

    const figures: Figure[] = [];
    if (account.balance !== null) {
      figures.push({
        name: 'account balance',
        remaining: account.balance,
        dailySpend: account.dailySpend,
        resetsInDays: null,
      });
    }
    if (key.ok && key.value.limit !== null && key.value.limitRemaining !== null) {
      figures.push({
        name: 'key limit remaining',
        remaining: key.value.limitRemaining,
        dailySpend: keySpend,
        resetsInDays: daysUntilReset(key.value.limitReset, now),
      });
    }
    // Guardrail and workspace budgets over the key: the runway is the tightest remaining one.
    if (key.ok) {
      const over = await layersOver(context, key.value);
      for (const layer of over.layers) {
        if (layer.remainingUsd === null) continue;
        figures.push({
          name: `${layer.source} remaining`,
          remaining: layer.remainingUsd,
          // A workspace budget drains at the workspace's pace; the account's is the closest figure read.
          dailySpend: layer.source === 'workspace budget' ? Math.max(account.dailySpend, keySpend) : keySpend,
          resetsInDays: daysUntilReset(layer.reset, now),
        });
      }
    }
    const values = {
      accountBalanceUsd: account.balance === null ? null : round(account.balance, 4),
      keyLimitRemainingUsd: key.ok ? key.value.limitRemaining : null,
      creditsRemainingUsd: null as number | null,
      dailySpendUsd: null as number | null,
      runwayDays: null as number | null,
    };
    // With a management key the account balance is the figure that matters (a key with money left
    // under its limit still gets 402 from an empty account): not reading it is "could not decide",
    // never a pass on the key's limit alone.
    if (account.failure !== undefined) {
      const keyFigure =
        key.ok && key.value.limitRemaining !== null
          ? `; the key limit has ${usd(key.value.limitRemaining)} left`
          : '';
      return {
        status: 'error',
        summary: `Could not read the account balance: ${describeError(account.failure.error)}${keyFigure}`,
        remedy: remedyForError(account.failure.error),
        values,
      };
    }
    if (figures.length === 0) {
      const why = [
        context.deps.api.hasManagementKey
          ? 'the account balance could not be read'
          : 'no management key for /credits',
        key.ok ? 'the key has no limit' : 'GET /key failed',
      ];
      return {
        status: 'skip',
        summary: `No credit figure available: ${why.join(' and ')}${suffix(notes)}`,
        values,
      };
    }

    const lowest = figures.reduce((a, b) => (b.remaining < a.remaining ? b : a));
    const runway = figures
      .map((f) => ({ figure: f, days: runwayDays(f) }))
      .filter((r): r is { figure: Figure; days: number } => r.days !== null)
      .reduce<{ figure: Figure; days: number } | null>(
        (a, b) => (a === null || b.days < a.days ? b : a),
        null,
      );
    values.creditsRemainingUsd = round(lowest.remaining, 4);
    values.dailySpendUsd = runway ? round(runway.figure.dailySpend, 4) : round(lowest.dailySpend, 4);
    values.runwayDays = runway ? round(runway.days, 1) : null;

    const runwayOf = runway && runway.figure !== lowest ? ` of ${runway.figure.name}` : '';
    const runwayText = runway
      ? `, about ${round(runway.days, 1)} days${runwayOf} at ${usd(runway.figure.dailySpend)}/day`
      : '';
    const headline = `${usd(lowest.remaining)} left (${lowest.name})${runwayText}`;
    if (lowest.remaining < config.minCreditsUsd) {
      return {
        status: 'fail',
        summary: `Credits low: ${headline}, under the ${usd(config.minCreditsUsd)} minimum${suffix(notes)}`,
        remedy: `${lowest.name === 'account balance' ? 'Buy credits or turn on auto top-up' : lowest.name === 'key limit remaining' ? "Raise the key's limit" : `Raise the ${lowest.name.replace(/ remaining$/, '')}`} before requests start failing with 402 or 403. ${seeRunbook(RUNBOOK.credits)}`,
        values,
      };
    }
    if (runway && runway.days < config.minRunwayDays) {
      return {
        status: 'warn',
        summary: `Credits run out soon: ${headline}, under the ${config.minRunwayDays}-day minimum${suffix(notes)}`,
        remedy: `Top up (or raise the key limit) within ${Math.max(0, Math.floor(runway.days))} days, or turn on auto top-up. ${seeRunbook(RUNBOOK.credits)}`,
        values,
      };
    }
    return { status: 'pass', summary: `${headline}${suffix(notes)}`, values };
  },
};

interface Figure {
  /** `account balance`, `key limit remaining`, or `<budget source> remaining`. */
  readonly name: string;
  readonly remaining: number;
  readonly dailySpend: number;
  /** Days until a key limit resets (null: never); spending past the reset does not drain this figure. */
  readonly resetsInDays: number | null;
}

function runwayDays(figure: Figure): number | null {
  if (figure.dailySpend <= 0) return null;
  const days = Math.max(0, figure.remaining) / figure.dailySpend;
  return figure.resetsInDays !== null && days >= figure.resetsInDays ? null : days;
}

const suffix = (notes: readonly string[]): string => (notes.length > 0 ? ` (${notes.join('; ')})` : '');

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(promise: Promise<T>): Promise<Settled<T>> =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/**
 * Recent daily spend: the higher of today's spend and this week's daily average, so that a
 * quiet morning does not hide a busy week, nor a quiet week a spike today.
 */
function dailySpendOf(usage: Pick<CurrentKey | KeyInfo, 'usageDaily' | 'usageWeekly'>, now: Date): number {
  const daysIntoWeek = Math.max(1, daysBetween(startOfUtcWeek(now), now));
  return Math.max(usage.usageDaily ?? 0, (usage.usageWeekly ?? 0) / daysIntoWeek);
}

/**
 * The key's daily spend against its limit: BYOK spend counts too when `include_byok_in_limit` is
 * true (openrouter-api-more.md §10), otherwise BYOK traffic never drains the cap.
 */
function keyDailySpend(key: CurrentKey, now: Date): number {
  const credits = dailySpendOf(key, now);
  if (key.includeByokInLimit !== true) return credits;
  return credits + dailySpendOf({ usageDaily: key.byokUsageDaily, usageWeekly: key.byokUsageWeekly }, now);
}

function startOfUtcWeek(now: Date): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const daysSinceMonday = (now.getUTCDay() + 6) % 7;
  return new Date(midnight - daysSinceMonday * 86_400_000);
}

function daysUntilReset(reset: string | null, now: Date): number | null {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  switch (reset) {
    case 'daily':
      return daysBetween(now, new Date(Date.UTC(y, m, d + 1)));
    case 'weekly':
      return daysBetween(now, new Date(startOfUtcWeek(now).getTime() + 7 * 86_400_000));
    case 'monthly':
      return daysBetween(now, new Date(Date.UTC(y, m + 1, 1)));
    default:
      return null;
  }
}

interface AccountFigures {
  readonly balance: number | null;
  readonly dailySpend: number;
  readonly note?: string;
  /** Set when `/credits` could not be read although a management key is configured. */
  readonly failure?: { readonly error: unknown };
}

async function accountFigures({ deps, shared, now }: CheckContext): Promise<AccountFigures> {
  if (!deps.api.hasManagementKey) return { balance: null, dailySpend: 0 };
  const [credits, keys, key] = await Promise.all([
    settle(shared.credits()),
    settle(shared.allKeys()),
    settle(shared.currentKey()),
  ]);
  if (!credits.ok) return { balance: null, dailySpend: 0, failure: { error: credits.error } };
  const { totalCredits, totalUsage } = credits.value;
  // A regular key sent to /credits has been seen to get 200 with zeros instead of 403: zeros
  // next to real usage are not an empty account.
  if (totalCredits === 0 && totalUsage === 0 && key.ok && (key.value.usage ?? 0) > 0) {
    return { balance: null, dailySpend: 0, note: 'ignored /credits: it reported zeros next to real usage' };
  }
  const dailySpend = keys.ok
    ? keys.value.filter((k) => !k.disabled).reduce((sum, k) => sum + dailySpendOf(k, now), 0)
    : key.ok
      ? dailySpendOf(key.value, now)
      : 0;
  return { balance: totalCredits - totalUsage, dailySpend };
}
