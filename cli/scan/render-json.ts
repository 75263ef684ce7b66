import { shapeRedactor } from '../../lambda/engine/redact';
import { MISSING_MAX_TOKENS_NOTE } from './rules/missing-max-tokens';
import { scanNoteText } from './summary';
import type { Finding, ScanReport } from './types';

/** One finding in the JSON report: the Finding itself, its keys written in a fixed order. */
export type JsonFinding = Finding;

/** The `scan --format json` report: a public contract. Add fields, never rename or reorder. */
export interface JsonScanReport {
  readonly ok: boolean;
  readonly root: string;
  readonly filesScanned: number;
  readonly filesSkipped: number;
  /** Findings silenced by `openrouter-audit-ignore` comments: not listed, not failing (additive). */
  readonly suppressed: number;
  readonly durationMs: number;
  /**
   * Caveats that apply to every run (the max-tokens rule is a heuristic), then this run's notes
   * (`file:line: message`), such as a suppression comment refused on a key finding.
   */
  readonly notes: readonly string[];
  readonly findings: readonly JsonFinding[];
}

function toJsonFinding(finding: Finding): JsonFinding {
  return {
    rule: finding.rule,
    file: finding.file,
    line: finding.line,
    ...(finding.column === undefined ? {} : { column: finding.column }),
    message: finding.message,
    excerpt: finding.excerpt,
    heuristic: finding.heuristic,
  };
}

/** Builds the report object with its keys in contract order. */
export function toJsonScanReport(report: ScanReport): JsonScanReport {
  return {
    ok: report.findings.length === 0,
    root: report.root,
    filesScanned: report.filesScanned,
    filesSkipped: report.filesSkipped,
    suppressed: report.suppressed,
    durationMs: report.durationMs,
    notes: [MISSING_MAX_TOKENS_NOTE, ...report.notes.map(scanNoteText)],
    findings: report.findings.map(toJsonFinding),
  };
}

/** `--format json`: the report as indented JSON, newline-terminated, keys always in the same order. */
export function renderScanJson(report: ScanReport): string {
  return shapeRedactor.redact(`${JSON.stringify(toJsonScanReport(report), null, 2)}\n`);
}
