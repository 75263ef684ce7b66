import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOpenRouterClient } from '../../lambda/openrouter/client';
import type { OpenRouterApi } from '../../lambda/openrouter/types';
import { MODEL, useBoundarySimulator } from './support';

const runCheck = useBoundarySimulator();
const FALLBACK = 'anthropic/claude-3.5-haiku';

afterEach(() => vi.restoreAllMocks());

/**
 * Latency on a fake clock: `performance.now` stands still while a probe is in flight and jumps to
 * the model's finish time when its answer is in, so each probe takes exactly the time given,
 * however loaded the machine.
 */
function probesTaking(finishAt: Readonly<Record<string, number>>): OpenRouterApi {
  let clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  const real = createOpenRouterClient({
    baseUrl: runCheck.sim.current.baseUrl,
    apiKey: runCheck.sim.current.apiKey,
    managementKey: runCheck.sim.current.managementKey,
  });
  return {
    ...real,
    hasApiKey: real.hasApiKey,
    hasManagementKey: real.hasManagementKey,
    async chatCompletion(request, options) {
      try {
        return await real.chatCompletion(request, options);
      } finally {
        clock = finishAt[request.model] ?? 0;
      }
    },
  };
}

const chatAnswer = (extra: Record<string, unknown> = {}) => ({
  id: 'gen-1',
  model: MODEL,
  choices: [{ finish_reason: 'stop', message: { role: 'assistant', content: 'OK' } }],
  usage: { prompt_tokens: 5, completion_tokens: 1, cost: 0.000_012_5 },
  ...extra,
});

describe('test-request: latency against maxLatencyMs', () => {
  it.each([
    { latency: 249, expected: 'pass' },
    { latency: 250, expected: 'pass' },
    { latency: 251, expected: 'warn' },
  ])('$latency ms against a 250 ms limit → $expected', async ({ latency, expected }) => {
    const api = probesTaking({ [MODEL]: latency });
    const check = await runCheck('test-request', {
      config: { probe: true, maxLatencyMs: 250 },
      deps: { api },
    });
    expect(check.status, check.summary).toBe(expected);
    expect(check.values).toMatchObject({
      probes: [{ model: MODEL, ok: true, latencyMs: latency }],
      probesFailed: 0,
    });
    if (expected === 'warn') {
      expect(check.summary).toContain(`slow: ${MODEL} took ${latency} ms (limit 250 ms)`);
      expect(check.remedy).toMatch(/provider\.sort: "latency"/);
    } else {
      expect(check.summary).toMatch(new RegExp(`^${MODEL} answered in ${latency} ms`));
    }
  });

  it('a slow fallback warns too, naming only the slow one', async () => {
    const api = probesTaking({ [MODEL]: 100, [FALLBACK]: 400 });
    const check = await runCheck('test-request', {
      config: { probe: true, maxLatencyMs: 300, models: [MODEL, FALLBACK] },
      deps: { api },
    });
    expect(check.status).toBe('warn');
    expect(check.summary).toMatch(
      /answered in 100 ms.*; slow: anthropic\/claude-3\.5-haiku took 400 ms \(limit 300 ms\)$/,
    );
  });
});

describe('test-request: cost and answers', () => {
  it('states the cost to two significant figures', async () => {
    const api = probesTaking({ [MODEL]: 40 });
    runCheck.sim.current.injectFault('chat', { kind: 'json', body: chatAnswer() });
    const check = await runCheckKeepingFaults({ config: { probe: true }, deps: { api } });
    expect(check.status).toBe('pass');
    expect(check.summary).toBe(`${MODEL} answered in 40 ms for $0.000013`);
    expect(check.values).toMatchObject({ probes: [{ costUsd: 0.000_012_5, servedModel: MODEL }] });
  });

  it('names the model that served a request routed elsewhere', async () => {
    const api = probesTaking({ [MODEL]: 40 });
    runCheck.sim.current.injectFault('chat', { kind: 'json', body: chatAnswer({ model: 'openai/gpt-4o' }) });
    const check = await runCheckKeepingFaults({ config: { probe: true }, deps: { api } });
    expect(check.summary).toMatch(/^openai\/gpt-4o-mini \(served by openai\/gpt-4o\) answered in 40 ms/);
  });

  it('a choice that finished with "error" fails the primary, with the provider\'s message', async () => {
    runCheck.sim.current.injectFault('chat', {
      kind: 'json',
      body: chatAnswer({
        choices: [
          {
            finish_reason: 'error',
            error: { code: 502, message: 'Provider went away' },
            message: { content: '' },
          },
        ],
      }),
    });
    const check = await runCheckKeepingFaults({ config: { probe: true } });
    expect(check.status).toBe('fail');
    expect(check.summary).toMatch(
      /^Primary model openai\/gpt-4o-mini failed: .*Provider went away; no fallback configured$/,
    );
    expect(check.values).toMatchObject({ probesFailed: 1, probes: [{ ok: false, costUsd: null }] });
  });

  it('a choice that stopped normally with an empty answer is still an answer', async () => {
    runCheck.sim.current.injectFault('chat', {
      kind: 'json',
      body: chatAnswer({ choices: [{ finish_reason: 'length', message: { content: '' } }] }),
    });
    const check = await runCheckKeepingFaults({ config: { probe: true } });
    expect(check.status).toBe('pass');
  });

  it('a broken fallback warns; a broken primary with a working fallback fails and says so', async () => {
    runCheck.sim.current.injectFault('chat', { kind: 'status', status: 400, model: FALLBACK });
    const fallbackBroken = await runCheckKeepingFaults({
      config: { probe: true, models: [MODEL, FALLBACK] },
    });
    expect(fallbackBroken.status).toBe('warn');
    expect(fallbackBroken.summary).toMatch(
      /; fallback anthropic\/claude-3\.5-haiku failed: OpenRouter answered HTTP 400/,
    );
    runCheck.sim.current.clearFaults();
    runCheck.sim.current.injectFault('chat', { kind: 'status', status: 400, model: MODEL });
    const primaryBroken = await runCheckKeepingFaults({ config: { probe: true, models: [MODEL, FALLBACK] } });
    expect(primaryBroken.status).toBe('fail');
    expect(primaryBroken.summary).toMatch(/fallback anthropic\/claude-3\.5-haiku still answers$/);
  });

  it('turned off, it skips', async () => {
    const check = await runCheck('test-request', { config: { probe: false } });
    expect(check).toMatchObject({ status: 'skip', summary: 'Test requests are turned off (probe: false)' });
  });
});

/** runCheck clears faults first; these tests queue a chat fault of their own. */
async function runCheckKeepingFaults(account: Parameters<typeof runCheck>[1]) {
  const { auditSimulator, checkOf } = await import('../support/audit-harness');
  const result = await auditSimulator(runCheck.sim.current, {
    config: { probe: false, ...account?.config },
    ...(account?.deps ? { deps: account.deps } : {}),
  });
  return checkOf(result, 'test-request');
}
