import { shapeRedactor } from '../../lambda/engine/redact';
import { oneLine } from '../../lambda/render/text';
import { MISSING_MAX_TOKENS_NOTE } from './rules/missing-max-tokens';
import { scanNoteText, scanSummary } from './summary';
import type { Finding, ScanReport, ScanRuleId } from './types';

const MAX_LOCATION_WIDTH = 60;

function location(finding: Finding): string {
  const column = finding.column === undefined ? '' : `:${finding.column}`;
  return oneLine(`${finding.file}:${finding.line}${column}`);
}

function ruleLabel(finding: Finding): string {
  return finding.heuristic ? `${finding.rule}*` : finding.rule;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text.padEnd(width + 1);
}

/**
 * `--format table`: one row per finding (rule, file:line:column, masked excerpt), then what each
 * rule found means and what to do, the notes, the count of suppressed findings and a summary line.
 * Newline-terminated.
 */
export function renderScanTable(report: ScanReport): string {
  const lines: string[] = [`openrouter-audit scan ${oneLine(report.root)}`, ''];
  if (report.findings.length > 0) {
    const rules = report.findings.map(ruleLabel);
    const locations = report.findings.map(location);
    const ruleWidth = Math.max('RULE'.length, ...rules.map((r) => r.length));
    const locationWidth = Math.min(
      MAX_LOCATION_WIDTH,
      Math.max('LOCATION'.length, ...locations.map((l) => l.length)),
    );
    lines.push(`${pad('RULE', ruleWidth)}${pad('LOCATION', locationWidth)}EXCERPT`);
    report.findings.forEach((finding, i) => {
      lines.push(
        `${pad(rules[i] ?? '', ruleWidth)}${pad(locations[i] ?? '', locationWidth)}${oneLine(finding.excerpt)}`,
      );
    });
    lines.push('');
    const explained = new Map<ScanRuleId, string>();
    for (const finding of report.findings)
      if (!explained.has(finding.rule)) explained.set(finding.rule, finding.message);
    for (const [rule, message] of explained) lines.push(`${rule}: ${oneLine(message)}`);
    lines.push('');
  }
  for (const note of report.notes) lines.push(`Note: ${oneLine(scanNoteText(note))}`);
  lines.push(`Note: ${MISSING_MAX_TOKENS_NOTE} (* marks heuristic findings.)`);
  if (report.suppressed > 0) {
    const silenced = `${report.suppressed} finding${report.suppressed === 1 ? '' : 's'}`;
    lines.push(
      `Suppressed: ${silenced} silenced by openrouter-audit-ignore comments (not listed, not failing the scan).`,
    );
  }
  const count = report.findings.length;
  const verdict = count === 0 ? 'No findings' : `${count} finding${count === 1 ? '' : 's'}`;
  lines.push(`${verdict}: ${scanSummary(report)}.`);
  return shapeRedactor.redact(`${lines.join('\n')}\n`);
}
