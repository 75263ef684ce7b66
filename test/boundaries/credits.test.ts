import { describe, expect, it } from 'vitest';
import { DAY_MS, daysIntoUtcWeek, keyBody, listedKey, NOW, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();
const STEP = 2 ** -7;

/** Wednesday 12:00 UTC: 2.5 days into the week, so a week's usage of 25 is $10 a day. */
const DAYS_INTO_WEEK = daysIntoUtcWeek(NOW);
const WEEKLY = 25;
const DAILY_RATE = WEEKLY / DAYS_INTO_WEEK;

describe('credits: the minCreditsUsd threshold (key limit remaining, no spend)', () => {
  it.each([
    { remaining: 10 - STEP, expected: 'fail' },
    { remaining: 10, expected: 'pass' },
    { remaining: 10 + STEP, expected: 'pass' },
  ])('$remaining left against a $10 minimum → $expected', async ({ remaining, expected }) => {
    const check = await runCheck('credits', {
      key: keyBody({ limit: 100, limit_remaining: remaining }),
      withoutManagementKey: true,
      config: { minCreditsUsd: 10 },
    });
    expect(check.status, check.summary).toBe(expected);
    expect(check.values).toMatchObject({
      creditsRemainingUsd: Math.round(remaining * 1e4) / 1e4,
      dailySpendUsd: 0,
      runwayDays: null,
    });
    if (expected === 'fail') {
      expect(check.summary).toMatch(/^Credits low: .* under the \$10\.00 minimum$/);
      expect(check.remedy).toMatch(/^Raise the key's limit before requests start failing with 402/);
    }
  });
});

describe('credits: the minRunwayDays threshold and the daily spend it rests on', () => {
  it('the test clock is 2.5 days into the UTC week', () => {
    expect(DAYS_INTO_WEEK).toBe(2.5);
    expect(DAILY_RATE).toBe(10);
  });

  it.each([
    { remaining: 70 - 10 * STEP, expected: 'warn' },
    { remaining: 70, expected: 'pass' },
    { remaining: 70 + 10 * STEP, expected: 'pass' },
  ])('$remaining left at $10/day against 7 days → $expected', async ({ remaining, expected }) => {
    const check = await runCheck('credits', {
      key: keyBody({ limit: 1000, limit_remaining: remaining, usage_daily: 0, usage_weekly: WEEKLY }),
      withoutManagementKey: true,
      config: { minCreditsUsd: 0, minRunwayDays: 7 },
    });
    const runway = remaining / DAILY_RATE;
    expect(check.status, check.summary).toBe(expected);
    expect(check.values).toMatchObject({
      dailySpendUsd: DAILY_RATE,
      runwayDays: Math.round(runway * 10) / 10,
    });
    if (expected === 'warn') {
      expect(check.summary).toMatch(/^Credits run out soon: .* at \$10\.00\/day, under the 7-day minimum$/);
      expect(check.remedy).toMatch(/^Top up \(or raise the key limit\) within 6 days/);
    } else {
      expect(check.summary).toBe(
        `$${remaining.toFixed(2)} left (key limit remaining), about ${Math.round(runway * 10) / 10} days at $10.00/day`,
      );
    }
  });

  it("today's spend counts when it is above the week's daily average", async () => {
    const check = await runCheck('credits', {
      key: keyBody({ limit: 1000, limit_remaining: 60, usage_daily: 12, usage_weekly: WEEKLY }),
      withoutManagementKey: true,
      config: { minCreditsUsd: 0 },
    });
    expect(check.values).toMatchObject({ dailySpendUsd: 12, runwayDays: 5 });
    expect(check.status).toBe('warn');
  });

  it('early on Monday the week so far counts as one day, not a fraction of one', async () => {
    const monday = new Date(Date.UTC(2026, 10, 30, 6));
    expect(daysIntoUtcWeek(monday)).toBe(0.25);
    const check = await runCheck('credits', {
      key: keyBody({ limit: 1000, limit_remaining: 80, usage_daily: 4, usage_weekly: 4 }),
      withoutManagementKey: true,
      config: { minCreditsUsd: 0 },
      deps: { now: () => monday },
    });
    // 4 / max(1, 0.25) = 4 a day: 20 days; dividing by 0.25 would make 16 a day and 5 days.
    expect(check.values).toMatchObject({ dailySpendUsd: 4, runwayDays: 20 });
    expect(check.status).toBe('pass');
  });

  it('on Sunday evening the week divides by 6.75 days', async () => {
    const sunday = new Date(Date.UTC(2026, 10, 29, 18));
    expect(daysIntoUtcWeek(sunday)).toBe(6.75);
    const check = await runCheck('credits', {
      key: keyBody({ limit: 1000, limit_remaining: 27, usage_daily: 0, usage_weekly: 27 }),
      withoutManagementKey: true,
      config: { minCreditsUsd: 0 },
      deps: { now: () => sunday },
    });
    expect(check.values).toMatchObject({ dailySpendUsd: 4, runwayDays: 6.8 });
    expect(check.status).toBe('warn');
  });

  it('a runway of zero days is still a number (warn), and a spend of zero is no runway (pass)', async () => {
    const spending = await runCheck('credits', {
      key: keyBody({ limit: 100, limit_remaining: 0, usage_daily: 1 }),
      withoutManagementKey: true,
      config: { minCreditsUsd: 0 },
    });
    expect(spending).toMatchObject({ status: 'warn', values: { runwayDays: 0, dailySpendUsd: 1 } });
    expect(spending.remedy).toMatch(/within 0 days/);
    const idle = await runCheck('credits', {
      key: keyBody({ limit: 100, limit_remaining: 0, usage_daily: 0, usage_weekly: 0 }),
      withoutManagementKey: true,
      config: { minCreditsUsd: 0 },
    });
    expect(idle).toMatchObject({ status: 'pass', values: { runwayDays: null, dailySpendUsd: 0 } });
  });
});

describe('credits: a key limit that resets before it runs out has no runway', () => {
  // 12:00 UTC: a daily limit resets in exactly half a day; $10 a day spends $5 by then.
  it.each([
    { remaining: 5 - STEP, expected: 'warn' },
    { remaining: 5, expected: 'pass' },
    { remaining: 5 + STEP, expected: 'pass' },
  ])('$remaining left of a daily limit at $10/day → $expected', async ({ remaining, expected }) => {
    const check = await runCheck('credits', {
      key: keyBody({ limit: 20, limit_remaining: remaining, limit_reset: 'daily', usage_daily: 10 }),
      withoutManagementKey: true,
      config: { minCreditsUsd: 0 },
    });
    expect(check.status, check.summary).toBe(expected);
    expect(check.values.runwayDays).toBe(expected === 'warn' ? Math.round((remaining / 10) * 10) / 10 : null);
  });

  it('a weekly limit resets on Monday: 4.5 days from Wednesday noon', async () => {
    const resetsIn = 7 - DAYS_INTO_WEEK;
    expect(resetsIn).toBe(4.5);
    const at = (remaining: number) =>
      runCheck('credits', {
        key: keyBody({ limit: 100, limit_remaining: remaining, limit_reset: 'weekly', usage_daily: 10 }),
        withoutManagementKey: true,
        config: { minCreditsUsd: 0 },
      });
    expect((await at(45)).values.runwayDays).toBeNull();
    expect((await at(45 - 10 * STEP)).values.runwayDays).toBe(4.5);
  });

  it('a monthly limit resets on the 1st: 5.5 days from 25 November noon', async () => {
    const resetsIn = (Date.UTC(2026, 11, 1) - NOW.getTime()) / DAY_MS;
    expect(resetsIn).toBe(5.5);
    const at = (remaining: number) =>
      runCheck('credits', {
        key: keyBody({ limit: 100, limit_remaining: remaining, limit_reset: 'monthly', usage_daily: 10 }),
        withoutManagementKey: true,
        config: { minCreditsUsd: 0 },
      });
    expect((await at(55)).values.runwayDays).toBeNull();
    expect((await at(55 - 10 * STEP)).values.runwayDays).toBe(5.5);
  });
});

describe('credits with a management key: the account balance', () => {
  const noLimitKey = keyBody({ limit: null, limit_remaining: null, usage: 1 });

  it.each([
    { usage: 100 + STEP, expected: 'fail' },
    { usage: 100, expected: 'pass' },
    { usage: 100 - STEP, expected: 'pass' },
  ])(
    'total_credits 110 − total_usage $usage against a $10 minimum → $expected',
    async ({ usage, expected }) => {
      const check = await runCheck('credits', {
        key: noLimitKey,
        keys: [listedKey({ limit: null, limit_remaining: null })],
        credits: { total_credits: 110, total_usage: usage },
        config: { minCreditsUsd: 10 },
      });
      expect(check.status, check.summary).toBe(expected);
      expect(check.values).toMatchObject({ accountBalanceUsd: Math.round((110 - usage) * 1e4) / 1e4 });
      if (expected === 'fail') expect(check.remedy).toMatch(/^Buy credits or turn on auto top-up/);
    },
  );

  it("the account's daily spend sums every enabled key's, each at the higher of its two rates", async () => {
    const keys = [
      listedKey({ usage_daily: 0, usage_weekly: 5 }), // 2 a day over 2.5 days
      listedKey({ usage_daily: 3, usage_weekly: 5 }), // today's 3 beats 2 a day
      listedKey({ usage_daily: 50, usage_weekly: 50, disabled: true }), // not spending any more
    ];
    const expectedDaily = 5 / DAYS_INTO_WEEK + 3;
    const check = await runCheck('credits', {
      key: noLimitKey,
      keys,
      credits: { total_credits: 40, total_usage: 15 },
      config: { minCreditsUsd: 0, minRunwayDays: 5 },
    });
    expect(expectedDaily).toBe(5);
    expect(check.values).toMatchObject({ accountBalanceUsd: 25, dailySpendUsd: 5, runwayDays: 5 });
    expect(check.status).toBe('pass');
    expect(check.summary).toBe('$25.00 left (account balance), about 5 days at $5.00/day');
  });

  it('the lower of balance and key limit is the headline; the shorter runway is named', async () => {
    const check = await runCheck('credits', {
      key: keyBody({ limit: 100, limit_remaining: 30, usage_daily: 1, usage: 1 }),
      keys: [listedKey({ usage_daily: 10, usage_weekly: 0 })],
      credits: { total_credits: 60, total_usage: 0 },
      config: { minCreditsUsd: 0, minRunwayDays: 7 },
    });
    // balance 60 at 10/day = 6 days; key limit 30 at 1/day = 30 days.
    expect(check.values).toMatchObject({
      accountBalanceUsd: 60,
      keyLimitRemainingUsd: 30,
      creditsRemainingUsd: 30,
      dailySpendUsd: 10,
      runwayDays: 6,
    });
    expect(check.status).toBe('warn');
    expect(check.summary).toMatch(
      /^Credits run out soon: \$30\.00 left \(key limit remaining\), about 6 days of account balance at \$10\.00\/day/,
    );
  });
});
