import type { Simulator } from '../simulator/types';
import { median } from './measure';
import { runChild } from './processes';
import { SCALE_CHILD_ENV, type ScaleChildReport } from './scale-child';

export interface ScaleFigures {
  readonly wallMs: number;
  readonly maxRssMb: number;
  readonly totalKeys: number | null;
}

/**
 * Audits the large account `runs` times, each in a fresh `node <entry> scale-child` process (the
 * bench's own entry with a sub-command), and returns the medians of the wall time measured in the
 * child and of its peak RSS.
 */
export async function measureScale(
  entry: string,
  sim: Simulator,
  models: readonly string[],
  runs: number,
): Promise<ScaleFigures> {
  const reports: ScaleChildReport[] = [];
  for (let run = 0; run < runs; run++) {
    const child = await runChild({
      command: process.execPath,
      args: [entry, 'scale-child'],
      env: {
        ...process.env,
        [SCALE_CHILD_ENV.baseUrl]: sim.baseUrl,
        [SCALE_CHILD_ENV.apiKey]: sim.apiKey,
        [SCALE_CHILD_ENV.managementKey]: sim.managementKey,
        [SCALE_CHILD_ENV.models]: models.join(','),
      },
    });
    reports.push(parseReport(child.stdout));
  }
  return {
    wallMs: median(reports.map((r) => r.wallMs)),
    maxRssMb: median(reports.map((r) => r.maxRssKb / 1024)),
    totalKeys: reports[0]?.totalKeys ?? null,
  };
}

function parseReport(stdout: string): ScaleChildReport {
  const parsed: unknown = JSON.parse(stdout.trim().split('\n').pop() ?? '');
  if (
    typeof parsed === 'object' &&
    parsed !== null &&
    'wallMs' in parsed &&
    typeof parsed.wallMs === 'number' &&
    'maxRssKb' in parsed &&
    typeof parsed.maxRssKb === 'number'
  ) {
    const total = 'totalKeys' in parsed && typeof parsed.totalKeys === 'number' ? parsed.totalKeys : null;
    return { wallMs: parsed.wallMs, maxRssKb: parsed.maxRssKb, totalKeys: total };
  }
  throw new Error(`scale-child printed no report: ${stdout.slice(0, 200)}`);
}
