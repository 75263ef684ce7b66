import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../simulator/catalog';
import { SCENARIO_SPECS } from '../../simulator/scenarios';
import { startSimulator } from '../../simulator/server';
import { SCENARIOS, type ScenarioName, type Simulator } from '../../simulator/types';
import { at, call, chatBody, DAY_MS, list, manualClock } from './support';

const clock = manualClock();
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ now: clock.now });
});
afterAll(async () => {
  await sim.close();
});

const probe = (model = 'openai/gpt-4o-mini') => chatBody({ model, max_tokens: 1 });
const currentKey = async () => at((await call(sim, '/key', { key: sim.apiKey })).json(), 'data');
const chat = (model?: string) => call(sim, '/chat/completions', { key: sim.apiKey, body: probe(model) });
const balance = async () => {
  const data = at((await call(sim, '/credits', { key: sim.managementKey })).json(), 'data');
  return Number(at(data, 'total_credits')) - Number(at(data, 'total_usage'));
};
/** The keys of the API key's own workspace (`workspace_id` of its GET /key). */
async function listedKeys(): Promise<unknown[]> {
  const answer = await call(sim, '/key', { key: sim.apiKey });
  // An unknown key has no workspace: look in the default one.
  const scope =
    answer.status === 200
      ? `&workspace_id=${encodeURIComponent(String(at(answer.json(), 'data', 'workspace_id')))}`
      : '';
  const path = `/keys?include_disabled=true${scope}`;
  return list((await call(sim, path, { key: sim.managementKey })).json(), 'data');
}
async function listedApiKey(): Promise<unknown> {
  const hash = createHash('sha256').update(sim.apiKey).digest('hex');
  return (await listedKeys()).find((key) => at(key, 'hash') === hash);
}
const daysFromNow = (iso: unknown) => (Date.parse(String(iso)) - clock.now().getTime()) / DAY_MS;

function use(name: ScenarioName): void {
  sim.setScenario(name);
}

describe('scenarios', () => {
  it('describes every scenario and names the check it targets', () => {
    for (const name of SCENARIOS) {
      expect(SCENARIO_SPECS[name].description.length).toBeGreaterThan(10);
      expect(SCENARIO_SPECS[name].target === null).toBe(name === 'healthy');
    }
  });

  it('healthy: money, limit, a 30-day-old key and a working completion on every model', async () => {
    use('healthy');
    expect(await balance()).toBe(380);
    expect(await currentKey()).toMatchObject({
      limit: 100,
      limit_remaining: 80,
      // 1.2 USD a day, 10 hours into the clock's day (Tuesday 2026-09-01 10:00 UTC).
      usage_daily: 0.5,
      expires_at: null,
    });
    expect(daysFromNow(at(await listedApiKey(), 'created_at'))).toBe(-30);
    for (const model of CATALOG) expect((await chat(model.id)).status, model.id).toBe(200);
  });

  it('no-key-limit: the API key has no limit and nothing left to report', async () => {
    use('no-key-limit');
    expect(await currentKey()).toMatchObject({ limit: null, limit_remaining: null });
    expect(at(await listedApiKey(), 'limit')).toBeNull();
    expect((await chat()).status).toBe(200);
  });

  it('low-credits: about 3 USD on the account, 2 USD under the key limit, and a 1-token probe still served', async () => {
    use('low-credits');
    expect(await balance()).toBeCloseTo(3, 6);
    expect(at(await currentKey(), 'limit_remaining')).toBe(2);
    expect((await chat()).status).toBe(200);
  });

  it('old-key: the API key was created 120 days ago', async () => {
    use('old-key');
    expect(daysFromNow(at(await listedApiKey(), 'created_at'))).toBe(-120);
    expect(at(await currentKey(), 'expires_at')).toBeNull();
  });

  it('key-expiring: the API key expires in 5 days, in /key and /keys alike', async () => {
    use('key-expiring');
    const expiresAt = at(await currentKey(), 'expires_at');
    expect(daysFromNow(expiresAt)).toBe(5);
    expect(at(await listedApiKey(), 'expires_at')).toBe(expiresAt);
  });

  it('model-missing: openai/gpt-4o-mini is gone from /models and its completions answer model_not_found', async () => {
    use('model-missing');
    const ids = list((await call(sim, '/models')).json(), 'data').map((model) => at(model, 'id'));
    expect(ids).not.toContain('openai/gpt-4o-mini');
    expect(ids).toContain('anthropic/claude-3.5-haiku');
    const answer = await chat();
    expect(answer.status).toBe(400);
    expect(at(answer.json(), 'error', 'availability', 'code')).toBe('model_not_found');
    expect((await call(sim, '/models/openai/gpt-4o-mini/endpoints')).status).toBe(404);
    expect((await chat('anthropic/claude-3.5-haiku')).status).toBe(200);
  });

  it('model-retiring: openai/gpt-4o-mini is retired in 10 days', async () => {
    use('model-retiring');
    const models = list((await call(sim, '/models')).json(), 'data');
    const expiring = models.filter((model) => at(model, 'expiration_date') !== null);
    expect(expiring.map((model) => at(model, 'id'))).toEqual(['openai/gpt-4o-mini']);
    expect(at(expiring[0], 'expiration_date')).toBe(
      new Date(clock.now().getTime() + 10 * DAY_MS).toISOString().slice(0, 10),
    );
    expect((await chat()).status).toBe(200);
  });

  it('provider-down: every model answers 502 "Provider returned error" naming its provider', async () => {
    use('provider-down');
    for (const model of CATALOG) {
      const answer = await chat(model.id);
      expect(answer.status, model.id).toBe(502);
      expect(answer.json()).toMatchObject({
        error: {
          code: 502,
          message: 'Provider returned error',
          metadata: { provider_name: model.endpoints[0].providerName },
        },
      });
    }
  });

  it('rate-limited: completions answer 429 with Retry-After: 1 and the X-RateLimit headers', async () => {
    use('rate-limited');
    const answer = await chat();
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('1');
    expect(answer.headers['x-ratelimit-limit']).toBe('20');
    expect(answer.headers['x-ratelimit-remaining']).toBe('0');
    const reset = Number(answer.headers['x-ratelimit-reset']);
    expect(reset).toBeGreaterThan(clock.now().getTime());
    expect(reset - clock.now().getTime()).toBeLessThanOrEqual(60_000);
    expect(String(at(answer.json(), 'error', 'message'))).toMatch(/per-min/);
    expect(at(answer.json(), 'error', 'metadata', 'headers', 'X-RateLimit-Reset')).toBe(String(reset));
  });

  it('payment-required: an empty account answers 402 "can only afford 0", free models included', async () => {
    use('payment-required');
    expect(await balance()).toBe(0);
    for (const model of ['openai/gpt-4o-mini', 'meta-llama/llama-3.1-8b-instruct:free']) {
      const answer = await chat(model);
      expect(answer.status, model).toBe(402);
      expect(answer.json()).toMatchObject({
        error: {
          code: 402,
          message: expect.stringMatching(
            /^This request requires more credits, or fewer max_tokens\. You requested up to 1 tokens, but can only afford 0\./,
          ),
          metadata: { provider_name: null },
        },
        user_id: expect.stringMatching(/^user_/),
      });
    }
  });

  it('invalid-key: the API key gets 401 "User not found." everywhere, the management key still works', async () => {
    use('invalid-key');
    for (const answer of [
      await call(sim, '/key', { key: sim.apiKey }),
      await call(sim, '/auth/key', { key: sim.apiKey }),
      await call(sim, '/credits', { key: sim.apiKey }),
      await call(sim, '/keys', { key: sim.apiKey }),
      await call(sim, '/generation?id=gen-1-x', { key: sim.apiKey }),
      await chat(),
    ]) {
      expect(answer.status).toBe(401);
      expect(answer.json()).toEqual({ error: { code: 401, message: 'User not found.' } });
    }
    expect((await call(sim, '/models', { key: sim.apiKey })).status).toBe(200);
    expect((await call(sim, '/credits', { key: sim.managementKey })).status).toBe(200);
    expect(await listedApiKey()).toBeUndefined();
  });

  it("over-budget: today's spend is 60 USD while the runway stays long", async () => {
    use('over-budget');
    const key = await currentKey();
    // 60 USD spent earlier today, on top of 1.2 USD a day over the 10 hours of the clock's day.
    expect(at(key, 'usage_daily')).toBeCloseTo(60.5, 9);
    expect(Number(at(key, 'limit_remaining')) / 60).toBeGreaterThan(7);
    expect((await balance()) / 60).toBeGreaterThan(7);
  });

  it('management-key-as-api-key: the API key reports is_management_key and completions answer 403', async () => {
    use('management-key-as-api-key');
    expect(await currentKey()).toMatchObject({
      is_management_key: true,
      is_provisioning_key: true,
      limit: 100,
    });
    expect((await chat()).status).toBe(403);
  });

  it('unlimited-keys: two other keys have no limit and one is 120 days old; the API key is untouched', async () => {
    use('unlimited-keys');
    const keys = await listedKeys();
    const apiKey = await listedApiKey();
    const others = keys.filter((key) => key !== apiKey && at(key, 'hash') !== at(apiKey, 'hash'));
    expect(others.filter((key) => at(key, 'limit') === null)).toHaveLength(2);
    expect(
      others
        .filter((key) => daysFromNow(at(key, 'created_at')) <= -90)
        .map((key) => daysFromNow(at(key, 'created_at'))),
    ).toEqual([-120]);
    expect(at(apiKey, 'limit')).toBe(100);
    expect(daysFromNow(at(apiKey, 'created_at'))).toBe(-30);
  });

  it('switches live: a scenario change applies to the next request', async () => {
    use('invalid-key');
    expect((await call(sim, '/key', { key: sim.apiKey })).status).toBe(401);
    use('healthy');
    expect((await call(sim, '/key', { key: sim.apiKey })).status).toBe(200);
  });

  // The data-validation scenarios send a deliberately broken /key: agreement is not the point there.
  const broken: readonly string[] = ['invalid-key', 'garbage-key-figures', 'absurd-key-figures'];
  it.each(SCENARIOS.filter((name) => !broken.includes(name)))(
    '%s keeps /key and /keys in agreement on the API key',
    async (name) => {
      use(name);
      const current = await currentKey();
      const listed = await listedApiKey();
      for (const field of [
        'label',
        'limit',
        'limit_remaining',
        'usage',
        'usage_daily',
        'usage_weekly',
        'usage_monthly',
        'expires_at',
      ]) {
        expect(at(listed, field), field).toEqual(at(current, field));
      }
    },
  );
});
