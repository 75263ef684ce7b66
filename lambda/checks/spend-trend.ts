import type { Check, CheckOutcome } from '../engine/check';
import { describeError, remedyForError } from '../engine/describe-error';
import { RUNBOOK, seeRunbook } from '../engine/runbooks';
import type { ActivityRow } from '../openrouter/insight-types';
import type { KeyInfo } from '../openrouter/types';
import { round, usd } from './support';

/** The completed days the daily average is taken over. */
export const TREND_DAYS = 7;
/** Keys and models named as driving a spike. */
const MAX_DRIVERS = 3;

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

/** `YYYY-MM-DD` of the TREND_DAYS completed UTC days before `now`, most recent first. */
export function trailingDays(now: Date): string[] {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: TREND_DAYS }, (_, i) => isoDay(new Date(midnight - (i + 1) * 86_400_000)));
}

/** Usage per model over the given days, largest first. */
function modelsBySpend(
  rows: readonly ActivityRow[],
  days: ReadonlySet<string>,
): { model: string; usd: number }[] {
  const byModel = new Map<string, number>();
  for (const row of rows) {
    if (days.has(row.date)) byModel.set(row.model, (byModel.get(row.model) ?? 0) + row.usage);
  }
  return [...byModel.entries()]
    .map(([model, spent]) => ({ model, usd: spent }))
    .filter((m) => m.usd > 0)
    .sort((a, b) => b.usd - a.usd);
}

/**
 * `spend-trend` (management key): today's spend so far across every key (`usage_daily` of
 * `/keys`) against the daily average of the trailing 7 completed UTC days (`GET /activity`).
 * Warns at `spendSpikeFactor` × the average, fails at twice that, both only once today's spend is
 * above `spendSpikeMinUsd`; names the keys spending most today and the models they use.
 */
export const spendTrendCheck: Check = {
  id: 'spend-trend',
  title: "Today's spend is in line with the last 7 days",
  async run({ config, deps, shared, now, signal, deadlineAt }): Promise<CheckOutcome> {
    if (!deps.api.hasManagementKey) {
      return {
        status: 'skip',
        summary:
          "No management key: GET /activity and the account's keys need one (set OPENROUTER_MANAGEMENT_KEY)",
      };
    }
    const history = deps.api.getActivity({}, { signal, deadlineAt });
    // Observed here so that a /keys failure below does not leave it rejecting unhandled.
    history.catch(() => undefined);
    let keys: readonly KeyInfo[];
    try {
      keys = await shared.allKeys();
    } catch {
      // The keys check reports the failed list: one cause, one alert.
      return {
        status: 'skip',
        summary: "Today's spend is unknown: the account's key list could not be read (see the keys check)",
      };
    }
    let activity: readonly ActivityRow[];
    try {
      activity = await history;
    } catch (error) {
      return {
        status: 'error',
        summary: `Could not read the spend history (GET /activity): ${describeError(error)}`,
        remedy: remedyForError(error),
      };
    }
    const days = new Set(trailingDays(now));
    const spentInDays = activity.filter((row) => days.has(row.date)).reduce((sum, row) => sum + row.usage, 0);
    const dailyAverage = spentInDays / TREND_DAYS;
    const today = keys.reduce((sum, key) => sum + (key.usageDaily ?? 0), 0);
    const warnAt = config.spendSpikeFactor * dailyAverage;
    const failAt = 2 * warnAt;
    const topKeys = keys
      .filter((key) => (key.usageDaily ?? 0) > 0)
      .sort((a, b) => (b.usageDaily ?? 0) - (a.usageDaily ?? 0))
      .slice(0, MAX_DRIVERS);
    const values = {
      spendTodayUsd: round(today, 4),
      dailyAverageUsd: round(dailyAverage, 4),
      trailingDays: TREND_DAYS,
      spikeFactor: dailyAverage > 0 ? round(today / dailyAverage, 2) : null,
      warnAtUsd: round(warnAt, 4),
      failAtUsd: round(failAt, 4),
      spendSpikeMinUsd: config.spendSpikeMinUsd,
      topKeys: topKeys.map((key) => ({
        name: key.name,
        label: key.label,
        spendTodayUsd: round(key.usageDaily ?? 0, 4),
      })),
    };
    const headline = `${usd(today)} spent today (UTC) across all keys; the last ${TREND_DAYS} days averaged ${usd(dailyAverage)} a day`;
    const spiking = today > config.spendSpikeMinUsd && today >= warnAt;
    if (!spiking) return { status: 'pass', summary: headline, values };

    // The models are those the top key spent on over the same days: /activity has no today.
    const top = topKeys[0];
    let models: { model: string; usd: number }[] = [];
    let modelsNote = '';
    if (top !== undefined) {
      try {
        models = modelsBySpend(
          await deps.api.getActivity({ apiKeyHash: top.hash }, { signal, deadlineAt }),
          days,
        );
      } catch (error) {
        modelsNote = `; its models could not be read (${describeError(error)})`;
      }
    }
    const keyList = topKeys.map((key) => `${key.name || key.label} ${usd(key.usageDaily ?? 0)}`).join(', ');
    const modelList = models
      .slice(0, MAX_DRIVERS)
      .map((m) => m.model)
      .join(', ');
    const drivers =
      `; driven by ${keyList || 'no single key'}` +
      (modelList === '' ? modelsNote : `; ${top?.name || top?.label} mostly uses ${modelList}`);
    const remedy = `Find what is spending (openrouter.ai/activity): a loop, a leaked key or a new feature. Lower or disable the key if it is unexpected. ${seeRunbook(RUNBOOK.spendSpike)}`;
    const full = {
      ...values,
      topModels: models.slice(0, MAX_DRIVERS).map((m) => ({ model: m.model, spendUsd: round(m.usd, 4) })),
    };
    const times = dailyAverage > 0 ? `${round(today / dailyAverage, 1)}×` : 'far above';
    if (today >= failAt) {
      return {
        status: 'fail',
        summary: `Spend spike, ${times} the daily average: ${headline}${drivers}`,
        remedy,
        values: full,
      };
    }
    return {
      status: 'warn',
      summary: `Spend rising, ${times} the daily average: ${headline}${drivers}`,
      remedy,
      values: full,
    };
  },
};
