import { describe, expect, it } from 'vitest';
import { keyBody, useBoundarySimulator } from './support';

/**
 * spend and BYOK: BYOK spend is billed by the provider, not in credits (openrouter-api-more.md §10),
 * so it is shown apart and never added to the figure held against dailyBudgetUsd.
 */
const runCheck = useBoundarySimulator();
const BUDGET = 0.625;

describe('spend with BYOK spend today', () => {
  it('shows BYOK apart and judges the credits spend alone', async () => {
    const spent = 0.25;
    const byok = 0.5;
    const check = await runCheck('spend', {
      key: keyBody({ usage_daily: spent, byok_usage_daily: byok, include_byok_in_limit: true }),
      config: { dailyBudgetUsd: BUDGET },
    });
    const percent = (spent / BUDGET) * 100;
    expect(check).toMatchObject({
      status: 'pass',
      summary: `$0.25 spent today (UTC) of the $0.63 daily budget (${Math.round(percent)}%); plus $0.50 BYOK (billed by the provider)`,
      values: {
        spendTodayUsd: spent,
        byokSpendTodayUsd: byok,
        budgetUsedPercent: Math.round(percent * 10) / 10,
      },
    });
  });

  it('BYOK spend over the budget does not make the day over budget', async () => {
    const check = await runCheck('spend', {
      key: keyBody({ usage_daily: 0, byok_usage_daily: 10 }),
      config: { dailyBudgetUsd: BUDGET },
    });
    expect(check).toMatchObject({ status: 'pass', values: { spendTodayUsd: 0, budgetUsedPercent: 0 } });
  });

  it('rounds the figures to the nearest, not down', async () => {
    // 0.50078125 USD is 0.5008 to 4 decimals (not 0.5007), and 80.125 % of the budget (80.1).
    const spent = 0.5 + 2 ** -7 / 10;
    const check = await runCheck('spend', {
      key: keyBody({ usage_daily: spent }),
      config: { dailyBudgetUsd: BUDGET },
    });
    expect(check.status).toBe('warn');
    expect(check.values).toMatchObject({
      spendTodayUsd: Math.round(spent * 1e4) / 1e4,
      budgetUsedPercent: Math.round((spent / BUDGET) * 1000) / 10,
    });
  });
});
