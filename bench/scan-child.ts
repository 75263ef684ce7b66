import { scanRepository } from '../cli/scan/scan-repository';

/**
 * The child side of the scan figure: `node dist/bench/bench.mjs scan-child DIR`. One scan in a fresh
 * process, as the CLI runs it, then one JSON line with its wall time and the process's peak RSS.
 */
export interface ScanChildReport {
  readonly wallMs: number;
  readonly maxRssKb: number;
  readonly filesScanned: number;
  readonly selection: string;
  readonly findings: number;
}

export async function runScanChild(dir: string | undefined): Promise<void> {
  if (dir === undefined) throw new Error('scan-child: no directory given');
  const started = performance.now();
  const report = await scanRepository(dir);
  const result: ScanChildReport = {
    wallMs: performance.now() - started,
    maxRssKb: process.resourceUsage().maxRSS,
    filesScanned: report.filesScanned,
    selection: report.selection,
    findings: report.findings.length,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
