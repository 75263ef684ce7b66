import { EXIT } from '../exit-codes';
import type { ScanReport } from './types';

/** `openrouter-audit scan` exit codes: the CLI's own, named for the scan (findings fail CI like a failed audit). */
export const SCAN_EXIT = {
  /** No findings. */
  clean: EXIT.ok,
  /**
   * At least one finding (heuristic ones included: fix them, or silence a deliberate one with an
   * `openrouter-audit-ignore` comment; suppressed findings do not count, key findings cannot be silenced).
   */
  findings: EXIT.problems,
  /** The scan could not run (missing or unreadable directory, bad flag). */
  error: EXIT.usage,
} as const;

export type ScanExitCode = (typeof SCAN_EXIT)[keyof typeof SCAN_EXIT];

/** 1 when the report has findings, 0 when the tree is clean. */
export function scanExitCode(report: ScanReport): ScanExitCode {
  return report.findings.length > 0 ? SCAN_EXIT.findings : SCAN_EXIT.clean;
}
