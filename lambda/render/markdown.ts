import type { AuditResult, CheckStatus } from '../engine/result';
import { muteNote } from './mute-note';
import { type RenderOptions, redactOutput, redactResult } from './options';
import { formatTally, tallyStatuses } from './tally';
import { formatDuration, oneLine } from './text';

const EMOJI: { readonly [S in CheckStatus]: string } = {
  pass: '✅',
  warn: '⚠️',
  fail: '❌',
  error: '🛑',
  skip: '⏭️',
};

/**
 * Makes untrusted text inert inside a GitHub-flavoured Markdown table cell: no HTML, no table
 * breaks, no emphasis or links that change what the text says.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~#!$])/g, '\\$1');
}

/** `--format markdown`: fits a GitHub Actions job summary (`>> "$GITHUB_STEP_SUMMARY"`). */
export function renderMarkdown(result: AuditResult, options: RenderOptions = {}): string {
  const safe = redactResult(result, options);
  const tally = tallyStatuses(safe);
  const lines: string[] = [
    `## ${safe.ok ? '✅ OpenRouter audit passed' : '❌ OpenRouter audit failed'}`,
    '',
    `${formatTally(tally)}. Started ${escapeMarkdown(safe.startedAt)}, took ${formatDuration(safe.durationMs)}.`,
    '',
    '| Status | Check | Summary |',
    '| --- | --- | --- |',
  ];
  for (const check of safe.checks) {
    lines.push(
      `| ${EMOJI[check.status]} ${check.status} | \`${check.id}\` | ${escapeMarkdown(check.summary + muteNote(check))} |`,
    );
  }
  const remedies = safe.checks.filter(
    (c) => c.status === 'warn' || c.status === 'fail' || c.status === 'error',
  );
  if (remedies.length > 0) {
    lines.push('', '### What to do', '');
    for (const check of remedies) {
      const remedy = check.remedy === undefined ? 'no remedy given' : escapeMarkdown(check.remedy);
      lines.push(`- ${EMOJI[check.status]} **${check.id}**: ${remedy}`);
    }
  }
  return redactOutput(`${lines.join('\n')}\n`, options);
}
