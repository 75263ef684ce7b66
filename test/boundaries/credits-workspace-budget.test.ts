/**
 * credits over a workspace budget: the budget is shared by every key of the workspace, so it drains
 * at the workspace's pace (the account's daily spend is the closest figure read), not at the API
 * key's own. The scenario supplies the workspace, its 300 USD monthly budget and its 40 USD weekly
 * default guardrail; the keys and figures are injected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { WORKSPACE_ID } from '../../simulator/account';
import { DAY_MS, daysIntoUtcWeek, keyBody, listedKey, NOW, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();
afterEach(() => runCheck.sim.current.setScenario('healthy'));

const WEEK_DAYS = daysIntoUtcWeek(NOW);
/** The API key: $1 a day, this week and this month. */
const OWN = { usage: 10, usage_daily: 1, usage_weekly: WEEK_DAYS, usage_monthly: 10 };
/** Another key of the same workspace: $20 a day. */
const OTHER = { usage: 200, usage_daily: 20, usage_weekly: 20 * WEEK_DAYS, usage_monthly: 200 };

describe('credits: a workspace budget drains at the whole workspace’s pace', () => {
  it('the runway of the workspace budget uses the account daily spend, not the key’s', async () => {
    runCheck.sim.current.setScenario('workspace-budget');
    const check = await runCheck('credits', {
      key: keyBody({ limit: null, limit_remaining: null, workspace_id: WORKSPACE_ID, ...OWN }),
      keys: [
        listedKey({ limit: null, limit_remaining: null, workspace_id: WORKSPACE_ID, ...OWN }),
        listedKey({
          label: 'sk-or-v1-zzz...zzz',
          limit: null,
          limit_remaining: null,
          workspace_id: WORKSPACE_ID,
          ...OTHER,
        }),
      ],
      credits: { total_credits: 10_000, total_usage: 0 },
      config: { minCreditsUsd: 0, minRunwayDays: 7 },
    });
    const workspaceDaily = OWN.usage_daily + OTHER.usage_daily;
    const budgetLeft = 300 - OWN.usage_monthly - OTHER.usage_monthly;
    const runway = budgetLeft / workspaceDaily;
    // The monthly budget resets on 1 December, 5.5 days away: later than the runway, so it counts.
    expect((Date.UTC(2026, 11, 1) - NOW.getTime()) / DAY_MS).toBeGreaterThan(runway);
    expect(check.status, check.summary).toBe('warn');
    // The weekly guardrail has less left, but resets on Monday before the key alone could spend it.
    const guardrailLeft = 40 - OWN.usage_weekly;
    expect(guardrailLeft / OWN.usage_daily).toBeGreaterThan(7 - WEEK_DAYS);
    expect(check.values).toMatchObject({
      creditsRemainingUsd: guardrailLeft,
      dailySpendUsd: workspaceDaily,
      runwayDays: Math.round(runway * 10) / 10,
    });
    expect(check.summary).toContain(
      `about ${Math.round(runway * 10) / 10} days of workspace budget remaining at $${workspaceDaily.toFixed(2)}/day`,
    );
  });
});
