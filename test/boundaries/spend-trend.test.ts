import { afterEach, describe, expect, it } from 'vitest';
import { auditSimulator, checkOf, useSimulator } from '../support/audit-harness';
import { DAY_MS, listedKey, NOW } from './support';

/**
 * spend-trend at its thresholds: `/activity` and `/keys` are injected verbatim, so the 7-day
 * average, today's spend and the warn and fail lines are computed here from the chosen figures.
 */
const sim = useSimulator();
afterEach(() => sim.current.clearFaults());
/** A step that is exact in binary floating point. */
const STEP = 2 ** -7;

const isoDay = (offsetDays: number) =>
  new Date(NOW.getTime() + offsetDays * DAY_MS).toISOString().slice(0, 10);
/** The 7 completed UTC days before NOW, computed here: yesterday back to a week ago. */
const COMPLETED_DAYS = [1, 2, 3, 4, 5, 6, 7].map((back) => isoDay(-back));

/**
 * 7 USD over the 7 completed days (an average of exactly 1 a day, split over two models), plus
 * rows of today and of the 8th day back, which the average must leave out.
 */
const ACTIVITY = [
  ...COMPLETED_DAYS.flatMap((date) => [
    { date, model: 'openai/gpt-4o-mini', usage: 0.75, requests: 3 },
    { date, model: 'anthropic/claude-3.5-haiku', usage: 0.25, requests: 1 },
  ]),
  { date: isoDay(0), model: 'x/today-only', usage: 500, requests: 9 },
  { date: isoDay(-8), model: 'x/eight-days-ago', usage: 500, requests: 9 },
];
const AVERAGE = 7 / 7;

async function spendTrend(todayByKey: readonly number[], config: Record<string, unknown> = {}) {
  sim.current.setScenario('healthy');
  sim.current.injectFault('activity', { kind: 'json', body: { data: ACTIVITY } });
  sim.current.injectFault('keys', {
    kind: 'json',
    body: { data: todayByKey.map((usage, i) => listedKey({ name: `key-${i}`, usage_daily: usage })) },
  });
  return checkOf(await auditSimulator(sim.current, { config: { probe: false, ...config } }), 'spend-trend');
}

describe('spend-trend against the 7-day average (spendSpikeFactor 3)', () => {
  const warnAt = 3 * AVERAGE;
  const failAt = 2 * warnAt;
  it.each([
    { today: warnAt - STEP, expected: 'pass' },
    { today: warnAt, expected: 'warn' },
    { today: failAt - STEP, expected: 'warn' },
    { today: failAt, expected: 'fail' },
  ])('$today USD today → $expected', async ({ today, expected }) => {
    const check = await spendTrend([today], { spendSpikeMinUsd: 1 });
    expect(check.status, check.summary).toBe(expected);
    expect(check.values).toMatchObject({
      spendTodayUsd: Math.round(today * 1e4) / 1e4,
      dailyAverageUsd: AVERAGE,
      trailingDays: 7,
      warnAtUsd: warnAt,
      failAtUsd: failAt,
      spikeFactor: Math.round((today / AVERAGE) * 100) / 100,
    });
  });

  it('a lower spendSpikeFactor moves both lines', async () => {
    const check = await spendTrend([2], { spendSpikeFactor: 2, spendSpikeMinUsd: 1 });
    expect(check).toMatchObject({ status: 'warn', values: { warnAtUsd: 2, failAtUsd: 4 } });
  });
});

describe('spend-trend under spendSpikeMinUsd', () => {
  it.each([
    { minUsd: 10, expected: 'pass' },
    { minUsd: 10 - STEP, expected: 'fail' },
  ])(
    '10 USD today (10× the average) with spendSpikeMinUsd $minUsd → $expected',
    async ({ minUsd, expected }) => {
      const check = await spendTrend([10], { spendSpikeMinUsd: minUsd });
      expect(check.status, check.summary).toBe(expected);
    },
  );
});

describe('spend-trend: the drivers of a spike', () => {
  it('sums every key, names the top keys by today spend and the models of the completed days', async () => {
    const check = await spendTrend([1, 4, 0, 2, 0.5], { spendSpikeMinUsd: 1 });
    expect(check.status).toBe('fail');
    expect(check.values).toMatchObject({
      spendTodayUsd: 7.5,
      topKeys: [
        { name: 'key-1', spendTodayUsd: 4 },
        { name: 'key-3', spendTodayUsd: 2 },
        { name: 'key-0', spendTodayUsd: 1 },
      ],
      topModels: [
        { model: 'openai/gpt-4o-mini', spendUsd: 0.75 * 7 },
        { model: 'anthropic/claude-3.5-haiku', spendUsd: 0.25 * 7 },
      ],
    });
    expect(check.summary).toBe(
      'Spend spike, 7.5× the daily average: $7.50 spent today (UTC) across all keys; the last 7 days averaged $1.00 a day' +
        '; driven by key-1 $4.00, key-3 $2.00, key-0 $1.00; key-1 mostly uses openai/gpt-4o-mini, anthropic/claude-3.5-haiku',
    );
  });
});
