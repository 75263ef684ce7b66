import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/server';
import type { Simulator } from '../../simulator/types';
import { at, call, chatBody } from './support';

const started: Simulator[] = [];
async function simulator(...args: Parameters<typeof startSimulator>): Promise<Simulator> {
  const sim = await startSimulator(...args);
  started.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

describe('startSimulator', () => {
  it('listens on a free port of 127.0.0.1 and serves under /api/v1', async () => {
    const sim = await simulator();
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(sim.baseUrl).not.toMatch(/:0\//);
    expect((await call(sim, '/models')).status).toBe(200);
  });

  it('accepts a key shaped like a real one and a different management key by default', async () => {
    const sim = await simulator();
    expect(sim.apiKey).toMatch(/^sk-or-v1-[0-9a-f]{64}$/);
    expect(sim.managementKey).toMatch(/^sk-or-v1-[0-9a-f]{64}$/);
    expect(sim.apiKey).not.toBe(sim.managementKey);
  });

  it('uses the keys it is given', async () => {
    const apiKey = `sk-or-v1-${'5c'.repeat(32)}`;
    const managementKey = `sk-or-v1-${'7d'.repeat(32)}`;
    const sim = await simulator({ apiKey, managementKey });
    expect((await call(sim, '/key', { key: apiKey })).status).toBe(200);
    expect((await call(sim, '/credits', { key: managementKey })).status).toBe(200);
  });

  it.each(['0.0.0.0', '192.168.1.10', '::', 'example.com'])(
    'refuses to listen on the non-loopback host %s',
    async (host) => {
      await expect(startSimulator({ host })).rejects.toThrow(/loopback/);
    },
  );

  // `as never`: deliberately invalid values the types would refuse, as a JavaScript caller could pass them.
  it.each([
    [{ scenario: 'no-such-scenario' as never }, /unknown scenario/],
    [{ latencyMs: -1 }, /latencyMs/],
    [{ port: 70_000 }, /port/],
    [{ extraKeys: 1.5 }, /extraKeys/],
    [{ apiKey: 'same', managementKey: 'same' }, /must differ/],
    [{ creditsWithRegularKey: '200' as never }, /creditsWithRegularKey/],
  ])('rejects the bad option %o', async (options, message) => {
    await expect(startSimulator(options)).rejects.toThrow(message);
  });

  it('never names a key in an option error', async () => {
    const apiKey = `sk-or-v1-${'9b'.repeat(32)}`;
    await expect(startSimulator({ apiKey, managementKey: apiKey })).rejects.toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('9b9b') }),
    );
  });
});

describe('routing', () => {
  it('answers an unknown path under /api/v1 with a JSON 404', async () => {
    const sim = await simulator();
    const answer = await call(sim, '/no-such-route', { key: sim.apiKey });
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.json()).toEqual({ error: { code: 404, message: 'Not Found' } });
  });

  it('answers a path outside /api/v1 with a JSON 404', async () => {
    const sim = await simulator();
    const response = await request(sim.baseUrl.replace('/api/v1', '/v2/models'));
    expect(response.statusCode).toBe(404);
    expect(await response.body.json()).toEqual({ error: { code: 404, message: 'Not Found' } });
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const sim = await simulator();
    const answer = await call(sim, '/models', { method: 'POST', body: {} });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET');
  });

  it('refuses a request body over 4 MiB with 413', async () => {
    const sim = await simulator();
    const answer = await call(sim, '/chat/completions', {
      key: sim.apiKey,
      body: 'x'.repeat(4 * 1024 * 1024 + 1),
    });
    expect(answer.status).toBe(413);
  });
});

describe('latency, counts and close', () => {
  it('delays every answer by the latency set live', async () => {
    const sim = await simulator();
    sim.setLatency(250);
    const started = performance.now();
    await call(sim, '/models');
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(() => sim.setLatency(-5)).toThrow(/latencyMs/);
  });

  it('counts requests per route, unauthenticated and faulted ones included, until reset', async () => {
    const sim = await simulator();
    sim.injectFault('credits', { kind: 'status', status: 500, times: 1 });
    await call(sim, '/key', { key: sim.apiKey });
    await call(sim, '/auth/key');
    await call(sim, '/credits', { key: sim.managementKey });
    await call(sim, '/chat/completions', { key: sim.apiKey, body: chatBody({ max_tokens: 1 }) });
    expect([sim.requestCount('key'), sim.requestCount('credits'), sim.requestCount('chat')]).toEqual([
      2, 1, 1,
    ]);
    expect(sim.requestCount('generation')).toBe(0);
    sim.resetCounts();
    expect(sim.requestCount('key')).toBe(0);
  });

  it('ends a hanging request and a half-sent answer when closed', async () => {
    const sim = await simulator();
    sim.injectFault('key', { kind: 'hang' });
    sim.injectFault('models', { kind: 'stall-mid-body' });
    const hanging = call(sim, '/key', { key: sim.apiKey });
    const stalled = call(sim, '/models');
    // Wait until both requests are in, so that close() meets open sockets.
    await expect.poll(() => sim.requestCount('key') + sim.requestCount('models')).toBe(2);
    await sim.close();
    await expect(hanging).rejects.toThrow();
    await expect(stalled).rejects.toThrow();
  });

  it('ends the injected latency of pending requests when closed', async () => {
    const sim = await simulator({ latencyMs: 600_000 });
    const pending = call(sim, '/models');
    await expect.poll(() => sim.requestCount('models')).toBe(1);
    await sim.close();
    await expect(pending).rejects.toThrow();
  });

  it('can be closed twice', async () => {
    const sim = await simulator();
    await sim.close();
    await expect(sim.close()).resolves.toBeUndefined();
  });

  it('refuses an unknown scenario when switching live', async () => {
    const sim = await simulator();
    // `as never`: a name the type refuses, as a JavaScript caller could still pass it.
    expect(() => sim.setScenario('nope' as never)).toThrow(/unknown scenario/);
    expect(at((await call(sim, '/key', { key: sim.apiKey })).json(), 'data', 'limit')).toBe(100);
  });
});
