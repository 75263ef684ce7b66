import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/server';
import type { Simulator } from '../../simulator/types';
import { at, call, list } from './support';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.close();
});

const REQUIRED_MODELS = [
  'openai/gpt-4o-mini',
  'anthropic/claude-3.5-haiku',
  'google/gemini-2.0-flash-001',
  'meta-llama/llama-3.1-8b-instruct',
  'meta-llama/llama-3.1-8b-instruct:free',
];

describe('GET /models', () => {
  it('lists the catalog without a key, with total_count and no next link', async () => {
    const answer = await call(sim, '/models');
    expect(answer.status).toBe(200);
    const body = answer.json();
    const ids = list(body, 'data').map((model) => at(model, 'id'));
    expect(ids).toEqual(expect.arrayContaining(REQUIRED_MODELS));
    expect(ids.length).toBeGreaterThanOrEqual(8);
    expect(at(body, 'total_count')).toBe(ids.length);
    expect(at(body, 'links')).toEqual({ next: null });
  });

  it('ignores a bad key, as the real API does', async () => {
    const anonymous = await call(sim, '/models');
    const badKey = await call(sim, '/models', { key: 'not-a-key' });
    expect(badKey.status).toBe(200);
    expect(badKey.text).toBe(anonymous.text);
  });

  it('prices every model with decimal strings per token, and the free variant at "0"', async () => {
    const all = list((await call(sim, '/models')).json(), 'data');
    // Routers are priced "-1" (variable), as OpenRouter lists openrouter/auto.
    const models = all.filter((model) => !String(at(model, 'id')).startsWith('openrouter/'));
    expect(models.length).toBe(all.length - 1);
    for (const model of models) {
      expect(at(model, 'pricing', 'prompt')).toMatch(/^\d+(\.\d+)?$/);
      expect(at(model, 'pricing', 'completion')).toMatch(/^\d+(\.\d+)?$/);
      expect(at(model, 'expiration_date')).toBeNull();
      expect(at(model, 'links', 'details')).toBe(`/api/v1/models/${String(at(model, 'id'))}/endpoints`);
    }
    const free = models.find((model) => at(model, 'id') === 'meta-llama/llama-3.1-8b-instruct:free');
    expect(at(free, 'pricing')).toEqual({ prompt: '0', completion: '0' });
  });

  it('pages with offset and limit, linking to the next page', async () => {
    const first = (await call(sim, '/models?limit=3')).json();
    expect(list(first, 'data')).toHaveLength(3);
    expect(at(first, 'links', 'next')).toBe('/api/v1/models?offset=3&limit=3');
    const total = Number(at(first, 'total_count'));
    const last = (await call(sim, `/models?offset=${total - 2}&limit=3`)).json();
    expect(list(last, 'data')).toHaveLength(2);
    expect(at(last, 'links', 'next')).toBeNull();
  });

  it.each(['limit=0', 'limit=1001', 'offset=x'])('rejects the bad query %s with 400', async (query) => {
    expect((await call(sim, `/models?${query}`)).status).toBe(400);
  });
});

describe('GET /models/{author}/{slug}/endpoints', () => {
  it("lists a model's provider endpoints", async () => {
    const answer = await call(sim, '/models/openai/gpt-4o-mini/endpoints', { key: sim.apiKey });
    expect(answer.status).toBe(200);
    const data = at(answer.json(), 'data');
    expect(at(data, 'id')).toBe('openai/gpt-4o-mini');
    const endpoints = list(data, 'endpoints');
    expect(endpoints.map((endpoint) => at(endpoint, 'provider_name'))).toContain('OpenAI');
    for (const endpoint of endpoints) {
      expect(at(endpoint, 'uptime_last_30m')).toEqual(expect.any(Number));
      expect(at(endpoint, 'latency_last_30m', 'p50')).toEqual(expect.any(Number));
      expect(at(endpoint, 'status')).toBe(0);
    }
  });

  it('hides latency and throughput from an unauthenticated caller', async () => {
    const endpoints = list(
      (await call(sim, '/models/openai/gpt-4o-mini/endpoints')).json(),
      'data',
      'endpoints',
    );
    for (const endpoint of endpoints) {
      expect(at(endpoint, 'latency_last_30m')).toBeNull();
      expect(at(endpoint, 'throughput_last_30m')).toBeNull();
    }
  });

  it('serves a :free variant, its colon encoded or not', async () => {
    for (const slug of ['llama-3.1-8b-instruct:free', 'llama-3.1-8b-instruct%3Afree']) {
      const answer = await call(sim, `/models/meta-llama/${slug}/endpoints`);
      expect(answer.status).toBe(200);
      expect(at(answer.json(), 'data', 'id')).toBe('meta-llama/llama-3.1-8b-instruct:free');
    }
  });

  it('answers 404 for an unknown model', async () => {
    const answer = await call(sim, '/models/acme/unknown-model/endpoints');
    expect(answer.status).toBe(404);
    expect(at(answer.json(), 'error', 'code')).toBe(404);
  });
});
