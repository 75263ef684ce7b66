import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runScan } from '../../cli/scan/index';
import { code, fakeKey, makeTree, removeTrees } from './fixture-tree';

afterEach(removeTrees);

const KEY = fakeKey();

describe('runScan', () => {
  it.each([
    ['table', undefined, /^hardcoded-key\s+error\s+a\.ts:1:12/m],
    ['json', 'json', /"rule": "hardcoded-key"/],
    ['sarif', 'sarif', /"ruleId": "hardcoded-key"/],
  ])('prints the %s report and exits 1 on findings', async (_, format, expected) => {
    const dir = await makeTree({ 'a.ts': `const k = '${KEY}';\n` });
    const out = await runScan({ dir, format });
    expect(out.exitCode).toBe(1);
    expect(out.stdout).toMatch(expected);
    expect(out.stderr).toBe('');
    expect(out.stdout).not.toContain(KEY);
  });

  it('exits 0 on a clean tree', async () => {
    const dir = await makeTree({ 'a.ts': code("const base = 'https://openrouter.ai/api/v1';\n") });
    const out = await runScan({ dir, format: 'json' });
    expect(out.exitCode).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ ok: true, filesScanned: 1, findings: [] });
  });

  it.each([
    [
      'a directory that does not exist',
      async () => ({ dir: join(await makeTree({}), 'nope') }),
      /does not exist/,
    ],
    [
      'a file instead of a directory',
      async () => ({ dir: join(await makeTree({ f: 'x' }), 'f') }),
      /not a directory/,
    ],
    [
      'an unknown format',
      async () => ({ dir: await makeTree({}), format: 'xml' }),
      /unknown --format; allowed: table, json, sarif/,
    ],
    [
      'an unknown --fail-on',
      async () => ({ dir: await makeTree({}), failOn: 'warning' }),
      /unknown --fail-on; allowed: error, warn, info, none/,
    ],
  ])('exits 2 with a message on stderr for %s', async (_, makeOptions, message) => {
    const out = await runScan(await makeOptions());
    expect(out).toMatchObject({ exitCode: 2, stdout: '' });
    expect(out.stderr).toMatch(/^openrouter-audit scan: /);
    expect(out.stderr).toMatch(message);
  });

  it('masks a key given as the directory name', async () => {
    const out = await runScan({ dir: join(await makeTree({}), KEY) });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).not.toContain(KEY);
    expect(out.stderr).toContain('sk-or-v1-aba...bab');
  });
  it('passes maxFileBytes on to the scan', async () => {
    const dir = await makeTree({ 'a.ts': `const k = '${KEY}';\n${'/'.repeat(200)}\n` });
    const out = await runScan({ dir, format: 'json', maxFileBytes: 100 });
    expect(out.exitCode).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ filesScanned: 0, filesSkipped: 1, findings: [] });
  });
});
