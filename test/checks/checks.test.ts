import { afterEach, describe, expect, it } from 'vitest';
import type { AuditConfigInput } from '../../lambda/engine/config';
import type { CheckId, CheckStatus } from '../../lambda/engine/result';
import type { ScenarioName } from '../../simulator/types';
import { auditSimulator, checkOf, FIXED_NOW, measuredValue, useSimulator } from '../support/audit-harness';

const sim = useSimulator();

afterEach(() => {
  sim.current.clearFaults();
  sim.current.setScenario('healthy');
  sim.current.setLatency(0);
});

interface Row {
  readonly name: string;
  readonly scenario?: ScenarioName;
  readonly config?: AuditConfigInput;
  readonly withoutManagementKey?: boolean;
  readonly expected: CheckStatus;
  readonly summary?: RegExp;
}

async function statusOf(id: CheckId, row: Row) {
  sim.current.setScenario(row.scenario ?? 'healthy');
  const result = await auditSimulator(sim.current, {
    ...(row.config ? { config: row.config } : {}),
    ...(row.withoutManagementKey ? { withoutManagementKey: true } : {}),
  });
  return checkOf(result, id);
}

function table(id: CheckId, rows: readonly Row[]) {
  it.each(rows)(`${id}: $name → $expected`, async (row) => {
    const check = await statusOf(id, row);
    expect(check.status, check.summary).toBe(row.expected);
    if (row.summary) expect(check.summary).toMatch(row.summary);
    if (['warn', 'fail', 'error'].includes(check.status))
      expect(check.remedy).toMatch(/Runbook: docs\/runbooks\.md#/);
    else expect(check.remedy).toBeUndefined();
  });
}

describe('auth', () => {
  table('auth', [
    { name: 'a valid regular key', expected: 'pass', summary: /authenticates \(management key verified\)/ },
    {
      name: 'an unknown key (401)',
      scenario: 'invalid-key',
      expected: 'fail',
      summary: /rejected the API key.*401/,
    },
    {
      name: 'a management key used as the API key',
      scenario: 'management-key-as-api-key',
      expected: 'fail',
      summary: /is a management key/,
    },
  ]);

  it('fails with the reason when no API key could be obtained', async () => {
    const result = await auditSimulator(sim.current, {
      deps: { apiKeyProblem: 'secret prod/openrouter not found' },
    });
    expect(checkOf(result, 'auth')).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/secret prod\/openrouter not found/),
    });
  });

  it('fails when the key given as the management key is a regular key', async () => {
    const { createOpenRouterClient } = await import('../../lambda/openrouter/client');
    const { runAudit } = await import('../../lambda/engine/run-audit');
    const { parseAuditConfig } = await import('../../lambda/engine/config');
    const { silentLogger } = await import('../../lambda/engine/logger');
    const api = createOpenRouterClient({
      baseUrl: sim.current.baseUrl,
      apiKey: sim.current.apiKey,
      managementKey: sim.current.apiKey,
    });
    const result = await runAudit(parseAuditConfig({}), { api, now: () => FIXED_NOW, logger: silentLogger });
    expect(checkOf(result, 'auth')).toMatchObject({
      status: 'fail',
      summary: expect.stringMatching(/management key .* is a regular key/),
    });
  });
});

describe('key-limit', () => {
  table('key-limit', [
    { name: 'a key with a limit', expected: 'pass', summary: /\$100\.00, \$80\.00 left/ },
    { name: 'no limit, requireKeyLimit true', scenario: 'no-key-limit', expected: 'fail' },
    {
      name: 'no limit, requireKeyLimit false',
      scenario: 'no-key-limit',
      config: { requireKeyLimit: false },
      expected: 'warn',
    },
  ]);
});

describe('credits', () => {
  it('passes at exactly the minimum and fails a cent under it', async () => {
    const healthy = await auditSimulator(sim.current);
    const remaining = measuredValue(healthy, 'credits', 'creditsRemainingUsd');
    // The key's own limit (80 left) is lower than the account balance (380): the lower one counts.
    expect(remaining).toBe(80);
    expect(measuredValue(healthy, 'credits', 'accountBalanceUsd')).toBe(380);
    expect(
      checkOf(await auditSimulator(sim.current, { config: { minCreditsUsd: 80 } }), 'credits').status,
    ).toBe('pass');
    const low = checkOf(await auditSimulator(sim.current, { config: { minCreditsUsd: 80.01 } }), 'credits');
    expect(low.status).toBe('fail');
    expect(low.summary).toMatch(/under the \$80\.01 minimum/);
  });

  it('warns when the runway is under minRunwayDays and passes above it', async () => {
    const healthy = await auditSimulator(sim.current);
    const runway = measuredValue(healthy, 'credits', 'runwayDays');
    expect(runway).toBeGreaterThan(1);
    expect(
      checkOf(await auditSimulator(sim.current, { config: { minRunwayDays: runway + 0.5 } }), 'credits')
        .status,
    ).toBe('warn');
    expect(
      checkOf(await auditSimulator(sim.current, { config: { minRunwayDays: runway - 0.5 } }), 'credits')
        .status,
    ).toBe('pass');
  });

  table('credits', [
    { name: 'low credits', scenario: 'low-credits', expected: 'fail', summary: /Credits low/ },
    {
      name: 'no management key and a key without limit',
      scenario: 'no-key-limit',
      withoutManagementKey: true,
      expected: 'skip',
      summary: /no management key/,
    },
    {
      name: 'no management key, key limit only',
      withoutManagementKey: true,
      expected: 'pass',
      summary: /key limit remaining/,
    },
  ]);
});

describe('key-age', () => {
  table('key-age', [
    { name: '30 days, defaults', expected: 'pass', summary: /30 days old/ },
    { name: '30 days, warn from 29', config: { keyAgeWarnDays: 29, maxKeyAgeDays: 31 }, expected: 'warn' },
    { name: '30 days, fail from 29', config: { keyAgeWarnDays: 20, maxKeyAgeDays: 29 }, expected: 'fail' },
    { name: '120 days old', scenario: 'old-key', expected: 'fail', summary: /120 days old/ },
    { name: 'expires in 5 days', scenario: 'key-expiring', expected: 'warn', summary: /expires in 5 days/ },
    {
      name: 'expires in 5 days, warn window 4',
      scenario: 'key-expiring',
      config: { keyExpiryWarnDays: 4 },
      expected: 'pass',
    },
    {
      name: 'no management key, no date',
      withoutManagementKey: true,
      expected: 'skip',
      summary: /no management key/,
    },
  ]);

  it('uses the creation date the caller supplies when there is no management key', async () => {
    const date = new Date(FIXED_NOW.getTime() - 100 * 86_400_000);
    const result = await auditSimulator(sim.current, {
      withoutManagementKey: true,
      deps: { keyCreatedAt: { date, source: 'the secret version date' } },
    });
    expect(checkOf(result, 'key-age')).toMatchObject({
      status: 'fail',
      values: expect.objectContaining({ createdAtSource: 'the secret version date', keyAgeDays: 100 }),
    });
  });
});

describe('models', () => {
  table('models', [
    { name: 'all listed', expected: 'pass' },
    {
      name: 'primary missing',
      scenario: 'model-missing',
      expected: 'fail',
      summary: /not listed: openai\/gpt-4o-mini/,
    },
    {
      name: 'an unknown fallback',
      config: { models: ['openai/gpt-4o-mini', 'acme/not-a-model'] },
      expected: 'fail',
      summary: /acme\/not-a-model/,
    },
    { name: 'retiring in 10 days', scenario: 'model-retiring', expected: 'warn', summary: /Retiring soon/ },
    {
      name: 'retiring in 10 days, warn window 9',
      scenario: 'model-retiring',
      config: { modelExpiryWarnDays: 9 },
      expected: 'pass',
    },
  ]);
});

describe('test-request', () => {
  table('test-request', [
    { name: 'probing off', config: { probe: false }, expected: 'skip' },
    { name: 'provider down', scenario: 'provider-down', expected: 'fail', summary: /HTTP 502/ },
    { name: 'payment required', scenario: 'payment-required', expected: 'fail', summary: /HTTP 402/ },
    { name: 'rate limited', scenario: 'rate-limited', expected: 'fail', summary: /HTTP 429/ },
  ]);

  it('records latency, cost and the serving model of every probe', async () => {
    const models = ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku'];
    const check = checkOf(await auditSimulator(sim.current, { config: { models } }), 'test-request');
    expect(check.status).toBe('pass');
    expect(check.values.probes).toEqual([
      expect.objectContaining({
        model: models[0],
        role: 'primary',
        ok: true,
        servedModel: models[0],
        costUsd: expect.any(Number),
        latencyMs: expect.any(Number),
      }),
      expect.objectContaining({ model: models[1], role: 'fallback', ok: true, servedModel: models[1] }),
    ]);
  });

  it('fails when the primary fails and names the fallback that still answers', async () => {
    sim.current.injectFault('chat', { kind: 'status', status: 502, model: 'openai/gpt-4o-mini' });
    const check = checkOf(
      await auditSimulator(sim.current, {
        config: { models: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku'] },
      }),
      'test-request',
    );
    expect(check.status).toBe('fail');
    expect(check.summary).toMatch(/fallback anthropic\/claude-3\.5-haiku still answers/);
  });

  it('warns when only a fallback fails', async () => {
    sim.current.injectFault('chat', { kind: 'status', status: 502, model: 'anthropic/claude-3.5-haiku' });
    const check = checkOf(
      await auditSimulator(sim.current, {
        config: { models: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku'] },
      }),
      'test-request',
    );
    expect(check.status).toBe('warn');
    expect(check.summary).toMatch(/fallback anthropic\/claude-3\.5-haiku failed/);
  });

  it('fails on an error inside an HTTP 200', async () => {
    sim.current.injectFault('chat', { kind: 'error-in-200', code: 524, message: 'Provider returned error' });
    const check = checkOf(await auditSimulator(sim.current), 'test-request');
    expect(check.status).toBe('fail');
    expect(check.summary).toMatch(/200 with an error inside/);
  });

  it('warns when a model answers slower than maxLatencyMs', async () => {
    sim.current.injectFault('chat', { kind: 'leading-whitespace', latencyMs: 150 });
    const check = checkOf(
      await auditSimulator(sim.current, { config: { maxLatencyMs: 50 } }),
      'test-request',
    );
    expect(check.status).toBe('warn');
    expect(check.summary).toMatch(/limit 50 ms/);
  });

  it('sends one probe per configured model', async () => {
    sim.current.resetCounts();
    await auditSimulator(sim.current, {
      config: { models: ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku', 'google/gemini-2.0-flash-001'] },
    });
    expect(sim.current.requestCount('chat')).toBe(3);
  });
});

describe('spend', () => {
  // The healthy key spent 1.20 USD today.
  table('spend', [
    { name: 'no budget', expected: 'skip', summary: /No daily budget/ },
    // FIXED_NOW is Wednesday noon: the healthy key has spent half of its 1.2 USD a day, 0.6 USD.
    { name: 'at 80 % of the budget', config: { dailyBudgetUsd: 0.75 }, expected: 'pass' },
    {
      name: 'over 80 % of the budget',
      config: { dailyBudgetUsd: 0.7 },
      expected: 'warn',
      summary: /Near budget/,
    },
    { name: 'over the budget', config: { dailyBudgetUsd: 0.59 }, expected: 'fail', summary: /Over budget/ },
    { name: '60 USD against 50', scenario: 'over-budget', config: { dailyBudgetUsd: 50 }, expected: 'fail' },
  ]);
});

describe('keys', () => {
  table('keys', [
    { name: 'every key limited and recent', expected: 'pass' },
    {
      name: 'keys without limit and an old key',
      scenario: 'unlimited-keys',
      expected: 'fail',
      summary: /without a limit/,
    },
    { name: 'no management key', withoutManagementKey: true, expected: 'skip', summary: /No management key/ },
  ]);

  it('counts each kind of finding', async () => {
    sim.current.setScenario('unlimited-keys');
    const result = await auditSimulator(sim.current);
    expect(measuredValue(result, 'keys', 'keysWithoutLimit')).toBe(2);
    expect(measuredValue(result, 'keys', 'keysPastMaxAge')).toBe(1);
  });
});
