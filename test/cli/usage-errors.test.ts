import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured, startRequestCounter } from './harness';

const apiKey = `sk-or-v1-${'5a'.repeat(32)}`;
let dir = '';
let counter: Awaited<ReturnType<typeof startRequestCounter>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openrouter-audit-cli-'));
  counter = await startRequestCounter();
  const files: Record<string, string> = {
    'not-json.json': '{"models": [',
    'array.json': '["openai/gpt-4o-mini"]',
    'unknown-field.json': '{"modelz": ["openai/gpt-4o-mini"]}',
    'four-models.json': JSON.stringify({ models: ['a/one', 'a/two', 'a/three', 'a/four'] }),
    'duplicate-model.json': JSON.stringify({ models: ['a/one', 'a/one'] }),
    'wrong-type.json': '{"probe": "yes"}',
    'negative.json': '{"minCreditsUsd": -1}',
    'not-integer.json': '{"maxLatencyMs": 1.5}',
    'warn-over-max.json': '{"keyAgeWarnDays": 100, "maxKeyAgeDays": 90}',
    'bad-model-id.json': '{"models": ["gpt-4o"]}',
    'null-models.json': '{"models": null}',
  };
  await Promise.all(Object.entries(files).map(([name, text]) => writeFile(join(dir, name), text)));
});

afterAll(async () => {
  await counter.close();
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[], env: Record<string, string> = {}) =>
  runCliCaptured(['--base-url', counter.baseUrl, ...argv], {
    env: { OPENROUTER_API_KEY: apiKey, ...env },
    cwd: dir,
  });

describe('bad configuration exits 2 with one stderr line naming the problem, before any request', () => {
  it.each([
    ['missing.json', /--config missing\.json: cannot read the file \(ENOENT\)/],
    ['not-json.json', /--config not-json\.json: not valid JSON/],
    ['array.json', /--config array\.json: must be a JSON object/],
    ['unknown-field.json', /unknown field "modelz"; allowed: models, probe/],
    ['four-models.json', /models: must list at most 3 models/],
    ['duplicate-model.json', /models: must not list the same model twice/],
    ['wrong-type.json', /probe: must be a boolean/],
    ['negative.json', /minCreditsUsd: must be at least 0/],
    ['not-integer.json', /maxLatencyMs: must be an integer/],
    ['warn-over-max.json', /keyAgeWarnDays: must not be greater than maxKeyAgeDays/],
    ['bad-model-id.json', /models\.0: must be an OpenRouter model id/],
    ['null-models.json', /models: must be an array/],
  ])('--config %s', async (file, message) => {
    const before = counter.count();
    const { code, stdout, stderr } = await run(['--config', file]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.endsWith('\n')).toBe(true);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(counter.count()).toBe(before);
  });
});

describe('bad usage exits 2 with one stderr line', () => {
  it.each([
    [['--base-url', 'http://api.example.com/api/v1'], {}, /--base-url: .*must use https/],
    [['--base-url', 'ftp://127.0.0.1/api/v1'], {}, /--base-url: .*must use https/],
    [['--base-url', 'not a url'], {}, /--base-url: .*not a valid URL/],
    [[], { OPENROUTER_BASE_URL: 'http://10.0.0.8/api/v1' }, /OPENROUTER_BASE_URL: .*must use https/],
    [['--frobnicate'], {}, /unknown option "--frobnicate"/],
    [['--api-key', 'x'], {}, /--api-key is not accepted: keys are read from the OPENROUTER_API_KEY/],
    [['--timeout', 'soon'], {}, /--timeout must be a whole number/],
    [['--simulate', 'sunny'], {}, /valid scenarios: healthy/],
  ])('%j with env %j', async (argv, env, message) => {
    // Without the counter's URL first, so that the bad base URL is the one in effect.
    const { code, stdout, stderr } = await runCliCaptured(argv, {
      env: { OPENROUTER_API_KEY: apiKey, ...env },
      cwd: dir,
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/^openrouter-audit: [^\n]*\(see openrouter-audit --help\)\n$/);
  });

  it('refuses an unwritable --output after saying why, with exit 2', async () => {
    const { code, stderr } = await run(['--output', join(dir, 'missing-dir', 'report.txt')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--output .*: cannot write the file \(ENOENT\)/);
  });
});
