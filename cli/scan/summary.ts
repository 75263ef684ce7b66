import { formatDuration } from '../../lambda/render/text';
import type { ScanNote, ScanReport, Severity, SkipReason } from './types';

const SKIP_LABELS: Readonly<Record<SkipReason, string>> = {
  binary: 'binary',
  'too-large': 'too large',
  symlink: 'symlink',
  unreadable: 'unreadable',
  'check-failed': 'check failed',
};

/** `120 files scanned (3 skipped: 2 binary, 1 too large) in 85 ms`. */
export function scanSummary(report: ScanReport): string {
  const reasons = (Object.keys(SKIP_LABELS) as SkipReason[])
    .filter((reason) => report.skippedByReason[reason] > 0)
    .map((reason) => `${report.skippedByReason[reason]} ${SKIP_LABELS[reason]}`);
  const skipped = report.filesSkipped > 0 ? ` (${report.filesSkipped} skipped: ${reasons.join(', ')})` : '';
  const files = report.filesScanned === 1 ? 'file' : 'files';
  return `${report.filesScanned} ${files} scanned${skipped} in ${formatDuration(report.durationMs)}`;
}

/** `src/a.ts:3: message`: a note as one line of text. */
export function scanNoteText(note: ScanNote): string {
  return `${note.file}:${note.line}: ${note.message}`;
}

/** How many findings of each severity the report holds. */
export function severityCounts(report: ScanReport): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warn: 0, info: 0 };
  for (const finding of report.findings) counts[finding.severity] += 1;
  return counts;
}
