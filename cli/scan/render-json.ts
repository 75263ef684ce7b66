import { shapeRedactor } from '../../lambda/engine/redact';
import { scanFails } from './exit-code';
import { DEFAULT_FAIL_ON, type FailOn } from './fail-on';
import { MISSING_MAX_TOKENS_NOTE } from './rules/missing-max-tokens';
import { scanNoteText, severityCounts } from './summary';
import type { FileSelection, Finding, ScanReport, Severity } from './types';

/** One finding in the JSON report: the Finding itself, its keys written in a fixed order. */
export type JsonFinding = Finding;

/** The `scan --format json` report: a public contract. Add fields, never rename or reorder. */
export interface JsonScanReport {
  /** False when a finding is at or above `failOn` (the scan exits 1). */
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
  /** The lowest severity that fails the scan (`--fail-on`, additive). */
  readonly failOn: FailOn;
  /** How the files were chosen: git's files, the whole tree, or everything with --all (additive). */
  readonly selection: FileSelection;
  /** Findings by severity (additive). */
  readonly counts: Readonly<Record<Severity, number>>;
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
    severity: finding.severity,
    docs: finding.docs,
  };
}

/** Builds the report object with its keys in contract order. */
export function toJsonScanReport(report: ScanReport, failOn: FailOn = DEFAULT_FAIL_ON): JsonScanReport {
  return {
    ok: !scanFails(report, failOn),
    root: report.root,
    filesScanned: report.filesScanned,
    filesSkipped: report.filesSkipped,
    suppressed: report.suppressed,
    durationMs: report.durationMs,
    notes: [MISSING_MAX_TOKENS_NOTE, ...report.notes.map(scanNoteText)],
    findings: report.findings.map(toJsonFinding),
    failOn,
    selection: report.selection,
    counts: severityCounts(report),
  };
}

/** `--format json`: the report as indented JSON, newline-terminated, keys always in the same order. */
export function renderScanJson(report: ScanReport, failOn: FailOn = DEFAULT_FAIL_ON): string {
  return shapeRedactor.redact(`${JSON.stringify(toJsonScanReport(report, failOn), null, 2)}\n`);
}
