import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideAlert } from '../../lambda/alerts/decide-alert';
import { ConfigError, parseAuditConfig } from '../../lambda/engine/config';
import type { JsonReport } from '../../lambda/render/json';
import { renderTable } from '../../lambda/render/table';
import { auditResult, DEPLOYMENT, hoursAfter, storedState } from '../alerts/fixtures';
import { runCliCaptured } from '../cli/harness';
import { auditSimulator, checkOf, FIXED_NOW, useSimulator } from '../support/audit-harness';

const sim = useSimulator();
const inHours = (hours: number, from = FIXED_NOW) =>
  new Date(from.getTime() + hours * 3_600_000).toISOString();

describe('mute', () => {
  it('keeps a muted failing check failing, but out of the verdict, while the mute lasts', async () => {
    sim.current.setScenario('low-credits');
    const mute = [{ check: 'credits' as const, until: inHours(24), reason: 'top-up ordered, PO-1234' }];
    const result = await auditSimulator(sim.current, { config: { mute } });
    expect(checkOf(result, 'credits')).toMatchObject({
      status: 'fail',
      muted: true,
      mutedUntil: inHours(24),
      muteReason: 'top-up ordered, PO-1234',
    });
    expect(result.checks.filter((c) => c.muted === true).map((c) => c.id)).toEqual(['credits']);
    expect(result.ok).toBe(true);
    expect(renderTable(result)).toMatch(/FAIL\s+credits .*\[muted until .*top-up ordered, PO-1234\]/);
  });

  it('counts the check again once `until` has passed', async () => {
    sim.current.setScenario('low-credits');
    const mute = [{ check: 'credits' as const, until: inHours(-1), reason: 'expired' }];
    const result = await auditSimulator(sim.current, { config: { mute } });
    expect(checkOf(result, 'credits').status).toBe('fail');
    expect(checkOf(result, 'credits').muted).toBeUndefined();
    expect(result.ok).toBe(false);
  });

  it('rejects a mute longer than 90 days, and one naming an unknown check', () => {
    const long = { mute: [{ check: 'credits', until: inHours(91 * 24), reason: 'x' }] };
    expect(() => parseAuditConfig(long, 'config', FIXED_NOW)).toThrow(ConfigError);
    expect(() => parseAuditConfig(long, 'config', FIXED_NOW)).toThrow(
      /mute\.0\.until: must be at most 90 days/,
    );
    const ok = { mute: [{ check: 'credits', until: inHours(89 * 24), reason: 'x' }] };
    expect(parseAuditConfig(ok, 'config', FIXED_NOW).mute).toHaveLength(1);
    expect(() => parseAuditConfig({ mute: [{ check: 'nope', until: '2026-12-01', reason: 'x' }] })).toThrow(
      /mute\.0\.check/,
    );
    expect(() => parseAuditConfig({ mute: [{ check: 'credits', until: 'tomorrow', reason: 'x' }] })).toThrow(
      /mute\.0\.until/,
    );
  });

  it('sends no alert for a muted failing check, and alerts when the mute ends with it still failing', () => {
    const previous = storedState();
    const muted = auditResult(
      { credits: 'fail' },
      { credits: { muted: true, mutedUntil: 'x', muteReason: 'known' } },
    );
    const first = decideAlert({
      previous,
      result: muted,
      now: hoursAfter(1),
      reminderHours: 24,
      deploymentId: DEPLOYMENT,
    });
    expect(first.alert).toBeNull();
    expect(first.next.checks.credits).toMatchObject({ status: 'fail', muted: true });
    const unmuted = auditResult({ credits: 'fail' });
    const second = decideAlert({
      previous: first.next,
      result: unmuted,
      now: hoursAfter(2),
      reminderHours: 24,
      deploymentId: DEPLOYMENT,
    });
    expect(second.alert?.kind).toBe('problem');
    expect(second.alert?.checks.find((c) => c.id === 'credits')?.change).toBe('new-problem');
  });

  it('through the CLI: exit 0, the check still "fail" with muted, mutedUntil and muteReason in the JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'openrouter-audit-mute-'));
    try {
      const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
      await writeFile(
        join(dir, 'muted.json'),
        JSON.stringify({
          dailyBudgetUsd: 50,
          mute: [{ check: 'credits', until, reason: 'known: top-up on its way' }],
        }),
      );
      const { code, stdout } = await runCliCaptured(
        ['--simulate', 'low-credits', '--format', 'json', '--config', 'muted.json'],
        { cwd: dir },
      );
      const report = JSON.parse(stdout) as JsonReport;
      const credits = report.checks.find((c) => c.id === 'credits');
      expect(credits).toMatchObject({ status: 'fail', muted: true, muteReason: 'known: top-up on its way' });
      expect(credits?.mutedUntil).toBe(until);
      expect(report.ok).toBe(true);
      expect(code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
