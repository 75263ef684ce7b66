import { describe, expect, it } from 'vitest';
import { renderTable } from '../../lambda/render/table';
import { auditResult, MIXED_CHECKS, passingResult } from './fixtures';

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point.
const ANSI = /\u001b\[[0-9;]*m/g;

describe('renderTable', () => {
  it('prints one line per check with its status word, id and summary', () => {
    const out = renderTable(auditResult());
    for (const check of MIXED_CHECKS) {
      const line = out.split('\n').find((l) => l.includes(` ${check.id} `));
      expect(line, check.id).toContain(check.status.toUpperCase());
      expect(line).toContain(check.summary);
    }
  });

  it('aligns the check ids and the summaries in columns', () => {
    const lines = renderTable(auditResult())
      .split('\n')
      .filter((l) => /^ {2}\S+ (PASS|WARN|FAIL|ERROR|SKIP)/.test(l));
    expect(lines).toHaveLength(MIXED_CHECKS.length);
    const idColumns = new Set(lines.map((l, i) => l.indexOf(` ${MIXED_CHECKS[i]?.id ?? '?'} `)));
    const summaryColumns = new Set(lines.map((l, i) => l.indexOf(MIXED_CHECKS[i]?.summary ?? '?')));
    expect(idColumns.size).toBe(1);
    expect(summaryColumns.size).toBe(1);
  });

  it('lists the remedy of every warn, fail and error check, and no other', () => {
    const withStrayRemedy = auditResult(
      MIXED_CHECKS.map((c) =>
        c.status === 'pass' || c.status === 'skip' ? { ...c, remedy: `stray ${c.id}` } : c,
      ),
    );
    const out = renderTable(withStrayRemedy);
    for (const check of MIXED_CHECKS.filter((c) => c.remedy !== undefined)) {
      expect(out).toContain(`${check.id}: ${check.remedy}`);
    }
    expect(out).not.toContain('stray');
  });

  it('ends with the tally and a failed verdict when a check fails or errors', () => {
    const lines = renderTable(auditResult()).trimEnd().split('\n');
    expect(lines.at(-2)).toBe('3 passed, 2 warned, 1 failed, 1 errors, 1 skipped');
    expect(lines.at(-1)).toBe('Verdict: FAILED (2 checks need attention)');
  });

  it('gives a passed verdict and no remedies section when every check passes', () => {
    const out = renderTable(passingResult());
    expect(out).toMatch(/8 passed, 0 warned, 0 failed, 0 errors, 0 skipped\nVerdict: PASSED\n$/);
    expect(out).not.toContain('What to do');
  });

  it('emits no escape codes without colour and only adds escape codes with it', () => {
    const plain = renderTable(auditResult(), { color: false });
    const coloured = renderTable(auditResult(), { color: true });
    expect(plain).not.toMatch(ANSI);
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(ANSI, '')).toBe(plain);
  });

  it('defaults to no colour', () => {
    expect(renderTable(auditResult())).toBe(renderTable(auditResult(), { color: false }));
  });

  it('neutralises control characters an API message could smuggle into a summary', () => {
    const hostile = auditResult([
      {
        id: 'auth',
        status: 'fail',
        summary: 'bad\u001b[2Jkey\nsecond line\u0007',
        values: {},
        durationMs: 1,
      },
    ]);
    const out = renderTable(hostile, { color: false });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    expect(out).toContain('bad\uFFFD[2Jkey second line\uFFFD');
  });
});
