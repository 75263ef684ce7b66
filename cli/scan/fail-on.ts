/**
 * `--fail-on`: the lowest severity that makes the scan exit 1. A module of its own, free of imports,
 * so that the CLI's argument parser can check the flag without loading the scanner.
 */
export const FAIL_ON_LEVELS = ['error', 'warn', 'info', 'none'] as const;
export type FailOn = (typeof FAIL_ON_LEVELS)[number];

/** Errors and warnings fail the scan, as every finding did before severities existed; info does not. */
export const DEFAULT_FAIL_ON: FailOn = 'warn';

export const isFailOn = (value: unknown): value is FailOn =>
  typeof value === 'string' && (FAIL_ON_LEVELS as readonly string[]).includes(value);

const RANK: Readonly<Record<'error' | 'warn' | 'info', number>> = { error: 3, warn: 2, info: 1 };
const THRESHOLD: Readonly<Record<FailOn, number>> = { error: 3, warn: 2, info: 1, none: Infinity };

/** True when a finding of this severity fails a scan run with `--fail-on failOn`. */
export function failsScan(severity: 'error' | 'warn' | 'info', failOn: FailOn): boolean {
  return RANK[severity] >= THRESHOLD[failOn];
}
