import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from './harness';

const plantedKey = `sk-or-v1-${'7c'.repeat(32)}`;
let root = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'openrouter-audit-scan-cli-'));
  await mkdir(join(root, 'dirty', 'src'), { recursive: true });
  await mkdir(join(root, 'clean', 'src'), { recursive: true });
  await writeFile(join(root, 'dirty', 'src', 'client.ts'), `export const key = '${plantedKey}';\n`);
  await writeFile(
    join(root, 'clean', 'src', 'client.ts'),
    'export const key = process.env.OPENROUTER_API_KEY;\n',
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('openrouter-audit scan', () => {
  it('exits 1 on a tree with a hard-coded key and reports it masked, with file and line', async () => {
    const { code, stdout, stderr } = await runCliCaptured(['scan', 'dirty'], { cwd: root });
    expect(code).toBe(1);
    expect(stdout).toContain('src/client.ts');
    expect(stdout).toContain('sk-or-v1-7c7...c7c');
    expect(stdout + stderr).not.toContain(plantedKey);
  });

  it('exits 0 on a clean tree', async () => {
    const { code } = await runCliCaptured(['scan', join(root, 'clean')]);
    expect(code).toBe(0);
  });

  it('writes the JSON report with --format json', async () => {
    const { code, stdout } = await runCliCaptured(['scan', 'dirty', '--format', 'json'], { cwd: root });
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      findings: { rule: string; file: string; line: number }[];
    };
    expect(report.ok).toBe(false);
    expect(report.findings).toContainEqual(
      expect.objectContaining({ rule: 'hardcoded-key', file: 'src/client.ts', line: 1 }),
    );
  });

  it('exits 2 with one stderr line when the directory does not exist', async () => {
    const { code, stdout, stderr } = await runCliCaptured(['scan', 'no-such-dir'], { cwd: root });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
