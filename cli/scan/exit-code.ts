import { EXIT } from '../exit-codes';
import { DEFAULT_FAIL_ON, type FailOn, failsScan } from './fail-on';
import type { ScanReport } from './types';

/** `openrouter-audit scan` exit codes: the CLI's own, named for the scan (findings fail CI like a failed audit). */
export const SCAN_EXIT = {
  /** No findings. */
  clean: EXIT.ok,
  /**
   * At least one finding at or above `--fail-on` (default warn: errors and warnings; heuristic ones
   * included: fix them, or silence a deliberate one with an `openrouter-audit-ignore` comment;
   * suppressed findings do not count, key findings cannot be silenced).
   */
  findings: EXIT.problems,
  /** The scan could not run (missing or unreadable directory, bad flag). */
  error: EXIT.usage,
} as const;

export type ScanExitCode = (typeof SCAN_EXIT)[keyof typeof SCAN_EXIT];

/** True when the report holds a finding that fails the scan at this threshold. */
export function scanFails(report: ScanReport, failOn: FailOn = DEFAULT_FAIL_ON): boolean {
  return report.findings.some((finding) => failsScan(finding.severity, failOn));
}

/** 1 when the report has a finding at or above `failOn`, 0 otherwise. */
export function scanExitCode(report: ScanReport, failOn: FailOn = DEFAULT_FAIL_ON): ScanExitCode {
  return scanFails(report, failOn) ? SCAN_EXIT.findings : SCAN_EXIT.clean;
}
