/**
 * Contract test: OpenRouter's official TypeScript SDK, pointed at the simulator, calls every
 * endpoint the simulator serves. The SDK validates each answer with the zod schemas OpenRouter
 * generated from its own API spec, so a shape the real API would not send fails here: a
 * success must parse as its result type, an error as the SDK's typed error for that status
 * (a shape mismatch would surface as a ResponseValidationError instead).
 */
import { createHash } from 'node:crypto';
import { OpenRouter } from '@openrouter/sdk';
import {
  BadGatewayResponseError,
  BadRequestResponseError,
  ForbiddenResponseError,
  NotFoundResponseError,
  PaymentRequiredResponseError,
  TooManyRequestsResponseError,
  UnauthorizedResponseError,
} from '@openrouter/sdk/models/errors';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../../simulator/catalog';
import { ALIASES, ROUTER_IDS } from '../../simulator/catalog-view';
import { startSimulator } from '../../simulator/server';
import { SCENARIOS, type Simulator } from '../../simulator/types';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ extraKeys: 150, disabledKeys: 2, generationDelayMs: 0 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.setScenario('healthy');
  sim.clearFaults();
});

/** An SDK client on the simulator; no retries, so that an error status comes straight back. */
function sdk(apiKey: string): OpenRouter {
  return new OpenRouter({ apiKey, serverURL: sim.baseUrl, retryConfig: { strategy: 'none' } });
}

const message = (content: string) => [{ role: 'user' as const, content }];

describe('@openrouter/sdk against the simulator', () => {
  it('apiKeys.getCurrentKeyMetadata parses GET /key for the API key', async () => {
    const { data } = await sdk(sim.apiKey).apiKeys.getCurrentKeyMetadata();
    expect(data).toMatchObject({
      limit: 100,
      limitRemaining: 80,
      isManagementKey: false,
      isProvisioningKey: false,
    });
    expect(data.label).toMatch(/^sk-or-v1-[0-9a-f]{3}\.\.\.[0-9a-f]{3}$/);
  });

  it('apiKeys.getCurrentKeyMetadata parses GET /key for the management key', async () => {
    const { data } = await sdk(sim.managementKey).apiKeys.getCurrentKeyMetadata();
    expect(data.isManagementKey).toBe(true);
  });

  it('credits.getCredits parses GET /credits', async () => {
    const { data } = await sdk(sim.managementKey).credits.getCredits();
    expect(data).toEqual({ totalCredits: 500, totalUsage: 120 });
  });

  it('credits.getCredits with a regular key gets a typed 403', async () => {
    await expect(sdk(sim.apiKey).credits.getCredits()).rejects.toBeInstanceOf(ForbiddenResponseError);
  });

  it('apiKeys.list parses every page of GET /keys, disabled keys included on request', async () => {
    const client = sdk(sim.managementKey);
    const first = await client.apiKeys.list({ includeDisabled: true });
    const second = await client.apiKeys.list({ includeDisabled: true, offset: 100 });
    expect([first.data.length, second.data.length]).toEqual([100, 53]);
    expect([...first.data, ...second.data].filter((key) => key.disabled)).toHaveLength(2);
    const enabledOnly = await client.apiKeys.list({ offset: 100 });
    expect(enabledOnly.data).toHaveLength(51);
  });

  it('apiKeys.get parses GET /keys/{hash}', async () => {
    const hash = createHash('sha256').update(sim.apiKey).digest('hex');
    const { data } = await sdk(sim.managementKey).apiKeys.get({ hash });
    expect(data.hash).toBe(hash);
    await expect(sdk(sim.managementKey).apiKeys.get({ hash: 'f'.repeat(64) })).rejects.toBeInstanceOf(
      NotFoundResponseError,
    );
  });

  it('models.list parses GET /models', async () => {
    const page = await sdk(sim.apiKey).models.list();
    const ids = [...CATALOG.map((model) => model.id), ...ALIASES.map((alias) => alias.id), ...ROUTER_IDS];
    expect(page.result.data.map((model) => model.id)).toEqual(ids);
    expect(page.result.totalCount).toBe(ids.length);
    const alias = page.result.data.find((model) => model.id === ALIASES[0]?.id);
    expect(alias?.aliasTarget?.slug).toBe(ALIASES[0]?.target);
  });

  it.each(CATALOG.map((model) => model.id))('endpoints.list parses GET /models/%s/endpoints', async (id) => {
    const [author = '', slug = ''] = id.split('/');
    const { data } = await sdk(sim.apiKey).endpoints.list({ author, slug });
    expect(data.id).toBe(id);
    expect(data.endpoints.length).toBeGreaterThan(0);
  });

  it('chat.send parses a non-streaming completion', async () => {
    const result = await sdk(sim.apiKey).chat.send({
      chatRequest: { model: 'openai/gpt-4o-mini', messages: message('Hello'), maxTokens: 5 },
    });
    if (!('choices' in result)) throw new Error('expected a non-streaming result');
    expect(result.model).toBe('openai/gpt-4o-mini');
    expect(result.id).toMatch(/^gen-\d+-[A-Za-z0-9]{20}$/);
    expect(result.usage?.cost).toBeGreaterThan(0);
    expect(result.choices[0]?.message.content).toEqual(expect.any(String));
  });

  it.each([
    'openai/gpt-4o-mini:nitro',
    'openai/gpt-4o-mini:floor',
    '~openai/gpt-mini-latest',
    'openrouter/auto',
  ])('chat.send parses a completion for %s, served by the model it resolves to', async (model) => {
    const result = await sdk(sim.apiKey).chat.send({
      chatRequest: { model, messages: message('Hello'), maxTokens: 16 },
    });
    if (!('choices' in result)) throw new Error('expected a non-streaming result');
    expect(result.model).toBe('openai/gpt-4o-mini');
  });

  it('workspaces.list parses GET /workspaces, paged with total_count', async () => {
    sim.setScenario('second-workspace-keys');
    const page = await sdk(sim.managementKey).workspaces.list();
    expect(page.result.data.map((w) => w.slug)).toEqual(['default', 'research']);
    expect(page.result.totalCount).toBe(2);
    const second = await sdk(sim.managementKey).workspaces.list({ offset: 1, limit: 1 });
    expect(second.result.data.map((w) => w.slug)).toEqual(['research']);
  });

  it('apiKeys.list with workspaceId lists that workspace only; without it, the default one', async () => {
    sim.setScenario('second-workspace-keys');
    const client = sdk(sim.managementKey);
    const research = await client.apiKeys.list({ workspaceId: '7c9e6679-7425-40de-944b-e07fc1f90ae7' });
    expect(research.data.map((key) => key.name)).toEqual(['notebook-experiments']);
    const fallback = await client.apiKeys.list();
    expect(fallback.data.map((key) => key.name)).not.toContain('notebook-experiments');
  });

  it('guardrails.list, guardrails.listKeyAssignments and workspaces.listBudgets parse their routes', async () => {
    sim.setScenario('guardrail-budget');
    const client = sdk(sim.managementKey);
    const guardrails = await client.guardrails.list();
    expect(guardrails.result.data).toEqual([
      expect.objectContaining({ limitUsd: 50, resetInterval: 'monthly' }),
    ]);
    const assignments = await client.guardrails.listKeyAssignments();
    expect(assignments.result.data).toEqual([
      expect.objectContaining({ keyHash: createHash('sha256').update(sim.apiKey).digest('hex') }),
    ]);
    sim.setScenario('workspace-budget');
    const budgets = await client.workspaces.listBudgets({ workspaceRef: 'default' });
    expect(budgets.data).toEqual([expect.objectContaining({ limitUsd: 300, resetInterval: 'monthly' })]);
  });

  it('chat.send parses a completion served by a fallback model', async () => {
    sim.setScenario('low-credits');
    // openrouter-audit-ignore-next-line: missing-max-tokens -- uncapped on purpose: o1 "can only afford" less, so the fallback answers
    const result = await sdk(sim.apiKey).chat.send({
      chatRequest: {
        model: 'openai/o1',
        models: ['google/gemini-2.0-flash-001'],
        messages: message('Hello'),
      },
    });
    if (!('choices' in result)) throw new Error('expected a non-streaming result');
    expect(result.model).toBe('google/gemini-2.0-flash-001');
  });

  it('chat.send parses a streamed completion', async () => {
    const stream = await sdk(sim.apiKey).chat.send({
      chatRequest: { model: 'openai/gpt-4o-mini', messages: message('Hello'), maxTokens: 4, stream: true },
    });
    if ('choices' in stream) throw new Error('expected a stream');
    let text = '';
    let completionTokens: number | undefined;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) text += choice.delta.content ?? '';
      completionTokens = chunk.usage?.completionTokens ?? completionTokens;
    }
    expect(text.split(' ')).toHaveLength(4);
    expect(completionTokens).toBe(4);
  });

  it('generations.getGeneration parses GET /generation', async () => {
    const client = sdk(sim.apiKey);
    const result = await client.chat.send({
      chatRequest: { model: 'anthropic/claude-3.5-haiku', messages: message('Hi'), maxTokens: 3 },
    });
    if (!('choices' in result)) throw new Error('expected a non-streaming result');
    const { data } = await client.generations.getGeneration({ id: result.id });
    expect(data).toMatchObject({
      id: result.id,
      model: 'anthropic/claude-3.5-haiku',
      totalCost: result.usage?.cost,
      tokensCompletion: 3,
    });
    await expect(client.generations.getGeneration({ id: 'gen-0-missing' })).rejects.toBeInstanceOf(
      NotFoundResponseError,
    );
  });

  // garbage-key-figures sends "limit": "lots" on purpose: the SDK refusing it is the point.
  it.each(SCENARIOS.filter((name) => name !== 'invalid-key' && name !== 'garbage-key-figures'))(
    'parses GET /key, /keys and /models in the %s scenario',
    async (name) => {
      sim.setScenario(name);
      await expect(sdk(sim.apiKey).apiKeys.getCurrentKeyMetadata()).resolves.toHaveProperty('data.label');
      await expect(sdk(sim.managementKey).apiKeys.list({ includeDisabled: true })).resolves.toHaveProperty(
        'data',
      );
      await expect(sdk(sim.apiKey).models.list()).resolves.toHaveProperty('result.data');
    },
  );

  it.each([
    ['an unknown key', 'healthy', 'openai/gpt-4o-mini', undefined, UnauthorizedResponseError, 401],
    [
      'more than 3 fallback models',
      'healthy',
      'openai/gpt-4o-mini',
      ['a/b', 'c/d', 'e/f', 'g/h'],
      BadRequestResponseError,
      400,
    ],
    ['an unknown model', 'healthy', 'acme/imaginary-1', undefined, BadRequestResponseError, 400],
    [
      'an empty account',
      'payment-required',
      'openai/gpt-4o-mini',
      undefined,
      PaymentRequiredResponseError,
      402,
    ],
    [
      'a management key',
      'management-key-as-api-key',
      'openai/gpt-4o-mini',
      undefined,
      ForbiddenResponseError,
      403,
    ],
    ['a rate limit', 'rate-limited', 'openai/gpt-4o-mini', undefined, TooManyRequestsResponseError, 429],
    ['a provider outage', 'provider-down', 'openai/gpt-4o-mini', undefined, BadGatewayResponseError, 502],
    [
      'a spent guardrail budget',
      'guardrail-budget-spent',
      'openai/gpt-4o-mini',
      undefined,
      ForbiddenResponseError,
      403,
    ],
    [
      'a workspace budget',
      'workspace-budget-exceeded',
      'openai/gpt-4o-mini',
      undefined,
      ForbiddenResponseError,
      403,
    ],
    [
      'the in-flight budget',
      'in-flight-402',
      'openai/gpt-4o-mini',
      undefined,
      PaymentRequiredResponseError,
      402,
    ],
    [
      'a provider token floor',
      'provider-minimum-tokens',
      'openai/gpt-4o-mini',
      undefined,
      BadRequestResponseError,
      400,
    ],
    ['a deprecated model', 'model-deprecated', 'openai/gpt-4o-mini', undefined, NotFoundResponseError, 404],
    [
      'a region restriction',
      'region-restricted',
      'openai/gpt-4o-mini',
      undefined,
      ForbiddenResponseError,
      403,
    ],
    [
      'a privacy restriction',
      'privacy-restricted',
      'openai/gpt-4o-mini',
      undefined,
      NotFoundResponseError,
      404,
    ],
    ['no endpoints', 'no-endpoints', 'openai/gpt-4o-mini', undefined, NotFoundResponseError, 404],
    [
      'an ended free variant',
      'free-variant-ended',
      'openai/gpt-4o-mini',
      undefined,
      NotFoundResponseError,
      404,
    ],
    [
      'filtering constraints',
      'constraint-filtered',
      'openai/gpt-4o-mini',
      undefined,
      NotFoundResponseError,
      404,
    ],
  ] as const)(
    'chat.send gets a typed error for %s',
    async (_case, scenario, model, models, errorClass, status) => {
      sim.setScenario(scenario);
      const key = status === 401 ? `sk-or-v1-${'0f'.repeat(32)}` : sim.apiKey;
      const sending = sdk(key).chat.send({
        chatRequest: {
          model,
          messages: message('Hi'),
          maxTokens: 1,
          ...(models === undefined ? {} : { models: [...models] }),
        },
      });
      await expect(sending).rejects.toBeInstanceOf(errorClass);
      await expect(sending).rejects.toMatchObject({ statusCode: status, error: { code: status } });
    },
  );
});
