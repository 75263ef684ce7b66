import { isScanError } from './errors';
import { SCAN_EXIT, type ScanExitCode, scanExitCode } from './exit-code';
import { DEFAULT_FAIL_ON, FAIL_ON_LEVELS, isFailOn } from './fail-on';
import { isScanFormat, SCAN_FORMATS, type ScanFormat } from './formats';
import { maskSecrets } from './mask';
import { renderScanJson } from './render-json';
import { renderScanSarif } from './render-sarif';
import { renderScanTable } from './render-table';
import { scanRepository } from './scan-repository';

/** Output formats of `openrouter-audit scan`. */
export { isScanFormat, SCAN_FORMATS, type ScanFormat } from './formats';

const RENDERERS = {
  table: renderScanTable,
  json: renderScanJson,
  sarif: renderScanSarif,
} as const satisfies Record<ScanFormat, unknown>;

/** What `openrouter-audit scan [DIR] [--format table|json|sarif] [--fail-on LEVEL] [--all]` was asked to do. */
export interface RunScanOptions {
  /**
   * The directory to scan, relative to the current directory or absolute.
   * @default '.'
   */
  readonly dir?: string;
  /**
   * Output format; anything else ends with exit code 2.
   * @default 'table'
   */
  readonly format?: string;
  /**
   * The lowest severity that exits 1: error, warn, info or none; anything else ends with exit code 2.
   * @default 'warn'
   */
  readonly failOn?: string;
  /** Scan every file, including those git ignores. @default false */
  readonly all?: boolean;
  /** @default 1 MiB */
  readonly maxFileBytes?: number;
  readonly signal?: AbortSignal;
}

/** What the CLI entry prints and how it exits; it writes both streams as they are and calls process.exit. */
export interface ScanCommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  /** 0 clean (nothing at or above --fail-on), 1 findings, 2 the scan could not run. */
  readonly exitCode: ScanExitCode;
}

const fail = (message: string): ScanCommandOutput => ({
  stdout: '',
  stderr: `openrouter-audit scan: ${maskSecrets(message)}\n`,
  exitCode: SCAN_EXIT.error,
});

/** The whole `scan` command short of printing and exiting. Never throws. */
export async function runScan(options: RunScanOptions = {}): Promise<ScanCommandOutput> {
  const format = options.format ?? 'table';
  if (!isScanFormat(format)) return fail(`unknown --format; allowed: ${SCAN_FORMATS.join(', ')}`);
  const failOn = options.failOn ?? DEFAULT_FAIL_ON;
  if (!isFailOn(failOn)) return fail(`unknown --fail-on; allowed: ${FAIL_ON_LEVELS.join(', ')}`);
  const dir = options.dir ?? '.';
  try {
    const report = await scanRepository(dir, {
      maxFileBytes: options.maxFileBytes,
      signal: options.signal,
      all: options.all === true,
    });
    const stdout = RENDERERS[format](report, failOn);
    return { stdout, stderr: '', exitCode: scanExitCode(report, failOn) };
  } catch (error) {
    if (isScanError(error)) return fail(`${error.message}: ${dir}`);
    return fail('unexpected internal error while scanning');
  }
}
