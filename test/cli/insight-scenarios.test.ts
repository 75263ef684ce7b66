import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../lambda/render/json';
import type { ScenarioName } from '../../simulator/types';
import { runCliCaptured } from './harness';

const report = (stdout: string): JsonReport => JSON.parse(stdout) as JsonReport;
const check = (r: JsonReport, id: string) => r.checks.find((c) => c.id === id);

/**
 * Issue 14's scenarios through the CLI contract (`--simulate NAME --format json`): the target
 * check's honest status, a remedy pointing at the runbook, the exit code, and no other check
 * disturbed.
 */
describe('provider health, spend spikes and key budgets through the CLI', () => {
  const cases: readonly [ScenarioName, string, 'fail' | 'warn', number, RegExp][] = [
    ['endpoints-down', 'providers', 'fail', 1, /every endpoint is down/],
    ['single-provider', 'providers', 'warn', 0, /single provider/],
    ['low-uptime', 'providers', 'warn', 0, /uptime 88\.4% is under 95%/],
    ['spend-spike', 'spend-trend', 'fail', 1, /driven by ci-pipeline-1/],
    ['key-over-budget', 'keys', 'fail', 1, /batch-jobs-3 over its daily budget/],
  ];

  it.each(cases)('%s: %s is %s (exit %i)', async (scenario, id, status, exit, says) => {
    const { code, stdout } = await runCliCaptured(['--simulate', scenario, '--format', 'json']);
    const r = report(stdout);
    expect(check(r, id)?.status).toBe(status);
    expect(check(r, id)?.summary).toMatch(says);
    expect(check(r, id)?.remedy).toMatch(/docs\/runbooks\.md#/);
    expect(r.checks.filter((c) => c.id !== id && c.status !== 'pass').map((c) => c.id)).toEqual([]);
    expect(r.ok).toBe(status !== 'fail');
    expect(code).toBe(exit);
  });

  it('a muted failing check: still "fail" with muted, mutedUntil, muteReason; ok true and exit 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openrouter-audit-muted-'));
    try {
      const until = new Date(Date.now() + 3 * 86_400_000).toISOString();
      await writeFile(
        join(dir, 'config.json'),
        JSON.stringify({ mute: [{ check: 'providers', until, reason: 'OpenAI incident, ticket 42' }] }),
      );
      const { code, stdout } = await runCliCaptured(
        ['--simulate', 'endpoints-down', '--format', 'json', '--config', 'config.json'],
        { cwd: dir },
      );
      const r = report(stdout);
      expect(check(r, 'providers')).toMatchObject({
        status: 'fail',
        muted: true,
        mutedUntil: until,
        muteReason: 'OpenAI incident, ticket 42',
      });
      expect(r.ok).toBe(true);
      expect(code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 for a mute longer than 90 days, naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openrouter-audit-muted-'));
    try {
      const until = new Date(Date.now() + 120 * 86_400_000).toISOString();
      await writeFile(
        join(dir, 'config.json'),
        JSON.stringify({ mute: [{ check: 'credits', until, reason: 'x' }] }),
      );
      const { code, stderr } = await runCliCaptured(['--simulate', '--config', 'config.json'], { cwd: dir });
      expect(code).toBe(2);
      expect(stderr).toMatch(/mute\.0\.until: must be at most 90 days/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
