/** CI gates on this repository's own scan: the step must stay in .ci/run, before the tests. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');

describe('.ci/run', () => {
  it('scans the repository with the built CLI before running the tests, which stay last', async () => {
    const steps = (await readFile(resolve(REPO, '.ci/run'), 'utf8'))
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const scan = steps.indexOf('node dist/openrouter-audit.mjs scan .');
    expect(scan).toBeGreaterThan(steps.indexOf('npm ci --no-audit --no-fund'));
    expect(scan).toBeLessThan(steps.indexOf('npm test'));
    expect(steps.at(-1)).toBe('npm test');
  });
});
