import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../lambda/engine/redact';
import { readApiError } from '../../lambda/openrouter/api-error';
import { OpenRouterError } from '../../lambda/openrouter/errors';
import {
  parseChatCompletionBody,
  parseCreditsBody,
  parseCurrentKeyBody,
  parseErrorBody,
  parseKeysPageBody,
  parseModelsBody,
} from '../../lambda/openrouter/response-parsers';
import { DEFAULT_RETRY, judgeStatus } from '../../lambda/openrouter/retry-policy';
import { canaryApiKey, exposeError, leaks } from '../support/canary';

/** The example bodies of /work/shared/openrouter-api.md, stored verbatim as fixtures. */
const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

function failure(run: () => unknown): OpenRouterError {
  try {
    run();
  } catch (error) {
    if (error instanceof OpenRouterError) return error;
    throw error;
  }
  throw new Error('expected an OpenRouterError');
}

const keyBody = (data: Record<string, unknown>) => JSON.stringify({ data });

describe('the documented example bodies', () => {
  it('parses the /key example into camelCase fields', () => {
    expect(parseCurrentKeyBody(fixture('key.json'))).toEqual({
      label: 'sk-or-v1-726...f5c',
      limit: 30,
      limitRemaining: 29.9999982,
      limitReset: 'daily',
      includeByokInLimit: false,
      usage: 3.17561396,
      usageDaily: 0.0000018,
      usageWeekly: 0.41,
      usageMonthly: 3.17561396,
      isFreeTier: false,
      isManagementKey: false,
      expiresAt: null,
      byokUsage: 0,
      byokUsageDaily: 0,
      byokUsageWeekly: 0,
      byokUsageMonthly: 0,
      workspaceId: '0df9e665-d932-5740-b2c7-b52af166bc11',
      budgets: null,
      effectiveBudget: null,
      problems: [],
    });
  });

  it('parses the /credits body', () => {
    expect(parseCreditsBody(fixture('credits.json'))).toEqual({ totalCredits: 100.5, totalUsage: 25.75 });
  });

  it('parses the zeros /credits answers a regular key was seen to get (data, not an error)', () => {
    expect(parseCreditsBody(fixture('credits-regular-key-zeros.json'))).toEqual({
      totalCredits: 0,
      totalUsage: 0,
    });
  });

  it('parses a /keys page of KeyData', () => {
    const [key] = parseKeysPageBody(fixture('keys-page.json'));
    expect(key).toEqual({
      hash: 'f01d52606dc8f0a8303a7b5cc3fa07109c2e346cec7c0a16b40de462992ce943',
      name: 'production',
      label: 'sk-or-v1-726...f5c',
      disabled: false,
      limit: 30,
      limitRemaining: 29.9999982,
      limitReset: 'daily',
      includeByokInLimit: false,
      usage: 3.17561396,
      usageDaily: 0.0000018,
      usageWeekly: 0.41,
      usageMonthly: 3.17561396,
      createdAt: '2025-02-19T20:52:27.363244+00:00',
      updatedAt: null,
      expiresAt: null,
      byokUsageDaily: 0,
      byokUsageWeekly: 0,
      byokUsageMonthly: 0,
      byokUsage: 0,
      workspaceId: '0df9e665-d932-5740-b2c7-b52af166bc11',
    });
  });

  it('parses the /models example, prices from decimal strings', () => {
    expect(parseModelsBody(fixture('models.json'))).toEqual([
      {
        id: 'openai/gpt-4o-mini',
        name: 'OpenAI: GPT-4o-mini',
        expirationDate: null,
        promptPrice: 0.00000015,
        completionPrice: 0.0000006,
        aliasTarget: null,
      },
    ]);
  });

  it('parses the chat completion example, including the served model and usage.cost', () => {
    expect(parseChatCompletionBody(fixture('chat-completion.json'))).toEqual({
      id: 'gen-1752314742-4dEgBjBERTRXlSwzYkUa',
      model: 'meta-llama/llama-3.2-3b-instruct',
      provider: 'Venice',
      content: 'Hello!',
      finishReason: 'stop',
      costUsd: 0.0000215,
      promptTokens: 346,
      completionTokens: 18,
    });
  });

  it('turns the 402 body into HTTP_STATUS with the API message', () => {
    const { error } = parseErrorBody(402, '/chat/completions', fixture('error-402.json'));
    expect(error).toMatchObject({
      code: 'HTTP_STATUS',
      status: 402,
      endpoint: '/chat/completions',
      apiCode: 402,
    });
    expect(error.message).toBe('OpenRouter answered HTTP 402 on /chat/completions');
    expect(error.apiMessage).toMatch(/^This request requires more credits/);
    expect(error.apiMessage?.length).toBeLessThanOrEqual(300);
  });

  it.each([
    ['error-401-no-auth.json', 401, 'No auth credentials found'],
    ['error-403-management-only.json', 403, 'Only management keys can perform this operation'],
  ])('reads %s', (name, status, message) => {
    const { error } = parseErrorBody(status, '/credits', fixture(name));
    expect(error).toMatchObject({ code: 'HTTP_STATUS', status, apiMessage: message });
  });

  it('recognises the 429 free-tier daily cap body as not retryable, with its reset time', () => {
    const { error, apiError } = parseErrorBody(429, '/chat/completions', fixture('error-429-daily-cap.json'));
    expect(error.apiErrorType).toBe('openrouter_free_tier_daily');
    const verdict = judgeStatus({
      status: 429,
      headers: {},
      apiError,
      safety: 'idempotent',
      nowMs: Date.parse('2026-09-09T12:00:00Z'),
      deadlineAtMs: null,
      settings: DEFAULT_RETRY,
    });
    expect(verdict).toEqual({ kind: 'rate-limited-daily', resetAt: new Date(1788912000000) });
  });

  it('turns the error-in-200 body into API_ERROR_IN_200 with its code and message', () => {
    const error = failure(() => parseChatCompletionBody(fixture('error-in-200.json')));
    expect(error).toMatchObject({
      code: 'API_ERROR_IN_200',
      status: 200,
      apiCode: 524,
      apiMessage: 'Provider returned error',
      endpoint: '/chat/completions',
    });
  });
});

describe('tolerant parsing', () => {
  // The fixture's `data` object, to vary one field at a time.
  const validKey: { data: Record<string, unknown> } = JSON.parse(fixture('key.json'));

  it('skips leading blank lines and whitespace (keep-alive padding)', () => {
    expect(parseCurrentKeyBody(`\n\n\n\n  \r\n${fixture('key.json')}`).label).toBe('sk-or-v1-726...f5c');
  });

  it('reads missing and null optional fields as null', () => {
    const key = parseCurrentKeyBody(keyBody({ label: 'sk-or-v1-abc...def', limit: null }));
    expect(key).toMatchObject({
      limit: null,
      limitRemaining: null,
      usage: null,
      expiresAt: null,
      isFreeTier: null,
    });
    expect(key.isManagementKey).toBe(false);
  });

  it('accepts numbers sent as strings', () => {
    const key = parseCurrentKeyBody(keyBody({ ...validKey.data, limit: '12.5', usage_daily: '0.25' }));
    expect(key.limit).toBe(12.5);
    expect(key.usageDaily).toBe(0.25);
  });

  it('reads a non-numeric string in an optional number as null', () => {
    expect(parseCurrentKeyBody(keyBody({ ...validKey.data, limit: 'unlimited' })).limit).toBeNull();
  });

  it.each([
    [{ is_management_key: true }, true],
    [{ is_provisioning_key: true }, true],
    [{ is_management_key: false, is_provisioning_key: true }, false],
  ])('reads the management flag from %j', (flags, expected) => {
    expect(parseCurrentKeyBody(keyBody({ label: 'x', ...flags })).isManagementKey).toBe(expected);
  });

  it('keeps a negative balance as data', () => {
    expect(parseCreditsBody(JSON.stringify({ data: { total_credits: 10, total_usage: 12.5 } }))).toEqual({
      totalCredits: 10,
      totalUsage: 12.5,
    });
  });

  it('treats a negative price ("variable") as unknown', () => {
    const [model] = parseModelsBody(
      JSON.stringify({ data: [{ id: 'openrouter/auto', pricing: { prompt: '-1', completion: '-1' } }] }),
    );
    expect(model).toMatchObject({ promptPrice: null, completionPrice: null, name: null });
  });

  it('reads a model expiration date', () => {
    const [model] = parseModelsBody(JSON.stringify({ data: [{ id: 'a/b', expiration_date: '2026-12-01' }] }));
    expect(model?.expirationDate).toBe('2026-12-01');
  });

  it.each([
    ['label missing on /key', () => parseCurrentKeyBody(keyBody({ limit: 1 })), 'data.label'],
    ['label not a string', () => parseCurrentKeyBody(keyBody({ label: 42 })), 'data.label'],
    ['data not an object', () => parseCurrentKeyBody(JSON.stringify({ data: [] })), '"data"'],
    ['data missing', () => parseCurrentKeyBody('{}'), '"data"'],
    ['/keys data not an array', () => parseKeysPageBody(JSON.stringify({ data: {} })), '"data"'],
    [
      '/keys entry without hash',
      () => parseKeysPageBody(JSON.stringify({ data: [{ name: 'n', label: 'l', disabled: false }] })),
      'data[0].hash',
    ],
    [
      'credits not a number',
      () => parseCreditsBody(JSON.stringify({ data: { total_credits: 'lots', total_usage: 1 } })),
      'data.total_credits',
    ],
    [
      'credits missing',
      () => parseCreditsBody(JSON.stringify({ data: { total_credits: 1 } })),
      'data.total_usage',
    ],
    ['/models data not an array', () => parseModelsBody(JSON.stringify({ data: 'x' })), '"data"'],
    ['a model without id', () => parseModelsBody(JSON.stringify({ data: [{ name: 'x' }] })), 'data[0].id'],
    ['a JSON array body', () => parseCurrentKeyBody('[]'), 'not an object'],
  ])('refuses %s with BAD_RESPONSE naming the field', (_case, run, field) => {
    const error = failure(run);
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain(field);
  });

  it.each([
    ['empty body', '', 'an empty body'],
    ['whitespace only', ' \n\n ', 'an empty body'],
    ['malformed JSON', '{"data": {"label": ', 'not valid JSON'],
    ['an HTML page', '<!DOCTYPE html><html><title>Oops</title></html>', 'an HTML page instead of JSON'],
  ])('refuses a 200 with %s as BAD_RESPONSE', (_case, body, words) => {
    const error = failure(() => parseCurrentKeyBody(body));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', status: 200, endpoint: '/key' });
    expect(error.message).toContain(words);
    expect(error.cause).toBeUndefined();
  });

  it('reports an error object inside a 200 on any endpoint', () => {
    const error = failure(() =>
      parseModelsBody(
        JSON.stringify({ error: { code: 500, message: 'Internal', metadata: { error_type: 'server' } } }),
      ),
    );
    expect(error).toMatchObject({ code: 'API_ERROR_IN_200', apiCode: 500, apiErrorType: 'server' });
  });

  it.each([
    ['without choices', { id: 'gen-1', model: 'a/b' }],
    ['with empty choices', { id: 'gen-1', choices: [] }],
  ])('reports a completion 200 %s as API_ERROR_IN_200', (_case, body) => {
    expect(failure(() => parseChatCompletionBody(JSON.stringify(body))).code).toBe('API_ERROR_IN_200');
  });

  it('reports a completion whose choice finished with error as API_ERROR_IN_200, with the choice error', () => {
    const body = {
      choices: [
        {
          index: 0,
          finish_reason: 'error',
          message: { role: 'assistant', content: 'partial' },
          error: { code: 502, message: 'Upstream died', metadata: { error_type: 'provider_unavailable' } },
        },
      ],
    };
    expect(failure(() => parseChatCompletionBody(JSON.stringify(body)))).toMatchObject({
      code: 'API_ERROR_IN_200',
      apiCode: 502,
      apiMessage: 'Upstream died',
      apiErrorType: 'provider_unavailable',
    });
  });

  it('reads a completion with missing usage and content as nulls', () => {
    expect(parseChatCompletionBody(JSON.stringify({ choices: [{ finish_reason: 'length' }] }))).toEqual({
      id: null,
      model: null,
      provider: null,
      content: null,
      finishReason: 'length',
      costUsd: null,
      promptTokens: null,
      completionTokens: null,
    });
  });
});

describe('error bodies', () => {
  it('says clearly that an HTML page came back for a 524', () => {
    const html =
      '\n<!DOCTYPE html>\n<html><head><title>openrouter.ai | 524: A timeout occurred</title></head></html>';
    const { error } = parseErrorBody(524, '/chat/completions', html);
    expect(error.code).toBe('HTTP_STATUS');
    expect(error.message).toBe(
      'OpenRouter answered HTTP 524 on /chat/completions: received an HTML page instead of JSON',
    );
    expect(error.apiMessage).toBe('openrouter.ai | 524: A timeout occurred');
  });

  it('keeps a plain-text error body as the API message', () => {
    expect(parseErrorBody(502, '/key', 'error code: 502').error.apiMessage).toBe('error code: 502');
  });

  it('handles an empty error body', () => {
    expect(parseErrorBody(500, '/key', '').error).toMatchObject({
      code: 'HTTP_STATUS',
      status: 500,
      apiMessage: undefined,
    });
  });

  it('reads availability errors that have no code', () => {
    const body = {
      error: {
        error_type: 'provider_overloaded',
        http_status: 503,
        message: 'No provider available',
        availability: {
          code: 'temporarily_unavailable',
          retryable: true,
          retry_after: 2,
          requested_models: ['a/b'],
        },
      },
    };
    const apiError = readApiError(body, new Redactor());
    expect(apiError).toMatchObject({ code: null, errorType: 'provider_overloaded', retryAfterMs: 2000 });
  });

  it('truncates API messages to 300 characters', () => {
    const { error } = parseErrorBody(
      400,
      '/key',
      JSON.stringify({ error: { code: 400, message: 'x'.repeat(5000) } }),
    );
    expect(error.apiMessage?.length).toBe(300);
  });

  it('redacts a key echoed in the message, even when the echo is cut by truncation', () => {
    const key = canaryApiKey();
    const redactor = new Redactor().add(key);
    for (const message of [
      `Invalid key ${key}`,
      `${'y'.repeat(280)} Bearer ${key}`,
      `${'y'.repeat(295)}${key}`,
    ]) {
      const { error } = parseErrorBody(
        401,
        '/key',
        JSON.stringify({ error: { code: 401, message } }),
        redactor,
      );
      expect(leaks(exposeError(error), key)).toBe(false);
    }
  });
});
