import { resolve } from 'node:path';
import type { ScanArgs } from './args';
import type { ExitCode } from './exit-codes';
import type { CliIo } from './io';
import { runScan } from './scan/run-scan';

/**
 * `openrouter-audit scan [DIR] [--format table|json|sarif] [--fail-on LEVEL] [--all]`: 0 nothing at
 * or above --fail-on, 1 findings, 2 the scan could not run.
 */
export async function runScanCommand(args: ScanArgs, io: CliIo): Promise<ExitCode> {
  const output = await runScan({
    dir: resolve(io.cwd ?? process.cwd(), args.dir),
    format: args.format,
    ...(args.failOn === undefined ? {} : { failOn: args.failOn }),
    all: args.all === true,
  });
  if (output.stdout !== '') io.stdout.write(output.stdout);
  if (output.stderr !== '') io.stderr.write(output.stderr);
  return output.exitCode;
}
