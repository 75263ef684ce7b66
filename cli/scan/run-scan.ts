import { isScanError } from './errors';
import { SCAN_EXIT, type ScanExitCode, scanExitCode } from './exit-code';
import { isScanFormat, SCAN_FORMATS } from './formats';
import { maskSecrets } from './mask';
import { renderScanJson } from './render-json';
import { renderScanTable } from './render-table';
import { scanRepository } from './scan-repository';

/** Output formats of `openrouter-audit scan`. */
export { isScanFormat, SCAN_FORMATS, type ScanFormat } from './formats';

/** What `openrouter-audit scan [DIR] [--format table|json]` was asked to do. */
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
  /** @default 1 MiB */
  readonly maxFileBytes?: number;
  readonly signal?: AbortSignal;
}

/** What the CLI entry prints and how it exits; it writes both streams as they are and calls process.exit. */
export interface ScanCommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  /** 0 clean, 1 findings, 2 the scan could not run. */
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
  const dir = options.dir ?? '.';
  try {
    const report = await scanRepository(dir, { maxFileBytes: options.maxFileBytes, signal: options.signal });
    const stdout = format === 'json' ? renderScanJson(report) : renderScanTable(report);
    return { stdout, stderr: '', exitCode: scanExitCode(report) };
  } catch (error) {
    if (isScanError(error)) return fail(`${error.message}: ${dir}`);
    return fail('unexpected internal error while scanning');
  }
}
