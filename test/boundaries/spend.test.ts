import { describe, expect, it } from 'vitest';
import { keyBody, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();
/** 0.5 / 0.625 is exactly 0.8 in binary floating point, the warn ratio; STEP is exact too. */
const BUDGET = 0.625;
const AT_WARN = 0.5;
const STEP = 2 ** -10;

describe('spend at its boundaries', () => {
  it.each([
    { spent: AT_WARN - STEP, expected: 'pass' },
    { spent: AT_WARN, expected: 'pass' },
    { spent: AT_WARN + STEP, expected: 'warn' },
    { spent: BUDGET - STEP, expected: 'warn' },
    { spent: BUDGET, expected: 'warn' },
    { spent: BUDGET + STEP, expected: 'fail' },
  ])('$spent of a $0.625 budget → $expected', async ({ spent, expected }) => {
    const check = await runCheck('spend', {
      key: keyBody({ usage_daily: spent }),
      config: { dailyBudgetUsd: BUDGET },
    });
    expect(check.status, check.summary).toBe(expected);
    expect(check.values).toMatchObject({
      spendTodayUsd: Math.round(spent * 1e4) / 1e4,
      dailyBudgetUsd: BUDGET,
      budgetUsedPercent: Math.round((spent / BUDGET) * 1000) / 10,
    });
    const prefix = { pass: '', warn: 'Near budget: ', fail: 'Over budget: ' }[expected];
    expect(check.summary.startsWith(`${prefix}$`)).toBe(true);
    if (expected === 'pass') expect(check.remedy).toBeUndefined();
    else expect(check.remedy).toMatch(/openrouter\.ai\/activity/);
  });

  it('states the figures: exactly 80% of the budget', async () => {
    const check = await runCheck('spend', {
      key: keyBody({ usage_daily: AT_WARN }),
      config: { dailyBudgetUsd: BUDGET },
    });
    expect(check.summary).toBe('$0.50 spent today (UTC) of the $0.63 daily budget (80%)');
    expect(check.values).toMatchObject({ budgetUsedPercent: 80 });
  });

  // usage_daily is a required number of GET /key: without it the day's spend is unknown, never 0.
  it('a key with no usage_daily figure is unreadable (error), not a key that spent nothing', async () => {
    const check = await runCheck('spend', {
      key: keyBody({ usage_daily: null }),
      config: { dailyBudgetUsd: 1 },
    });
    expect(check.status).toBe('error');
    expect(check.summary).toContain('usage_daily');
    expect(check.values).toMatchObject({ unreadableFields: expect.arrayContaining(['usage_daily']) });
  });

  it('skips without a budget', async () => {
    const check = await runCheck('spend', { key: keyBody({ usage_daily: 1000 }) });
    expect(check).toMatchObject({ status: 'skip', summary: 'No daily budget set (dailyBudgetUsd)' });
  });
});
