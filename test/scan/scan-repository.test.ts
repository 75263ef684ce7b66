import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_BYTES, SCAN_RULES, type ScanReport, scanRepository } from '../../cli/scan/index';
import { EXAMPLE_KEYS } from './corpus';
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

  it('reads every file of a 5,000-file tree exactly once and finds the one key among them', async () => {
    // Speed is a bench figure (npm run bench, figure 7), not a timed test: CI machines are loaded.
    const files: Record<string, string> = {};
    for (let i = 0; i < 5_000; i += 1) {
      files[`pkg${i % 50}/src/mod${i}.ts`] =
        `export const value${i} = ${i};\nexport const url = 'https://openrouter.ai';\n`;
    }
    files['pkg7/src/leak.ts'] = `export const k = '${KEY}';\n`;
    const root = await makeTree(files);
    const report = await scanRepository(root, { concurrency: 4 });
    expect(report.filesScanned).toBe(5_001);
    expect(report.filesSkipped).toBe(0);
    expect(at(report)).toEqual([{ rule: 'hardcoded-key', file: 'pkg7/src/leak.ts', line: 1 }]);
  });

  it('in a git work tree, reads tracked and untracked files but not what git ignores', async () => {
    const root = await makeTree({
      '.gitignore': 'node_modules/\n.env\nlocal/\n',
      '.env': `OPENROUTER_API_KEY=${KEY}\n`,
      'local/notes.ts': `export const k = '${KEY}';\n`,
      'src/tracked.ts': `export const k = '${KEY}';\n`,
      'src/untracked.ts': `export const k = '${KEY}';\n`,
    });
    git(root, 'init', '--quiet');
    git(root, 'add', 'src/tracked.ts', '.gitignore');
    const report = await scanRepository(root);
    expect(report.selection).toBe('git');
    expect(at(report)).toEqual([
      { rule: 'hardcoded-key', file: 'src/tracked.ts', line: 1 },
      { rule: 'hardcoded-key', file: 'src/untracked.ts', line: 1 },
    ]);

    const everything = await scanRepository(root, { all: true });
    expect(everything.selection).toBe('all');
    expect(at(everything)).toEqual([
      { rule: 'env-file-key', file: '.env', line: 1 },
      { rule: 'hardcoded-key', file: 'local/notes.ts', line: 1 },
      { rule: 'hardcoded-key', file: 'src/tracked.ts', line: 1 },
      { rule: 'hardcoded-key', file: 'src/untracked.ts', line: 1 },
    ]);
  });

  it('in a git work tree, skips a symlink git lists (never following it) and a path it lists that is gone', async () => {
    const root = await makeTree({
      'secret/key.ts': `export const k = '${KEY}';\n`,
      'src/link.ts': { symlinkTo: 'secret/key.ts' },
      'src/gone.ts': 'export {};\n',
      '.gitignore': 'secret/\n',
    });
    git(root, 'init', '--quiet');
    git(root, 'add', 'src/gone.ts', 'src/link.ts');
    await rm(join(root, 'src/gone.ts'));
    const report = await scanRepository(root);
    expect(report.selection).toBe('git');
    expect(report.findings).toEqual([]);
    expect(report.skippedByReason.symlink).toBe(1);
    expect(report.filesScanned).toBe(1);
  });

  it('scans a sub-folder of a work tree relative to that folder, and walks a folder git ignores whole', async () => {
    const root = await makeTree({
      '.gitignore': 'generated/\n',
      'app/src/a.ts': `export const k = '${KEY}';\n`,
      'generated/b.ts': `export const k = '${KEY}';\n`,
    });
    git(root, 'init', '--quiet');
    expect(at(await scanRepository(join(root, 'app')))).toEqual([
      { rule: 'hardcoded-key', file: 'src/a.ts', line: 1 },
    ]);
    const ignored = await scanRepository(join(root, 'generated'));
    expect(ignored.selection).toBe('walk');
    expect(at(ignored)).toEqual([{ rule: 'hardcoded-key', file: 'b.ts', line: 1 }]);
  });

  it('resolves a chat URL constant imported from another module', async () => {
    const root = await makeTree({
      'config.py':
        'CHAT_URL = "https://openrouter.ai/api/v1/chat/completions"\nMODELS_URL = "https://openrouter.ai/api/v1/models"\n',
      'bot.py': code(
        [
          'import requests',
          'from config import CHAT_URL, MODELS_URL',
          'def ask(q):',
          '    return requests.post%(CHAT_URL, json={"model": "a/b", "messages": [q]}, timeout=9)',
          'def models():',
          '    return requests.post%(MODELS_URL, json={"model": "a/b"}, timeout=9)',
          '',
        ].join('\n'),
      ),
      'src/config.ts': "export const ENDPOINT = 'https://openrouter.ai/api/v1/chat/completions';\n",
      'src/ask.ts': code(
        "import { ENDPOINT } from './config';\nexport const ask = (messages) =>\n  fetch%(ENDPOINT, { method: 'POST', body: JSON.stringify%({ model: 'a/b', messages }), signal });\n",
      ),
    });
    const report = await scanRepository(root);
    expect(at(report).filter((f) => f.rule === 'missing-max-tokens')).toEqual([
      { rule: 'missing-max-tokens', file: 'bot.py', line: 4 },
      { rule: 'missing-max-tokens', file: 'src/ask.ts', line: 3 },
    ]);
  });

  it("reports OpenRouter's published example keys as example-key (info), a real-shaped key as a leak", async () => {
    const [first = '', second = ''] = EXAMPLE_KEYS;
    const root = await makeTree({
      'docs/keys.md': `Response:\n\n    { "key": "${first}" }\n`,
      'openapi.yaml': `example:\n  key: '${second}'\n`,
      'src/real.ts': `export const k = '${KEY}';\n`,
      '.env.example': `OPENROUTER_API_KEY=${first}\n`,
    });
    const report = await scanRepository(root);
    expect(report.findings.map((f) => [f.rule, f.file, f.severity])).toEqual([
      ['example-key', '.env.example', 'info'],
      ['example-key', 'docs/keys.md', 'info'],
      ['example-key', 'openapi.yaml', 'info'],
      ['hardcoded-key', 'src/real.ts', 'error'],
    ]);
    expect(JSON.stringify(report)).not.toContain(first);
  });

  it('reads a file of exactly maxFileBytes and skips one a byte longer', async () => {
    const line = `export const k = '${KEY}';\n`;
    const root = await makeTree({ 'at-cap.ts': line, 'over-cap.ts': `${line} ` });
    const report = await scanRepository(root, { maxFileBytes: Buffer.byteLength(line) });
    expect(at(report)).toEqual([{ rule: 'hardcoded-key', file: 'at-cap.ts', line: 1 }]);
    expect(report.skippedByReason['too-large']).toBe(1);
    expect(report.filesScanned).toBe(1);
  });

  it('in a git work tree, skips dependency and build folders git tracks, but not files named like them', async () => {
    const root = await makeTree({
      'node_modules/pkg/index.js': `module.exports = '${KEY}';\n`,
      'packages/a/dist/bundle.js': `const k = '${KEY}';\n`,
      // A script named like a skipped folder is a file of the project, not a folder to skip.
      'scripts/build': `#!/bin/sh\nOPENROUTER_API_KEY=${KEY} make\n`,
    });
    git(root, 'init', '--quiet');
    git(root, 'add', '--force', '.');
    const report = await scanRepository(root);
    expect(report.selection).toBe('git');
    expect(at(report)).toEqual([{ rule: 'hardcoded-key', file: 'scripts/build', line: 2 }]);
    expect(report.filesScanned).toBe(1);
  });

  it('masks a key that a file or folder name holds, in the finding and the root', async () => {
    const parent = await makeTree({ [`${KEY}/keys/${KEY}.ts`]: `export const k = '${KEY}';\n` });
    const report = await scanRepository(join(parent, KEY));
    expect(at(report)).toEqual([{ rule: 'hardcoded-key', file: 'keys/sk-or-v1-aba...bab.ts', line: 1 }]);
    expect(report.root).toBe(join(resolve(parent), 'sk-or-v1-aba...bab'));
    expect(JSON.stringify(report)).not.toContain(KEY);
  });

  it('gives every finding the severity of its rule, ci-secret-scan included', async () => {
    const root = await makeTree({
      ...plantedTree(),
      '.github/workflows/ci.yml': 'on: push\n',
      '.env.example': `OPENROUTER_API_KEY=${EXAMPLE_KEYS[0]}\n`,
    });
    const { findings } = await scanRepository(root);
    const severities = new Map(SCAN_RULES.map((rule) => [rule.id, rule.severity]));
    expect(new Set(findings.map((f) => f.rule))).toEqual(
      new Set([
        'env-file-key',
        'example-key',
        'missing-max-tokens',
        'insecure-url',
        'hardcoded-key',
        'ci-secret-scan',
      ]),
    );
    for (const finding of findings)
      expect([finding.rule, finding.severity]).toEqual([finding.rule, severities.get(finding.rule)]);
  });

  it('reports ci-secret-scan as a heuristic warning on line 1 of the first CI file, counting them all', async () => {
    const report = await scanRepository(
      await makeTree({
        '.gitlab-ci.yml': 'test:\n  script: [npm test]\n',
        '.github/workflows/ci.yaml': 'on: push\n',
      }),
    );
    expect(report.findings).toEqual([
      expect.objectContaining({
        rule: 'ci-secret-scan',
        file: '.github/workflows/ci.yaml',
        line: 1,
        severity: 'warn',
        heuristic: true,
        excerpt: '2 CI files, no secret scanner',
      }),
    ]);
  });

  it.each([
    [
      'GitHub Actions with no scanner',
      { '.github/workflows/ci.yml': 'on: push\njobs: {}\n' },
      ['.github/workflows/ci.yml'],
    ],
    [
      'GitHub Actions running gitleaks',
      { '.github/workflows/ci.yml': 'steps:\n  - uses: gitleaks/gitleaks-action@v2\n' },
      [],
    ],
    [
      'GitLab CI running a package script that runs secretlint',
      {
        '.gitlab-ci.yml': 'test:\n  script: [npm ci, npm run lint:secrets]\n',
        'package.json': '{ "scripts": { "lint:secrets": "secretlint \\"**/*\\"" } }\n',
      },
      [],
    ],
    [
      'CI running a script that runs trufflehog',
      {
        '.circleci/config.yml': 'steps: [run: ./scripts/check.sh]\n',
        'scripts/check.sh': 'trufflehog git file://.\n',
      },
      [],
    ],
    [
      'a suppression comment in the CI file',
      {
        '.github/workflows/ci.yml':
          '# openrouter-audit-ignore: ci-secret-scan -- GitHub secret scanning is on\non: push\n',
      },
      [],
    ],
    [
      'a GitHub Actions workflow named .yaml with no scanner',
      { '.github/workflows/ci.yaml': 'on: push\n' },
      ['.github/workflows/ci.yaml'],
    ],
    ['no CI at all', { 'src/a.ts': 'export {};\n' }, []],
  ])('ci-secret-scan: %s', async (_, files, expected) => {
    const report = await scanRepository(await makeTree(files));
    expect(report.findings.filter((f) => f.rule === 'ci-secret-scan').map((f) => f.file)).toEqual(expected);
  });
});

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore' });
}

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
