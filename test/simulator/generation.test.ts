import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/server';
import type { Simulator, SimulatorOptions } from '../../simulator/types';
import { at, call, chatBody, manualClock } from './support';

const started: Simulator[] = [];
async function simulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator(options);
  started.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((sim) => sim.close()));
});

async function complete(sim: Simulator): Promise<{ id: string; cost: unknown; body: unknown }> {
  const body = (
    await call(sim, '/chat/completions', {
      key: sim.apiKey,
      body: chatBody({ model: 'anthropic/claude-3.5-haiku', max_tokens: 4 }),
      headers: { 'http-referer': 'https://myapp.example/' },
    })
  ).json();
  return { id: String(at(body, 'id')), cost: at(body, 'usage', 'cost'), body };
}

describe('GET /generation', () => {
  it('answers 404 "Generation not found" until generationDelayMs after the completion, then the stats', async () => {
    const clock = manualClock();
    const sim = await simulator({ now: clock.now, generationDelayMs: 2000 });
    const completedAt = clock.now();
    const { id, cost } = await complete(sim);

    const early = await call(sim, `/generation?id=${id}`, { key: sim.apiKey });
    expect(early.status).toBe(404);
    expect(early.json()).toEqual({ error: { code: 404, message: 'Generation not found' } });

    clock.advance(1999);
    expect((await call(sim, `/generation?id=${id}`, { key: sim.apiKey })).status).toBe(404);

    clock.advance(1);
    const ready = await call(sim, `/generation?id=${id}`, { key: sim.apiKey });
    expect(ready.status).toBe(200);
    expect(ready.json()).toMatchObject({
      data: {
        id,
        model: 'anthropic/claude-3.5-haiku',
        total_cost: cost,
        usage: cost,
        is_byok: false,
        tokens_completion: 4,
        provider_name: 'Anthropic',
        finish_reason: 'length',
        origin: 'https://myapp.example/',
        http_referer: 'https://myapp.example/',
        streamed: false,
        api_type: 'completions',
        created_at: completedAt.toISOString().replace('Z', '+00:00'),
      },
    });
  });

  it('answers at once when the delay is 0', async () => {
    const sim = await simulator({ generationDelayMs: 0 });
    const { id } = await complete(sim);
    expect((await call(sim, `/generation?id=${id}`, { key: sim.apiKey })).status).toBe(200);
  });

  it('answers 404 for an id it never issued and 400 without an id', async () => {
    const sim = await simulator({ generationDelayMs: 0 });
    expect((await call(sim, '/generation?id=gen-1-nothing', { key: sim.apiKey })).status).toBe(404);
    const missing = await call(sim, '/generation', { key: sim.apiKey });
    expect(missing.status).toBe(400);
    expect(at(missing.json(), 'error', 'code')).toBe(400);
  });
});
