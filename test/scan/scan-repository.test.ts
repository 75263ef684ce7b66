import { spawnSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_BYTES, type ScanReport, scanRepository } from '../../cli/scan/index';
import { code, fakeKey, makeTree, removeTrees } from './fixture-tree';

afterEach(removeTrees);

const KEY = fakeKey();
const at = (report: ScanReport) => report.findings.map(({ rule, file, line }) => ({ rule, file, line }));

/** One tree with every kind of finding planted, and a near miss beside each. */
function plantedTree(): Record<string, string | Buffer | { symlinkTo: string }> {
  return {
    'src/config.ts': `// settings\nexport const KEY = '${KEY}';\n`,
    'src/labels.ts': [
      "export const label = 'sk-or-v1-abc...123';",
      `export const short = 'sk-or-v1-${'c'.repeat(63)}';`,
      "export const masked = 'sk-or-v1-***';",
      '',
    ].join('\n'),
    'src/client.ts': code(
      "export const BASE = 'http:%//openrouter.ai/api/v1';\nexport const OK = 'https://openrouter.ai/api/v1';\n",
    ),
    'docs/setup.md': code('Check the models:\n\n    curl http:%//www.openrouter.ai/api/v1/models\n'),
    'app/chat.ts': code(
      [
        "import OpenAI from 'openai';",
        'const client = new OpenAI();',
        "await client.chat.completions.create%({ model: 'm', messages: [] });",
        "await client.chat.completions.create%({ model: 'm', messages: [], max_tokens: 256 });",
        '',
      ].join('\n'),
    ),
    'app/chat.py': code(
      [
        'from openai import OpenAI',
        'client = OpenAI()',
        'client.chat.completions.create%(model="m", max_tokens=64, messages=[])',
        'client.chat.completions.create%(',
        '    model="m",',
        '    messages=[],',
        ')',
        '',
      ].join('\n'),
    ),
    '.env': `OPENROUTER_API_KEY=${KEY}\n`,
    '.env.example': 'OPENROUTER_API_KEY=sk-or-v1-...\n',
    'node_modules/pkg/index.js': `module.exports = '${KEY}';\n`,
    'packages/a/node_modules/dep/key.txt': KEY,
    'dist/bundle.js': `const k = '${KEY}';\n`,
    'cdk.out/asset/index.js': `const k = '${KEY}';\n`,
    'coverage/lcov.info': KEY,
    '.git/config': `[remote]\n  token = ${KEY}\n`,
    'data/blob.dat': Buffer.concat([Buffer.from([0x7f, 0x00, 0x01]), Buffer.from(KEY)]),
    'data/big.txt': `${KEY}\n${'x'.repeat(DEFAULT_MAX_FILE_BYTES)}\n`,
    'src/link.ts': { symlinkTo: 'src/config.ts' },
    'src/loop': { symlinkTo: '.' },
  };
}

describe('scanRepository', () => {
  it('reports exactly the planted findings, sorted by file and line, and nothing from skipped places', async () => {
    const root = await makeTree(plantedTree());
    const report = await scanRepository(root);
    expect(at(report)).toEqual([
      { rule: 'env-file-key', file: '.env', line: 1 },
      { rule: 'missing-max-tokens', file: 'app/chat.py', line: 4 },
      { rule: 'missing-max-tokens', file: 'app/chat.ts', line: 3 },
      { rule: 'insecure-url', file: 'docs/setup.md', line: 3 },
      { rule: 'insecure-url', file: 'src/client.ts', line: 1 },
      { rule: 'hardcoded-key', file: 'src/config.ts', line: 2 },
    ]);
    expect(report.root).toBe(resolve(root));
    expect(report.filesSkipped).toBe(4);
    expect(report.skippedByReason).toEqual({
      symlink: 2,
      binary: 1,
      'too-large': 1,
      unreadable: 0,
      'check-failed': 0,
    });
    // config, labels, client, setup.md, chat.ts, chat.py, .env, .env.example
    expect(report.filesScanned).toBe(8);
  });

  it('points at the column where the key starts and marks only the max-tokens rule as heuristic', async () => {
    const root = await makeTree(plantedTree());
    const { findings } = await scanRepository(root);
    const key = findings.find((f) => f.rule === 'hardcoded-key');
    expect(key).toMatchObject({ line: 2, column: "export const KEY = '".length + 1, heuristic: false });
    expect(key?.excerpt).toBe("export const KEY = 'sk-or-v1-aba...bab';");
    for (const finding of findings) expect(finding.heuristic).toBe(finding.rule === 'missing-max-tokens');
  });

  it('never puts the key in a finding', async () => {
    const root = await makeTree(plantedTree());
    const report = await scanRepository(root);
    expect(JSON.stringify(report)).not.toContain(KEY);
    expect(JSON.stringify(report)).not.toContain('ab'.repeat(8));
  });

  it('finds nothing in a clean tree', async () => {
    const root = await makeTree({
      'src/index.ts': code(
        "const r = await client.chat.completions.create%({ model: 'm', messages, max_tokens: 100 });\n",
      ),
      'src/url.ts': "export const BASE = 'https://openrouter.ai/api/v1';\n",
      'README.md': 'Put your key in `OPENROUTER_API_KEY` (it looks like `sk-or-v1-abc...123`).\n',
      '.env.example': 'OPENROUTER_API_KEY=\n',
    });
    const report = await scanRepository(root);
    expect(report.findings).toEqual([]);
    expect(report.filesScanned).toBe(4);
    expect(report.filesSkipped).toBe(0);
  });

  it('skips files over maxFileBytes and counts them as skipped', async () => {
    const root = await makeTree({ 'a.txt': `${KEY}\n${'y'.repeat(200)}`, 'b.txt': 'small' });
    const report = await scanRepository(root, { maxFileBytes: 100 });
    expect(report.findings).toEqual([]);
    expect(report.skippedByReason['too-large']).toBe(1);
    expect(report.filesScanned).toBe(1);
  });

  it('counts unreadable files and folders as skipped instead of failing', async () => {
    const root = await makeTree({
      'ok.ts': `export const k = '${KEY}';\n`,
      'locked/inner.ts': `export const k = '${KEY}';\n`,
      'secret.ts': `export const k = '${KEY}';\n`,
    });
    await chmod(join(root, 'locked'), 0o000);
    await chmod(join(root, 'secret.ts'), 0o000);
    const report = await scanUnprivileged(root).finally(async () => {
      // Unlocked again so that the clean-up can remove them when the tests do not run as root.
      await chmod(join(root, 'locked'), 0o755);
      await chmod(join(root, 'secret.ts'), 0o644);
    });
    expect(report.skippedByReason.unreadable).toBe(2);
    expect(at(report)).toEqual([{ rule: 'hardcoded-key', file: 'ok.ts', line: 1 }]);
  });

  it.each([
    ['does not exist', async () => join(await makeTree({}), 'missing'), 'ROOT_NOT_FOUND'],
    ['is a file', async () => join(await makeTree({ 'f.txt': 'x' }), 'f.txt'), 'ROOT_NOT_DIRECTORY'],
  ])('rejects with a ScanError when the root %s', async (_, makeRoot, code) => {
    await expect(scanRepository(await makeRoot())).rejects.toMatchObject({ name: 'ScanError', code });
  });

  it('rejects with ABORTED when the signal aborts', async () => {
    const root = await makeTree({ 'a.txt': 'a', 'b/c.txt': 'c' });
    await expect(scanRepository(root, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'ABORTED',
    });
  });

  // Correctness at scale only: how long it takes is a figure for `npm run bench`, not a test that
  // a loaded CI machine could fail.
  it('scans a tree of 5,000 small files and finds the one key', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 5_000; i += 1) {
      files[`pkg${i % 50}/src/mod${i}.ts`] =
        `export const value${i} = ${i};\nexport const url = 'https://openrouter.ai';\n`;
    }
    files['pkg7/src/leak.ts'] = `export const k = '${KEY}';\n`;
    const root = await makeTree(files);
    const report = await scanRepository(root);
    expect(report.filesScanned).toBe(5_001);
    expect(at(report)).toEqual([{ rule: 'hardcoded-key', file: 'pkg7/src/leak.ts', line: 1 }]);
  });
});

/**
 * Runs the scan where permissions bite. Root reads everything, so as root the scan runs in a child
 * process under the `nobody` user (uid 65534); otherwise in this process.
 */
async function scanUnprivileged(root: string): Promise<ScanReport> {
  if (process.getuid?.() !== 0) return scanRepository(root);
  await chmod(root, 0o755);
  const script = join(root, 'scan-child.mjs');
  const entry = resolve('cli/scan/index.ts');
  await writeFile(
    script,
    `const { scanRepository } = await import(${JSON.stringify(entry)});\n` +
      `process.stdout.write(JSON.stringify(await scanRepository(process.argv[2])));\n`,
  );
  await chmod(script, 0o644);
  const child = spawnSync(process.execPath, ['--import', 'tsx', script, root], {
    uid: 65534,
    gid: 65534,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (child.status !== 0) throw new Error(`scan child failed: ${child.stderr}`);
  const report: ScanReport = JSON.parse(child.stdout);
  // The child's own script sits in the tree; it is a clean file, so drop it from the count.
  return { ...report, filesScanned: report.filesScanned - 1 };
}
