import { type AuditConfig, parseAuditConfig } from '../lambda/engine/config';

/** What the bench measures and how often: one place, so that the printed notes match the runs. */

/** Three models the simulator's healthy catalog serves (the schema's maximum). */
export const BENCH_MODELS = [
  'openai/gpt-4o-mini',
  'anthropic/claude-3.5-haiku',
  'google/gemini-2.0-flash-001',
];

/** Injected per-request latencies of figure 1 (ms). */
export const LATENCIES_MS = [0, 100, 300] as const;
/** The latency of the sequential comparison (figure 2). */
export const CHECKLIST_LATENCY_MS = 100;
/** The latency of the scale figures (figure 3). */
export const SCALE_LATENCY_MS = 50;
/** Keys besides the API key in the large account: 10,000 keys, 100 full pages of /keys. */
export const SCALE_EXTRA_KEYS = 9_999;

/** Repetitions; each figure is the median. Sized to keep the whole bench under 3 minutes on 2 cores. */
export const RUNS = {
  /** Untimed audits first: the first few run before the JIT has warmed up and take several times longer. */
  warmUp: 8,
  audit: 7,
  /** The models growth figure compares two close numbers: more runs for a steadier median. */
  modelsGrowth: 9,
  checklist: 5,
  scale: 5,
  /** Scans of the 2,600-file tree, each in a fresh process (and as many CLI runs). */
  scan: 5,
  process: 9,
} as const;

/** Every check on, probing on, a budget so that `spend` runs too: the most work an audit does. */
export function benchConfig(models: readonly string[] = BENCH_MODELS): AuditConfig {
  return parseAuditConfig({ models: [...models], probe: true, dailyBudgetUsd: 50 }, 'bench config');
}
