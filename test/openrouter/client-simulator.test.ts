/**
 * The client against the local OpenRouter simulator over real HTTP: every method on the healthy
 * account, the named scenarios it meets, and the simulator's injected faults.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenRouterClient, type OpenRouterClient } from '../../lambda/openrouter/client';
import { OpenRouterError } from '../../lambda/openrouter/errors';
import { startSimulator } from '../../simulator/server';
import type { Simulator } from '../../simulator/types';
import { canaryApiKey, canaryManagementKey, exposeError, leaks } from '../support/canary';
import { fastRetryClients } from '../support/openrouter-clients';
import { rejectionOf } from '../support/rejection';

const apiKey = canaryApiKey();
const managementKey = canaryManagementKey();
const chatRequest = { model: 'openai/gpt-4o-mini', maxTokens: 1, prompt: 'Say OK' };

let sim: Simulator;
let api: OpenRouterClient;
const clients = fastRetryClients(() => ({
  baseUrl: sim.baseUrl,
  apiKey: sim.apiKey,
  managementKey: sim.managementKey,
}));
const client = clients.create;
const failure = (promise: Promise<unknown>) => rejectionOf(promise, OpenRouterError);

beforeAll(async () => {
  sim = await startSimulator({ apiKey, managementKey, extraKeys: 4 });
  api = client();
});
beforeEach(() => {
  sim.clearFaults();
  sim.setScenario('healthy');
  sim.setLatency(0);
  sim.resetCounts();
});
afterAll(async () => {
  await clients.closeAll();
  await sim.close();
});

describe('the healthy simulator', () => {
  it('answers /key for the API key with a masked label and a limit', async () => {
    const key = await api.getCurrentKey();
    expect(key.label).toMatch(/^sk-or-v1-[0-9a-f]{3}\.\.\.[0-9a-f]{3,4}$/);
    expect(key.isManagementKey).toBe(false);
    expect(key.limit).toEqual(expect.any(Number));
    expect(key.usageDaily).toEqual(expect.any(Number));
  });

  it('answers /key for the management key as a management key', async () => {
    expect((await api.getManagementKeyInfo()).isManagementKey).toBe(true);
  });

  it('answers /credits with numbers', async () => {
    const credits = await api.getCredits();
    expect(credits.totalCredits).toEqual(expect.any(Number));
    expect(credits.totalUsage).toEqual(expect.any(Number));
  });

  it('lists every key, including the one in use (matched by label)', async () => {
    const [keys, current] = await Promise.all([api.listAllKeys(), api.getCurrentKey()]);
    expect(keys.length).toBeGreaterThanOrEqual(5);
    expect(keys.some((k) => k.label === current.label)).toBe(true);
    for (const key of keys) {
      expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(key.createdAt).toEqual(expect.any(String));
    }
  });

  it('lists the models, including the default probe model', async () => {
    const models = await api.listModels();
    expect(models.map((m) => m.id)).toContain('openai/gpt-4o-mini');
  });

  it('answers a completion with the served model and its cost', async () => {
    const result = await api.chatCompletion(chatRequest);
    expect(result.model).toBe('openai/gpt-4o-mini');
    expect(result.id).toMatch(/^gen-/);
    expect(result.costUsd).toEqual(expect.any(Number));
    expect(result.finishReason).not.toBe('error');
  });
});

describe('large accounts', () => {
  it('pages /keys 100 at a time', async () => {
    const big = await startSimulator({ apiKey, managementKey, extraKeys: 250 });
    const c = createOpenRouterClient({ baseUrl: big.baseUrl, managementKey });
    try {
      const keys = await c.listAllKeys();
      expect(keys).toHaveLength(251);
      expect(new Set(keys.map((k) => k.hash)).size).toBe(251);
      expect(big.requestCount('keys')).toBe(3);
    } finally {
      await c.close();
      await big.close();
    }
  });

  it('lists a 10,000-key account in offset order with at most 7 requests past the end', async () => {
    const big = await startSimulator({ apiKey, managementKey, extraKeys: 9_999 });
    const c = createOpenRouterClient({ baseUrl: big.baseUrl, managementKey });
    try {
      const keys = await c.listAllKeys();
      expect(keys).toHaveLength(10_000);
      expect(new Set(keys.map((k) => k.hash)).size).toBe(10_000);
      // The same order as reading the pages one at a time.
      const oneByOne: string[] = [];
      for (let offset = 0; offset < 10_000; offset += 100) {
        const response = await fetch(`${big.baseUrl}/keys?include_disabled=true&offset=${offset}`, {
          headers: { authorization: `Bearer ${managementKey}` },
        });
        const page = (await response.json()) as { data: { hash: string }[] }; // the simulator's documented shape
        oneByOne.push(...page.data.map((k) => k.hash));
      }
      expect(keys.map((k) => k.hash)).toEqual(oneByOne);
      big.resetCounts();
      await c.listAllKeys();
      // 100 full pages and an empty one are needed; the last round of 8 may overshoot by 7.
      expect(big.requestCount('keys')).toBeGreaterThanOrEqual(101);
      expect(big.requestCount('keys')).toBeLessThanOrEqual(108);
    } finally {
      await c.close();
      await big.close();
    }
  });
});

describe('small accounts', () => {
  it('lists an account of fewer than 100 keys with one /keys request', async () => {
    const keys = await api.listAllKeys();
    expect(keys).toHaveLength(5);
    expect(sim.requestCount('keys')).toBe(1);
  });
});

describe('scenarios', () => {
  it('invalid-key: 401 on /key, not retried', async () => {
    sim.setScenario('invalid-key');
    const error = await failure(api.getCurrentKey());
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 401, attempts: 1, endpoint: '/key' });
    expect(sim.requestCount('key')).toBe(1);
  });

  it('payment-required: 402 on a completion, not retried', async () => {
    sim.setScenario('payment-required');
    const error = await failure(api.chatCompletion(chatRequest));
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 402, attempts: 1 });
    expect(sim.requestCount('chat')).toBe(1);
  });

  it('provider-down: 502 on a completion, not retried', async () => {
    sim.setScenario('provider-down');
    expect(await failure(api.chatCompletion(chatRequest))).toMatchObject({ status: 502, attempts: 1 });
    expect(sim.requestCount('chat')).toBe(1);
  });

  it('rate-limited: a 429 completion fails within the deadline, never waiting past it', async () => {
    sim.setScenario('rate-limited');
    const started = Date.now();
    const error = await failure(
      api.chatCompletion(chatRequest, { signal: AbortSignal.timeout(3000), deadlineAt: Date.now() + 3000 }),
    );
    expect(error.status).toBe(429);
    expect(['HTTP_STATUS', 'RATE_LIMITED_DAILY']).toContain(error.code);
    expect(Date.now() - started).toBeLessThan(3000 + 2000);
    expect(sim.requestCount('chat')).toBe(error.attempts);
  });

  it('management-key-as-api-key: /key says it is a management key', async () => {
    sim.setScenario('management-key-as-api-key');
    expect((await api.getCurrentKey()).isManagementKey).toBe(true);
  });
});

describe('injected faults', () => {
  it('honours Retry-After on a 429, then succeeds', async () => {
    sim.injectFault('key', { kind: 'status', status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    const started = Date.now();
    await api.getCurrentKey();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sim.requestCount('key')).toBe(2);
  });

  it('retries a 503 three times, then fails with attempts = 4', async () => {
    sim.injectFault('credits', { kind: 'status', status: 503 });
    expect(await failure(api.getCredits())).toMatchObject({ code: 'HTTP_STATUS', status: 503, attempts: 4 });
    expect(sim.requestCount('credits')).toBe(4);
  });

  it('recovers from one 502 on a GET', async () => {
    sim.injectFault('models', { kind: 'status', status: 502, times: 1 });
    expect((await api.listModels()).length).toBeGreaterThan(0);
    expect(sim.requestCount('models')).toBe(2);
  });

  it.each([400, 401, 402, 403])('never retries %i', async (status) => {
    sim.injectFault('key', { kind: 'status', status });
    expect(await failure(api.getCurrentKey())).toMatchObject({ status, attempts: 1 });
    expect(sim.requestCount('key')).toBe(1);
  });

  it('never retries the free-tier daily cap', async () => {
    const resetAt = Date.now() + 8 * 3_600_000;
    sim.injectFault('chat', {
      kind: 'status',
      status: 429,
      headers: { 'X-RateLimit-Reset': String(resetAt) },
      body: {
        error: {
          message:
            'Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day',
          code: 429,
          metadata: { limit_source: 'openrouter_free_tier_daily' },
        },
      },
    });
    expect(await failure(api.chatCompletion(chatRequest))).toMatchObject({
      code: 'RATE_LIMITED_DAILY',
      attempts: 1,
      resetAt: new Date(resetAt),
    });
    expect(sim.requestCount('chat')).toBe(1);
  });

  it('does not retry a completion on 502', async () => {
    sim.injectFault('chat', { kind: 'status', status: 502, times: 1 });
    expect(await failure(api.chatCompletion(chatRequest))).toMatchObject({ status: 502, attempts: 1 });
    expect(sim.requestCount('chat')).toBe(1);
  });

  it('ends a hang with TIMEOUT within the deadline', async () => {
    sim.injectFault('key', { kind: 'hang' });
    const started = Date.now();
    const error = await failure(
      api.getCurrentKey({ signal: AbortSignal.timeout(1000), deadlineAt: Date.now() + 1000 }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1000 + 2000);
  });

  it('ends a stall mid-body with TIMEOUT', async () => {
    sim.injectFault('credits', { kind: 'stall-mid-body' });
    const started = Date.now();
    const error = await failure(client({ bodyTimeoutMs: 500 }).getCredits());
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('retries a connection reset, then succeeds', async () => {
    sim.injectFault('key', { kind: 'reset', times: 2 });
    await api.getCurrentKey();
    expect(sim.requestCount('key')).toBe(3);
  });

  it('fails with NETWORK when every attempt is reset', async () => {
    sim.injectFault('key', { kind: 'reset' });
    expect(await failure(api.getCurrentKey())).toMatchObject({ code: 'NETWORK', attempts: 4 });
  });

  it('explains an HTML 524 page', async () => {
    sim.injectFault('chat', { kind: 'html', status: 524 });
    const error = await failure(api.chatCompletion(chatRequest));
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 524, attempts: 1 });
    expect(error.message).toBe(
      'OpenRouter answered HTTP 524 on /chat/completions: received an HTML page instead of JSON',
    );
  });

  it.each([
    ['malformed JSON', { kind: 'malformed-json' } as const, 'BAD_RESPONSE'],
    ['an empty body', { kind: 'empty-body' } as const, 'BAD_RESPONSE'],
    ['an error in a 200', { kind: 'error-in-200' } as const, 'API_ERROR_IN_200'],
    ['a wrong shape', { kind: 'json', body: { data: { label: 7 } } } as const, 'BAD_RESPONSE'],
  ])('fails /key on %s without retrying', async (_case, fault, code) => {
    sim.injectFault('key', fault);
    expect(await failure(api.getCurrentKey())).toMatchObject({ code, attempts: 1 });
    expect(sim.requestCount('key')).toBe(1);
  });

  it('fails a completion with an error in a 200 as API_ERROR_IN_200, with the upstream code', async () => {
    sim.injectFault('chat', { kind: 'error-in-200', code: 524, message: 'Provider returned error' });
    expect(await failure(api.chatCompletion(chatRequest))).toMatchObject({
      code: 'API_ERROR_IN_200',
      apiCode: 524,
      apiMessage: 'Provider returned error',
    });
  });

  it('refuses a huge body over the cap', async () => {
    sim.injectFault('models', { kind: 'huge-body', bytes: 40 * 1024 * 1024 });
    const error = await failure(client({ maxResponseBytes: 2 * 1024 * 1024 }).listModels());
    expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', attempts: 1 });
  });

  it('accepts a body padded with leading whitespace', async () => {
    sim.injectFault('chat', { kind: 'leading-whitespace' });
    expect((await api.chatCompletion(chatRequest)).model).toBe('openai/gpt-4o-mini');
  });
});

describe('key secrecy', () => {
  it.each([
    ['key', (c: OpenRouterClient) => c.getCurrentKey()],
    ['credits', (c: OpenRouterClient) => c.getCredits()],
    ['keys', (c: OpenRouterClient) => c.listAllKeys()],
    ['chat', (c: OpenRouterClient) => c.chatCompletion(chatRequest)],
  ] as const)('keeps the canary keys out of an error when /%s echoes them', async (route, call) => {
    sim.injectFault(route, { kind: 'echo-key', status: 401 });
    const error = await failure(call(api));
    expect(error.status).toBe(401);
    expect(error.apiMessage).toEqual(expect.any(String));
    const exposed = exposeError(error);
    expect(leaks(exposed, apiKey)).toBe(false);
    expect(leaks(exposed, managementKey)).toBe(false);
  });
});
