import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../lambda/render/json';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist', 'openrouter-audit.mjs');

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((ready) => probe.listen(0, '127.0.0.1', ready));
  const address = probe.address();
  await new Promise<void>((done) => probe.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

describe('the built CLI against a base URL where nothing listens', () => {
  it('names the refused connection and its remedy, and prints no Node warning on stderr', async () => {
    const port = await closedPort();
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>(
      (done) => {
        execFile(
          process.execPath,
          [bin, '--base-url', `http://127.0.0.1:${port}/api/v1`, '--format', 'json'],
          {
            cwd: root,
            // Three models: with every check and retry wait on the audit's one deadline signal, this
            // is the run that used to print MaxListenersExceededWarning.
            env: {
              PATH: process.env.PATH ?? '',
              OPENROUTER_API_KEY: `sk-or-v1-${'ab'.repeat(32)}`,
              OPENROUTER_MANAGEMENT_KEY: `sk-or-v1-${'cd'.repeat(32)}`,
            },
            timeout: 60_000,
          },
          (error, out, err) =>
            done({
              code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
              stdout: out,
              stderr: err,
            }),
        );
      },
    );
    const report = JSON.parse(stdout) as JsonReport;
    const auth = report.checks.find((c) => c.id === 'auth');
    expect(auth?.status).toBe('error');
    expect(auth?.summary).toContain('connection refused on /key (ECONNREFUSED)');
    expect(auth?.remedy).toMatch(/Nothing accepts connections at the base URL/);
    // Only the CLI's own lines: no "(node:123) …Warning", no SDK notice.
    for (const line of stderr.split('\n').filter((l) => l !== '')) {
      expect(line).toMatch(/^openrouter-audit: /);
    }
    expect(stderr).not.toMatch(/Warning|MaxListeners/);
    expect(code).toBe(1);
  });
});
