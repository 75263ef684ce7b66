import { afterEach, describe, expect, it } from 'vitest';
import { CATALOG } from '../../simulator/catalog';
import { startSimulator } from '../../simulator/server';
import type { Simulator, SimulatorOptions } from '../../simulator/types';
import { at, call, chatBody, list } from './support';

const started: Simulator[] = [];
async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator(options);
  started.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

function pricesOf(id: string): { prompt: number; completion: number; maxOutput: number } {
  const model = CATALOG.find((entry) => entry.id === id);
  if (model === undefined) throw new Error(`no ${id} in the catalog`);
  return {
    prompt: Number(model.pricing.prompt),
    completion: Number(model.pricing.completion),
    maxOutput: model.maxCompletionTokens,
  };
}

describe('POST /chat/completions', () => {
  it('answers with a generation id, the serving model and provider, and usage with its cost', async () => {
    const sim = await simulator();
    const answer = await call(sim, '/chat/completions', {
      key: sim.apiKey,
      body: chatBody({ model: 'openai/gpt-4o-mini', max_tokens: 50 }),
    });
    expect(answer.status).toBe(200);
    const body = answer.json();
    expect(at(body, 'id')).toMatch(/^gen-\d{10}-[A-Za-z0-9]{20}$/);
    expect(answer.headers['x-generation-id']).toBe(at(body, 'id'));
    expect(body).toMatchObject({
      object: 'chat.completion',
      model: 'openai/gpt-4o-mini',
      provider: 'OpenAI',
      system_fingerprint: null,
      choices: [
        { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: expect.any(String) } },
      ],
    });
    const { prompt, completion } = pricesOf('openai/gpt-4o-mini');
    const promptTokens = Number(at(body, 'usage', 'prompt_tokens'));
    const completionTokens = Number(at(body, 'usage', 'completion_tokens'));
    expect(at(body, 'usage', 'total_tokens')).toBe(promptTokens + completionTokens);
    expect(Number(at(body, 'usage', 'cost'))).toBeCloseTo(
      promptTokens * prompt + completionTokens * completion,
      12,
    );
  });

  it.each(['max_tokens', 'max_completion_tokens'])(
    'stops at %s with finish_reason "length"',
    async (field) => {
      const sim = await simulator();
      const body = (
        await call(sim, '/chat/completions', { key: sim.apiKey, body: chatBody({ [field]: 2 }) })
      ).json();
      expect(at(body, 'usage', 'completion_tokens')).toBe(2);
      expect(at(body, 'choices', 0, 'finish_reason')).toBe('length');
    },
  );

  it('serves openai/gpt-4o-mini when no model is named', async () => {
    const sim = await simulator();
    const body = (
      await call(sim, '/chat/completions', { key: sim.apiKey, body: chatBody({ max_tokens: 1 }) })
    ).json();
    expect(at(body, 'model')).toBe('openai/gpt-4o-mini');
  });

  it('takes models[0] as the primary when only a models list is sent', async () => {
    const sim = await simulator();
    const body = (
      await call(sim, '/chat/completions', {
        key: sim.apiKey,
        body: chatBody({ models: ['anthropic/claude-3.5-haiku', 'openai/gpt-4o-mini'], max_tokens: 1 }),
      })
    ).json();
    expect(at(body, 'model')).toBe('anthropic/claude-3.5-haiku');
    expect(at(body, 'provider')).toBe('Anthropic');
  });

  it('reports the fallback model that actually served when the primary cannot', async () => {
    const sim = await simulator({ scenario: 'low-credits' });
    // o1 without max_tokens is priced at its 100,000-token default output: more than 2 USD.
    const answer = await call(sim, '/chat/completions', {
      key: sim.apiKey,
      body: chatBody({ model: 'openai/o1', models: ['openai/gpt-4o-mini'] }),
    });
    expect(answer.status).toBe(200);
    expect(at(answer.json(), 'model')).toBe('openai/gpt-4o-mini');
  });

  it("accepts a models list of 3 and rejects one of 4 with OpenRouter's message", async () => {
    const sim = await simulator();
    const three = ['openai/gpt-4o-mini', 'anthropic/claude-3.5-haiku', 'google/gemini-2.0-flash-001'];
    const ok = await call(sim, '/chat/completions', {
      key: sim.apiKey,
      body: chatBody({ models: three, max_tokens: 1 }),
    });
    expect(ok.status).toBe(200);
    const four = [...three, 'meta-llama/llama-3.1-8b-instruct'];
    const refused = await call(sim, '/chat/completions', {
      key: sim.apiKey,
      body: chatBody({ models: four, max_tokens: 1 }),
    });
    expect(refused.status).toBe(400);
    expect(at(refused.json(), 'error', 'message')).toBe("'models' array must have 3 items or fewer.");
  });

  it('answers an unknown model with 400 and availability code model_not_found', async () => {
    const sim = await simulator();
    const answer = await call(sim, '/chat/completions', {
      key: sim.apiKey,
      body: chatBody({ model: 'acme/imaginary-1', max_tokens: 1 }),
    });
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({
      error: {
        code: 400,
        availability: { code: 'model_not_found', retryable: false, requested_models: ['acme/imaginary-1'] },
      },
    });
  });

  it('refuses a management key with 403', async () => {
    const sim = await simulator();
    const answer = await call(sim, '/chat/completions', {
      key: sim.managementKey,
      body: chatBody({ max_tokens: 1 }),
    });
    expect(answer.status).toBe(403);
    expect(at(answer.json(), 'error', 'code')).toBe(403);
  });

  it.each([
    ['a body that is not JSON', '{"messages": ['],
    ['no messages', { model: 'openai/gpt-4o-mini' }],
    ['an empty messages list', { messages: [] }],
    ['a zero max_tokens', chatBody({ max_tokens: 0 })],
    ['a fractional max_completion_tokens', chatBody({ max_completion_tokens: 1.5 })],
    ['a models list that is not strings', chatBody({ models: [1, 2] })],
    ['a non-boolean stream', chatBody({ stream: 'yes' })],
  ])('answers 400 to %s', async (_case, body) => {
    const sim = await simulator();
    const answer = await call(sim, '/chat/completions', { key: sim.apiKey, body });
    expect(answer.status).toBe(400);
    expect(at(answer.json(), 'error', 'code')).toBe(400);
  });

  it('answers 402 "can only afford N" when no max_tokens is sent and the money left cannot cover the default output', async () => {
    const sim = await simulator({ scenario: 'low-credits' });
    const answer = await call(sim, '/chat/completions', {
      key: sim.apiKey,
      body: chatBody({ model: 'openai/o1' }),
    });
    expect(answer.status).toBe(402);
    const body = answer.json();
    const message = String(at(body, 'error', 'message'));
    const { completion, maxOutput } = pricesOf('openai/o1');
    expect(message).toMatch(
      new RegExp(
        `^This request requires more credits, or fewer max_tokens\\. You requested up to ${maxOutput} tokens, but can only afford \\d+\\.`,
      ),
    );
    const affordable = Number(/can only afford (\d+)/.exec(message)?.[1]);
    // 2 USD are left under the key's limit; the prompt takes a little of it.
    expect(affordable).toBeLessThanOrEqual(Math.floor(2 / completion));
    expect(affordable).toBeGreaterThan(Math.floor(1.99 / completion));
    expect(at(body, 'user_id')).toEqual(expect.stringMatching(/^user_/));
  });

  it('serves the same low-balance request once max_tokens is small', async () => {
    const sim = await simulator({ scenario: 'low-credits' });
    const answer = await call(sim, '/chat/completions', {
      key: sim.apiKey,
      body: chatBody({ model: 'openai/o1', max_tokens: 100 }),
    });
    expect(answer.status).toBe(200);
  });

  it('streams server-sent events ending with a usage chunk without choices and [DONE]', async () => {
    const sim = await simulator();
    const answer = await call(sim, '/chat/completions', {
      key: sim.apiKey,
      body: chatBody({ stream: true, max_tokens: 3 }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/event-stream');
    const events = answer.text
      .split('\n\n')
      .filter((event) => event.startsWith('data: '))
      .map((event) => event.slice('data: '.length));
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event) as unknown);
    const usageChunk = chunks.at(-1);
    expect(list(usageChunk, 'choices')).toEqual([]);
    expect(at(usageChunk, 'usage', 'completion_tokens')).toBe(3);
    const text = chunks
      .flatMap((chunk) =>
        list(chunk, 'choices').map((choice) => String(at(choice, 'delta', 'content') ?? '')),
      )
      .join('');
    expect(text.split(' ')).toHaveLength(3);
    expect(answer.headers['x-generation-id']).toBe(at(chunks[0], 'id'));
  });
});
