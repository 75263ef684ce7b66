import { describe, expect, it } from 'vitest';
import { budgetMatches } from '../../lambda/checks/key-budgets';
import { trailingDays } from '../../lambda/checks/spend-trend';
import { auditSimulator, checkOf, FIXED_NOW, useSimulator } from '../support/audit-harness';

const sim = useSimulator();

describe('providers (GET /models/{id}/endpoints over real HTTP)', () => {
  it('passes a healthy model with its endpoints, providers up, best uptime and p50 latency', async () => {
    sim.current.setScenario('healthy');
    const check = checkOf(await auditSimulator(sim.current), 'providers');
    expect(check.status).toBe('pass');
    expect(check.values).toMatchObject({
      endpoints: 2,
      providersUp: 2,
      bestUptimePercent: 99.9,
      p50LatencyMs: 380,
    });
  });

  it('fails when every endpoint of the model is down', async () => {
    sim.current.setScenario('endpoints-down');
    const check = checkOf(await auditSimulator(sim.current), 'providers');
    expect(check.status).toBe('fail');
    expect(check.summary).toContain('openai/gpt-4o-mini: every endpoint is down (0 of 2 up)');
    expect(check.remedy).toMatch(/docs\/runbooks\.md#provider-health/);
    expect(check.values).toMatchObject({ endpoints: 2, providersUp: 0, bestUptimePercent: null });
  });

  it('warns when a single provider serves the primary model', async () => {
    sim.current.setScenario('single-provider');
    const check = checkOf(await auditSimulator(sim.current), 'providers');
    expect(check.status).toBe('warn');
    expect(check.summary).toMatch(/single provider/);
    expect(check.values).toMatchObject({ endpoints: 1, providersUp: 1 });
  });

  it('warns when the best 30-minute uptime is under minUptimePercent, and passes under a lower threshold', async () => {
    sim.current.setScenario('low-uptime');
    const check = checkOf(await auditSimulator(sim.current), 'providers');
    expect(check.status).toBe('warn');
    expect(check.values).toMatchObject({ bestUptimePercent: 88.4, minUptimePercent: 95 });
    const relaxed = checkOf(
      await auditSimulator(sim.current, { config: { minUptimePercent: 80 } }),
      'providers',
    );
    expect(relaxed.status).toBe('pass');
  });

  it('looks a ~ alias up through its alias_target', async () => {
    sim.current.setScenario('healthy');
    const check = checkOf(
      await auditSimulator(sim.current, { config: { models: ['~openai/gpt-mini-latest'], probe: false } }),
      'providers',
    );
    expect(check.status).toBe('pass');
    expect(check.values.models).toEqual([
      expect.objectContaining({
        model: '~openai/gpt-mini-latest',
        resolvedModel: 'openai/gpt-4o-mini',
        providersUp: 2,
      }),
    ]);
  });

  it('does not warn for a fallback served by one provider, only for the primary', async () => {
    sim.current.setScenario('healthy');
    const check = checkOf(
      await auditSimulator(sim.current, {
        config: { models: ['openai/gpt-4o-mini', 'openai/o1'], probe: false },
      }),
      'providers',
    );
    expect(check.status).toBe('pass');
  });

  it('leaves a model missing from /models to the models check (skip, one cause one alert)', async () => {
    sim.current.setScenario('model-missing');
    const result = await auditSimulator(sim.current);
    expect(checkOf(result, 'models').status).toBe('fail');
    expect(checkOf(result, 'providers')).toMatchObject({ status: 'skip' });
    expect(checkOf(result, 'providers').summary).toMatch(/not listed \(see the models check\)/);
  });

  it('reports an uptime outside 0-100 as unreadable, naming the field, never as a fact', async () => {
    sim.current.setScenario('healthy');
    sim.current.injectFault('endpoints', {
      kind: 'json',
      body: {
        data: { id: 'openai/gpt-4o-mini', endpoints: [{ provider_name: 'OpenAI', uptime_last_30m: 150 }] },
      },
    });
    try {
      const check = checkOf(await auditSimulator(sim.current), 'providers');
      expect(check.status).toBe('error');
      expect(check.summary).toMatch(/uptime_last_30m/);
    } finally {
      sim.current.clearFaults();
    }
  });
});

describe('spend-trend (GET /activity over real HTTP)', () => {
  it('passes the healthy account with the trailing 7-day average from /activity', async () => {
    sim.current.setScenario('healthy');
    const check = checkOf(await auditSimulator(sim.current), 'spend-trend');
    expect(check.status).toBe('pass');
    expect(check.values.dailyAverageUsd).toBeCloseTo(3.58, 1);
  });

  it('fails a spike at twice the factor, naming the keys and models driving it', async () => {
    sim.current.setScenario('spend-spike');
    const check = checkOf(await auditSimulator(sim.current), 'spend-trend');
    expect(check.status).toBe('fail');
    expect(check.summary).toMatch(/driven by ci-pipeline-1 \$30\.\d\d/);
    expect(check.summary).toMatch(/ci-pipeline-1 mostly uses [a-z]/);
    expect(check.remedy).toMatch(/docs\/runbooks\.md#spend-spike/);
    expect(check.values.topModels).toEqual([expect.objectContaining({ model: expect.any(String) })]);
  });

  it('warns between the factor and twice the factor, and stays quiet under spendSpikeMinUsd', async () => {
    sim.current.setScenario('spend-spike');
    const warned = checkOf(
      await auditSimulator(sim.current, { config: { spendSpikeFactor: 5 } }),
      'spend-trend',
    );
    expect(warned.status).toBe('warn');
    const quiet = checkOf(
      await auditSimulator(sim.current, { config: { spendSpikeMinUsd: 100 } }),
      'spend-trend',
    );
    expect(quiet.status).toBe('pass');
  });

  it('skips without a management key, saying why', async () => {
    sim.current.setScenario('spend-spike');
    const check = checkOf(await auditSimulator(sim.current, { withoutManagementKey: true }), 'spend-trend');
    expect(check.status).toBe('skip');
    expect(check.summary).toMatch(/management key/i);
  });

  it('reports a failed /activity as an error, and a negative usage as unreadable', async () => {
    sim.current.setScenario('healthy');
    sim.current.injectFault('activity', { kind: 'status', status: 500 });
    try {
      expect(checkOf(await auditSimulator(sim.current), 'spend-trend').status).toBe('error');
    } finally {
      sim.current.clearFaults();
    }
    sim.current.injectFault('activity', {
      kind: 'json',
      body: { data: [{ date: '2026-11-24', model: 'x/y', usage: -3 }] },
    });
    try {
      const check = checkOf(await auditSimulator(sim.current), 'spend-trend');
      expect(check.status).toBe('error');
      expect(check.summary).toMatch(/data\[0\]\.usage/);
    } finally {
      sim.current.clearFaults();
    }
  });

  it('takes the 7 completed UTC days before today', () => {
    expect(trailingDays(FIXED_NOW)).toEqual([
      '2026-11-24',
      '2026-11-23',
      '2026-11-22',
      '2026-11-21',
      '2026-11-20',
      '2026-11-19',
      '2026-11-18',
    ]);
  });
});

describe('keyBudgets (evaluated by keys)', () => {
  const budget = (dailyUsd: number) => ({ keyBudgets: [{ match: 'batch-jobs-*', dailyUsd }] });

  it('fails a key over its budget, naming it', async () => {
    sim.current.setScenario('key-over-budget');
    const check = checkOf(await auditSimulator(sim.current, { config: budget(5) }), 'keys');
    expect(check.status).toBe('fail');
    expect(check.summary).toMatch(/batch-jobs-3 over its daily budget \(\$6\.\d\d of \$5\.00\)/);
    expect(check.remedy).toMatch(/docs\/runbooks\.md#key-over-budget/);
    expect(check.values).toMatchObject({ keysOverBudget: 1, keysNearBudget: 0 });
  });

  it('warns at 80 % of a budget and passes under it', async () => {
    sim.current.setScenario('key-over-budget');
    const near = checkOf(await auditSimulator(sim.current, { config: budget(7) }), 'keys');
    expect(near.status).toBe('warn');
    expect(near.summary).toMatch(/batch-jobs-3 at 87% of its daily budget/);
    const under = checkOf(await auditSimulator(sim.current, { config: budget(20) }), 'keys');
    expect(under.status).toBe('pass');
  });

  it('matches a name or label glob, or a hash prefix of 8+ hex characters', () => {
    const key = { name: 'batch-jobs-3', label: 'sk-or-v1-abc...def', hash: 'ab12cd34'.repeat(8) };
    expect(budgetMatches('batch-*', key)).toBe(true);
    expect(budgetMatches('batch', key)).toBe(false);
    expect(budgetMatches('sk-or-v1-abc*', key)).toBe(true);
    expect(budgetMatches('ab12cd34ab', key)).toBe(true);
    expect(budgetMatches('ab12', key)).toBe(false);
    expect(budgetMatches('*', key)).toBe(true);
  });
});
