import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/server';
import type { Simulator, SimulatorOptions } from '../../simulator/types';
import { at, call, chatBody, DAY_MS, list, manualClock } from './support';

const clock = manualClock();
const started: Simulator[] = [];
async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ now: clock.now, ...options });
  started.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

function maskedLabel(key: string): string {
  const secret = key.slice('sk-or-v1-'.length);
  return `sk-or-v1-${secret.slice(0, 3)}...${secret.slice(-3)}`;
}

async function allKeys(sim: Simulator, includeDisabled: boolean): Promise<unknown[][]> {
  const pages: unknown[][] = [];
  for (let offset = 0; ; offset += 100) {
    const answer = await call(sim, `/keys?include_disabled=${includeDisabled}&offset=${offset}`, {
      key: sim.managementKey,
    });
    expect(answer.status).toBe(200);
    const page = list(answer.json(), 'data');
    pages.push(page);
    if (page.length < 100) return pages;
  }
}

describe('GET /key and /auth/key', () => {
  it('describes the API key with its masked label, limit and usage', async () => {
    const sim = await simulator();
    const answer = await call(sim, '/key', { key: sim.apiKey });
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({
      data: {
        label: maskedLabel(sim.apiKey),
        limit: 100,
        limit_remaining: 80,
        limit_reset: null,
        usage: 20,
        // At Tuesday 2026-09-01 10:00 UTC, 1.2 USD a day: 10 hours today, a day and 10 hours this week.
        usage_daily: 0.5,
        usage_weekly: 1.7,
        usage_monthly: 0.5,
        is_management_key: false,
        is_provisioning_key: false,
        is_free_tier: false,
        expires_at: null,
        rate_limit: { requests: -1, interval: '10s' },
        free_model_daily_requests: { limit: 1000, remaining: 988, used: 12 },
      },
    });
    expect(answer.text).not.toContain(sim.apiKey);
  });

  it('serves the deprecated /auth/key alias with the same body', async () => {
    const sim = await simulator();
    const current = await call(sim, '/key', { key: sim.apiKey });
    const legacy = await call(sim, '/auth/key', { key: sim.apiKey });
    expect(legacy.status).toBe(200);
    expect(legacy.text).toBe(current.text);
  });

  it('tells a management key apart with both flags', async () => {
    const sim = await simulator();
    const body = (await call(sim, '/key', { key: sim.managementKey })).json();
    expect(body).toMatchObject({
      data: {
        label: maskedLabel(sim.managementKey),
        is_management_key: true,
        is_provisioning_key: true,
        limit: null,
      },
    });
  });
});

describe('authentication', () => {
  const protectedRoutes: readonly [string, string, unknown][] = [
    ['GET', '/key', undefined],
    ['GET', '/auth/key', undefined],
    ['GET', '/credits', undefined],
    ['GET', '/keys', undefined],
    ['GET', '/generation?id=gen-1-x', undefined],
    ['POST', '/chat/completions', chatBody({ max_tokens: 1 })],
  ];

  it.each(protectedRoutes)(
    '%s %s without an Authorization header answers 401 "No auth credentials found"',
    async (_m, path, body) => {
      const sim = await simulator();
      const answer = await call(sim, path, { body });
      expect(answer.status).toBe(401);
      expect(answer.json()).toEqual({ error: { code: 401, message: 'No auth credentials found' } });
    },
  );

  it.each(protectedRoutes)(
    '%s %s with a malformed Authorization header answers 401 "No auth credentials found"',
    async (_m, path, body) => {
      const sim = await simulator();
      const answer = await call(sim, path, { body, headers: { authorization: `Basic ${sim.apiKey}` } });
      expect(answer.status).toBe(401);
      expect(at(answer.json(), 'error', 'message')).toBe('No auth credentials found');
    },
  );

  it.each(protectedRoutes)(
    '%s %s with an unknown key answers 401 "User not found."',
    async (_m, path, body) => {
      const sim = await simulator();
      const answer = await call(sim, path, { body, key: `sk-or-v1-${'0f'.repeat(32)}` });
      expect(answer.status).toBe(401);
      expect(answer.json()).toEqual({ error: { code: 401, message: 'User not found.' } });
    },
  );
});

describe('GET /credits', () => {
  it('gives a management key the account credits and usage', async () => {
    const sim = await simulator();
    const answer = await call(sim, '/credits', { key: sim.managementKey });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ data: { total_credits: 500, total_usage: 120 } });
  });

  it('refuses a regular key with the documented 403', async () => {
    const sim = await simulator();
    const answer = await call(sim, '/credits', { key: sim.apiKey });
    expect(answer.status).toBe(403);
    expect(answer.json()).toEqual({
      error: { code: 403, message: 'Only management keys can perform this operation' },
    });
  });

  it('answers a regular key with 200 and zeros when asked to, as seen live', async () => {
    const sim = await simulator({ creditsWithRegularKey: 'zeros' });
    const answer = await call(sim, '/credits', { key: sim.apiKey });
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ data: { total_credits: 0, total_usage: 0 } });
  });
});

describe('GET /keys', () => {
  it('refuses a regular key with 403', async () => {
    const sim = await simulator();
    const answer = await call(sim, '/keys', { key: sim.apiKey });
    expect(answer.status).toBe(403);
    expect(at(answer.json(), 'error', 'message')).toBe('Only management keys can perform this operation');
  });

  it('lists the API key with the same label, limit and usage as /key, its sha256 hash and its creation date', async () => {
    const sim = await simulator();
    const current = at((await call(sim, '/key', { key: sim.apiKey })).json(), 'data');
    const keys = list((await call(sim, '/keys', { key: sim.managementKey })).json(), 'data');
    const listed = keys.find((key) => at(key, 'label') === at(current, 'label'));
    const shared = [
      'label',
      'limit',
      'limit_remaining',
      'limit_reset',
      'usage',
      'usage_daily',
      'usage_weekly',
      'usage_monthly',
      'expires_at',
    ];
    for (const field of shared) expect(at(listed, field), field).toEqual(at(current, field));
    expect(at(listed, 'hash')).toBe(createHash('sha256').update(sim.apiKey).digest('hex'));
    expect(at(listed, 'created_at')).toBe(
      new Date(clock.now().getTime() - 30 * DAY_MS).toISOString().replace('Z', '+00:00'),
    );
    expect(at(listed, 'disabled')).toBe(false);
    expect(at(listed, 'workspace_id')).toEqual(expect.any(String));
  });

  it('lists the API key and four healthy further keys by default, none disabled, all with a limit and under 75 days old', async () => {
    const sim = await simulator();
    const keys = list(
      (await call(sim, '/keys?include_disabled=true', { key: sim.managementKey })).json(),
      'data',
    );
    expect(keys).toHaveLength(5);
    for (const key of keys) {
      expect(at(key, 'limit')).toEqual(expect.any(Number));
      expect(at(key, 'disabled')).toBe(false);
      const ageDays = (clock.now().getTime() - Date.parse(String(at(key, 'created_at')))) / DAY_MS;
      expect(ageDays).toBeLessThan(75);
      expect(Number(at(key, 'limit_remaining')) / Number(at(key, 'limit'))).toBeGreaterThan(0.1);
    }
  });

  it('pages 100 keys at a time, most recent first, and leaves disabled keys out unless asked', async () => {
    const sim = await simulator({ extraKeys: 250, disabledKeys: 3 });
    const enabled = await allKeys(sim, false);
    expect(enabled.map((page) => page.length)).toEqual([100, 100, 51]);
    const everything = await allKeys(sim, true);
    expect(everything.map((page) => page.length)).toEqual([100, 100, 54]);
    const keys = everything.flat();
    expect(new Set(keys.map((key) => at(key, 'hash'))).size).toBe(254);
    expect(keys.filter((key) => at(key, 'disabled') === true)).toHaveLength(3);
    const created = keys.map((key) => Date.parse(String(at(key, 'created_at'))));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect(enabled.flat().some((key) => at(key, 'disabled') === true)).toBe(false);
  });

  it('serves a 10,000-key account in 101 pages with the API key among them', async () => {
    const sim = await simulator({ extraKeys: 10_000 });
    const pages = await allKeys(sim, true);
    expect(pages).toHaveLength(101);
    const keys = pages.flat();
    expect(keys).toHaveLength(10_001);
    expect(keys.filter((key) => at(key, 'label') === maskedLabel(sim.apiKey))).toHaveLength(1);
  });

  it('answers an offset past the end with an empty page', async () => {
    const sim = await simulator();
    const answer = await call(sim, '/keys?offset=500', { key: sim.managementKey });
    expect(answer.json()).toEqual({ data: [] });
  });

  it.each(['offset=-1', 'offset=abc', 'include_disabled=yes'])(
    'rejects the bad query %s with 400',
    async (query) => {
      const sim = await simulator();
      const answer = await call(sim, `/keys?${query}`, { key: sim.managementKey });
      expect(answer.status).toBe(400);
      expect(at(answer.json(), 'error', 'code')).toBe(400);
    },
  );

  it('finds one key by hash and answers 404 for an unknown hash', async () => {
    const sim = await simulator();
    const hash = createHash('sha256').update(sim.apiKey).digest('hex');
    const found = await call(sim, `/keys/${hash}`, { key: sim.managementKey });
    expect(found.status).toBe(200);
    expect(at(found.json(), 'data', 'label')).toBe(maskedLabel(sim.apiKey));
    const missing = await call(sim, `/keys/${'0'.repeat(64)}`, { key: sim.managementKey });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 404, message: 'Resource not found' } });
    expect((await call(sim, `/keys/${hash}`, { key: sim.apiKey })).status).toBe(403);
  });

  it('shows the same account on every run', async () => {
    const first = await simulator({ extraKeys: 20 });
    const second = await simulator({ extraKeys: 20 });
    const a = await call(first, '/keys', { key: first.managementKey });
    const b = await call(second, '/keys', { key: second.managementKey });
    expect(a.text).toBe(b.text);
  });
});
