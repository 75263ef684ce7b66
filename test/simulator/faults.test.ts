import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/server';
import type { Fault, RouteName, Simulator } from '../../simulator/types';
import { at, call, chatBody, list } from './support';

const started: Simulator[] = [];
async function simulator(): Promise<Simulator> {
  const sim = await startSimulator();
  started.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

const keyCall = (sim: Simulator) => call(sim, '/key', { key: sim.apiKey });
const chatCall = (sim: Simulator, model: string) =>
  call(sim, '/chat/completions', { key: sim.apiKey, body: chatBody({ model, max_tokens: 1 }) });

describe('status faults', () => {
  it('answer with the status and an OpenRouter error envelope', async () => {
    const sim = await simulator();
    sim.injectFault('credits', { kind: 'status', status: 503 });
    const answer = await call(sim, '/credits', { key: sim.managementKey });
    expect(answer.status).toBe(503);
    expect(answer.json()).toEqual({ error: { code: 503, message: 'Service Unavailable' } });
  });

  it('answer with a custom body and headers', async () => {
    const sim = await simulator();
    const body = { error: { code: 429, message: 'Rate limit exceeded: free-models-per-day' } };
    sim.injectFault('chat', { kind: 'status', status: 429, body, headers: { 'Retry-After': '7' } });
    const answer = await chatCall(sim, 'openai/gpt-4o-mini');
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('7');
    expect(answer.json()).toEqual(body);
  });

  it('apply to the next `times` requests only', async () => {
    const sim = await simulator();
    sim.injectFault('key', { kind: 'status', status: 500, times: 2 });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) statuses.push((await keyCall(sim)).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect(sim.requestCount('key')).toBe(3);
  });

  it('limited to a model leave requests for other models alone', async () => {
    const sim = await simulator();
    sim.injectFault('chat', { kind: 'status', status: 502, model: 'anthropic/claude-3.5-haiku' });
    expect((await chatCall(sim, 'openai/gpt-4o-mini')).status).toBe(200);
    expect((await chatCall(sim, 'anthropic/claude-3.5-haiku')).status).toBe(502);
    const fallback = await call(sim, '/chat/completions', {
      key: sim.apiKey,
      body: chatBody({ models: ['anthropic/claude-3.5-haiku', 'openai/gpt-4o-mini'], max_tokens: 1 }),
    });
    expect(fallback.status).toBe(502);
  });

  it('limited to a model apply to that model on the endpoints route', async () => {
    const sim = await simulator();
    sim.injectFault('endpoints', { kind: 'status', status: 500, model: 'openai/gpt-4o-mini' });
    expect((await call(sim, '/models/openai/gpt-4o-mini/endpoints')).status).toBe(500);
    expect((await call(sim, '/models/openai/gpt-4o/endpoints')).status).toBe(200);
  });

  it('queue on a route: the first matching one applies', async () => {
    const sim = await simulator();
    sim.injectFault('chat', { kind: 'status', status: 429, model: 'openai/gpt-4o', times: 1 });
    sim.injectFault('chat', { kind: 'status', status: 500, times: 1 });
    sim.injectFault('chat', { kind: 'status', status: 503, times: 1 });
    expect((await chatCall(sim, 'openai/gpt-4o-mini')).status).toBe(500);
    expect((await chatCall(sim, 'openai/gpt-4o')).status).toBe(429);
    expect((await chatCall(sim, 'openai/gpt-4o')).status).toBe(503);
    expect((await chatCall(sim, 'openai/gpt-4o')).status).toBe(200);
  });

  it('stop when cleared', async () => {
    const sim = await simulator();
    sim.injectFault('models', { kind: 'status', status: 500 });
    expect((await call(sim, '/models')).status).toBe(500);
    sim.clearFaults();
    expect((await call(sim, '/models')).status).toBe(200);
  });
});

describe('transport faults', () => {
  it('hang: accepts the request and never answers', async () => {
    const sim = await simulator();
    sim.injectFault('credits', { kind: 'hang' });
    const pending = request(`${sim.baseUrl}/credits`, {
      headers: { authorization: `Bearer ${sim.managementKey}` },
      headersTimeout: 300,
    });
    await expect(pending).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
  });

  it('stall-mid-body: sends 200 headers and part of a body, then nothing', async () => {
    const sim = await simulator();
    sim.injectFault('models', { kind: 'stall-mid-body' });
    const response = await request(`${sim.baseUrl}/models`, { bodyTimeout: 300 });
    expect(response.statusCode).toBe(200);
    await expect(response.body.text()).rejects.toMatchObject({ code: 'UND_ERR_BODY_TIMEOUT' });
  });

  it('reset: destroys the socket without an answer', async () => {
    const sim = await simulator();
    sim.injectFault('key', { kind: 'reset', times: 1 });
    await expect(keyCall(sim)).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/),
    });
    expect((await keyCall(sim)).status).toBe(200);
  });

  it('latencyMs delays the faulted answer', async () => {
    const sim = await simulator();
    sim.injectFault('key', { kind: 'status', status: 500, latencyMs: 300, times: 1 });
    const begin = performance.now();
    expect((await keyCall(sim)).status).toBe(500);
    expect(performance.now() - begin).toBeGreaterThanOrEqual(290);
  });
});

describe('body faults', () => {
  it('html: a Cloudflare-style page with the status', async () => {
    const sim = await simulator();
    sim.injectFault('chat', { kind: 'html', status: 524 });
    const answer = await chatCall(sim, 'openai/gpt-4o-mini');
    expect(answer.status).toBe(524);
    expect(answer.headers['content-type']).toMatch(/^text\/html/);
    expect(answer.text).toMatch(/^<!DOCTYPE html>/);
    expect(answer.text).toContain('Error code 524');
  });

  it('malformed-json: 200 with a body JSON.parse rejects', async () => {
    const sim = await simulator();
    sim.injectFault('key', { kind: 'malformed-json' });
    const answer = await keyCall(sim);
    expect(answer.status).toBe(200);
    expect(() => answer.json()).toThrow(SyntaxError);
  });

  it('empty-body: 200 with nothing in it', async () => {
    const sim = await simulator();
    sim.injectFault('credits', { kind: 'empty-body' });
    const answer = await call(sim, '/credits', { key: sim.managementKey });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
  });

  it("error-in-200: an error envelope without choices, naming the chat model's provider", async () => {
    const sim = await simulator();
    sim.injectFault('chat', { kind: 'error-in-200' });
    const answer = await chatCall(sim, 'google/gemini-2.0-flash-001');
    expect(answer.status).toBe(200);
    const body = answer.json();
    expect(body).toMatchObject({
      error: {
        code: 524,
        message: 'Provider returned error',
        metadata: { raw: 'error code: 524', provider_name: 'Google AI Studio' },
      },
    });
    expect(at(body, 'choices')).toBeUndefined();
  });

  it('error-in-200 takes its code and message', async () => {
    const sim = await simulator();
    sim.injectFault('key', { kind: 'error-in-200', code: 500, message: 'Internal error' });
    expect(at((await keyCall(sim)).json(), 'error')).toMatchObject({ code: 500, message: 'Internal error' });
  });

  it('huge-body: a valid JSON document of exactly the size asked for', async () => {
    const sim = await simulator();
    const bytes = 3 * 1024 * 1024 + 17;
    sim.injectFault('models', { kind: 'huge-body', bytes });
    const answer = await call(sim, '/models');
    expect(answer.status).toBe(200);
    expect(Buffer.byteLength(answer.text)).toBe(bytes);
    expect(String(at(answer.json(), 'padding')).length).toBe(bytes - '{"padding":""}'.length);
  });

  it('json: exactly the body given, with its status', async () => {
    const sim = await simulator();
    const body = { data: { total_credits: '500', total_usage: null } };
    sim.injectFault('credits', { kind: 'json', body, status: 200 });
    sim.injectFault('key', { kind: 'json', body: [1, 'two'], status: 418 });
    expect((await call(sim, '/credits', { key: sim.managementKey })).json()).toEqual(body);
    const key = await keyCall(sim);
    expect(key.status).toBe(418);
    expect(key.json()).toEqual([1, 'two']);
  });

  it('leading-whitespace: blank lines before the normal answer', async () => {
    const sim = await simulator();
    const normal = await keyCall(sim);
    sim.injectFault('key', { kind: 'leading-whitespace' });
    const padded = await keyCall(sim);
    expect(padded.status).toBe(200);
    expect(padded.text).toMatch(/^\n\n\n\n+\{/);
    expect(padded.text.trimStart()).toBe(normal.text);
  });

  it("echo-key: an error whose message repeats the caller's Authorization header", async () => {
    const sim = await simulator();
    sim.injectFault('chat', { kind: 'echo-key', status: 401 });
    const answer = await chatCall(sim, 'openai/gpt-4o-mini');
    expect(answer.status).toBe(401);
    expect(String(at(answer.json(), 'error', 'message'))).toContain(`Bearer ${sim.apiKey}`);
  });
});

describe('fault validation', () => {
  // `as never`: deliberately invalid values the types would refuse, as a JavaScript caller could pass them.
  it.each<[RouteName, Fault, RegExp]>([
    ['key', { kind: 'status', status: 99 }, /status/],
    ['key', { kind: 'status', status: 500, times: 0 }, /times/],
    ['key', { kind: 'hang', latencyMs: -1 }, /latencyMs/],
    ['key', { kind: 'status', status: 500, model: 'openai/gpt-4o-mini' }, /model/],
    ['key', { kind: 'huge-body', bytes: -1 }, /bytes/],
    ['nope' as never, { kind: 'hang' }, /unknown route/],
    ['key', { kind: 'explode' } as never, /unknown fault/],
  ])('refuses on %s the fault %o', async (route, fault, message) => {
    const sim = await simulator();
    expect(() => sim.injectFault(route, fault)).toThrow(message);
  });
});

describe('faults and the rest of the simulator', () => {
  it('leave other routes alone', async () => {
    const sim = await simulator();
    sim.injectFault('key', { kind: 'status', status: 500 });
    expect(list((await call(sim, '/models')).json(), 'data').length).toBeGreaterThan(0);
    expect((await call(sim, '/credits', { key: sim.managementKey })).status).toBe(200);
  });
});
