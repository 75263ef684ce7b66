/** The repository scan behind `openrouter-audit scan`: what the CLI entry imports. */
export { isScanError, ScanError, type ScanErrorCode } from './errors';
export { SCAN_EXIT, type ScanExitCode, scanExitCode, scanFails } from './exit-code';
export { DEFAULT_FAIL_ON, FAIL_ON_LEVELS, type FailOn, failsScan, isFailOn } from './fail-on';
export { maskSecrets } from './mask';
export { type JsonFinding, type JsonScanReport, renderScanJson, toJsonScanReport } from './render-json';
export { renderScanSarif } from './render-sarif';
export { renderScanTable } from './render-table';
export { SCAN_RULES } from './rules/index';
export { MISSING_MAX_TOKENS_NOTE } from './rules/missing-max-tokens';
export {
  isScanFormat,
  type RunScanOptions,
  runScan,
  SCAN_FORMATS,
  type ScanCommandOutput,
  type ScanFormat,
} from './run-scan';
export { DEFAULT_MAX_FILE_BYTES, scanRepository } from './scan-repository';
export {
  applySuppressions,
  parseSuppressions,
  SUPPRESSION_MARKER,
  type Suppression,
  type SuppressionOutcome,
} from './suppressions';
export type {
  FileSelection,
  Finding,
  ScanNote,
  ScanOptions,
  ScanReport,
  ScanRuleId,
  Severity,
  SkipReason,
} from './types';
