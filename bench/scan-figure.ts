import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { median } from './measure';
import type { ScanChildReport } from './scan-child';
import { SCAN_TREE_FILES, writeScanTree } from './scan-tree';

const run = promisify(execFile);

export interface ScanFigures {
  readonly treeFiles: number;
  readonly filesScanned: number;
  readonly selection: string;
  /** Median wall time of scanRepository in a fresh process. */
  readonly scanMs: number;
  /** Median launch-to-exit time of `node dist/openrouter-audit.mjs scan DIR`. */
  readonly cliMs: number;
  readonly maxRssMb: number;
  readonly findings: number;
}

/**
 * Scans the generated 2,600-file tree `runs` times in fresh processes, interleaving the bench's
 * scan-child (time and peak RSS around scanRepository) with the CLI itself (launch to exit), after
 * one untimed round that warms the disk cache.
 */
export async function measureScan(benchEntry: string, cliEntry: string, runs: number): Promise<ScanFigures> {
  const root = await writeScanTree();
  try {
    const children: ScanChildReport[] = [];
    const cli: number[] = [];
    for (let round = -1; round < runs; round += 1) {
      const { stdout } = await run(process.execPath, [benchEntry, 'scan-child', root]);
      const started = performance.now();
      // Exit code 1 (findings) is the expected outcome; execFile rejects on it.
      await run(process.execPath, [cliEntry, 'scan', root, '--format', 'json']).catch((error: unknown) => {
        if ((error as { code?: unknown }).code !== 1) throw error;
      });
      const cliMs = performance.now() - started;
      if (round < 0) continue;
      children.push(JSON.parse(stdout) as ScanChildReport);
      cli.push(cliMs);
    }
    const first = children[0];
    return {
      treeFiles: SCAN_TREE_FILES,
      filesScanned: first?.filesScanned ?? 0,
      selection: first?.selection ?? 'none',
      scanMs: median(children.map((c) => c.wallMs)),
      cliMs: median(cli),
      maxRssMb: Math.max(...children.map((c) => c.maxRssKb)) / 1024,
      findings: first?.findings ?? 0,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
