import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_CONFIG_FIELDS } from '../../lambda/engine/config';
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

  it('refuses an --output in a missing directory before sending any request, with exit 2', async () => {
    const before = counter.count();
    const { code, stderr } = await run(['--output', join(dir, 'missing-dir', 'report.txt')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--output .*: the directory .*missing-dir does not exist/);
    expect(counter.count()).toBe(before);
  });

  it('refuses an --output that is a directory before sending any request, with exit 2', async () => {
    const before = counter.count();
    const { code, stderr } = await run(['--output', dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--output .*: is a directory; give a file name/);
    expect(counter.count()).toBe(before);
  });
});

describe('hostile config input ends at once with exit 2, before any request', () => {
  const refused = async (argv: string[], message: RegExp) => {
    const before = counter.count();
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    // One line, of a readable length, whatever the input held.
    expect(stderr).toMatch(/^openrouter-audit: [^\n]*\n$/);
    expect(stderr.length).toBeLessThan(1200);
    expect(counter.count()).toBe(before);
  };

  it('a FIFO with no writer (opened non-blocking, refused from its fstat)', async () => {
    const fifo = join(dir, 'config.fifo');
    execFileSync('mkfifo', [fifo]);
    await refused(['--config', fifo], /--config .*config\.fifo: is a FIFO \(named pipe\); give a JSON file/);
  });

  it('a device that never ends (/dev/zero)', async () => {
    await refused(['--config', '/dev/zero'], /--config \/dev\/zero: is a device; give a JSON file/);
  });

  it('a directory', async () => {
    await refused(['--config', dir], /: is a directory; give a JSON file/);
  });

  it('a 4 GiB file, from its size alone (sparse: nothing is written or read)', async () => {
    const huge = join(dir, 'huge.json');
    await writeFile(huge, '');
    await truncate(huge, 4 * 1024 * 1024 * 1024);
    await refused(['--config', huge], /huge\.json: the file is larger than 1 MiB/);
  });

  it('a 100,000-character model id', async () => {
    const file = join(dir, 'long-model.json');
    await writeFile(file, JSON.stringify({ models: [`a/${'b'.repeat(100_000)}`] }));
    await refused(['--config', file], /models\.0: must be an OpenRouter model id of at most 128 characters/);
  });

  it('5,000 unknown fields, in one bounded line', async () => {
    const file = join(dir, 'many-fields.json');
    await writeFile(
      file,
      JSON.stringify(Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`field${i}`, i]))),
    );
    await refused(
      ['--config', file],
      /unknown fields "field0", "field1", "field2" … and 4,997 more; allowed: models/,
    );
  });

  it('every field wrong at once, in one bounded line', async () => {
    const file = join(dir, 'all-wrong.json');
    await writeFile(
      file,
      JSON.stringify(Object.fromEntries(AUDIT_CONFIG_FIELDS.map((field) => [field, {}]))),
    );
    await refused(['--config', file], new RegExp(`… and ${AUDIT_CONFIG_FIELDS.length - 10} more problems`));
  });

  it('a flag value over 2,048 characters', async () => {
    await refused(['--secret-id', 's'.repeat(3000)], /--secret-id is longer than 2,048 characters/);
  });
});
