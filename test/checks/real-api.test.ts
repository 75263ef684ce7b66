/**
 * The checks against the documented API (issue 9), through the real engine and client against the
 * simulator over HTTP, on a fixed Wednesday clock: workspaces (both readings of an account without
 * them), budgets without a management key, BYOK, 402/403 causes and availability errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, judgeStatus } from '../../lambda/openrouter/retry-policy';
import { auditSimulator, checkOf, useSimulator } from '../support/audit-harness';

const sim = useSimulator();

afterEach(() => {
  sim.current.clearFaults();
  sim.current.setScenario('healthy');
  sim.current.resetCounts();
});

describe('workspaces', () => {
  it.each([403, 404])(
    'GET /workspaces answering %i: the default workspace is listed, and the summary says so',
    async (status) => {
      sim.current.injectFault('workspaces', { kind: 'status', status });
      const keys = checkOf(await auditSimulator(sim.current), 'keys');
      expect(keys.status).toBe('pass');
      expect(keys.summary).toContain(`default workspace only: GET /workspaces answered HTTP ${status}`);
    },
  );

  it("without the workspaces API, key-age still finds a key outside the default workspace, by /key's workspace_id", async () => {
    sim.current.setScenario('key-in-second-workspace');
    sim.current.injectFault('workspaces', { kind: 'status', status: 404 });
    const keyAge = checkOf(await auditSimulator(sim.current), 'key-age');
    expect(keyAge.status).toBe('pass');
    expect(keyAge.values).toMatchObject({ keyAgeDays: 30, createdAtSource: 'the account key list' });
  });

  it('GET /workspaces failing otherwise is an error, never a silently partial inventory', async () => {
    sim.current.injectFault('workspaces', { kind: 'status', status: 500 });
    const keys = checkOf(await auditSimulator(sim.current), 'keys');
    expect(keys.status).toBe('error');
    expect(keys.summary).toMatch(/HTTP 500 on \/workspaces/);
  });

  it('lists the keys of each workspace, one GET /keys per workspace', async () => {
    sim.current.setScenario('second-workspace-keys');
    const result = await auditSimulator(sim.current);
    expect(checkOf(result, 'keys').values).toMatchObject({ totalKeys: 6, workspaces: 2 });
    expect(sim.current.requestCount('keys')).toBe(2);
  });
});

describe('budgets beyond the key limit', () => {
  it('without a management key, key-limit says the budgets could not be seen', async () => {
    sim.current.setScenario('guardrail-budget');
    const keyLimit = checkOf(await auditSimulator(sim.current, { withoutManagementKey: true }), 'key-limit');
    expect(keyLimit.status).toBe('fail');
    expect(keyLimit.summary).toMatch(/cannot be seen without a management key/);
  });

  it("a workspace's default guardrail and its budget: the tightest one is named, the runway uses it", async () => {
    sim.current.setScenario('workspace-budget');
    const result = await auditSimulator(sim.current);
    const keyLimit = checkOf(result, 'key-limit');
    expect(keyLimit.status).toBe('pass');
    expect(keyLimit.summary).toMatch(
      /capped by the guardrail budget \(the workspace's default\) of \$40\.00 per week/,
    );
    expect(keyLimit.values.budgets).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: 'workspace budget', limitUsd: 300, reset: 'monthly' }),
      ]),
    );
    expect(checkOf(result, 'credits').summary).toMatch(
      /guardrail budget \(the workspace's default\) remaining/,
    );
  });
});

describe('BYOK', () => {
  it('counts BYOK spend in the runway of a key with include_byok_in_limit, and shows it apart today', async () => {
    sim.current.setScenario('byok-spend');
    const result = await auditSimulator(sim.current, { config: { dailyBudgetUsd: 50 } });
    const credits = checkOf(result, 'credits');
    // 20 USD left at 1.2 + 4 USD a day: under the 7-day minimum only because BYOK counts.
    expect(credits.status).toBe('warn');
    expect(credits.values.dailySpendUsd).toBeCloseTo(5.2, 1);
    const spend = checkOf(result, 'spend');
    expect(spend.summary).toMatch(/plus \$\d+\.\d\d BYOK/);
    expect(spend.values.byokSpendTodayUsd).toBeGreaterThan(0);
  });
});

describe('402 and 403 by cause, availability errors', () => {
  it('retries the in-flight 402 once and passes', async () => {
    sim.current.setScenario('in-flight-402');
    const probe = checkOf(await auditSimulator(sim.current), 'test-request');
    expect(probe.status).toBe('pass');
    expect(sim.current.requestCount('chat')).toBe(2);
  });

  it.each([
    ['key-limit-exceeded', /\(key limit\)/, /Raise the key's limit/],
    ['workspace-budget-exceeded', /\(workspace budget\)/, /workspace budget/],
    ['model-deprecated', /model deprecated; successor openai\/gpt-4o/, /switch to openai\/gpt-4o/],
    ['region-restricted', /not available in your region/, /not offered in your region/],
    ['privacy-restricted', /privacy settings/, /privacy settings/],
    ['no-endpoints', /no endpoints serve this model/, /No provider serves the model/],
    [
      'free-variant-ended',
      /free variant has ended; try meta-llama\/llama-3.1-8b-instruct/,
      /switch to meta-llama/,
    ],
    ['constraint-filtered', /no endpoint meets the request constraints/, /loosen them/],
  ] as const)('%s: a specific summary and remedy', async (scenario, summary, remedy) => {
    sim.current.setScenario(scenario);
    const probe = checkOf(await auditSimulator(sim.current), 'test-request');
    expect(probe.status).toBe('fail');
    expect(probe.summary).toMatch(summary);
    expect(probe.remedy).toMatch(remedy);
    expect(probe.remedy).not.toMatch(/Add credits/);
  });

  it('judges a 402 by its cause: in-flight or Retry-After is retried, a credits 402 is final', () => {
    const base = {
      status: 402,
      safety: 'billable' as const,
      nowMs: 0,
      deadlineAtMs: 10_000,
      settings: DEFAULT_RETRY,
    };
    const info = (limitSource: string | null) => ({
      message: null,
      code: 402,
      errorType: null,
      limitSource,
      rateLimitResetAtMs: null,
      retryAfterMs: null,
      availabilityCode: null,
      fallbackModels: [],
      minimumTokens: null,
    });
    expect(judgeStatus({ ...base, headers: {}, apiError: info('openrouter_in_flight_budget') }).kind).toBe(
      'retry',
    );
    expect(judgeStatus({ ...base, headers: { 'retry-after': '1' }, apiError: info(null) }).kind).toBe(
      'retry',
    );
    expect(judgeStatus({ ...base, headers: {}, apiError: info('openrouter_credits') }).kind).toBe('final');
  });
});
