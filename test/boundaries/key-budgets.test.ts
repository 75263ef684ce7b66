import { describe, expect, it } from 'vitest';
import { budgetMatches } from '../../lambda/checks/key-budgets';
import { listedKey, useBoundarySimulator } from './support';

/**
 * keyBudgets (evaluated by the keys check) at their thresholds: over is strictly above the budget,
 * near from 80 % of it; each period reads its own figure of `/keys`; disabled keys are left out.
 */
const runCheck = useBoundarySimulator();
/** 8 × 0.8 is exactly 6.4 in binary floating point; STEP is exact too. */
const BUDGET = 8;
const AT_WARN = 6.4;
const STEP = 2 ** -7;

const budgetOn = (period: 'dailyUsd' | 'weeklyUsd' | 'monthlyUsd', usd: number, match = 'batch-*') => ({
  keyBudgets: [{ match, [period]: usd }],
});

describe('keyBudgets: over and near a daily budget of 8 USD', () => {
  it.each([
    { spent: AT_WARN - STEP, expected: 'pass', level: null },
    { spent: AT_WARN, expected: 'warn', level: 'near' },
    { spent: BUDGET, expected: 'warn', level: 'near' },
    { spent: BUDGET + STEP, expected: 'fail', level: 'over' },
  ])('$spent USD today → $expected', async ({ spent, expected, level }) => {
    const check = await runCheck('keys', {
      keys: [listedKey({ name: 'batch-1', usage_daily: spent })],
      config: budgetOn('dailyUsd', BUDGET),
    });
    expect(check.status, check.summary).toBe(expected);
    expect(check.values).toMatchObject({
      keysOverBudget: level === 'over' ? 1 : 0,
      keysNearBudget: level === 'near' ? 1 : 0,
      budgetFindings:
        level === null
          ? []
          : [
              {
                key: 'batch-1',
                match: 'batch-*',
                period: 'daily',
                spentUsd: Math.round(spent * 1e4) / 1e4,
                budgetUsd: BUDGET,
                usedPercent: Math.round((spent / BUDGET) * 1000) / 10,
                level,
              },
            ],
    });
    if (level === 'near') {
      expect(check.summary).toBe(
        `batch-1 at ${Math.round((spent / BUDGET) * 100)}% of its daily budget ($${spent.toFixed(2)} of $8.00)`,
      );
    }
  });
});

describe('keyBudgets: each period reads its own spend figure', () => {
  const spend = { usage_daily: 1, usage_weekly: 2, usage_monthly: 4 };
  it.each([
    { period: 'dailyUsd', figure: 1 },
    { period: 'weeklyUsd', figure: 2 },
    { period: 'monthlyUsd', figure: 4 },
  ] as const)('$period is held against usage of that period ($figure)', async ({ period, figure }) => {
    // Just under the figure: over; at the figure: near (100 %), never over.
    const over = await runCheck('keys', {
      keys: [listedKey({ name: 'batch-1', ...spend })],
      config: budgetOn(period, figure - STEP),
    });
    expect(over.status, over.summary).toBe('fail');
    expect(over.values).toMatchObject({ budgetFindings: [{ spentUsd: figure, level: 'over' }] });
    const at = await runCheck('keys', {
      keys: [listedKey({ name: 'batch-1', ...spend })],
      config: budgetOn(period, figure),
    });
    expect(at.status, at.summary).toBe('warn');
    expect(at.values).toMatchObject({ budgetFindings: [{ spentUsd: figure, level: 'near' }] });
  });
});

describe('keyBudgets: which keys count', () => {
  it('a disabled key is not held to a budget', async () => {
    const check = await runCheck('keys', {
      keys: [listedKey({ name: 'batch-1', disabled: true, usage_daily: 100 })],
      config: budgetOn('dailyUsd', BUDGET),
    });
    expect(check.values).toMatchObject({ keysOverBudget: 0, keysNearBudget: 0, budgetFindings: [] });
    expect(check.summary).not.toMatch(/budget/);
  });

  it('a key over two budgets is one key over budget, with a finding for each', async () => {
    const check = await runCheck('keys', {
      keys: [
        listedKey({ name: 'batch-1', usage_daily: 9, usage_weekly: 20 }),
        listedKey({ name: 'other', usage_daily: 9 }),
      ],
      config: { keyBudgets: [{ match: 'batch-*', dailyUsd: BUDGET, weeklyUsd: 16 }] },
    });
    expect(check.status).toBe('fail');
    expect(check.values).toMatchObject({
      keysOverBudget: 1,
      budgetFindings: [
        { key: 'batch-1', period: 'daily', level: 'over' },
        { key: 'batch-1', period: 'weekly', level: 'over' },
      ],
    });
    expect(check.summary).toBe(
      'batch-1 over its daily budget ($9.00 of $8.00); batch-1 over its weekly budget ($20.00 of $16.00)',
    );
  });
});

describe('keyBudgets: matching a key', () => {
  const key = { name: 'batch-7-prod', label: 'sk-or-v1-abc...def', hash: `0f1e2d3c${'ab'.repeat(28)}` };
  it.each([
    { pattern: 'batch-*-prod', matches: true },
    { pattern: 'batch-*', matches: true },
    { pattern: '*-prod', matches: true },
    { pattern: 'batch-7-prod', matches: true },
    // The glob is the whole name: neither end may run on.
    { pattern: 'batch-*-pro', matches: false },
    { pattern: 'atch-*', matches: false },
    { pattern: 'x-batch-*', matches: false },
    // A dot is a dot, not any character.
    { pattern: 'batch.7-prod', matches: false },
    { pattern: 'sk-or-v1-abc...def', matches: true },
    // A hash prefix matches in either case, from the start only.
    { pattern: '0F1E2D3C', matches: true },
    { pattern: '0f1e2d3cab', matches: true },
    { pattern: '1e2d3cab', matches: false },
    { pattern: 'abababab', matches: false },
  ])('$pattern → $matches', ({ pattern, matches }) => {
    expect(budgetMatches(pattern, key)).toBe(matches);
  });
});
