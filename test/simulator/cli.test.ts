import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliOutcome, runSimulatorCli } from '../../simulator/cli-main';
import { SCENARIOS, type Simulator } from '../../simulator/types';
import { at, call } from './support';

const running: Simulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

async function run(argv: readonly string[]): Promise<{ outcome: CliOutcome; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const outcome = await runSimulatorCli(argv, {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  if (outcome.kind === 'running') running.push(outcome.simulator);
  return { outcome, out, err };
}

describe('npm run simulator', () => {
  it('prints the base URL, both fake keys and ready-to-run audit commands', async () => {
    const { outcome, out, err } = await run(['--port', '0']);
    expect(outcome.kind).toBe('running');
    if (outcome.kind !== 'running') return;
    const sim = outcome.simulator;
    const text = out.join('\n');
    expect(text).toContain(sim.baseUrl);
    expect(text).toContain(sim.apiKey);
    expect(text).toContain(sim.managementKey);
    expect(text).toContain(
      `OPENROUTER_BASE_URL=${sim.baseUrl} OPENROUTER_API_KEY=${sim.apiKey} npm run audit`,
    );
    expect(err).toEqual([]);
    expect((await call(sim, '/key', { key: sim.apiKey })).status).toBe(200);
  });

  it('serves the scenario and latency it is given', async () => {
    const { outcome } = await run([
      '--scenario',
      'no-key-limit',
      '--latency',
      '5',
      '--generation-delay',
      '0',
    ]);
    if (outcome.kind !== 'running') throw new Error('simulator did not start');
    const sim = outcome.simulator;
    expect(at((await call(sim, '/key', { key: sim.apiKey })).json(), 'data', 'limit')).toBeNull();
  });

  it('lists every scenario in --help and exits 0', async () => {
    const { outcome, out } = await run(['--help']);
    expect(outcome).toEqual({ kind: 'exit', code: 0 });
    for (const name of SCENARIOS) expect(out.join('\n')).toContain(name);
  });

  it.each([
    [['--port', 'eighty']],
    [['--port', '70000']],
    [['--latency', '-5']],
    [['--scenario', 'sunny']],
    [['--bogus']],
    [['positional']],
  ])('rejects %j with one line on stderr and exit code 2', async (argv) => {
    const { outcome, out, err } = await run(argv);
    expect(outcome).toEqual({ kind: 'exit', code: 2 });
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^simulator: /);
    expect(out).toEqual([]);
  });

  it('exits 1 with a reason when the port is taken', async () => {
    const first = await run(['--port', '0']);
    if (first.outcome.kind !== 'running') throw new Error('simulator did not start');
    const port = new URL(first.outcome.simulator.baseUrl).port;
    const second = await run(['--port', port]);
    expect(second.outcome).toEqual({ kind: 'exit', code: 1 });
    expect(second.err).toEqual([`simulator: port ${port} is already in use`]);
  });

  it('stops cleanly on SIGTERM', async () => {
    const entry = fileURLToPath(new URL('../../simulator/cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', entry, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    const exited = once(child, 'exit');
    try {
      await expect.poll(() => stdout, { timeout: 20_000 }).toContain('Press Ctrl+C to stop.');
      const baseUrl = /base URL\s+(\S+)/.exec(stdout)?.[1] ?? '';
      expect((await fetch(`${baseUrl}/models`)).status).toBe(200);
      child.kill('SIGTERM');
      const [code, signal] = await exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(stdout).toContain('Simulator stopped.');
    } finally {
      // Never leave the child behind when an assertion above failed.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
