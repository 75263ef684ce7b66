/**
 * The client over real HTTP against a scripted server on 127.0.0.1, for behaviours that need
 * exact control of each answer: retry counts and timing, Retry-After, deadlines, resets, stalls,
 * oversized bodies and key secrecy. (client-simulator.test.ts covers the simulator.)
 */
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../lambda/engine/logger';
import { MAX_KEY_PAGES_IN_FLIGHT, type OpenRouterClient } from '../../lambda/openrouter/client';
import { OpenRouterError } from '../../lambda/openrouter/errors';
import { canaryApiKey, canaryManagementKey, exposeError, leaks } from '../support/canary';
import { fastRetryClients } from '../support/openrouter-clients';
import { rejectionOf } from '../support/rejection';
import {
  hang,
  huge,
  json,
  type Responder,
  reset,
  type ScriptedServer,
  stallMidBody,
  startScriptedServer,
  text,
} from './support/scripted-server';

const apiKey = canaryApiKey();
const managementKey = canaryManagementKey();
const keyData = {
  data: { label: 'sk-or-v1-c0f...0ff', limit: 10, limit_remaining: 5, is_management_key: false },
};
const completion = {
  id: 'gen-1',
  model: 'openai/gpt-4o-mini',
  provider: 'OpenAI',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Hi' } }],
  usage: { prompt_tokens: 3, completion_tokens: 1, cost: 0.00001 },
};
const chatRequest = { model: 'openai/gpt-4o-mini', maxTokens: 1, prompt: 'Say hi' };

let server: ScriptedServer;
const clients = fastRetryClients(() => ({ baseUrl: `${server.baseUrl}/`, apiKey, managementKey }));
const client = clients.create;
const failure = (promise: Promise<unknown>) => rejectionOf(promise, OpenRouterError);

beforeAll(async () => {
  server = await startScriptedServer();
});
afterEach(async () => {
  await clients.closeAll();
});
afterAll(async () => {
  await server.close();
});

function play(...responders: Responder[]): void {
  server.script(...responders);
}

describe('requests', () => {
  it('sends the API key, the attribution headers and JSON accept on /key', async () => {
    play(json(200, keyData));
    await client().getCurrentKey();
    const [request] = server.requests;
    expect(request?.url).toBe('/api/v1/key');
    expect(request?.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request?.headers['x-openrouter-title']).toBe('openrouter-auditor');
    expect(request?.headers['http-referer']).toBe('https://github.com/openrouter-auditor/openrouter-auditor');
    expect(request?.headers.accept).toBe('application/json');
  });

  it('uses the configured attribution headers', async () => {
    play(json(200, keyData));
    await client({ appTitle: 'My App', referer: 'https://my.example/' }).getCurrentKey();
    expect(server.requests[0]?.headers['x-openrouter-title']).toBe('My App');
    expect(server.requests[0]?.headers['http-referer']).toBe('https://my.example/');
  });

  it('sends the management key to /credits and to getManagementKeyInfo', async () => {
    play(json(200, { data: { total_credits: 5, total_usage: 1 } }));
    expect(await client().getCredits()).toEqual({ totalCredits: 5, totalUsage: 1 });
    play(json(200, { data: { label: 'sk-or-v1-dea...eef', is_management_key: true } }));
    expect((await client().getManagementKeyInfo()).isManagementKey).toBe(true);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${managementKey}`);
  });

  it('sends no Authorization header to /models', async () => {
    play(json(200, { data: [{ id: 'a/b' }] }));
    expect(await client().listModels()).toHaveLength(1);
    expect(server.requests[0]?.url).toBe('/api/v1/models');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('posts the completion body with max_tokens, no fallbacks, stream false and usage', async () => {
    play(json(200, completion));
    const result = await client().chatCompletion(chatRequest);
    expect(result).toMatchObject({ model: 'openai/gpt-4o-mini', content: 'Hi', costUsd: 0.00001 });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/v1/chat/completions');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hi' }],
      max_tokens: 1,
      stream: false,
      usage: { include: true },
    });
  });

  it('sends fallback models only when given', async () => {
    play(json(200, completion));
    await client().chatCompletion({ ...chatRequest, fallbackModels: ['a/b', 'c/d'] });
    expect(JSON.parse(server.requests[0]?.body ?? '').models).toEqual(['a/b', 'c/d']);
  });

  it.each([
    ['getCurrentKey', { apiKey: undefined }, (c: OpenRouterClient) => c.getCurrentKey()],
    ['chatCompletion', { apiKey: '' }, (c: OpenRouterClient) => c.chatCompletion(chatRequest)],
    ['getCredits', { managementKey: undefined }, (c: OpenRouterClient) => c.getCredits()],
    ['getManagementKeyInfo', { managementKey: '  ' }, (c: OpenRouterClient) => c.getManagementKeyInfo()],
    ['listAllKeys', { managementKey: undefined }, (c: OpenRouterClient) => c.listAllKeys()],
  ])('%s without its key fails with MISSING_KEY and sends nothing', async (_name, keys, run) => {
    play(json(200, keyData));
    const c = client(keys);
    const error = await failure(run(c));
    expect(error.code).toBe('MISSING_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it('says which keys it has', () => {
    expect(client({ apiKey: undefined })).toMatchObject({ hasApiKey: false, hasManagementKey: true });
    expect(client({ managementKey: '' })).toMatchObject({ hasApiKey: true, hasManagementKey: false });
  });
});

describe('listAllKeys', () => {
  const keyItems = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      hash: `h${from + i}`,
      name: `key ${from + i}`,
      label: 'sk-or-v1-abc...def',
      disabled: (from + i) % 7 === 0,
      limit: null,
      limit_remaining: null,
      usage: 0,
      usage_daily: 0,
      usage_weekly: 0,
      usage_monthly: 0,
      created_at: '2026-01-01T00:00:00Z',
    }));
  /**
   * An account without the workspaces API (GET /workspaces answers 404): the client falls back to
   * the default workspace, which is what these paging tests exercise.
   */
  const withoutWorkspaces =
    (responder: Responder): Responder =>
    (req, res, recorded) => {
      if (req.url?.startsWith('/api/v1/workspaces')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 404, message: 'Not Found' } }));
        return;
      }
      responder(req, res, recorded);
    };
  const keyRequests = () => server.requests.filter((r) => r.url?.startsWith('/api/v1/keys'));
  const offsetOf = (url: string | undefined): number =>
    Number(new URL(url ?? '/', 'http://x.invalid').searchParams.get('offset'));

  /**
   * An account of `total` keys that answers by the request's offset (pages are requested several
   * at a time, so they arrive in any order); `special` may answer one offset differently.
   */
  function account(total: number, special?: (offset: number, res: ServerResponse) => boolean): Responder {
    return withoutWorkspaces((req, res) => {
      const offset = offsetOf(req.url);
      if (special?.(offset, res)) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: keyItems(offset, Math.max(0, Math.min(100, total - offset))) }));
    });
  }
  const offsetsAsked = () =>
    keyRequests()
      .map((r) => offsetOf(r.url))
      .sort((a, b) => a - b);

  it('pages with include_disabled and offset until a short page, keeping offset order', async () => {
    play(account(237));
    const keys = await client().listAllKeys();
    expect(keys.map((k) => k.hash)).toEqual(Array.from({ length: 237 }, (_, i) => `h${i}`));
    expect(
      keyRequests()
        .map((r) => r.url)
        .sort(),
    ).toEqual([
      '/api/v1/keys?include_disabled=true&offset=0',
      '/api/v1/keys?include_disabled=true&offset=100',
      '/api/v1/keys?include_disabled=true&offset=200',
    ]);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${managementKey}`);
  });

  it('costs one request for an account of fewer than 100 keys', async () => {
    play(account(42));
    expect(await client().listAllKeys()).toHaveLength(42);
    expect(offsetsAsked()).toEqual([0]);
  });

  it('stops on an empty page', async () => {
    play(account(100));
    expect(await client().listAllKeys()).toHaveLength(100);
    expect(offsetsAsked()).toEqual([0, 100, 200]);
  });

  it('doubles the pages in flight from 1 up to MAX_KEY_PAGES_IN_FLIGHT, never more', async () => {
    let inFlight = 0;
    let most = 0;
    play(
      withoutWorkspaces((req, res, recorded) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        setTimeout(() => {
          inFlight -= 1;
          account(2_050)(req, res, recorded);
        }, 30);
      }),
    );
    const keys = await client().listAllKeys();
    expect(keys).toHaveLength(2_050);
    // Rounds of 1, 2, 4, 8 and 8 pages reach offset 2,200: 21 pages are needed, 23 are asked.
    expect(offsetsAsked()).toEqual(Array.from({ length: 23 }, (_, i) => i * 100));
    expect(most).toBeLessThanOrEqual(MAX_KEY_PAGES_IN_FLIGHT);
    expect(most).toBeGreaterThan(1);
  });

  it('keeps the API order when later pages answer first', async () => {
    play(
      withoutWorkspaces((req, res, recorded) => {
        // Lower offsets answer later, so answers arrive in reverse order within each round.
        setTimeout(() => account(1_234)(req, res, recorded), Math.max(0, 40 - offsetOf(req.url) / 100));
      }),
    );
    const keys = await client().listAllKeys();
    expect(keys.map((k) => k.hash)).toEqual(Array.from({ length: 1_234 }, (_, i) => `h${i}`));
  });

  it('fails the whole call when a page before the end fails', async () => {
    play(
      account(1_000, (offset, res) => {
        if (offset !== 400) return false;
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 404, message: 'Not Found' } }));
        return true;
      }),
    );
    const error = await failure(client().listAllKeys());
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 404, endpoint: '/keys' });
    // The round holding offset 400 (offsets 300 to 600) is the last one sent.
    expect(Math.max(...offsetsAsked())).toBe(600);
  });

  it('ignores a failure past the last page', async () => {
    play(
      account(150, (offset, res) => {
        if (offset !== 200) return false;
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 404, message: 'Not Found' } }));
        return true;
      }),
    );
    expect(await client().listAllKeys()).toHaveLength(150);
    expect(offsetsAsked()).toEqual([0, 100, 200]);
  });

  it('retries a page that failed with a 503 under the retry policy', async () => {
    let failed = false;
    play(
      account(250, (offset, res) => {
        if (offset !== 100 || failed) return false;
        failed = true;
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 503, message: 'busy' } }));
        return true;
      }),
    );
    const keys = await client().listAllKeys();
    expect(keys.map((k) => k.hash)).toEqual(Array.from({ length: 250 }, (_, i) => `h${i}`));
    expect(offsetsAsked()).toEqual([0, 100, 100, 200]);
  });

  it('refuses a server that ignores offset and repeats a full page', async () => {
    play(withoutWorkspaces(json(200, { data: keyItems(0, 100) })));
    const error = await failure(client().listAllKeys());
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('same page');
    // The first page, then the round of two whose first answer repeats it.
    expect(keyRequests()).toHaveLength(3);
  });

  it('stops a runaway server at its page cap (1000) or its byte budget (32 MB), whichever comes first', async () => {
    play(account(Number.MAX_SAFE_INTEGER));
    const error = await failure(client().listAllKeys());
    expect(error.code).toBe('BAD_RESPONSE');
    // These pages are about 34 KB each, so the byte budget ends it a little before 1000 pages.
    expect(error.message).toMatch(/more than 32 MB of \/keys \(\d+ pages\)|1000/);
    const asked = offsetsAsked();
    expect(asked.length).toBeGreaterThan(900);
    expect(asked.length).toBeLessThanOrEqual(1000);
    expect(asked).toEqual(Array.from({ length: asked.length }, (_, i) => i * 100));
  }, 60_000);
});

describe('management lists', () => {
  const keyItem = (hash: string) => ({
    hash,
    name: hash,
    label: 'sk-or-v1-abc...def',
    disabled: false,
    limit: null,
    limit_remaining: null,
    usage: 0,
    usage_daily: 0,
    usage_weekly: 0,
    usage_monthly: 0,
    created_at: '2026-01-01T00:00:00Z',
  });
  const params = (url: string | undefined) => new URL(url ?? '/', 'http://x.invalid');
  const urlsOf = (path: string) =>
    server.requests
      .map((r) => r.url)
      .filter((u) => params(u).pathname === path)
      .sort();

  /**
   * An account of `total` workspaces, each holding one key named after it; `/workspaces` pages by
   * `offset` and `limit` and states `total_count` when asked to.
   */
  function workspaceAccount(total: number, withTotalCount: boolean): Responder {
    return (req, res) => {
      const url = params(req.url);
      res.writeHead(200, { 'content-type': 'application/json' });
      if (url.pathname === '/api/v1/workspaces') {
        const offset = Number(url.searchParams.get('offset'));
        const limit = Number(url.searchParams.get('limit'));
        const count = Math.max(0, Math.min(limit, total - offset));
        const data = Array.from({ length: count }, (_, i) => ({
          id: `ws-${offset + i}`,
          name: `W${offset + i}`,
        }));
        res.end(JSON.stringify(withTotalCount ? { data, total_count: total } : { data }));
        return;
      }
      const workspace = url.searchParams.get('workspace_id');
      const first = url.searchParams.get('offset') === '0';
      res.end(JSON.stringify({ data: first && workspace !== null ? [keyItem(`key-of-${workspace}`)] : [] }));
    };
  }

  it('pages /workspaces with offset and limit 100 until a short page, then lists each workspace', async () => {
    play(workspaceAccount(150, false));
    const inventory = await client().listKeyInventory();
    const ids = Array.from({ length: 150 }, (_, i) => `ws-${i}`);
    expect(inventory.workspaces.map((w) => w.id)).toEqual(ids);
    expect(urlsOf('/api/v1/workspaces')).toEqual([
      '/api/v1/workspaces?offset=0&limit=100',
      '/api/v1/workspaces?offset=100&limit=100',
    ]);
    expect(inventory.keys.map((k) => k.hash).sort()).toEqual(ids.map((id) => `key-of-${id}`).sort());
    expect(inventory.defaultWorkspaceOnly).toBeNull();
  });

  it('stops paging /workspaces once total_count is reached on a full page', async () => {
    play(workspaceAccount(100, true));
    const inventory = await client().listKeyInventory();
    expect(inventory.workspaces).toHaveLength(100);
    expect(urlsOf('/api/v1/workspaces')).toEqual(['/api/v1/workspaces?offset=0&limit=100']);
  });

  it('asks for the next workspace page after a full one when no total_count is given', async () => {
    play(workspaceAccount(100, false));
    expect((await client().listKeyInventory()).workspaces).toHaveLength(100);
    expect(urlsOf('/api/v1/workspaces')).toEqual([
      '/api/v1/workspaces?offset=0&limit=100',
      '/api/v1/workspaces?offset=100&limit=100',
    ]);
  });

  it('falls back to the default workspace when /workspaces answers 403 (no workspaces API)', async () => {
    play((req, res, recorded) => {
      if (params(req.url).pathname === '/api/v1/workspaces') {
        json(403, { error: { code: 403, message: 'Forbidden' } })(req, res, recorded);
        return;
      }
      json(200, { data: [keyItem('default-key')] })(req, res, recorded);
    });
    const inventory = await client().listKeyInventory();
    expect(inventory.keys.map((k) => k.hash)).toEqual(['default-key']);
    expect(inventory.defaultWorkspaceOnly).toBe('GET /workspaces answered HTTP 403');
  });

  it('fails the inventory when /workspaces refuses the key with 401', async () => {
    play(json(401, { error: { code: 401, message: 'No auth credentials found' } }));
    const error = await failure(client().listKeyInventory());
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 401, endpoint: '/workspaces' });
    expect(urlsOf('/api/v1/keys')).toEqual([]);
  });

  it('refuses an inventory in which two workspaces list the same key', async () => {
    play((req, res, recorded) => {
      const url = params(req.url);
      if (url.pathname === '/api/v1/workspaces') {
        json(200, { data: [{ id: 'ws-a' }, { id: 'ws-b' }], total_count: 2 })(req, res, recorded);
        return;
      }
      json(200, { data: [keyItem('shared-key-hash')] })(req, res, recorded);
    });
    const error = await failure(client().listKeyInventory());
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', endpoint: '/keys' });
    expect(error.message).toContain('is listed twice');
  });

  function guardrails(total: number): Responder {
    return (req, res) => {
      const url = params(req.url);
      const offset = Number(url.searchParams.get('offset'));
      const count = Math.max(0, Math.min(Number(url.searchParams.get('limit')), total - offset));
      const data = Array.from({ length: count }, (_, i) => ({ id: `g-${offset + i}`, limit_usd: 1 }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data, total_count: total }));
    };
  }

  it('pages /guardrails of a workspace with offset and limit until total_count', async () => {
    play(guardrails(130));
    const list = await client().listGuardrails('ws 1');
    expect(list.map((g) => g.id)).toEqual(Array.from({ length: 130 }, (_, i) => `g-${i}`));
    expect(urlsOf('/api/v1/guardrails')).toEqual([
      '/api/v1/guardrails?workspace_id=ws%201&offset=0&limit=100',
      '/api/v1/guardrails?workspace_id=ws%201&offset=100&limit=100',
    ]);
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${managementKey}`);
  });

  it('asks for no further /guardrails page once a full page reaches total_count', async () => {
    play(guardrails(100));
    expect(await client().listGuardrails(null)).toHaveLength(100);
    expect(urlsOf('/api/v1/guardrails')).toEqual(['/api/v1/guardrails?offset=0&limit=100']);
  });
});

describe('retries', () => {
  it('honours Retry-After on a 429, then succeeds', async () => {
    play(
      json(429, { error: { code: 429, message: 'Rate limit exceeded' } }, { 'retry-after': '1' }),
      json(200, keyData),
    );
    await client().getCurrentKey();
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    // The backoff alone is at most 20 ms here: a gap near 1 s can only come from Retry-After.
    // A lower bound only: a loaded machine makes the gap longer, never shorter.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it('honours retry-after-ms', async () => {
    play(
      json(503, { error: { code: 503, message: 'busy' } }, { 'retry-after-ms': '600' }),
      json(200, keyData),
    );
    await client().getCurrentKey();
    const [first, second] = server.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(500);
  });

  it('retries a 503 three times, then fails with attempts = 4', async () => {
    play(json(503, { error: { code: 503, message: 'No provider available' } }));
    const error = await failure(client().getCurrentKey());
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 503, attempts: 4, endpoint: '/key' });
    expect(error.message).toBe('OpenRouter answered HTTP 503 on /key');
    expect(server.requests).toHaveLength(4);
  });

  it('honours maxRetries', async () => {
    play(json(500, { error: { code: 500, message: 'Internal' } }));
    expect(await failure(client({ retry: { maxRetries: 1, minDelayMs: 1 } }).getCredits())).toMatchObject({
      attempts: 2,
    });
    expect(server.requests).toHaveLength(2);
  });

  it('recovers from a 502 on the next attempt', async () => {
    play(json(502, { error: { code: 502, message: 'Provider returned error' } }), json(200, keyData));
    expect((await client().getCurrentKey()).limit).toBe(10);
    expect(server.requests).toHaveLength(2);
  });

  it.each([408, 500, 504, 524, 529])('retries a GET on %i', async (status) => {
    play(json(status, { error: { code: status, message: 'x' } }), json(200, keyData));
    await client().getCurrentKey();
    expect(server.requests).toHaveLength(2);
  });

  it.each([400, 401, 402, 403, 404])('never retries %i', async (status) => {
    play(json(status, { error: { code: status, message: 'No' } }));
    const error = await failure(client().getCurrentKey());
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status, attempts: 1, apiMessage: 'No' });
    expect(server.requests).toHaveLength(1);
  });

  it('never retries the free-tier daily cap, and says when it resets', async () => {
    const resetAt = Date.now() + 6 * 3_600_000;
    play(
      json(
        429,
        {
          error: {
            message:
              'Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day',
            code: 429,
            metadata: {
              headers: {
                'X-RateLimit-Limit': '50',
                'X-RateLimit-Remaining': '0',
                'X-RateLimit-Reset': String(resetAt),
              },
              limit_source: 'openrouter_free_tier_daily',
            },
          },
        },
        { 'x-ratelimit-reset': String(resetAt), 'retry-after': '1' },
      ),
    );
    const error = await failure(client().chatCompletion(chatRequest));
    expect(error).toMatchObject({
      code: 'RATE_LIMITED_DAILY',
      status: 429,
      attempts: 1,
      apiErrorType: 'openrouter_free_tier_daily',
      resetAt: new Date(resetAt),
    });
    expect(server.requests).toHaveLength(1);
  });

  it('does not retry a per-minute 429 whose reset is after the deadline, and says when it resets', async () => {
    const resetAt = Date.now() + 50_000;
    play(
      json(
        429,
        { error: { code: 429, message: 'Rate limit exceeded: free-models-per-min' } },
        {
          'x-ratelimit-reset': String(resetAt),
          'retry-after': '1',
        },
      ),
    );
    const error = await failure(client().getCurrentKey({ deadlineAt: Date.now() + 10_000 }));
    expect(error).toMatchObject({
      code: 'HTTP_STATUS',
      status: 429,
      attempts: 1,
      resetAt: new Date(resetAt),
    });
  });

  it('reports a 429 that resets hours away as the daily cap even without a body', async () => {
    const resetAt = Date.now() + 5 * 3_600_000;
    play(text(429, '', { 'x-ratelimit-reset': String(resetAt) }));
    const error = await failure(client().getCurrentKey({ deadlineAt: Date.now() + 10_000 }));
    expect(error).toMatchObject({ code: 'RATE_LIMITED_DAILY', attempts: 1, resetAt: new Date(resetAt) });
  });

  it('gives up at once on a 429 whose Retry-After ends after the deadline', async () => {
    // Retry-After (10 min) ends after the deadline (5 min): a client that waited anyway would end
    // with TIMEOUT at the deadline, or hang past the test's timeout, instead of this 429.
    play(json(429, { error: { code: 429, message: 'slow down' } }, { 'retry-after': '600' }));
    const error = await failure(
      client({ retry: { maxRetryAfterMs: 3_600_000 } }).getCurrentKey({
        signal: AbortSignal.timeout(300_000),
        deadlineAt: Date.now() + 300_000,
      }),
    );
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 429, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it.each([429, 503])('retries a completion on %i', async (status) => {
    play(json(status, { error: { code: status, message: 'x' } }), json(200, completion));
    await client().chatCompletion(chatRequest);
    expect(server.requests).toHaveLength(2);
  });

  it.each([500, 502, 504, 524])(
    'never retries a completion on %i (it may have been billed)',
    async (status) => {
      play(json(status, { error: { code: status, message: 'Provider returned error' } }));
      expect(await failure(client().chatCompletion(chatRequest))).toMatchObject({ status, attempts: 1 });
      expect(server.requests).toHaveLength(1);
    },
  );

  it('logs each retry without the key', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      debug: (m, f) => lines.push(m + JSON.stringify(f)),
      info: (m, f) => lines.push(m + JSON.stringify(f)),
      warn: (m, f) => lines.push(m + JSON.stringify(f)),
      error: (m, f) => lines.push(m + JSON.stringify(f)),
    };
    play(json(503, { error: { code: 503, message: `busy for ${apiKey}` } }), json(200, keyData));
    await client({ logger }).getCurrentKey();
    expect(lines.some((l) => l.includes('retrying') && l.includes('"attempt":1'))).toBe(true);
    expect(lines.some((l) => leaks(l, apiKey))).toBe(false);
  });
});

describe('deadlines and timeouts', () => {
  it('ends a hang before headers with TIMEOUT at the deadline', async () => {
    play(hang);
    const started = Date.now();
    // Only the deadline can end this hang: the headers timeout is an hour.
    const error = await failure(
      client({ headersTimeoutMs: 3_600_000 }).getCurrentKey({ signal: AbortSignal.timeout(800) }),
    );
    expect(error).toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringMatching(/stopped at the deadline/),
    });
    // A lower bound only (not before the deadline): load makes it later, never earlier.
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
  });

  it('ends a hang with TIMEOUT at the headers timeout, retrying a GET', async () => {
    play(hang);
    const error = await failure(
      client({ headersTimeoutMs: 300, retry: { maxRetries: 1, minDelayMs: 1 } }).getCurrentKey(),
    );
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 2, message: expect.stringMatching(/in time/) });
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a completion whose headers timed out (it may be processing)', async () => {
    play(hang);
    const error = await failure(client({ headersTimeoutMs: 300 }).chatCompletion(chatRequest));
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('ends a stall mid-body with TIMEOUT at the body timeout', async () => {
    play(stallMidBody);
    const error = await failure(client({ bodyTimeoutMs: 400 }).getCurrentKey());
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect(error.message).toContain('stalled');
  });

  it('ends a stall mid-body with TIMEOUT at the deadline', async () => {
    play(stallMidBody);
    // Only the deadline can end this stall: the body timeout is an hour.
    const error = await failure(
      client({ bodyTimeoutMs: 3_600_000 }).getCurrentKey({ signal: AbortSignal.timeout(600) }),
    );
    expect(error).toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringMatching(/stopped at the deadline/),
    });
  });

  describe('on a dispatcher passed in (whose own timeouts are undici defaults of minutes)', () => {
    // Only the per-request timeouts can end these waits early; the deadline is a backstop far away.
    let agent: Agent;
    beforeEach(() => {
      agent = new Agent();
    });
    afterEach(async () => {
      await agent.destroy();
    });

    it('ends a stall mid-body at the body timeout, not the headers timeout', async () => {
      play(stallMidBody);
      const error = await failure(
        client({ dispatcher: agent, bodyTimeoutMs: 300, headersTimeoutMs: 3_600_000 }).getCurrentKey({
          signal: AbortSignal.timeout(20_000),
        }),
      );
      expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
      expect(error.message).toBe("OpenRouter's answer to /key stalled mid-body");
    });

    it('ends a hang before headers at the headers timeout, not the body timeout', async () => {
      play(hang);
      const error = await failure(
        client({
          dispatcher: agent,
          headersTimeoutMs: 300,
          bodyTimeoutMs: 3_600_000,
          retry: { maxRetries: 0 },
        }).getCurrentKey({ signal: AbortSignal.timeout(20_000) }),
      );
      expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
      expect(error.message).toBe('OpenRouter did not answer /key in time');
    });
  });

  it('ends a backoff wait promptly with TIMEOUT when the deadline fires', async () => {
    // A 10-minute Retry-After the client is allowed to honour: only the deadline's abort can end
    // the wait before the test's own timeout.
    play(json(503, { error: { code: 503, message: 'busy' } }, { 'retry-after': '600' }));
    const error = await failure(
      client({ retry: { maxRetryAfterMs: 3_600_000 } }).getCurrentKey({ signal: AbortSignal.timeout(700) }),
    );
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('sends nothing once the deadline has passed', async () => {
    play(json(200, keyData));
    const error = await failure(client().getCurrentKey({ signal: AbortSignal.abort() }));
    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 0 });
    expect(server.requests).toHaveLength(0);
  });
});

describe('network errors', () => {
  it('retries a connection reset, then succeeds', async () => {
    play(reset, reset, json(200, keyData));
    expect((await client().getCurrentKey()).label).toBe('sk-or-v1-c0f...0ff');
    expect(server.requests).toHaveLength(3);
  });

  it('fails with NETWORK after resets on every attempt', async () => {
    play(reset);
    const error = await failure(client().getCurrentKey());
    expect(error).toMatchObject({ code: 'NETWORK', attempts: 4, endpoint: '/key' });
    expect(error.cause).toEqual({ name: expect.any(String), code: expect.any(String) });
  });

  it('retries a completion whose connection was reset before any response', async () => {
    play(reset, json(200, completion));
    await client().chatCompletion(chatRequest);
    expect(server.requests).toHaveLength(2);
  });

  it('fails with NETWORK when nothing listens, after retrying', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    const error = await failure(client({ baseUrl: `http://127.0.0.1:${port}/api/v1` }).getCurrentKey());
    expect(error).toMatchObject({ code: 'NETWORK', attempts: 4 });
    expect(error.cause).toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('bodies', () => {
  const html524 =
    '<!DOCTYPE html>\n<html><head><title>openrouter.ai | 524: A timeout occurred</title></head><body>…</body></html>';

  it('explains an HTML 524 page and retries it on a GET', async () => {
    play(text(524, html524, { 'content-type': 'text/html' }));
    const error = await failure(client({ retry: { maxRetries: 1, minDelayMs: 1 } }).getCurrentKey());
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 524, attempts: 2 });
    expect(error.message).toBe('OpenRouter answered HTTP 524 on /key: received an HTML page instead of JSON');
  });

  it('explains an HTML 524 page on a completion without retrying', async () => {
    play(text(524, html524, { 'content-type': 'text/html' }));
    const error = await failure(client().chatCompletion(chatRequest));
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 524, attempts: 1 });
    expect(error.message).toContain('HTML page');
  });

  it.each([
    ['malformed JSON', text(200, '{"data": {"label": "sk-or'), 'BAD_RESPONSE'],
    ['an empty body', text(200, ''), 'BAD_RESPONSE'],
    ['an HTML 200', text(200, html524), 'BAD_RESPONSE'],
    ['a wrong shape', json(200, { data: [] }), 'BAD_RESPONSE'],
    [
      'an error in a 200',
      json(200, { error: { code: 524, message: 'Provider returned error' } }),
      'API_ERROR_IN_200',
    ],
  ])('fails on %s without retrying', async (_case, responder, code) => {
    play(responder);
    const error = await failure(client().getCurrentKey());
    expect(error).toMatchObject({ code, attempts: 1, endpoint: '/key' });
    expect(server.requests).toHaveLength(1);
  });

  it('treats a 300 as a failed status even when its body reads like an answer', async () => {
    // Only 2xx carries data; a redirect-class answer with a well-formed body must not pass as one.
    play(json(300, keyData));
    const error = await failure(client().getCurrentKey());
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status: 300, endpoint: '/key' });
  });

  it('names the missing field of a wrongly shaped body', async () => {
    play(json(200, { data: { limit: 3 } }));
    const error = await failure(client().getCurrentKey());
    expect(error.message).toBe(
      'OpenRouter sent an unexpected body on /key: field "data.label" is missing or is not a string',
    );
  });

  it('fails a completion 200 without choices with API_ERROR_IN_200', async () => {
    play(json(200, { error: { message: 'Provider returned error', code: 524 }, user_id: 'user_x' }));
    expect(await failure(client().chatCompletion(chatRequest))).toMatchObject({
      code: 'API_ERROR_IN_200',
      apiCode: 524,
      apiMessage: 'Provider returned error',
    });
  });

  it('accepts a body padded with leading blank lines', async () => {
    play(text(200, `\n\n\n\n\n\n\n${JSON.stringify(completion)}`));
    expect((await client().chatCompletion(chatRequest)).content).toBe('Hi');
  });

  it('refuses a streamed body over the cap without reading it all', async () => {
    play(huge(64 * 1024 * 1024, server.stats));
    const error = await failure(client({ maxResponseBytes: 1024 * 1024 }).listModels());
    expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', attempts: 1, endpoint: '/models' });
    // Socket buffers hold a few MB at most; the other ~60 MB were never sent.
    expect(server.stats.bytesWritten).toBeLessThan(24 * 1024 * 1024);
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    play(huge(8 * 1024 * 1024, server.stats, true));
    const error = await failure(client({ maxResponseBytes: 1024 * 1024 }).listModels());
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
  });

  it.each([
    ['streamed', false],
    ['with a Content-Length', true],
  ])('reads a body of exactly the cap, %s (the cap is inclusive)', async (_case, withContentLength) => {
    const cap = 200_000;
    play(huge(cap, server.stats, withContentLength));
    expect(await client({ maxResponseBytes: cap }).listModels()).toEqual([]);
    play(huge(cap + 1, server.stats, withContentLength));
    const error = await failure(client({ maxResponseBytes: cap }).listModels());
    expect(error).toMatchObject({ code: 'RESPONSE_TOO_LARGE', endpoint: '/models' });
  });

  it('reads a large body under the default 16 MiB cap', async () => {
    play(huge(6 * 1024 * 1024, server.stats));
    expect(await client().listModels()).toEqual([]);
  });
});

describe('key secrecy', () => {
  const echo: Responder = (req, res) => {
    const auth = req.headers.authorization ?? '';
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { code: 401, message: `Invalid credentials: ${auth}`, metadata: { error_type: auth } },
      }),
    );
  };

  it.each<[string, Responder]>([
    ['a JSON error message', echo],
    [
      'an HTML page title',
      (req, res) => {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end(`<html><title>Bad gateway ${req.headers.authorization}</title></html>`);
      },
    ],
    [
      'a plain-text error body',
      (req, res) => {
        res.writeHead(400);
        res.end(`bad request from ${req.headers.authorization}`);
      },
    ],
    [
      'an error in a 200',
      (req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 500, message: String(req.headers.authorization) } }));
      },
    ],
  ])('keeps the key out of the error when the server echoes it in %s', async (_case, responder) => {
    play(responder);
    for (const call of [
      (c: OpenRouterClient) => c.getCurrentKey(),
      (c: OpenRouterClient) => c.getCredits(),
      (c: OpenRouterClient) => c.chatCompletion(chatRequest),
    ]) {
      const error = await failure(call(client({ retry: { maxRetries: 0 } })));
      const exposed = exposeError(error);
      expect(leaks(exposed, apiKey)).toBe(false);
      expect(leaks(exposed, managementKey)).toBe(false);
    }
  });

  it('keeps the key out of network and timeout errors and of the client object', async () => {
    const c = client({ headersTimeoutMs: 200, retry: { maxRetries: 0 } });
    play(reset);
    const network = await failure(c.getCurrentKey());
    play(hang);
    const timeout = await failure(c.getCurrentKey());
    for (const text of [
      exposeError(network),
      exposeError(timeout),
      JSON.stringify(c),
      String(Object.keys(c)),
    ]) {
      expect(leaks(text, apiKey)).toBe(false);
      expect(leaks(text, managementKey)).toBe(false);
    }
  });

  it('redacts a key that is not key-shaped too', async () => {
    const oddKey = 'my-internal-proxy-token-1234567890';
    play(echo);
    const error = await failure(client({ apiKey: oddKey }).getCurrentKey());
    expect(exposeError(error)).not.toContain(oddKey);
    expect(error.apiMessage).toContain('[REDACTED]');
  });
});
