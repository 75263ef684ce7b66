import { shapeRedactor } from '../lambda/engine/redact';
import { parseArgs } from './args';
import { EXIT, type ExitCode } from './exit-codes';
import { helpText } from './help';
import type { CliIo } from './io';
import { UsageError } from './usage-error';
import { VERSION } from './version';

/**
 * The whole CLI as a function: parses argv, runs the command and returns the exit code. It never
 * calls process.exit and never throws, so tests run it in-process; the heavy paths (HTTP client,
 * AWS SDK, simulator, scanner) are imported only when used, keeping `--help` as fast as `node -e 0`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    const command = parseArgs(argv);
    switch (command.kind) {
      case 'help':
        io.stdout.write(helpText(VERSION));
        return EXIT.ok;
      case 'version':
        io.stdout.write(`${VERSION}\n`);
        return EXIT.ok;
      case 'audit': {
        const { runAuditCommand } = await import('./audit-command');
        return await runAuditCommand(command, io);
      }
      case 'scan': {
        const { runScanCommand } = await import('./scan-command');
        return await runScanCommand(command, io);
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${oneLine(`openrouter-audit: ${error.message} (see openrouter-audit --help)`)}\n`);
      return EXIT.usage;
    }
    // A bug, not a verdict: say so briefly, without a stack that could carry request details.
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    io.stderr.write(`${oneLine(`openrouter-audit: internal error: ${reason}`)}\n`);
    return EXIT.problems;
  }
}

const oneLine = (text: string): string => shapeRedactor.redact(text).replace(/[\r\n]+/g, ' ');
