/**
 * CI's secret scan (`npm run scan:secrets`) must be able to fail: these runs use this repository's
 * .secretlintrc.json and .secretlintignore on temp trees with planted (run-time built) keys.
 */
import { execFile } from 'node:child_process';
import { copyFile, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeKey, makeTree, removeTrees } from './fixture-tree';

afterEach(removeTrees);

const run = promisify(execFile);
const REPO = resolve(import.meta.dirname, '../..');
const SECRETLINT = resolve(REPO, 'node_modules/.bin/secretlint');
/** The globs of the `scan:secrets` script: `**\/*` skips dotfiles, hence `.env*`. */
const GLOBS = ['**/*', '.env*'];
const KEY = fakeKey();

/**
 * Runs secretlint the way CI does: from the tree's root, which holds copies of this repository's
 * config and ignore file (secretlint reads ignore patterns relative to the folder it runs in).
 */
async function secretlint(cwd: string): Promise<{ code: number; output: string }> {
  for (const file of ['.secretlintrc.json', '.secretlintignore'])
    await copyFile(resolve(REPO, file), join(cwd, file));
  const args = ['--maskSecrets', '--no-color', ...GLOBS];
  try {
    const { stdout, stderr } = await run(SECRETLINT, args, { cwd, timeout: 60_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    // execFile rejects on a non-zero exit with the exit code and the captured output on the error.
    if (!isExitFailure(error)) throw error;
    return { code: error.code, output: `${error.stdout}${error.stderr}` };
  }
}

function isExitFailure(error: unknown): error is { code: number; stdout: string; stderr: string } {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'number' &&
    'stdout' in error &&
    typeof error.stdout === 'string' &&
    'stderr' in error &&
    typeof error.stderr === 'string'
  );
}

describe('secretlint with this repository configuration', () => {
  it('runs with the same globs as the scan:secrets script', async () => {
    const pkg = JSON.parse(await readFile(resolve(REPO, 'package.json'), 'utf8'));
    expect(pkg.scripts['scan:secrets']).toBe('secretlint --maskSecrets "**/*" ".env*"');
  });

  it.each([
    ['a source file', { 'src/config.ts': `export const KEY = '${KEY}';\n` }],
    ['a committed .env file', { '.env': `OPENROUTER_API_KEY=${KEY}\n` }],
    ['a JSON config in upper case', { 'config/app.json': `{ "key": "${KEY.toUpperCase()}" }\n` }],
  ])('fails (exit 1) on an OpenRouter key in %s, printing it masked', async (_, files) => {
    const dir = await makeTree(files);
    const { code, output } = await secretlint(dir);
    expect(code).toBe(1);
    // The rule's name is masked too under --maskSecrets; the rule id is not.
    expect(output).toContain('@secretlint/secretlint-rule-pattern');
    expect(output).not.toContain(KEY);
    expect(output.toLowerCase()).not.toContain('abababab');
  });

  it('passes (exit 0) on a clean tree with near misses', async () => {
    const dir = await makeTree({
      'src/a.ts': `export const label = 'sk-or-v1-abc...123';\nexport const near = 'sk-or-v1-${'c'.repeat(63)}';\n`,
      '.env.example': 'OPENROUTER_API_KEY=\n',
      'README.md': 'Keys look like sk-or-v1-abc...123.\n',
    });
    const { code } = await secretlint(dir);
    expect(code).toBe(0);
  });

  it('ignores dependencies, build output and the lockfile', async () => {
    const dir = await makeTree({
      'src/a.ts': 'export const ok = 1;\n',
      'node_modules/pkg/index.js': `module.exports = '${KEY}';\n`,
      'dist/app.mjs': `const k = '${KEY}';\n`,
      'cdk.out/asset.123/index.js': `const k = '${KEY}';\n`,
      'package-lock.json': `{ "integrity": "${KEY}" }\n`,
    });
    const { code } = await secretlint(dir);
    expect(code).toBe(0);
  });
});
