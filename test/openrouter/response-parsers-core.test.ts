/**
 * The exact values and messages of the response parsers for /key (with its budgets), /credits,
 * /keys pages, /models and chat completions: every field lands in its own place, a figure that is
 * allowed to be absent, null or negative is read as such, and every refusal names endpoint and field.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OpenRouterError } from '../../lambda/openrouter/errors';
import {
  parseChatCompletionBody,
  parseCreditsBody,
  parseCurrentKeyBody,
  parseErrorBody,
  parseKeysPageBody,
  parseModelsBody,
} from '../../lambda/openrouter/response-parsers';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, 'fixtures', name), 'utf8')) as Record<string, unknown>;
const keyData = (fixture('key.json').data ?? {}) as Record<string, unknown>;
const listed = ((fixture('keys-page.json').data as unknown[])[0] ?? {}) as Record<string, unknown>;

function failure(run: () => unknown): OpenRouterError {
  try {
    run();
  } catch (error) {
    if (error instanceof OpenRouterError) return error;
    throw error;
  }
  throw new Error('expected an OpenRouterError');
}

const withoutFields = (object: Record<string, unknown>, ...keys: string[]): Record<string, unknown> =>
  Object.fromEntries(Object.entries(object).filter(([k]) => !keys.includes(k)));

const currentKeyWith = (changes: Record<string, unknown>) =>
  parseCurrentKeyBody(JSON.stringify({ data: { ...keyData, ...changes } }));

const keysPage = (...entries: Record<string, unknown>[]) => JSON.stringify({ data: entries });

describe('an error inside a 200', () => {
  it('says where it came from, with no fallback models or minimum when the error gives none', () => {
    const error = failure(() =>
      parseModelsBody(JSON.stringify({ error: { code: 500, message: 'Internal' } })),
    );
    expect(error.message).toBe('OpenRouter answered HTTP 200 with an error in the body on /models');
    expect(error).toMatchObject({ code: 'API_ERROR_IN_200', status: 200, endpoint: '/models', apiCode: 500 });
    expect(error.fallbackModels).toBeUndefined();
    expect(error.minimumTokens).toBeUndefined();
  });

  it('carries the fallback models and the provider minimum the error states', () => {
    const body = {
      error: {
        code: 400,
        message: 'integer below minimum value. Expected a value >= 16',
        availability: { code: 'model_deprecated', fallback_models: ['a/successor'] },
      },
    };
    const error = failure(() => parseModelsBody(JSON.stringify(body)));
    expect(error).toMatchObject({
      code: 'API_ERROR_IN_200',
      availabilityCode: 'model_deprecated',
      fallbackModels: ['a/successor'],
      minimumTokens: 16,
    });
  });

  it('has no fallback models on a status failure whose error lists none', () => {
    const { error } = parseErrorBody(
      404,
      '/chat/completions',
      JSON.stringify({ error: { code: 404, message: 'No endpoints found' } }),
    );
    expect(error.fallbackModels).toBeUndefined();
    expect(error.minimumTokens).toBeUndefined();
  });
});

describe('a body of the wrong shape', () => {
  it.each([
    ['/key', () => parseCurrentKeyBody('[]')],
    ['/credits', () => parseCreditsBody('[]')],
    ['/keys', () => parseKeysPageBody('[]')],
    ['/models', () => parseModelsBody('[]')],
    ['/chat/completions', () => parseChatCompletionBody('[]')],
  ])('on %s: BAD_RESPONSE naming the endpoint and the body', (endpoint, run) => {
    const error = failure(run);
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', status: 200, endpoint });
    expect(error.message).toBe(
      `OpenRouter sent an unexpected body on ${endpoint}: field "" is missing or is not an object`,
    );
  });

  it.each([
    ['/key', () => parseCurrentKeyBody(JSON.stringify({ data: [] }))],
    ['/credits', () => parseCreditsBody(JSON.stringify({ data: 'lots' }))],
  ])('on %s: BAD_RESPONSE naming "data" when it is not an object', (endpoint, run) => {
    expect(failure(run).message).toBe(
      `OpenRouter sent an unexpected body on ${endpoint}: field "data" is missing or is not an object`,
    );
  });

  it.each([
    ['/key', () => parseCurrentKeyBody(JSON.stringify({ data: { limit: 1 } })), 'data.label', 'a string'],
    [
      '/credits',
      () => parseCreditsBody(JSON.stringify({ data: { total_credits: 1 } })),
      'data.total_usage',
      'a number',
    ],
  ])('on %s: BAD_RESPONSE naming %s when it is missing', (endpoint, run, field, expected) => {
    expect(failure(run).message).toBe(
      `OpenRouter sent an unexpected body on ${endpoint}: field "${field}" is missing or is not ${expected}`,
    );
  });

  it('names the first choice when it is not an object', () => {
    const error = failure(() => parseChatCompletionBody(JSON.stringify({ choices: [5] })));
    expect(error.message).toBe(
      'OpenRouter sent an unexpected body on /chat/completions: field "choices[0]" is missing or is not an object',
    );
  });
});

describe('GET /key', () => {
  it('reads an overspent limit_remaining (below zero) and a null one as data', () => {
    expect(currentKeyWith({ limit: 10, limit_remaining: -0.5 })).toMatchObject({
      limit: 10,
      limitRemaining: -0.5,
      problems: [],
    });
    expect(currentKeyWith({ limit: null, limit_remaining: null })).toMatchObject({
      limit: null,
      limitRemaining: null,
      problems: [],
    });
  });

  it('reads the byok figures as null when an older server leaves them out', () => {
    const key = parseCurrentKeyBody(
      JSON.stringify({
        data: withoutFields(
          keyData,
          'byok_usage',
          'byok_usage_daily',
          'byok_usage_weekly',
          'byok_usage_monthly',
        ),
      }),
    );
    expect(key).toMatchObject({
      byokUsage: null,
      byokUsageDaily: null,
      byokUsageWeekly: null,
      byokUsageMonthly: null,
      problems: [],
    });
  });
});

describe('GET /key budgets', () => {
  const budget = {
    scope: 'api_key',
    limit_usd: 50,
    spend_usd: 20,
    remaining_usd: 30,
    reset_interval: 'monthly',
    resets_at: '2026-12-01T00:00:00.000Z',
    include_byok: true,
    guardrail_id: 'g-1',
    budget_id: 'b-1',
  };
  const read = {
    scope: 'api_key',
    limitUsd: 50,
    spendUsd: 20,
    remainingUsd: 30,
    resetInterval: 'monthly',
    resetsAt: '2026-12-01T00:00:00.000Z',
    includeByok: true,
    guardrailId: 'g-1',
    budgetId: 'b-1',
  };

  it('reads every field of a budget layer into its place', () => {
    const key = currentKeyWith({ budgets: [budget], effective_budget: budget });
    expect(key.budgets).toEqual([read]);
    expect(key.effectiveBudget).toEqual(read);
    expect(key.problems).toEqual([]);
  });

  it('reads a lifetime layer without resets_at and an overspent one (remaining below zero)', () => {
    const layer = { ...withoutFields(budget, 'resets_at'), spend_usd: 55, remaining_usd: -5 };
    const key = currentKeyWith({ budgets: [layer] });
    expect(key.budgets).toEqual([{ ...read, spendUsd: 55, remainingUsd: -5, resetsAt: null }]);
    expect(key.problems).toEqual([]);
  });

  it('refuses a remainder above the layer limit, naming both fields', () => {
    const key = currentKeyWith({ budgets: [{ ...budget, remaining_usd: 60 }] });
    expect(key.budgets).toEqual([]);
    expect(key.problems).toEqual([
      {
        field: 'budgets[0].remaining_usd',
        message: 'GET /key: budgets[0].remaining_usd is 60, expected at most limit_usd (50)',
      },
    ]);
  });

  it.each([
    [
      { scope: undefined },
      'budgets[0].scope',
      'GET /key: budgets[0].scope is missing, expected a budget scope',
    ],
    [{ scope: null }, 'budgets[0].scope', 'GET /key: budgets[0].scope is null, expected a budget scope'],
    [{ limit_usd: 'x' }, 'budgets[0].limit_usd', 'GET /key: budgets[0].limit_usd is "x", expected a number'],
    [
      { spend_usd: -1 },
      'budgets[0].spend_usd',
      'GET /key: budgets[0].spend_usd is -1, expected an amount of 0 or more',
    ],
    [
      { remaining_usd: 'x' },
      'budgets[0].remaining_usd',
      'GET /key: budgets[0].remaining_usd is "x", expected a number',
    ],
  ])('drops a layer with %o and names the field', (changes, field, message) => {
    const key = currentKeyWith({
      budgets: [{ ...budget, ...changes }],
      effective_budget: { ...budget, ...changes },
    });
    expect(key.budgets).toEqual([]);
    expect(key.effectiveBudget).toBeNull();
    expect(key.problems).toContainEqual({ field, message });
  });

  it('skips a list entry that is not an object, naming it, and keeps the others', () => {
    const key = currentKeyWith({ budgets: [5, budget] });
    expect(key.budgets).toEqual([read]);
    expect(key.problems).toEqual([
      { field: 'budgets[0]', message: 'GET /key: budgets[0] is 5, expected a budget object' },
    ]);
  });
});

describe('GET /credits', () => {
  it('refuses an implausible figure as BAD_RESPONSE on /credits naming the field', () => {
    const error = failure(() =>
      parseCreditsBody(JSON.stringify({ data: { total_credits: 2e9, total_usage: 1 } })),
    );
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', endpoint: '/credits' });
    expect(error.message).toBe('GET /credits: total_credits is 2000000000, expected an amount under $1e9');
  });
});

describe('GET /keys pages', () => {
  it('reads timestamps, an overspent remainder and absent byok figures of a listed key', () => {
    const entry = {
      ...withoutFields(listed, 'byok_usage_daily', 'byok_usage_weekly'),
      limit_remaining: -1.5,
      updated_at: '2025-03-01T10:00:00Z',
      expires_at: '2027-01-01T00:00:00Z',
    };
    const [key] = parseKeysPageBody(keysPage(entry));
    expect(key).toMatchObject({
      limitRemaining: -1.5,
      createdAt: '2025-02-19T20:52:27.363244+00:00',
      updatedAt: '2025-03-01T10:00:00Z',
      expiresAt: '2027-01-01T00:00:00Z',
      byokUsageDaily: null,
      byokUsageWeekly: null,
    });
  });

  it('reads a null limit_remaining as no figure', () => {
    const [key] = parseKeysPageBody(keysPage({ ...listed, limit: null, limit_remaining: null }));
    expect(key).toMatchObject({ limit: null, limitRemaining: null });
  });

  it('refuses a key without created_at', () => {
    const error = failure(() => parseKeysPageBody(keysPage(withoutFields(listed, 'created_at'))));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', endpoint: '/keys' });
    expect(error.message).toBe('GET /keys: data[0].created_at is missing, expected an ISO-8601 date');
  });

  it.each([
    [[{ usage: -1 }], 'GET /keys: data[0].usage is -1, expected an amount of 0 or more'],
    [
      [{ usage: -1 }, { usage: -2 }],
      'GET /keys: data[0].usage is -1, expected an amount of 0 or more (and 1 more)',
    ],
    [
      [{ usage: -1, usage_daily: -1 }, { usage: -2 }],
      'GET /keys: data[0].usage is -1, expected an amount of 0 or more (and 2 more)',
    ],
  ])('counts the problems past the first: %j', (changes, message) => {
    const error = failure(() => parseKeysPageBody(keysPage(...changes.map((c) => ({ ...listed, ...c })))));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', endpoint: '/keys' });
    expect(error.message).toBe(message);
  });
});

describe('GET /models', () => {
  it('reads a free model (price 0) and an alias target', () => {
    const body = {
      data: [{ id: 'a/free', pricing: { prompt: '0', completion: 0 }, alias_target: { slug: 'a/real' } }],
    };
    expect(parseModelsBody(JSON.stringify(body))).toEqual([
      {
        id: 'a/free',
        name: null,
        expirationDate: null,
        promptPrice: 0,
        completionPrice: 0,
        aliasTarget: 'a/real',
      },
    ]);
  });

  it('reads prices sent as decimal strings or numbers', () => {
    const body = { data: [{ id: 'a/paid', pricing: { prompt: '0.000001', completion: 0.000002 } }] };
    expect(parseModelsBody(JSON.stringify(body))).toMatchObject([
      { id: 'a/paid', promptPrice: 0.000001, completionPrice: 0.000002 },
    ]);
  });

  it('reads a model without pricing as unknown prices', () => {
    expect(parseModelsBody(JSON.stringify({ data: [{ id: 'a/b' }] }))).toEqual([
      {
        id: 'a/b',
        name: null,
        expirationDate: null,
        promptPrice: null,
        completionPrice: null,
        aliasTarget: null,
      },
    ]);
  });
});

describe('POST /chat/completions', () => {
  it('says a 200 came without choices', () => {
    const error = failure(() => parseChatCompletionBody(JSON.stringify({ id: 'gen-1' })));
    expect(error.message).toBe('OpenRouter answered HTTP 200 without choices on /chat/completions');
    expect(error).toMatchObject({ code: 'API_ERROR_IN_200', status: 200, endpoint: '/chat/completions' });
  });

  it('says the choice failed, with the choice error', () => {
    const body = { choices: [{ finish_reason: 'error', error: { code: 502, message: 'Upstream died' } }] };
    const error = failure(() => parseChatCompletionBody(JSON.stringify(body)));
    expect(error.message).toBe('OpenRouter answered HTTP 200 with a choice that failed on /chat/completions');
    expect(error).toMatchObject({ code: 'API_ERROR_IN_200', apiCode: 502, apiMessage: 'Upstream died' });
  });
});
