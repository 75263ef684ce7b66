import { shapeRedactor } from '../../lambda/engine/redact';
import { MISSING_MAX_TOKENS_NOTE } from './rules/missing-max-tokens';
import type { Finding, ScanReport } from './types';

/** One finding in the JSON report: the Finding itself, its keys written in a fixed order. */
export type JsonFinding = Finding;

/** The `scan --format json` report: a public contract. Add fields, never rename or reorder. */
export interface JsonScanReport {
  readonly ok: boolean;
  readonly root: string;
  readonly filesScanned: number;
  readonly filesSkipped: number;
  readonly durationMs: number;
  /** Caveats that apply to every run (the max-tokens rule is a heuristic). */
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
    durationMs: report.durationMs,
    notes: [MISSING_MAX_TOKENS_NOTE],
    findings: report.findings.map(toJsonFinding),
  };
}

/** `--format json`: the report as indented JSON, newline-terminated, keys always in the same order. */
export function renderScanJson(report: ScanReport): string {
  return shapeRedactor.redact(`${JSON.stringify(toJsonScanReport(report), null, 2)}\n`);
}
