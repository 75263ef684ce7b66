import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPORT_FORMATS } from '../../lambda/render/report';
import { startSimulator } from '../../simulator/server';
import { ROUTES, type Simulator } from '../../simulator/types';
import { KEY_SHAPED, runCliCaptured } from './harness';

// Canaries built at run time: no key-shaped literal lives in the repository.
const apiKey = `sk-or-v1-${'c4'.repeat(32)}`;
const managementKey = `sk-or-v1-${'d5'.repeat(32)}`;
const env = { OPENROUTER_API_KEY: apiKey, OPENROUTER_MANAGEMENT_KEY: managementKey };

/** The key, or any long piece of it, in a text: the masked label keeps only 3 + 3 characters. */
function leaks(text: string, key: string): boolean {
  const body = key.slice('sk-or-v1-'.length);
  return text.includes(key) || text.includes(body.slice(0, 12)) || text.includes(body.slice(-12));
}

let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({ apiKey, managementKey });
});

afterAll(async () => {
  await simulator.close();
});

describe('the CLI never prints a key', () => {
  it('talks to a simulator that really echoes the Authorization header (the test can fail)', async () => {
    simulator.clearFaults();
    simulator.injectFault('key', { kind: 'echo-key', status: 401, times: 1 });
    const response = await fetch(`${simulator.baseUrl}/key`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    expect(await response.text()).toContain(apiKey);
  });

  const statuses: Record<(typeof ROUTES)[number], number> = {
    key: 401,
    credits: 403,
    keys: 403,
    models: 400,
    endpoints: 400,
    chat: 402,
    generation: 400,
  };

  // With /key echoing, auth errors and the checks that need /key skip; with /key healthy, the
  // other routes (credits, keys, models, chat) are reached and echo the key in their errors.
  const faultSets: readonly [string, readonly (typeof ROUTES)[number][]][] = [
    ['every route', ROUTES],
    ['every route but /key', ROUTES.filter((route) => route !== 'key')],
  ];
  const cases = REPORT_FORMATS.flatMap((format) =>
    faultSets.map(([name, routes]) => [format, name, routes] as const),
  );

  it.each(cases)(
    'in %s format, with %s echoing the key back in its errors',
    async (format, _name, routes) => {
      simulator.clearFaults();
      for (const route of routes) simulator.injectFault(route, { kind: 'echo-key', status: statuses[route] });
      const { code, stdout, stderr } = await runCliCaptured(
        ['--base-url', simulator.baseUrl, '--format', format, '--preview-alert'],
        { env },
      );
      expect(code).toBe(1);
      expect(stdout.length).toBeGreaterThan(0);
      for (const key of [apiKey, managementKey]) {
        expect(leaks(stdout, key), `stdout leaks in ${format}`).toBe(false);
        expect(leaks(stderr, key), `stderr leaks in ${format}`).toBe(false);
      }
      expect(stdout + stderr).not.toMatch(KEY_SHAPED);
    },
  );

  it.each(REPORT_FORMATS)('in %s format on a healthy account', async (format) => {
    simulator.clearFaults();
    const { code, stdout, stderr } = await runCliCaptured(
      ['--base-url', simulator.baseUrl, '--format', format, '--preview-alert'],
      {
        env,
      },
    );
    expect(code).toBe(0);
    for (const key of [apiKey, managementKey]) expect(leaks(stdout + stderr, key)).toBe(false);
    expect(stdout + stderr).not.toMatch(KEY_SHAPED);
  });

  it('with --simulate, not even the simulator fake keys', async () => {
    const defaults = await startSimulator();
    const fakeKeys = [defaults.apiKey, defaults.managementKey];
    await defaults.close();
    for (const format of REPORT_FORMATS) {
      const { stdout, stderr } = await runCliCaptured([
        '--simulate',
        'invalid-key',
        '--format',
        format,
        '--preview-alert',
      ]);
      for (const key of fakeKeys) expect(leaks(stdout + stderr, key), format).toBe(false);
    }
  });
});
