import type { AuditResult, CheckStatus } from '../engine/result';
import { muteNote } from './mute-note';
import { type RenderOptions, redactOutput, redactResult } from './options';
import { formatTally, tallyStatuses } from './tally';
import { formatDuration, oneLine } from './text';

export interface TableOptions extends RenderOptions {
  /**
   * Emit ANSI colours. The caller decides: only on a TTY, never when `NO_COLOR` is set.
   * @default false
   */
  readonly color?: boolean;
}

const LABELS: { readonly [S in CheckStatus]: string } = {
  pass: '✓ PASS',
  warn: '⚠ WARN',
  fail: '✗ FAIL',
  error: '‼ ERROR',
  skip: '○ SKIP',
};

// SGR codes: green, yellow, red, magenta, dim.
const COLORS: { readonly [S in CheckStatus]: string } = {
  pass: '32',
  warn: '33',
  fail: '31',
  error: '35',
  skip: '2',
};

const paint = (on: boolean, sgr: string, text: string): string =>
  on ? `\u001b[${sgr}m${text}\u001b[0m` : text;

/** `--format table` (the default): one aligned line per check, the remedies, the tally and the verdict. */
export function renderTable(result: AuditResult, options: TableOptions = {}): string {
  const color = options.color ?? false;
  const safe = redactResult(result, options);
  const labelWidth = Math.max(...Object.values(LABELS).map((l) => l.length));
  const idWidth = Math.max(5, ...safe.checks.map((c) => c.id.length));
  const lines: string[] = [];

  lines.push(
    paint(color, '1', 'OpenRouter audit'),
    paint(color, '2', `started ${oneLine(safe.startedAt)}, took ${formatDuration(safe.durationMs)}`),
    '',
  );
  lines.push(paint(color, '1', `  ${'STATUS'.padEnd(labelWidth)}  ${'CHECK'.padEnd(idWidth)}  SUMMARY`));
  for (const check of safe.checks) {
    // Padding is applied before colouring so that escape codes do not count towards the width.
    const label = paint(color, COLORS[check.status], LABELS[check.status].padEnd(labelWidth));
    lines.push(`  ${label}  ${check.id.padEnd(idWidth)}  ${oneLine(check.summary + muteNote(check))}`);
  }

  const remedies = safe.checks.filter(
    (c) => c.status === 'warn' || c.status === 'fail' || c.status === 'error',
  );
  if (remedies.length > 0) {
    lines.push('', paint(color, '1', 'What to do'));
    for (const check of remedies) {
      const remedy = check.remedy === undefined ? 'no remedy given' : oneLine(check.remedy);
      lines.push(`  ${paint(color, COLORS[check.status], check.id)}: ${remedy}`);
    }
  }

  const tally = tallyStatuses(safe);
  const problems = tally.fail + tally.error;
  const verdict = safe.ok
    ? paint(color, '1;32', tally.warn > 0 ? 'PASSED with warnings' : 'PASSED')
    : paint(
        color,
        '1;31',
        problems === 1 ? 'FAILED (1 check needs attention)' : `FAILED (${problems} checks need attention)`,
      );
  lines.push('', formatTally(tally), `Verdict: ${verdict}`);
  return redactOutput(`${lines.join('\n')}\n`, options);
}
