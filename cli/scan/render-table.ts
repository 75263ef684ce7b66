import { shapeRedactor } from '../../lambda/engine/redact';
import { oneLine } from '../../lambda/render/text';
import { DEFAULT_FAIL_ON, type FailOn, failsScan } from './fail-on';
import { MISSING_MAX_TOKENS_NOTE } from './rules/missing-max-tokens';
import { scanNoteText, scanSummary, severityCounts } from './summary';
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
 * `--format table`: one row per finding (rule, severity, file:line:column, masked excerpt), then
 * what each rule found means, what to do and where its docs are, the notes, the count of suppressed
 * findings and a summary line. Newline-terminated.
 */
export function renderScanTable(report: ScanReport, failOn: FailOn = DEFAULT_FAIL_ON): string {
  const lines: string[] = [`openrouter-audit scan ${oneLine(report.root)}`, ''];
  if (report.findings.length > 0) {
    const rules = report.findings.map(ruleLabel);
    const locations = report.findings.map(location);
    const ruleWidth = Math.max('RULE'.length, ...rules.map((r) => r.length));
    const severityWidth = 'SEVERITY'.length;
    const locationWidth = Math.min(
      MAX_LOCATION_WIDTH,
      Math.max('LOCATION'.length, ...locations.map((l) => l.length)),
    );
    lines.push(
      `${pad('RULE', ruleWidth)}${pad('SEVERITY', severityWidth)}${pad('LOCATION', locationWidth)}EXCERPT`,
    );
    report.findings.forEach((finding, i) => {
      lines.push(
        `${pad(rules[i] ?? '', ruleWidth)}${pad(finding.severity, severityWidth)}${pad(locations[i] ?? '', locationWidth)}${oneLine(finding.excerpt)}`,
      );
    });
    lines.push('');
    const explained = new Map<ScanRuleId, Finding>();
    for (const finding of report.findings)
      if (!explained.has(finding.rule)) explained.set(finding.rule, finding);
    for (const [rule, finding] of explained)
      lines.push(`${rule}: ${oneLine(finding.message)} (${finding.docs})`);
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
  const counts = severityCounts(report);
  const bySeverity = (['error', 'warn', 'info'] as const)
    .filter((severity) => counts[severity] > 0)
    .map((severity) => `${counts[severity]} ${severity}`)
    .join(', ');
  const verdict = count === 0 ? 'No findings' : `${count} finding${count === 1 ? '' : 's'} (${bySeverity})`;
  const failing = report.findings.filter((f) => failsScan(f.severity, failOn)).length;
  const outcome =
    count > 0 && failing < count
      ? ` ${failing === 0 ? 'None fails' : `${failing} fail${failing === 1 ? 's' : ''}`} the scan (--fail-on ${failOn}).`
      : '';
  lines.push(`${verdict}: ${scanSummary(report)}.${outcome}`);
  return shapeRedactor.redact(`${lines.join('\n')}\n`);
}
