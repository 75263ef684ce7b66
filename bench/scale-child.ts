import { assertNoErrors, timeAudit } from './audit-run';
import { benchConfig } from './scenario';

/**
 * The child side of the scale figure: `node dist/bench/bench.mjs scale-child`. One audit against the
 * parent's simulator, then one JSON line on stdout with the wall time and the process's peak RSS,
 * so that the bench's own memory (its simulator, its 10,000 keys) is not counted.
 */

/** Environment variables the parent passes (the simulator's fake keys stay out of the argv). */
export const SCALE_CHILD_ENV = {
  baseUrl: 'BENCH_SCALE_BASE_URL',
  apiKey: 'BENCH_SCALE_API_KEY',
  managementKey: 'BENCH_SCALE_MANAGEMENT_KEY',
  models: 'BENCH_SCALE_MODELS',
} as const;

export interface ScaleChildReport {
  readonly wallMs: number;
  /** `process.resourceUsage().maxRSS` at the end of the run, in kB. */
  readonly maxRssKb: number;
  /** Keys the `keys` check counted: proves the whole account was listed. */
  readonly totalKeys: number | null;
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`scale-child: ${name} is not set`);
  return value;
}

export async function runScaleChild(): Promise<void> {
  const models = required(SCALE_CHILD_ENV.models).split(',');
  const { wallMs, result } = await timeAudit(
    {
      baseUrl: required(SCALE_CHILD_ENV.baseUrl),
      apiKey: required(SCALE_CHILD_ENV.apiKey),
      managementKey: required(SCALE_CHILD_ENV.managementKey),
    },
    benchConfig(models),
  );
  assertNoErrors(result, 'scale-child');
  const total = result.checks.find((c) => c.id === 'keys')?.values.totalKeys;
  const report: ScaleChildReport = {
    wallMs,
    maxRssKb: process.resourceUsage().maxRSS,
    totalKeys: typeof total === 'number' ? total : null,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
