import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../lambda/render/json';
import { KEY_SHAPED } from './harness';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist', 'openrouter-audit.mjs');

interface Spawned {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would, with a clean environment (no key inherited from the machine). */
function spawnBin(args: readonly string[]): Promise<Spawned> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** What the entry loads before any dynamic import: its static chunks' code and the packages they import. */
async function staticGraph(
  file: string,
  graph = { code: '', packages: new Set<string>(), seen: new Set<string>() },
) {
  if (graph.seen.has(file)) return graph;
  graph.seen.add(file);
  const code = await readFile(file, 'utf8');
  graph.code += code;
  // Static `import … from "x"`, `import "x"` and `export … from "x"`, minified or not (the bundle's
  // whitespace is stripped); dynamic `import("x")` is deliberately not matched.
  for (const [, from] of code.matchAll(
    /(?:^|[;\n}])\s*(?:import|export)\s*(?:[^;"'()]*?\bfrom\s*)?["']([^"']+)["']/g,
  )) {
    const specifier = from ?? '';
    if (specifier.startsWith('./')) await staticGraph(join(file, '..', specifier), graph);
    else graph.packages.add(specifier);
  }
  return graph;
}

describe('the built CLI (dist/openrouter-audit.mjs)', () => {
  it('audits the simulator with --simulate --format json, prints the JSON report and exits 0', async () => {
    const { code, stdout, stderr } = await spawnBin(['--simulate', '--format', 'json']);
    expect(stderr).not.toMatch(KEY_SHAPED);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.ok).toBe(true);
    expect(report.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(code).toBe(0);
  });

  it('exits 1 when a check fails', async () => {
    const { code, stdout } = await spawnBin(['--simulate', 'low-credits']);
    expect(stdout).toMatch(/✗ FAIL\s+credits/);
    expect(code).toBe(1);
  });

  it('exits 2 with one stderr line on an unknown flag', async () => {
    const { code, stdout, stderr } = await spawnBin(['--bogus']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^openrouter-audit: unknown option "--bogus"[^\n]*\n$/);
  });

  it('prints --help without loading the HTTP client, the AWS SDK, zod or the simulator', async () => {
    const { code, stdout } = await spawnBin(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage:');
    // The entry imports the CLI dynamically, after enabling the compile cache; the CLI's own
    // static graph is what every command loads.
    const entry = await readFile(bin, 'utf8');
    const graph = { code: entry, packages: new Set<string>(), seen: new Set<string>([bin]) };
    const awaited = [...entry.matchAll(/await import\(["'](\.\/[^"']+)["']\)/g)].map(
      ([, from]) => from ?? '',
    );
    expect(awaited.length).toBeGreaterThan(0);
    for (const from of awaited) await staticGraph(join(bin, '..', from), graph);
    expect([...graph.packages].filter((p) => !p.startsWith('node:'))).toEqual([]);
    expect(graph.code).toContain('function runCli');
    for (const heavy of [
      'function startSimulator',
      'function createOpenRouterClient',
      'function runAudit',
      'function scanRepository',
    ]) {
      expect(graph.code).not.toContain(heavy);
    }
  });
});
