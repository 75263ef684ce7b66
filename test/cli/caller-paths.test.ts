import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerCwd } from '../../cli/caller-cwd';
import type { JsonReport } from '../../lambda/render/json';
import { fakeKey } from '../scan/fixture-tree';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist', 'openrouter-audit.mjs');

interface Spawned {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the built CLI the way `npm --prefix <root> run audit -- …` does from `callerDir`: started in
 * the package's folder, with npm's INIT_CWD and npm_package_json.
 */
function spawnLikeNpmRun(callerDir: string, args: readonly string[], cwd = root): Promise<Spawned> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? '',
          INIT_CWD: callerDir,
          npm_package_json: join(root, 'package.json'),
          npm_lifecycle_event: 'audit',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

let caller: string;

beforeAll(async () => {
  caller = await realpath(await mkdtemp(join(tmpdir(), 'openrouter-audit-caller-')));
});

afterAll(async () => {
  await rm(caller, { recursive: true, force: true });
});

describe('paths resolve against the folder the user ran the command from (npm run sets INIT_CWD)', () => {
  it('reads --config and writes --output in the caller’s folder, not the package’s', async () => {
    // A model only this config names: the report can only mention it if this file was read.
    await writeFile(
      join(caller, 'audit.json'),
      JSON.stringify({ models: ['anthropic/claude-3.5-haiku'], dailyBudgetUsd: 50 }),
    );
    const { code, stderr } = await spawnLikeNpmRun(caller, [
      '--simulate',
      '--config',
      'audit.json',
      '--format',
      'json',
      '--output',
      'report.json',
    ]);
    expect(stderr).not.toMatch(/cannot read/);
    const report = JSON.parse(await readFile(join(caller, 'report.json'), 'utf8')) as JsonReport;
    const models = report.checks.find((c) => c.id === 'models');
    expect(models?.summary).toContain('anthropic/claude-3.5-haiku');
    expect(code).toBe(0);
  });

  it('names the caller’s file when it is missing (exit 2), even though the package folder is elsewhere', async () => {
    const { code, stderr } = await spawnLikeNpmRun(caller, ['--simulate', '--config', 'absent.json']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--config absent\.json: cannot read the file \(ENOENT\)/);
  });

  it('scans the caller’s folder for `scan .`', async () => {
    const project = join(caller, 'project');
    await mkdir(project, { recursive: true });
    await writeFile(join(project, 'settings.ts'), `export const key = '${fakeKey('cd')}';\n`);
    const { code, stdout } = await spawnLikeNpmRun(project, ['scan', '.', '--format', 'json']);
    expect(stdout).toContain('settings.ts');
    expect(code).toBe(1);
  });
});

describe('callerCwd', () => {
  const pkg = '/srv/auditor';
  it.each([
    [
      'npm run put the process in the package folder',
      { INIT_CWD: '/home/me/app', npm_package_json: `${pkg}/package.json` },
      pkg,
      '/home/me/app',
    ],
    [
      'a script changed folder itself after npm started it',
      { INIT_CWD: '/home/me/app', npm_package_json: `${pkg}/package.json` },
      `${pkg}/sub`,
      `${pkg}/sub`,
    ],
    ['not started by npm', {}, '/home/me/app/sub', '/home/me/app/sub'],
    [
      'a package manager that sets INIT_CWD and the lifecycle event only',
      { INIT_CWD: '/home/me/app', npm_lifecycle_event: 'audit' },
      pkg,
      '/home/me/app',
    ],
    [
      'INIT_CWD alone, inherited from an unrelated parent',
      { INIT_CWD: '/home/me/app' },
      '/elsewhere',
      '/elsewhere',
    ],
  ])('%s', (_case, env, cwd, expected) => {
    expect(callerCwd(env, cwd)).toBe(expected);
  });
});
