import { describe, expect, it } from 'vitest';
import { SCENARIO_SPECS } from '../../simulator/scenarios';
import { auditSimulator, checkOf, FIXED_NOW, useSimulator } from '../support/audit-harness';

/**
 * key-limit when the key has no limit of its own but a guardrail or workspace budget caps it
 * (issue 9): the effective cap, where it comes from and what is left, computed here from the
 * scenario's figures and the fixed clock rather than read back from the result.
 */
const sim = useSimulator();
const DAY_MS = 86_400_000;
const rate = SCENARIO_SPECS.healthy.apiKey.dailySpend;
const lifetime = SCENARIO_SPECS.healthy.apiKey.usage;
// FIXED_NOW is Wednesday 2026-11-25 12:00 UTC: 24.5 days into the month, 2.5 into the week.
const monthStart = Date.UTC(2026, 10, 1);
const weekStart = Date.UTC(2026, 10, 23);
const spentSince = (start: number) => Math.min(lifetime, (rate * (FIXED_NOW.getTime() - start)) / DAY_MS);

async function keyLimit(scenario: keyof typeof SCENARIO_SPECS) {
  sim.current.setScenario(scenario);
  return checkOf(await auditSimulator(sim.current), 'key-limit');
}

describe('key-limit with budgets over a key without its own limit', () => {
  it.each(['guardrail-budget', 'guardrail-budget-reported'] as const)(
    '%s: passes, naming the monthly guardrail on the key and what is left of it',
    async (scenario) => {
      const left = 50 - spentSince(monthStart);
      const check = await keyLimit(scenario);
      expect(check.status).toBe('pass');
      expect(check.summary).toMatch(
        new RegExp(
          `has no limit of its own but is capped by the guardrail budget \\(on the key\\) of \\$50\\.00 per month, \\$${left.toFixed(2)} left$`,
        ),
      );
      expect(check.values).toMatchObject({
        limitUsd: null,
        effectiveCapUsd: 50,
        effectiveCapRemainingUsd: left,
        effectiveCapSource: 'guardrail budget (on the key)',
        budgets: [
          { source: 'guardrail budget (on the key)', limitUsd: 50, remainingUsd: left, reset: 'monthly' },
        ],
      });
    },
  );

  it('workspace-budget: the tighter of the weekly default guardrail and the monthly workspace budget is named', async () => {
    const guardrailLeft = 40 - spentSince(weekStart);
    const check = await keyLimit('workspace-budget');
    expect(check.status).toBe('pass');
    expect(check.summary).toContain(
      `capped by the guardrail budget (the workspace's default) of $40.00 per week, $${guardrailLeft.toFixed(2)} left`,
    );
    expect(check.values).toMatchObject({
      effectiveCapUsd: 40,
      effectiveCapRemainingUsd: guardrailLeft,
      effectiveCapSource: "guardrail budget (the workspace's default)",
    });
    const budgets = check.values.budgets;
    expect(Array.isArray(budgets) ? budgets.length : 0).toBe(2);
    expect(budgets).toContainEqual(
      expect.objectContaining({ source: 'workspace budget', limitUsd: 300, reset: 'monthly' }),
    );
  });

  it('guardrail-budget-spent: a used-up guardrail fails, naming it, with a guardrail remedy', async () => {
    const spec = SCENARIO_SPECS['guardrail-budget-spent'];
    const left = 20 - spec.apiKey.usage;
    const check = await keyLimit('guardrail-budget-spent');
    expect(check.status).toBe('fail');
    expect(check.summary).toMatch(
      /^The guardrail budget \(on the key\) of \$20\.00 over API key \S+ is used up: requests fail with 403$/,
    );
    expect(check.remedy).toMatch(
      /^Raise the guardrail budget \(on the key\) \(openrouter\.ai\/settings\/guardrails/,
    );
    expect(check.values).toMatchObject({ effectiveCapUsd: 20, effectiveCapRemainingUsd: left });
  });

  it('no-key-limit: nothing caps the key, so it fails with an empty budget list', async () => {
    const check = await keyLimit('no-key-limit');
    expect(check.status).toBe('fail');
    expect(check.values).toMatchObject({ effectiveCapUsd: null, effectiveCapSource: null, budgets: [] });
  });
});
