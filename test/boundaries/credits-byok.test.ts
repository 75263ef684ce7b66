/**
 * credits: BYOK spend drains a key's limit only when `include_byok_in_limit` is true
 * (openrouter-api-more.md §10); false or unset, BYOK traffic never exhausts the key cap.
 */
import { describe, expect, it } from 'vitest';
import { daysIntoUtcWeek, keyBody, NOW, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();

const DAYS_INTO_WEEK = daysIntoUtcWeek(NOW);
const CREDITS_WEEKLY = 25;
const BYOK_WEEKLY = 12.5;
const REMAINING = 70;

const keyWithByok = (include: boolean | null) =>
  keyBody({
    limit: 1000,
    limit_remaining: REMAINING,
    include_byok_in_limit: include,
    usage_daily: 0,
    usage_weekly: CREDITS_WEEKLY,
    byok_usage: BYOK_WEEKLY,
    byok_usage_daily: 0,
    byok_usage_weekly: BYOK_WEEKLY,
    byok_usage_monthly: BYOK_WEEKLY,
  });

describe('credits: BYOK spend and include_byok_in_limit', () => {
  it('with include_byok_in_limit true, BYOK spend adds to the daily rate the runway rests on', async () => {
    const daily = CREDITS_WEEKLY / DAYS_INTO_WEEK + BYOK_WEEKLY / DAYS_INTO_WEEK;
    expect(daily).toBe(15);
    const check = await runCheck('credits', {
      key: keyWithByok(true),
      withoutManagementKey: true,
      config: { minCreditsUsd: 0, minRunwayDays: 7 },
    });
    expect(check.status, check.summary).toBe('warn');
    expect(check.values).toMatchObject({
      dailySpendUsd: daily,
      runwayDays: Math.round((REMAINING / daily) * 10) / 10,
    });
  });

  it.each([false, null])('with include_byok_in_limit %s, BYOK spend does not count', async (include) => {
    const daily = CREDITS_WEEKLY / DAYS_INTO_WEEK;
    const check = await runCheck('credits', {
      key: keyWithByok(include),
      withoutManagementKey: true,
      config: { minCreditsUsd: 0, minRunwayDays: 7 },
    });
    expect(check.status, check.summary).toBe('pass');
    expect(check.values).toMatchObject({ dailySpendUsd: daily, runwayDays: REMAINING / daily });
  });
});
