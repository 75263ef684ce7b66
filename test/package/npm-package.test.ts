/**
 * What `npm pack` ships and what an install of it needs. The pack is a dry run (no network, no
 * scripts): the file list comes from npm itself, and the packed bundles' imports are read from the
 * files it lists. The install size and `npx openrouter-audit --simulate` in an empty folder need
 * the registry: `node scripts/measure-package.mjs` measures them.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

interface PackageJson {
  readonly bin: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  readonly scripts: Record<string, string>;
}

const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as PackageJson;
let packed: string[];

beforeAll(async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: root,
    timeout: 120_000,
  });
  const [report] = JSON.parse(stdout) as { files: { path: string }[] }[];
  packed = (report?.files ?? []).map((f) => f.path);
}, 150_000);

/** Every module specifier a bundle imports, statically or dynamically. */
/**
 * What a module specifier can look like: a relative path, `node:x`, or a package name with an
 * optional subpath. Bundled code also holds strings such as the scan's own patterns
 * (`import("…")` inside a regex source), which are not imports.
 */
const SPECIFIER = /^(?:\.{1,2}\/[\w./-]+|node:[\w/]+|(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w./-]+)?)$/;

function specifiersOf(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s*)["']([^"']+)["']/g)) {
    if (match[1] !== undefined) found.add(match[1]);
  }
  for (const match of code.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
    if (match[1] !== undefined) found.add(match[1]);
  }
  return [...found].filter((specifier) => SPECIFIER.test(specifier));
}

const packageName = (specifier: string): string =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? '');

describe('the npm package', () => {
  it('ships the prebuilt CLI, simulator and action bundles and nothing of the sources, tests or bench', () => {
    for (const entry of ['dist/openrouter-audit.mjs', 'dist/simulator.mjs', 'dist/github-action.mjs']) {
      expect(packed).toContain(entry);
    }
    expect(packed).toContain('package.json');
    const unexpected = packed.filter(
      (file) => !/^dist\/(chunks\/)?[\w-]+\.mjs$/.test(file) && !['package.json', 'README.md'].includes(file),
    );
    expect(unexpected).toEqual([]);
    expect(packed.some((file) => file.startsWith('dist/bench'))).toBe(false);
  });

  it('points its bin at a packed file', () => {
    expect(Object.values(pkg.bin).every((bin) => packed.includes(bin))).toBe(true);
  });

  it('needs only Node built-ins, its own files and its dependencies at run time', async () => {
    const builtins = new Set(builtinModules);
    const bare = new Set<string>();
    for (const file of packed.filter((f) => f.endsWith('.mjs'))) {
      const code = await readFile(join(root, file), 'utf8');
      for (const specifier of specifiersOf(code)) {
        if (specifier.startsWith('.')) {
          expect(packed, `${file} imports ${specifier}`).toContain(
            posix.join(posix.dirname(file), specifier),
          );
        } else if (!specifier.startsWith('node:') && !builtins.has(specifier)) {
          bare.add(packageName(specifier));
        }
      }
    }
    // The AWS SDK is left out of the bundle (loaded only for --secret-id) and must be a dependency.
    expect([...bare].sort()).toEqual(Object.keys(pkg.dependencies ?? {}).sort());
  });

  it('depends on the Secrets Manager client only; the CDK libraries are dev and optional peer dependencies', () => {
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['@aws-sdk/client-secrets-manager']);
    for (const cdk of ['aws-cdk-lib', 'constructs']) {
      expect(pkg.devDependencies?.[cdk]).toBeDefined();
      expect(pkg.peerDependencies?.[cdk]).toBeDefined();
      expect(pkg.peerDependenciesMeta?.[cdk]?.optional).toBe(true);
    }
  });

  it('keeps the CLI, the Lambda and the simulator free of CDK imports', async () => {
    const offenders: string[] = [];
    for (const dir of ['bin', 'cli', 'lambda', 'simulator']) {
      for (const entry of await readdir(join(root, dir), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name === 'app.ts') continue;
        const file = join(entry.parentPath, entry.name);
        const code = await readFile(file, 'utf8');
        if (/from ['"](aws-cdk-lib|constructs)(\/[^'"]*)?['"]/.test(code)) offenders.push(file);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('builds on prepare (clone, git URL, pack) without failing where esbuild is absent', () => {
    expect(pkg.scripts.prepare).toBe('node scripts/prepare.mjs');
    expect(pkg.scripts.audit).toMatch(/^node scripts\/ensure-dist\.mjs && node dist\/openrouter-audit\.mjs$/);
  });
});
