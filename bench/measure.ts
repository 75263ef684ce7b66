/** Medians and repeated timings: every figure of the bench is the median of several runs. */

/** The median of `values` (the mean of the middle two for an even count). Throws on an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** Milliseconds `run` takes, on the monotonic clock. */
export async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/**
 * Runs each named measurement `times` times, interleaved (a, b, c, a, b, c, …), so that a machine
 * getting busier or quieter during the bench shifts every series alike and ratios stay fair.
 * One untimed warm-up round first (disk cache, JIT). Returns the samples per name.
 */
export async function interleaved<K extends string>(
  times: number,
  runs: Readonly<Record<K, () => Promise<number>>>,
): Promise<Record<K, number[]>> {
  // Object.keys loses the key type; the keys are exactly those of `runs`.
  const names = Object.keys(runs) as K[];
  // Built from those same keys, so every K is present.
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
  for (let round = -1; round < times; round++) {
    for (const name of names) {
      const value = await runs[name]();
      if (round >= 0) samples[name].push(value);
    }
  }
  return samples;
}
