import { afterEach, describe, expect, it } from 'vitest';
import { runSimulatorCli } from '../../simulator/cli-main';
import { startSimulator } from '../../simulator/server';
import { SCENARIOS, type Simulator, type SimulatorOptions } from '../../simulator/types';
import { at, call } from './support';

const running: Simulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

/** A clock the test moves by hand, and a random source that plays a script. */
function scripted(randoms: number[] = []) {
  let nowMs = Date.parse('2026-11-25T12:00:00.000Z');
  return {
    now: () => new Date(nowMs),
    advance: (ms: number) => {
      nowMs += ms;
    },
    random: () => randoms.shift() ?? 0.99,
  };
}

async function start(options: SimulatorOptions): Promise<Simulator> {
  const sim = await startSimulator(options);
  running.push(sim);
  return sim;
}

const chat = (sim: Simulator, body: Record<string, unknown> = {}) =>
  call(sim, '/chat/completions', {
    key: sim.apiKey,
    body: {
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 16,
      ...body,
    },
  });

describe('simulator load testing (--rate-limit, --error-rate) over real HTTP', () => {
  it('admits RPS completions a second, then answers 429 with Retry-After until the bucket refills', async () => {
    const clock = scripted();
    const sim = await start({ now: clock.now, random: clock.random, rateLimitRps: 2 });
    expect((await chat(sim)).status).toBe(200);
    expect((await chat(sim)).status).toBe(200);
    const limited = await chat(sim);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.headers['x-ratelimit-remaining']).toBe('0');
    expect(at(limited.json(), 'error', 'code')).toBe(429);
    clock.advance(500);
    expect((await chat(sim)).status).toBe(200);
    expect((await chat(sim)).status).toBe(429);
    clock.advance(1000);
    expect((await chat(sim)).status).toBe(200);
  });

  it('says how long to wait at a rate under one a second', async () => {
    const clock = scripted();
    const sim = await start({ now: clock.now, random: clock.random, rateLimitRps: 0.25 });
    expect((await chat(sim)).status).toBe(200);
    expect((await chat(sim)).headers['retry-after']).toBe('4');
  });

  it('fails the error-rate share of provider attempts with 502, and honours the models fallbacks', async () => {
    // Attempt 1: primary fails (0.1 < 0.5). Attempt 2: primary fails, fallback answers (0.7).
    // Attempt 3: primary answers (0.9). Attempt 4: primary and fallback both fail.
    const clock = scripted([0.1, 0.2, 0.7, 0.9, 0.3, 0.4]);
    const sim = await start({ now: clock.now, random: clock.random, errorRate: 0.5 });
    const failed = await chat(sim);
    expect(failed.status).toBe(502);
    expect(at(failed.json(), 'error', 'message')).toBe('Provider returned error');
    const fellBack = await chat(sim, { models: ['anthropic/claude-3.5-haiku'] });
    expect(fellBack.status).toBe(200);
    expect(at(fellBack.json(), 'model')).toBe('anthropic/claude-3.5-haiku');
    const primary = await chat(sim, { models: ['anthropic/claude-3.5-haiku'] });
    expect(at(primary.json(), 'model')).toBe('openai/gpt-4o-mini');
    expect((await chat(sim, { models: ['anthropic/claude-3.5-haiku'] })).status).toBe(502);
  });

  it('changes nothing without the flags', async () => {
    const clock = scripted([0]);
    const sim = await start({ now: clock.now, random: clock.random });
    for (let i = 0; i < 5; i += 1) expect((await chat(sim)).status).toBe(200);
  });

  it('takes the flags on the command line, rejects bad values, and lists every scenario in --help', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const outcome = await runSimulatorCli(
      ['--rate-limit', '5', '--error-rate', '0.2', '--latency', '10'],
      io,
    );
    expect(outcome.kind).toBe('running');
    if (outcome.kind === 'running') running.push(outcome.simulator);
    expect(out[0]).toMatch(/rate limit 5\/s, error rate 0\.2/);
    expect(await runSimulatorCli(['--error-rate', '1.5'], io)).toEqual({ kind: 'exit', code: 2 });
    expect(await runSimulatorCli(['--rate-limit', '0'], io)).toEqual({ kind: 'exit', code: 2 });
    expect(err.join('\n')).toMatch(/--error-rate must be a number from 0 to 1/);
    out.length = 0;
    await runSimulatorCli(['--help'], io);
    const help = out.join('\n');
    expect(help).toMatch(/--rate-limit RPS/);
    expect(help).toMatch(/retry .*fallback logic offline/);
    for (const name of SCENARIOS) expect(help).toContain(`  ${name} `);
    for (const name of [
      'endpoints-down',
      'single-provider',
      'low-uptime',
      'spend-spike',
      'key-over-budget',
    ]) {
      expect(help).toContain(name);
    }
  });
});
